"""The document around every report's data: the words of its title block, signatures and footer,
in the language it is exported in (Indonesian; English from the English UI or `--lang en`).

Builders call `document(...)` inside `in_language(lang)`, so that their own headers and labels come
out of the same gettext catalogue in the same language.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from babel.dates import format_date, get_month_names
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from zi_public.exports.xlsx import Document, Signature
from zi_public.i18n import format_long_datetime
from zi_public.localtime import JAKARTA
from zi_public.rules.periods import MONTH, QUARTER, SEMESTER, Period
from zi_public.services.settings import report_settings

#: The languages a report can be written in; the first is the default (the office's own).
LANGUAGES = ("id", "en")
_ROMAN = ("I", "II", "III", "IV")


def report_language(lang: str | None) -> str:
    """`lang` if a report can be written in it, else the default (Indonesian)."""
    lang = (lang or "").split("_")[0].split("-")[0].lower()
    return lang if lang in LANGUAGES and lang in current_app.config["LANGUAGES"] else LANGUAGES[0]


@contextmanager
def in_language(lang: str) -> Iterator[str]:
    """Run a report builder with gettext (and the date words below) in `lang`."""
    lang = report_language(lang)
    with force_locale(lang):
        yield lang


def long_date(day: date, lang: str) -> str:
    """'30 November 2026' in the report's language."""
    return format_date(day, "d MMMM yyyy", locale=lang)


def period_label(period: Period, lang: str) -> str:
    """'November 2026', 'Semester II 2026', 'Triwulan I 2026', '2026' (English: 'Semester II 2026', …)."""
    if period.kind == MONTH:
        return f"{get_month_names('wide', locale=lang)[period.index]} {period.year}"
    if period.kind == QUARTER:
        return _("Triwulan %(n)s %(year)d", n=_ROMAN[period.index - 1], year=period.year)
    if period.kind == SEMESTER:
        return _("Semester %(n)s %(year)d", n=_ROMAN[period.index - 1], year=period.year)
    return str(period.year)


def document(
    title: str, period: Period, as_of: date, generated_at: datetime, lang: str, signers: Sequence[str]
) -> Document:
    """The title block, signatures and footer of report `title` for `period` as of `as_of`.

    `signers` are keys of REPORT_SIGNERS: the last one prepared the report (it signs with the place and
    date), the ones before acknowledge it ("Mengetahui").
    """
    settings = report_settings()
    with force_locale(lang):
        made = format_long_datetime(generated_at)
    label = period_label(period, lang)
    signatures = []
    for position, key in enumerate(signers, start=1):
        officer = settings.signers[key]
        if position == len(signers):
            place = f"{settings.place}, " if settings.place else ""
            caption = place + long_date(generated_at.astimezone(JAKARTA).date(), lang)
        else:
            caption = _("Mengetahui,")
        identifier = _("NIP. %(nip)s", nip=officer.nip) if officer.nip else ""
        signatures.append(Signature(caption, officer.position, officer.name, identifier))
    return Document(
        unit=settings.unit,
        title=title,
        details=[
            _(
                "Periode: %(period)s (%(start)s s.d. %(end)s)",
                period=label,
                start=long_date(period.start, lang),
                end=long_date(period.end, lang),
            ),
            _("Keadaan per: %(date)s", date=long_date(as_of, lang)),
            _("Dibuat: %(when)s", when=made),
        ],
        signatures=signatures,
        footer=f"{settings.unit} · {title} · {label}",
        page_label=_("Halaman &P dari &N"),
    )
