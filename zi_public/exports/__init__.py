"""Every report the internal area and `flask --app wsgi report` can export.

REPORTS maps a report name to (builder, period kinds it accepts). A builder takes a parsed Period, the
day the report is "as of", when it is made and its language, and returns an Export; `build_report`
checks the request, picks the defaults and runs the builder in the report's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from zi_public.exports import (
    benturan_evaluasi,
    benturan_pemetaan,
    gratifikasi_rekap,
    pengaduan_bulanan,
    pengaduan_monev,
    skm_persepsi,
    skm_triwulan,
    wbs_evaluasi,
)
from zi_public.exports.document import in_language
from zi_public.exports.xlsx import Export
from zi_public.localtime import now_utc, today_jakarta
from zi_public.models import Role
from zi_public.rules.periods import MONTH, QUARTER, SEMESTER, YEAR, Period
from zi_public.security.office import OOXML_TYPES

Builder = Callable[..., Export]
#: What every report download is sent as.
XLSX_MIMETYPE = OOXML_TYPES["xl/workbook.xml"]

REPORTS: dict[str, tuple[Builder, frozenset[str]]] = {
    "pengaduan-bulanan": (pengaduan_bulanan.build, frozenset({MONTH, YEAR})),
    "pengaduan-monev": (pengaduan_monev.build, frozenset({SEMESTER, YEAR})),
    "wbs-evaluasi": (wbs_evaluasi.build, frozenset({QUARTER, YEAR})),
    "skm-triwulan": (skm_triwulan.build, frozenset({QUARTER, SEMESTER, YEAR})),
    "skm-persepsi": (skm_persepsi.build, frozenset({QUARTER, SEMESTER, YEAR})),
    "gratifikasi-rekap": (gratifikasi_rekap.build, frozenset({MONTH, QUARTER, SEMESTER, YEAR})),
    "benturan-pemetaan": (benturan_pemetaan.build, frozenset({YEAR})),
    "benturan-evaluasi": (benturan_evaluasi.build, frozenset({QUARTER, YEAR})),
}
#: Who may download each report from the internal area (the CLI is the operator's).
REPORT_ROLES: dict[str, frozenset[Role]] = {
    "pengaduan-bulanan": frozenset({Role.PENGADUAN, Role.PIMPINAN}),
    "pengaduan-monev": frozenset({Role.PENGADUAN, Role.PIMPINAN}),
    "wbs-evaluasi": frozenset({Role.WBS, Role.PIMPINAN}),  # aggregates only: never a WBS case's contents
    "skm-triwulan": frozenset({Role.SKM, Role.PIMPINAN}),  # anonymous responses: no permit number
    "skm-persepsi": frozenset({Role.SKM, Role.PIMPINAN}),  # anonymous answers and aggregates
    "gratifikasi-rekap": frozenset({Role.UPG, Role.PIMPINAN}),
    "benturan-pemetaan": frozenset({Role.UPG, Role.PIMPINAN}),
    "benturan-evaluasi": frozenset({Role.UPG, Role.PIMPINAN}),
}


class UnknownReport(LookupError):
    """No report has this name."""


class WrongPeriodKind(ValueError):
    """The report exists but covers another kind of period (e.g. a month for the semester monev)."""


class BadAsOf(ValueError):
    """The "as of" day cannot be shown: before the period began, or a day that has not ended yet."""


def report_filename(name: str, period: Period) -> str:
    """e.g. pengaduan-bulanan-2026-11.xlsx"""
    return f"{name}-{period.code}.xlsx"


def default_as_of(period: Period, today: date) -> date:
    """A report shows its period as of the period's last day, or today while the period runs."""
    return min(period.end, today)


def build_report(
    name: str, period: Period, *, as_of: date | None = None, lang: str | None = None, now: datetime | None = None
) -> Export:
    """Build report `name` for `period` as of `as_of` (default: default_as_of) in `lang` (default Indonesian).

    Raises UnknownReport, WrongPeriodKind or BadAsOf when the request does not fit.
    """
    if name not in REPORTS:
        raise UnknownReport(name)
    builder, kinds = REPORTS[name]
    if period.kind not in kinds:
        raise WrongPeriodKind(f"{name} covers a {' or '.join(sorted(kinds))}, not a {period.kind}")
    now = now or now_utc()
    today = today_jakarta(now)
    as_of = as_of or default_as_of(period, today)
    if as_of > today:
        raise BadAsOf(f"as of {as_of.isoformat()} is after today ({today.isoformat()}): it has not been recorded yet")
    if as_of < period.start:
        raise BadAsOf(f"as of {as_of.isoformat()} is before the period starts ({period.start.isoformat()})")
    with in_language(lang or "") as language:
        export = builder(period, as_of=as_of, generated_at=now, lang=language)
    return replace(export, as_of=as_of, lang=language)
