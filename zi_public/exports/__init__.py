"""Every report the internal area and `flask --app wsgi report` can export.

REPORTS maps a report name to (builder, period kinds it accepts). A builder takes a parsed
Period (and optionally `today`, for the running clocks) and returns an Export.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from zi_public.exports import pengaduan_bulanan, pengaduan_monev
from zi_public.exports.xlsx import Export
from zi_public.rules.periods import MONTH, SEMESTER, Period

Builder = Callable[..., Export]

REPORTS: dict[str, tuple[Builder, frozenset[str]]] = {
    "pengaduan-bulanan": (pengaduan_bulanan.build, frozenset({MONTH})),
    "pengaduan-monev": (pengaduan_monev.build, frozenset({SEMESTER})),
}


class UnknownReport(LookupError):
    """No report has this name."""


class WrongPeriodKind(ValueError):
    """The report exists but covers another kind of period (e.g. a month for the semester monev)."""


def report_filename(name: str, period: Period) -> str:
    """e.g. pengaduan-bulanan-2026-11.xlsx"""
    return f"{name}-{period.code}.xlsx"


def build_report(name: str, period: Period, *, today: date | None = None) -> Export:
    """Build report `name` for `period`; UnknownReport or WrongPeriodKind when they do not fit."""
    if name not in REPORTS:
        raise UnknownReport(name)
    builder, kinds = REPORTS[name]
    if period.kind not in kinds:
        raise WrongPeriodKind(f"{name} covers a {' or '.join(sorted(kinds))}, not a {period.kind}")
    return builder(period, today=today)
