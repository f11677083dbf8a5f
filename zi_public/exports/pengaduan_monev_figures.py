"""The monev's figures of a period as of a day (exports/pengaduan_monev.py lays them out): per month received,
the working days each clock ran, the ratings, the recap totals; the comparison with the previous period and the
breakdown by channel, category, layanan and bidang (services/pengaduan/recap.py).

Everything is as of one day (see services/pengaduan/asof.py), so a past semester's monev can be made again with the same
figures. Counts are computed in SQL (GROUP BY). Medians and 90th percentiles are computed in Python over a
stream of a few dates per complaint, because a working-day count needs the holiday calendar, which is not in the
database; the working days are counted once per day of the period, not once per complaint. Definitions match
the public statistics page: a month is the month a complaint was *received*; "selesai ditangani" means handling
ended (selesai, ditolak or dialihkan).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zi_public.exports.xlsx import Formatted
from zi_public.extensions import db
from zi_public.models import Pengaduan
from zi_public.rules.clocks import STOPPED_STATES
from zi_public.rules.pengaduan import Status
from zi_public.rules.periods import Period
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan import recap
from zi_public.services.pengaduan.asof import Snapshot, received_in, snapshot
from zi_public.services.pengaduan.clocks import CLOCKS, FOLLOW_UP, SETTLE, VERIFY
from zi_public.services.pengaduan.labels import RATING_LABELS
from zi_public.services.pengaduan.recap import RecapRow

#: The stage each clock measures, in working days from its start to its stop.
STAGE_LABELS = {
    VERIFY: _l("Diterima sampai diverifikasi/ditelaah"),
    FOLLOW_UP: _l("Diverifikasi sampai pelapor diberi informasi"),
    SETTLE: _l("Diterima sampai selesai ditangani"),
}


def percentile(values: Sequence[int], q: float) -> float | None:
    """The q-quantile (0..1) with linear interpolation between ranks (Excel PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class WorkingDayCounter:
    """calendar.count_working_days by table look-up for days from `first` to `last` (the period's days)."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date) -> None:
        self.calendar = calendar
        self.first = first
        # cumulative[i]: the working days d with first < d <= first + i
        self.cumulative = [0]
        for offset in range(1, (last - first).days + 1):
            self.cumulative.append(self.cumulative[-1] + calendar.is_working_day(first + timedelta(days=offset)))

    def count(self, start: date, end: date) -> int:
        """How many working days d satisfy start < d <= end (0 when end <= start)."""
        if end <= start:
            return 0
        low, high = (start - self.first).days, (end - self.first).days
        if low < 0 or high >= len(self.cumulative):
            return self.calendar.count_working_days(start, end)
        return self.cumulative[high] - self.cumulative[low]


def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def monthly_figures(snap: Snapshot) -> dict[int, list[int]]:
    """Per month received, in one aggregate query: received, handling ended, selesai, ditolak, dialihkan,
    still open, ended on time, then the number of ratings 1, 2, 3 and 4 given by as_of."""
    month = sa.cast(sa.extract("month", Pengaduan.received_on), sa.Integer)
    rated = snap.is_rated
    stmt = (
        sa.select(
            month,
            sa.func.count(Pengaduan.id),
            count_if(snap.finished_on.is_not(None)),
            count_if(snap.status == Status.SELESAI.value),
            count_if(snap.status == Status.DITOLAK.value),
            count_if(snap.status == Status.DIALIHKAN.value),
            count_if(snap.is_open),
            count_if(snap.on_time()),
            *(count_if(sa.and_(rated, Pengaduan.rating == value)) for value in RATING_LABELS),
        )
        .select_from(snap.from_clause)
        .where(snap.where)
        .group_by(month)
    )
    return {int(row[0]): [int(value) for value in row[1:]] for row in db.session.execute(stmt)}


def duration_steps(snap: Snapshot, period: Period) -> dict[str, list[int]]:
    """The working days each clock ran, per clock, over the clocks stopped by as_of."""
    states = snap.clock_states()
    columns = []
    for clock in CLOCKS:
        columns += [snap.column(clock.start), snap.column(clock.done), states[clock.name]]
    stmt = sa.select(*columns).select_from(snap.from_clause).where(snap.where).execution_options(yield_per=2000)
    counter = WorkingDayCounter(work_calendar(), period.start, max(period.end, snap.as_of))
    steps: dict[str, list[int]] = {clock.name: [] for clock in CLOCKS}
    for row in db.session.execute(stmt):
        for index, clock in enumerate(CLOCKS):
            start, done, state = row[3 * index : 3 * index + 3]
            if state in STOPPED_STATES:
                steps[clock.name].append(counter.count(start, done))
    return steps


def ratings(figures: dict[int, list[int]]) -> tuple[dict[int, int], int, float | None]:
    """The ratings given: how many of each value, how many in all, their average (two decimals)."""
    distribution = {value: sum(values[6 + value] for values in figures.values()) for value in RATING_LABELS}
    count = sum(distribution.values())
    average = sum(value * n for value, n in distribution.items()) / count if count else None
    return distribution, count, round(average, 2) if average is not None else None


@dataclass(frozen=True)
class Figures:
    """One period's figures as of a day: what the comparison and the figure sheets are made of."""

    period: Period
    as_of: date
    snap: Snapshot
    monthly: dict[int, list[int]]  # per month received (_monthly_figures)
    steps: dict[str, list[int]]  # working days per clock (_duration_steps)
    total: RecapRow  # carried, received, finished, remaining, followed up in the period (recap_total)


def figures(period: Period, as_of: date, lang: str, total: RecapRow | None = None) -> Figures:
    """The figures of `period` as of `as_of`; `total` is its recap_total when the caller has it already."""
    snap = snapshot(as_of, received_in(period.start, period.end))
    return Figures(
        period=period,
        as_of=as_of,
        snap=snap,
        monthly=monthly_figures(snap),
        steps=duration_steps(snap, period),
        total=recap.recap_total(period, as_of=as_of, lang=lang) if total is None else total,
    )


PERCENT = "0.0%"
SHARE_CHANGE = "+0.0%;-0.0%;0.0%"


def _measures(f: Figures) -> list[tuple[str, object, str | None]]:
    """(label, value, number format) of the figures the comparison puts side by side."""
    received_in_period = [sum(values[i] for values in f.monthly.values()) for i in range(7)]
    _distribution, rated, average = ratings(f.monthly)
    handled = received_in_period[1]
    rows: list[tuple[str, object, str | None]] = [
        (_("Sisa dari periode sebelumnya"), f.total.carried, None),
        (_("Diterima"), f.total.received, None),
        (_("Selesai ditangani dalam periode"), f.total.finished, None),
        (_("Sisa pada akhir periode"), f.total.remaining, None),
        (_("Tindak lanjut yang jatuh tempo atau dipenuhi"), f.total.followed_up, None),
        (_("Tindak lanjut tepat waktu"), f.total.followed_up_on_time, None),
        (_("% tindak lanjut tepat waktu"), f.total.on_time_share, PERCENT),
        (_("Diterima dalam periode dan selesai ditangani"), handled, None),
        (
            _("Persentase selesai tepat waktu (dari yang diterima dan selesai ditangani)"),
            share(received_in_period[6], handled),
            PERCENT,
        ),
    ]
    rows += [
        (_("Median hari kerja: %(stage)s", stage=STAGE_LABELS[name]), percentile(values, 0.5), "0.0")
        for name, values in f.steps.items()
    ]
    rows += [(_("Jumlah penilaian"), rated, None), (_("Rata-rata penilaian (1-4)"), average, "0.00")]
    return rows


def _cell(value: object, number_format: str | None) -> object:
    if value is None or number_format is None:
        return value
    return Formatted(value, number_format)  # type: ignore[arg-type]


def comparison_rows(before: Figures, now: Figures) -> list[list[object]]:
    """The period's figures beside the previous period's, with the change (shares in percentage points)."""
    rows: list[list[object]] = []
    for (label, old, number_format), (_label, new, _format) in zip(_measures(before), _measures(now), strict=True):
        change = new - old if isinstance(new, int | float) and isinstance(old, int | float) else None
        change_format = SHARE_CHANGE if number_format == PERCENT else number_format
        rows.append([label, _cell(old, number_format), _cell(new, number_format), _cell(change, change_format)])
    return rows


def breakdown_rows(f: Figures, recaps: dict[str, list[RecapRow]]) -> list[list[object]]:
    """The recap "sisa + masuk - selesai = sisa" by channel, category, layanan and bidang (`recaps`, recap.recap_by
    of f's period as of its day), then the period's total."""
    rows: list[list[object]] = []
    for dimension, lines in recaps.items():
        name = str(recap.DIMENSION_LABELS[dimension])
        rows += [[name, line.label, *line.figures()] for line in lines]
    rows.append([f.total.label, None, *f.total.figures()])
    return rows
