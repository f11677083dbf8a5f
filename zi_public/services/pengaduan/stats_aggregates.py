"""The public statistics' figures, kept per month received and category in the same transaction as each change.

What one complaint adds to the figures (its *share*): one received in the month and category it was received
in; one finished when its handling ended (selesai, ditolak or dialihkan: the settle clock stopped); one
finished on time when, besides, no clock was missed (clocks.is_on_time, the one on-time rule); and the working
days from receipt to the stop of the verify clock and of the settle clock, kept as histograms so that a median
over any months is exact. A share counts every recorded date: the public page asks "as of today" and nothing
is recorded after today. A finished complaint's clocks have all stopped (the flow finishes a case only after
it was triaged and, once verified, answered), so its share changes only by case actions, never by the
passing of days.

Kept by ORM events, so every writer is covered whichever service it is: on Pengaduan (insert, update,
delete: the share before the change leaves, the share after it enters) and on WorkdayOverride (a day that
becomes working or off changes the working-day counts of the complaints whose interval covers it; their
months' histograms are recounted). SQL that bypasses the ORM (a data migration, the benchmark's bulk
seeding) must call `rebuild` afterwards, and so must an upgrade of the `holidays` package, which can move
national holidays of past years (`flask --app wsgi stats rebuild`).

Concurrency: the counts are upserts that add, so concurrent writers commute. A month's recount after a
calendar change deletes and rewrites its histogram; on PostgreSQL a case action in that month that creates a
new histogram row and commits in the instant between the recount's delete and its read is counted twice
(until the next rebuild). Calendar changes are rare admin actions; the window is one statement wide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from zi_public.models import Pengaduan, PengaduanStatDays, PengaduanStatMonth, WorkdayOverride
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar
from zi_public.services.counters import CounterTable
from zi_public.services.pengaduan.clocks import BY_NAME, CLOCKS, SETTLE, VERIFY, is_on_time, on_time_condition

#: "As of" for a share: every recorded date counts (see the module docstring).
EVERYTHING_RECORDED = date.max
#: The clocks whose working days from receipt to their stop are kept as histograms.
MEASURED = (VERIFY, SETTLE)
_RECEIVED = BY_NAME[VERIFY].start  # the attribute the month, and the working days, count from
_STOP = {name: BY_NAME[name].done for name in MEASURED}
#: Every attribute a share depends on: a change to any other leaves the figures alone.
FIELDS = tuple(sorted({"category_id", _RECEIVED} | {getattr(c, a) for c in CLOCKS for a in ("start", "due", "done")}))

MonthKey = tuple[date, int]  # (first day of the month received, category id)


@dataclass(frozen=True)
class Share:
    """What one complaint adds to the figures of its month and category."""

    month: date
    category_id: int
    finished: bool
    on_time: bool
    days: tuple[tuple[str, int], ...]  # (clock, working days from receipt to its stop), for each measured stop


def month_of(day: date) -> date:
    return day.replace(day=1)


def share_of(values: Mapping[str, Any], calendar: WorkCalendar | None) -> Share:
    """The share of a complaint given its FIELDS; `calendar` is needed once the verify clock has stopped."""
    case = SimpleNamespace(**values)
    received_on = values[_RECEIVED]
    days: list[tuple[str, int]] = []
    # As on the page since it was built: the settle days are counted only for a complaint triaged too.
    if values[_STOP[VERIFY]] is not None:
        assert calendar is not None
        for name in MEASURED:
            stop = values[_STOP[name]]
            if stop is not None:
                days.append((name, calendar.count_working_days(received_on, stop)))
    return Share(
        month=month_of(received_on),
        category_id=values["category_id"],
        finished=values[_STOP[SETTLE]] is not None,
        on_time=is_on_time(case, EVERYTHING_RECORDED),  # type: ignore[arg-type]
        days=tuple(days),
    )


@dataclass
class Deltas:
    """Changes to apply to the figure tables, summed per row."""

    months: dict[MonthKey, list[int]]  # [received, finished, finished_on_time]
    days: Counter[tuple[date, int, str, int]]

    @classmethod
    def of(cls, signed_shares: Iterable[tuple[int, Share]]) -> Deltas:
        months: dict[MonthKey, list[int]] = {}
        days: Counter[tuple[date, int, str, int]] = Counter()
        for sign, share in signed_shares:
            row = months.setdefault((share.month, share.category_id), [0, 0, 0])
            row[0] += sign
            row[1] += sign * share.finished
            row[2] += sign * share.on_time
            for clock, n in share.days:
                days[(share.month, share.category_id, clock, n)] += sign
        return cls(
            {key: row for key, row in months.items() if any(row)},
            Counter({key: n for key, n in days.items() if n}),
        )

    def apply(self, connection: sa.Connection) -> None:
        """Add the deltas to the figure tables."""
        _MONTH_COUNTS.add(connection, self.months)
        _DAYS_COUNTS.add(connection, self.days)


_MONTH_COUNTS = CounterTable(
    "pengaduan_stat_month", ("month", "category_id"), ("received", "finished", "finished_on_time"), {"month": sa.Date}
)
_DAYS_COUNTS = CounterTable(
    "pengaduan_stat_days", ("month", "category_id", "clock", "days"), ("count",), {"month": sa.Date}
)


# --- keeping the figures with every change (ORM events) -------------------------------------------------


class _LazyCalendar:
    """The working-day calendar, read through the flush's connection only if a share needs it."""

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection
        self._calendar: WorkCalendar | None = None

    def __call__(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = work_calendar(self._connection)
        return self._calendar


def _share(values: Mapping[str, Any], calendar: _LazyCalendar) -> Share:
    return share_of(values, calendar() if values[_STOP[VERIFY]] is not None else None)


def _written_values(connection: sa.Connection, target: Pengaduan) -> dict[str, Any]:
    """FIELDS of `target` as the database holds them now (read back only when a column is not loaded)."""
    loaded = sa.inspect(target).dict
    if all(key in loaded for key in FIELDS):
        return {key: loaded[key] for key in FIELDS}
    return _stored_values(connection, target.id)


def _stored_values(connection: sa.Connection, case_id: int) -> dict[str, Any]:
    columns = [Pengaduan.__table__.c[key] for key in FIELDS]
    row = connection.execute(sa.select(*columns).where(Pengaduan.__table__.c.id == case_id)).one()
    return dict(zip(FIELDS, row, strict=True))


_BEFORE = "stats_aggregates.before"  # key in the instance state's `info`: the share's fields before the UPDATE


def _before_update(_mapper: Any, connection: sa.Connection, target: Pengaduan) -> None:
    """Note the fields that change with their previous values (read from the row if one was never loaded)."""
    state = sa.inspect(target)
    before, unknown = {}, False
    for key in FIELDS:
        history = state.attrs[key].history
        if history.deleted:
            before[key] = history.deleted[0]
        elif history.added:  # set without its old value ever being loaded
            unknown = True
    if unknown:
        before = _stored_values(connection, target.id)
    if before:
        state.info[_BEFORE] = before


#: FIELDS a new row may get from the database itself; any other field never set on a new complaint is NULL.
_SERVER_FILLED = frozenset(key for key in FIELDS if Pengaduan.__table__.c[key].server_default is not None)


def _after_insert(_mapper: Any, connection: sa.Connection, target: Pengaduan) -> None:
    loaded = sa.inspect(target).dict
    if any(key not in loaded for key in _SERVER_FILLED):
        values = _stored_values(connection, target.id)
    else:
        values = {key: loaded.get(key) for key in FIELDS}
    Deltas.of([(1, _share(values, _LazyCalendar(connection)))]).apply(connection)


def _after_update(_mapper: Any, connection: sa.Connection, target: Pengaduan) -> None:
    before = sa.inspect(target).info.pop(_BEFORE, None)
    if not before:  # no field of the figures changed (a note, a rating, a disposisi, closing)
        return
    after = _written_values(connection, target)
    calendar = _LazyCalendar(connection)
    Deltas.of([(-1, _share({**after, **before}, calendar)), (1, _share(after, calendar))]).apply(connection)


def _before_delete(_mapper: Any, connection: sa.Connection, target: Pengaduan) -> None:
    # The row as last flushed is exactly what the figures hold for this complaint.
    values = _stored_values(connection, target.id)
    Deltas.of([(-1, _share(values, _LazyCalendar(connection)))]).apply(connection)


def _override_changed(_mapper: Any, connection: sa.Connection, target: WorkdayOverride) -> None:
    """A day became working or off: recount the histograms of the months with a complaint spanning it."""
    days = {target.day}
    history = sa.inspect(target).attrs.day.history
    days.update(history.deleted)  # an override moved to another day changes both
    recount_days(connection, days)


sa.event.listen(Pengaduan, "after_insert", _after_insert)
sa.event.listen(Pengaduan, "before_update", _before_update)
sa.event.listen(Pengaduan, "after_update", _after_update)
sa.event.listen(Pengaduan, "before_delete", _before_delete)
for _event in ("after_insert", "after_update", "after_delete"):
    sa.event.listen(WorkdayOverride, _event, _override_changed)


# --- recounting from the complaints ------------------------------------------------------------------------


def _counts_from_cases(connection: sa.Connection, where: sa.ColumnElement[bool]) -> Deltas:
    """The month figures computed from the complaints (grouped by day received, summed per month here)."""
    p = Pengaduan.__table__.c
    on_time = on_time_condition(EVERYTHING_RECORDED)
    rows = connection.execute(
        sa.select(
            p.received_on,
            p.category_id,
            sa.func.count(),
            sa.func.count(p[_STOP[SETTLE]]),
            sa.func.sum(sa.case((on_time, 1), else_=0)),
        )
        .where(where)
        .group_by(p.received_on, p.category_id)
    )
    months: dict[MonthKey, list[int]] = {}
    for received_on, category_id, received, finished, finished_on_time in rows:
        row = months.setdefault((month_of(received_on), category_id), [0, 0, 0])
        row[0] += received
        row[1] += finished
        row[2] += int(finished_on_time or 0)
    return Deltas(months, Counter())


def _days_from_cases(connection: sa.Connection, where: sa.ColumnElement[bool], calendar: WorkCalendar) -> Counter:
    """The working-day histograms computed from the complaints (working days counted once per pair of dates)."""
    p = Pengaduan.__table__.c
    histogram: Counter[tuple[date, int, str, int]] = Counter()
    counted: dict[tuple[date, date], int] = {}
    for name in MEASURED:
        stop = p[_STOP[name]]
        rows = connection.execute(
            sa.select(p[_RECEIVED], p.category_id, stop, sa.func.count())
            .where(where, p[_STOP[VERIFY]].is_not(None), stop.is_not(None))
            .group_by(p[_RECEIVED], p.category_id, stop)
        )
        for received_on, category_id, stopped_on, count in rows:
            pair = (received_on, stopped_on)
            if pair not in counted:
                counted[pair] = calendar.count_working_days(received_on, stopped_on)
            histogram[(month_of(received_on), category_id, name, counted[pair])] += count
    return histogram


def recount_days(connection: sa.Connection, changed_days: Iterable[date]) -> None:
    """Recount the histograms of every month holding a complaint whose working-day interval covers a changed day."""
    p = Pengaduan.__table__.c
    received = p[_RECEIVED]
    spans = sa.or_(
        *(sa.and_(received < day, sa.or_(*(p[_STOP[name]] >= day for name in MEASURED))) for day in changed_days)
    )
    months = sorted({month_of(day) for day in connection.scalars(sa.select(received).where(spans).distinct())})
    if not months:
        return
    calendar = work_calendar(connection)
    t = PengaduanStatDays.__table__
    for month in months:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        connection.execute(t.delete().where(t.c.month == month))
        Deltas({}, _days_from_cases(connection, sa.and_(received >= month, received < following), calendar)).apply(
            connection
        )


def rebuild(connection: sa.Connection) -> None:
    """Recompute both figure tables from the complaints (after bulk SQL, a data migration or a `holidays` upgrade)."""
    connection.execute(PengaduanStatMonth.__table__.delete())
    connection.execute(PengaduanStatDays.__table__.delete())
    everything = sa.true()
    counts = _counts_from_cases(connection, everything)
    counts.days = _days_from_cases(connection, everything, work_calendar(connection))
    counts.apply(connection)
