"""Periods: the reports' `2024-03` (month), `2024-Q1`, `2024-S1`, `2024` (year) as operators type them, and
the rolling "last twelve months" of the public statistics. The one period type of every service: reports,
the statistics page and the team's month filter all use it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

#: Years a report may cover; beyond them the holiday data (and the unit) did not exist.
MIN_YEAR, MAX_YEAR = 2000, 2100
#: The longest valid period is "2024-Q1"; anything much longer is refused before any regex runs.
_MAX_LENGTH = 16

MONTH, QUARTER, SEMESTER, YEAR = "month", "quarter", "semester", "year"
#: The kinds an operator can type (parse_period); a calendar unit each.
KINDS = (MONTH, QUARTER, SEMESTER, YEAR)
#: This month so far and the eleven before it (last_twelve_months): a rolling range, not typed.
LAST_TWELVE_MONTHS = "last_twelve_months"

MONTH_NAMES_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_ROMAN = ("I", "II", "III", "IV")

# [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits.
_PATTERNS = (
    (MONTH, re.compile(r"([0-9]{4})-([0-9]{2})")),
    (QUARTER, re.compile(r"([0-9]{4})-[Qq]([0-9])")),
    (SEMESTER, re.compile(r"([0-9]{4})-[Ss]([0-9])")),
    (YEAR, re.compile(r"([0-9]{4})")),
)
_MONTHS_PER = {MONTH: 1, QUARTER: 3, SEMESTER: 6, YEAR: 12}
_COUNT_PER_YEAR = {MONTH: 12, QUARTER: 4, SEMESTER: 2, YEAR: 1}
_HINT = "use 2024-03 (month), 2024-Q1 (quarter), 2024-S1 (semester) or 2024 (year)"


@dataclass(frozen=True)
class Period:
    """One period; `end` is inclusive."""

    kind: str
    year: int  # the year of `end` for the rolling range
    index: int  # month 1-12, quarter 1-4, semester 1-2, 1 for a year; the month of `end` for the rolling range
    start: date
    end: date
    label_id: str

    @property
    def code(self) -> str:
        """The canonical text form, e.g. '2024-03', '2024-Q1', '2024-S1', '2024'."""
        if self.kind == MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind == QUARTER:
            return f"{self.year:04d}-Q{self.index}"
        if self.kind == SEMESTER:
            return f"{self.year:04d}-S{self.index}"
        if self.kind == LAST_TWELVE_MONTHS:
            return f"{self.start.isoformat()}..{self.end.isoformat()}"
        return f"{self.year:04d}"

    def months(self) -> list[Period]:
        """The calendar months this period touches, in order (whole months, even where it ends mid-month)."""
        result, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append(make_period(MONTH, year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def make_period(kind: str, year: int, index: int) -> Period:
    """The period `index` (1-based) of `kind` in `year`; ValueError when out of range."""
    if kind not in _MONTHS_PER:
        raise ValueError(f"unknown period kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    if not 1 <= index <= _COUNT_PER_YEAR[kind]:
        raise ValueError(f"{kind} number {index} is outside 1-{_COUNT_PER_YEAR[kind]}")
    span = _MONTHS_PER[kind]
    first_month = (index - 1) * span + 1
    last_month = first_month + span - 1
    start = date(year, first_month, 1)
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(kind, year, index, start, end, _label(kind, year, index))


def _label(kind: str, year: int, index: int) -> str:
    if kind == MONTH:
        return f"{MONTH_NAMES_ID[index - 1]} {year}"
    if kind == QUARTER:
        return f"Triwulan {_ROMAN[index - 1]} {year}"
    if kind == SEMESTER:
        return f"Semester {_ROMAN[index - 1]} {year}"
    return str(year)


def parse_period(text: str, kinds: tuple[str, ...] = KINDS) -> Period:
    """Parse '2024-03', '2024-Q1', '2024-S1' or '2024'; ValueError with the reason otherwise.

    `kinds` narrows what is accepted, e.g. (MONTH,) for a month filter.
    """
    if not isinstance(text, str):
        raise ValueError(f"a period must be text; {_HINT}")
    value = text.strip()
    if not value:
        raise ValueError(f"the period is empty; {_HINT}")
    if len(value) > _MAX_LENGTH:
        raise ValueError(f"the period is too long ({len(value)} characters); {_HINT}")
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(value)
        if match and kind not in kinds:
            raise ValueError(f"{value!r} is a {kind}; expected a {' or a '.join(kinds)}")
        if match:
            year, index = int(match.group(1)), int(match.group(2)) if match.lastindex == 2 else 1
            try:
                return make_period(kind, year, index)
            except ValueError as exc:
                raise ValueError(f"invalid period {value!r}: {exc}") from None
    raise ValueError(f"invalid period {value[:_MAX_LENGTH]!r}; {_HINT}")


def period_of(kind: str, day: date) -> Period:
    """The period of `kind` that contains `day` (e.g. the current month for a form's default)."""
    if kind not in _MONTHS_PER:
        raise ValueError(f"unknown period kind {kind!r}; expected one of {', '.join(KINDS)}")
    return make_period(kind, day.year, (day.month - 1) // _MONTHS_PER[kind] + 1)


def last_twelve_months(today: date) -> Period:
    """This month up to `today` and the eleven whole months before it."""
    year, month = (today.year, 1) if today.month == 12 else (today.year - 1, today.month + 1)
    if not (MIN_YEAR <= year and today.year <= MAX_YEAR):
        raise ValueError(f"the twelve months up to {today} are not all within {MIN_YEAR}-{MAX_YEAR}")
    start = date(year, month, 1)
    label = f"{MONTH_NAMES_ID[start.month - 1]} {start.year} – {MONTH_NAMES_ID[today.month - 1]} {today.year}"
    return Period(LAST_TWELVE_MONTHS, today.year, today.month, start, today, label)


def previous(period: Period) -> Period:
    """The period of the same kind just before `period` (a calendar unit; not the rolling range)."""
    if period.kind not in _COUNT_PER_YEAR:
        raise ValueError(f"a {period.kind} period has no previous one")
    if period.index > 1:
        return make_period(period.kind, period.year, period.index - 1)
    return make_period(period.kind, period.year - 1, _COUNT_PER_YEAR[period.kind])


def latest(kind: str, day: date, count: int) -> list[Period]:
    """The period of `kind` that contains `day` and the ones before it, `count` in all, newest first; fewer when
    MIN_YEAR begins sooner (the period choices of pages and reports)."""
    periods = [period_of(kind, day)]
    while len(periods) < count and periods[-1].start > date(MIN_YEAR, 1, 1):
        periods.append(previous(periods[-1]))
    return periods
