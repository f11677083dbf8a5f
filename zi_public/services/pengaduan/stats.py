"""Aggregates for the public transparency page: counts per month and category, never case contents.

A month is the month the complaint was *received* (a cohort): its "finished" figure grows as that
month's complaints are handled. The figures are read from the tables stats_aggregates keeps per month and
category in the same transaction as every change (counts, and histograms of working days from which the
medians are exact), so the page costs the same at a thousand complaints and at a million.
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import Category, Pengaduan, PengaduanStatDays, PengaduanStatMonth
from zi_public.rules.pengaduan import Channel
from zi_public.rules.periods import YEAR, Period, make_period, parse_period
from zi_public.services.pengaduan.clocks import SETTLE, VERIFY, handling_ended, on_time_condition
from zi_public.services.pengaduan.stats_aggregates import EVERYTHING_RECORDED, month_of


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
    finished_on_time: int = 0  # finished, and no clock missed (clocks.is_on_time)
    median_verify_days: float | None = None  # working days from receipt to the verify clock's stop
    median_finish_days: float | None = None  # working days from receipt to the settle clock's stop

    def add_counts(self, other: Figures) -> None:
        """Add the other figures' counts (medians do not add up: each level has its own)."""
        self.received += other.received
        self.finished += other.finished
        self.finished_on_time += other.finished_on_time


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
    by_channel: list[tuple[Channel, Figures]]  # only channels with complaints in the period, in Channel order


def statistik(period: Period) -> Statistik:
    """Received / finished / on-time counts and median working days per month and category.

    Whole months: the period's first and last month are counted entirely (periods start on a month's first
    day, and nothing is received after today).
    """
    first, last = month_of(period.start), month_of(period.end)
    m, d = PengaduanStatMonth, PengaduanStatDays
    cells: dict[tuple[int, int], Figures] = {}
    counts = db.session.execute(
        sa.select(_year_month(m.month), m.category_id, m.received, m.finished, m.finished_on_time).where(
            m.month.between(first, last), m.received > 0
        )
    )
    for year_month, category_id, received, finished, on_time in counts:
        cells[(year_month, category_id)] = Figures(received, finished, on_time)
    # The histogram of each cell comes sorted, so each cell's median is one walk; those of each month and of
    # the whole period are summed here. A few thousand rows: read as plain rows, months as yyyymm integers.
    rows = (
        db.session.connection()
        .execute(
            sa.select(_year_month(d.month), d.category_id, d.clock, d.days, d.count)
            .where(d.month.between(first, last), d.count > 0)
            .order_by(d.month, d.category_id, d.clock, d.days)
        )
        .all()
    )
    medians: dict[tuple[int | None, ...], float] = {}
    summed: dict[tuple[int | None, str], dict[int, int]] = defaultdict(dict)
    for (year_month, category_id, clock), group in itertools.groupby(rows, key=operator.itemgetter(0, 1, 2)):
        histogram = [(days, count) for *_, days, count in group]
        medians[(year_month, category_id, clock)] = median_of(histogram)
        for total in (summed[(year_month, clock)], summed[(None, clock)]):
            for days, count in histogram:
                total[days] = total.get(days, 0) + count
    for (year_month, clock), histogram in summed.items():
        medians[(year_month, None, clock)] = median_of(sorted(histogram.items()))

    def with_medians(figures: Figures, year_month: int | None, category_id: int | None) -> Figures:
        figures.median_verify_days = medians.get((year_month, category_id, VERIFY))
        figures.median_finish_days = medians.get((year_month, category_id, SETTLE))
        return figures

    categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
    by_month: dict[int, list[tuple[Category, Figures]]] = {}
    for (year_month, category_id), figures in cells.items():
        by_month.setdefault(year_month, []).append(
            (categories[category_id], with_medians(figures, year_month, category_id))
        )
    months, total = [], Figures()
    for month_period in period.months():
        year_month = month_period.year * 100 + month_period.index
        rows = sorted(by_month.get(year_month, []), key=lambda row: (row[0].sort_order, row[0].name))
        month_total = Figures()
        for _, figures in rows:
            month_total.add_counts(figures)
        months.append(
            MonthStats(month_period.year, month_period.index, with_medians(month_total, year_month, None), rows)
        )
        total.add_counts(month_total)
    return Statistik(period, months, with_medians(total, None, None), by_channel(period))


def by_channel(period: Period) -> list[tuple[Channel, Figures]]:
    """Received / finished / on-time counts per channel of the complaints received in the period's months
    (the same cohorts as the monthly figures, so the channels add up to the period's total), one GROUP BY.

    The figure tables keep no channel, so this reads the period's complaints through the received_on index:
    a range scan of a year's complaints, cheap at the office's volume (a channel column in the figure tables
    would need a migration)."""
    p = Pengaduan
    first = month_of(period.start)
    rows = db.session.execute(
        sa.select(
            p.channel,
            sa.func.count(),
            sa.func.sum(sa.case((handling_ended(EVERYTHING_RECORDED), 1), else_=0)),
            sa.func.sum(sa.case((on_time_condition(EVERYTHING_RECORDED), 1), else_=0)),
        )
        .where(p.received_on.between(first, period.end))
        .group_by(p.channel)
    )
    figures = {
        Channel(channel): Figures(received, int(finished or 0), int(on_time or 0))
        for channel, received, finished, on_time in rows
    }
    return [(channel, figures[channel]) for channel in Channel if channel in figures]


def median_of(histogram: list[tuple[int, int]]) -> float:
    """statistics.median of the values a histogram counts, given as (value, count) pairs in value order:
    the middle value, or the mean of the two middle ones."""
    n = sum(count for _, count in histogram)
    lower, upper = (n - 1) // 2, n // 2  # 0-based positions of the middle value(s)
    seen, low = 0, None
    for value, count in histogram:
        seen += count
        if low is None and seen > lower:
            low = value
        if seen > upper:
            return low if lower == upper else (low + value) / 2
    raise ValueError("an empty histogram has no median")


def _year_month(column: sa.ColumnElement[date]) -> sa.ColumnElement[int]:
    """SQL: 202603 for any day of March 2026 (a plain integer reads faster than a date, row after row)."""
    return sa.cast(sa.extract("year", column) * 100 + sa.extract("month", column), sa.Integer)


def years_with_complaints() -> list[int]:
    """The years that have at least one complaint, newest first (for the year links)."""
    year = sa.extract("year", PengaduanStatMonth.month)
    stmt = sa.select(year).where(PengaduanStatMonth.received > 0).distinct().order_by(year.desc())
    return [int(y) for y in db.session.scalars(stmt)]
