"""Aggregates for the public transparency page: counts per month and category, never case contents.

Counts are computed in SQL. Medians of working days are computed in Python over one row of three
dates per case, because a working-day count needs the holiday calendar, which is not in the database.
A month is the month the complaint was *received* (a cohort): its "finished" figure grows as that
month's complaints are handled.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Category, Pengaduan
from zi_public.rules.periods import YEAR, Period, make_period, parse_period
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan.clocks import BY_NAME, SETTLE, VERIFY, on_time_condition


def year_period(year: int) -> Period:
    """The calendar year `year` (rules.periods)."""
    return make_period(YEAR, year, 1)


def year_asked(raw: str | None, today: date) -> Period | None:
    """The year a visitor asked for (?year=2025), a supported one up to this one; None for anything else."""
    try:
        period = parse_period(raw or "", (YEAR,))
    except ValueError:
        return None
    return period if period.year <= today.year else None


@dataclass
class Figures:
    received: int = 0
    finished: int = 0  # selesai, ditolak or dialihkan (handling ended)
    finished_on_time: int = 0  # finished, and no clock missed (clocks.on_time_condition)
    verify_days: list[int] = field(default_factory=list, repr=False)
    finish_days: list[int] = field(default_factory=list, repr=False)

    @property
    def median_verify_days(self) -> float | None:
        return statistics.median(self.verify_days) if self.verify_days else None

    @property
    def median_finish_days(self) -> float | None:
        return statistics.median(self.finish_days) if self.finish_days else None

    def add(self, other: Figures) -> None:
        self.received += other.received
        self.finished += other.finished
        self.finished_on_time += other.finished_on_time
        self.verify_days += other.verify_days
        self.finish_days += other.finish_days


@dataclass
class MonthStats:
    year: int
    month: int
    total: Figures
    by_category: list[tuple[Category, Figures]]  # only categories with complaints that month

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass
class Statistik:
    period: Period
    months: list[MonthStats]
    total: Figures


def statistik(period: Period, calendar: WorkCalendar | None = None, *, as_of: date | None = None) -> Statistik:
    """Received / finished / on-time counts and median working days per month and category."""
    calendar = calendar or work_calendar()
    as_of = as_of or today_jakarta()
    year = sa.extract("year", Pengaduan.received_on)
    month = sa.extract("month", Pengaduan.received_on)
    in_period = Pengaduan.received_on.between(period.start, period.end)
    cells: dict[tuple[int, int, int], Figures] = {}
    counts = db.session.execute(
        sa.select(
            year,
            month,
            Pengaduan.category_id,
            sa.func.count(Pengaduan.id),
            sa.func.count(Pengaduan.finished_on),
            sa.func.sum(sa.case((on_time_condition(as_of), 1), else_=0)),
        )
        .where(in_period)
        .group_by(year, month, Pengaduan.category_id)
    )
    for y, m, category_id, received, finished, on_time in counts:
        cells[(int(y), int(m), category_id)] = Figures(int(received), int(finished), int(on_time or 0))
    # Working days from receipt to the stop of the verify clock and of the settle clock.
    received, _, verify_stop = BY_NAME[VERIFY].columns()
    _, _, settle_stop = BY_NAME[SETTLE].columns()
    durations = db.session.execute(
        sa.select(year, month, Pengaduan.category_id, received, verify_stop, settle_stop).where(
            in_period, verify_stop.is_not(None)
        )
    )
    for y, m, category_id, received_on, verified_on, settled_on in durations:
        cell = cells[(int(y), int(m), category_id)]
        cell.verify_days.append(calendar.count_working_days(received_on, verified_on))
        if settled_on is not None:
            cell.finish_days.append(calendar.count_working_days(received_on, settled_on))
    categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
    months, total = [], Figures()
    for month_period in period.months():
        y, m = month_period.year, month_period.index
        month_total, rows = Figures(), []
        for (cy, cm, category_id), figures in cells.items():
            if (cy, cm) == (y, m):
                rows.append((categories[category_id], figures))
                month_total.add(figures)
        rows.sort(key=lambda row: (row[0].sort_order, row[0].name))
        months.append(MonthStats(y, m, month_total, rows))
        total.add(month_total)
    return Statistik(period, months, total)


def years_with_complaints() -> list[int]:
    """The years that have at least one complaint, newest first (for the year links)."""
    year = sa.extract("year", Pengaduan.received_on)
    return [int(y) for y in db.session.scalars(sa.select(year).distinct().order_by(year.desc()))]
