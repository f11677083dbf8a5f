"""Language and formats: Indonesian first, English for foreign investors; Asia/Jakarta; Rupiah."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal as babel_format_decimal
from flask import Flask, current_app, has_request_context, request
from flask_babel import LazyString, format_date, format_datetime, get_locale, get_translations

from zi_public.extensions import babel

LANG_COOKIE = "zi_lang"


def select_locale() -> str:
    """The visitor's explicit choice (cookie), else Indonesian; Indonesian where there is no visitor (a command,
    a test, a job in an app context), so `get_locale()` is the language being written in anywhere: the one
    forced (a report, a mail), else the page's, else the default.

    Accept-Language is not consulted on purpose: many Indonesian browsers are set to English,
    and the site is Indonesian first; English is one click away on every page. The JSON API is the
    exception: a program has no language switch to click, so there an explicit Accept-Language that
    names a language we have comes first (then the cookie, for a page's own scripts).
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    choice = request.cookies.get(LANG_COOKIE, "")
    if (request.blueprint or "").split(".")[0] == "api":
        choice = _api_language() or choice
    return choice if choice in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _api_language() -> str | None:
    """The first language of Accept-Language that the app speaks (a wildcard names none)."""
    for value, _quality in request.accept_languages:
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in current_app.config["LANGUAGES"]:
            return primary
    return None


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        datetime=format_local_datetime,
        datetime_long=format_long_datetime,
        date_long=format_long_date,
        date_short=format_short_date,
        rupiah=format_rupiah,
        catalogue_name=catalogue_name,
        period_name=period_name,
    )
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.before_request(_form_library_speaks_the_page_language)


class _FormLibraryMessages:
    """WTForms' built-in messages ("Not a valid choice.", "This field is required.") through the app's own
    catalogues. Flask-WTF looks them up in WTForms' catalogues, which have no Indonesian, so an Indonesian page
    said them in English; the app's Indonesian catalogue (translations/id) holds them, and the English one does
    not need to."""

    def ugettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_FORM_LIBRARY_MESSAGES = _FormLibraryMessages()


def _form_library_speaks_the_page_language() -> None:
    # Flask-WTF keeps the translations of a request in request.wtforms_translations (flask_wtf/i18n.py) and loads
    # WTForms' own only when it finds none there; tests/blueprints/test_internal_users.py notices if that changes.
    request.wtforms_translations = _FORM_LIBRARY_MESSAGES


def format_local_datetime(value: datetime | None) -> str:
    """A stored UTC timestamp as Jakarta time, e.g. '27 Nov 2026 18.21 WIB'."""
    if value is None:
        return ""
    return format_datetime(value, "d MMM yyyy HH.mm") + " WIB"


def format_long_datetime(value: datetime | None) -> str:
    """A stored UTC timestamp as Jakarta time in words, e.g. '30 November 2026, 14.05 WIB' — what a receipt or a
    slip says about when a complaint was received or recorded."""
    if value is None:
        return ""
    return format_datetime(value, "d MMMM yyyy, HH.mm") + " WIB"


def format_long_date(value: date | None) -> str:
    """'Rabu, 2 Desember 2026' — how clocks are told to the public."""
    if value is None:
        return ""
    return format_date(value, "EEEE, d MMMM yyyy")


def format_short_date(value: date | None) -> str:
    if value is None:
        return ""
    return format_date(value, "d MMM yyyy")


def format_rupiah(value: int | Decimal | None) -> str:
    """'Rp1.500.000' — whole rupiah, Indonesian grouping whatever the page language."""
    if value is None:
        return ""
    return "Rp" + babel_format_decimal(value, format="#,##0", locale="id")


def format_size(n: int) -> str:
    """A size limit as people read it, in labels and messages: '10 MB', '1.5 MB', '500 KB', '512 byte'
    (units of 1024; a point before the decimal in every language, as the limits have always been written)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{n // 1024} KB"
    return f"{n} byte"


def catalogue_name(item: object) -> str:
    """A catalogue row's name in the page's language (`{{ report.category|catalogue_name }}`)."""
    from zi_public.services.reference import localized_name

    return localized_name(item, str(get_locale()))  # type: ignore[arg-type]


def period_name(period: object) -> str:
    """A period in the page's language (`{{ quarter|period_name }}`): 'Triwulan IV 2026', 'Quarter IV 2026'.

    Period.label_id is the Indonesian name only; exports.document.period_label is the one translated name.
    """
    from zi_public.exports.document import period_label

    return period_label(period, str(get_locale()))  # type: ignore[arg-type]


def lazy_period_name(period: object) -> LazyString:
    """period_name worked out when shown: for a lazy_gettext message a service builds (maybe outside a request)."""
    return LazyString(period_name, period)
