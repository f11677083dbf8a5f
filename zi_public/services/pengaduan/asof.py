"""A complaint as it stood at the end of a day, in SQL: what a report for a past period shows, and what the
recap (services.pengaduan.recap) counts. (Here, not in exports/, so that a service can build on it without
importing the exports package, whose builders import the services.)

"As of" a day means what had been recorded by the end of that day (Asia/Jakarta), so a report exported
in January for November with as_of 30 November has the rows an export made on 30 November had:

- complaints recorded later are absent (received_at after the day's end);
- the clock stamps that are set once (verify_by, triaged_on, followup_by, followed_up_on, settle_by) are
  taken as stored, because the clock engine already ignores a start or a stop dated after as_of;
- what can change back comes from the history events recorded by then: the status (that of the last
  event), the bidang (that of the last disposisi), the end of handling (a reopened complaint is unfinished
  again, so the stored finished_on may be empty or later: it is the day of the last step into selesai,
  ditolak or dialihkan while the status still was one of them), the reopen count, closing and rating.

Everything is one FROM clause and column expressions, so reports can both stream rows and aggregate.

`handled_in` narrows a snapshot to the complaints a period's follow-up report is about (carried over,
received, finished, followed up in it) with the conditions its recap counts (services.pengaduan.recap).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from zi_public.localtime import end_of_day_utc, jakarta_date_sql
from zi_public.models import Pengaduan, PengaduanEvent
from zi_public.rules.pengaduan import FINAL_STATUSES, OPEN_STATUSES, Action, Status
from zi_public.services.pengaduan.clocks import on_time_condition, state_columns


@dataclass(frozen=True)
class Snapshot:
    """Complaints matching a condition as of one day: select FROM `from_clause` WHERE `where`."""

    as_of: date
    from_clause: sa.FromClause
    where: sa.ColumnElement[bool]
    status: sa.ColumnElement[str]
    finished_on: sa.ColumnElement[date]
    bidang_id: sa.ColumnElement[int]
    reopen_count: sa.ColumnElement[int]
    closed_at: sa.ColumnElement
    is_rated: sa.ColumnElement[bool]

    def column(self, name: str) -> sa.ColumnElement:
        """A complaint column by name, as of the day (the clocks' columns are named this way)."""
        if name == "finished_on":
            return self.finished_on
        return getattr(Pengaduan, name)

    def clock_states(self) -> dict[str, sa.ColumnElement[str]]:
        """Each clock's state as of the day (services.pengaduan.clocks over these columns)."""
        return state_columns(self.as_of, self.column)

    def on_time(self) -> sa.ColumnElement[bool]:
        """Handling had ended and no clock was missed or overdue, as of the day (clocks.on_time_condition)."""
        return on_time_condition(self.as_of, self.column)

    @property
    def is_open(self) -> sa.ColumnElement[bool]:
        return self.status.in_([s.value for s in OPEN_STATUSES])


def snapshot(as_of: date, cases: sa.ColumnElement[bool]) -> Snapshot:
    """The complaints matching `cases` (a condition on Pengaduan) as recorded by the end of `as_of`."""
    cutoff = end_of_day_utc(as_of)
    e = PengaduanEvent
    final = [s.value for s in FINAL_STATUSES]
    into_final = sa.and_(e.to_status.in_(final), e.from_status.not_in(final))
    history = (
        sa.select(
            e.pengaduan_id.label("pengaduan_id"),
            sa.func.max(e.id).label("last_event_id"),
            sa.func.max(sa.case((into_final, e.created_at))).label("finished_at"),
            sa.func.max(sa.case((e.action == Action.DISPOSE, e.id))).label("dispose_id"),
            sa.func.sum(sa.case((e.action.in_((Action.REOPEN, Action.REPORTER_REPLY)), 1), else_=0)).label("reopens"),
            sa.func.max(sa.case((e.action == Action.CLOSE, e.created_at))).label("closed_at"),
            sa.func.max(sa.case((e.action == Action.RATE, e.id))).label("rate_id"),
        )
        # IN, not a join: SQLite then reads the matching complaints' events by index instead of
        # walking every event there is.
        .where(e.pengaduan_id.in_(sa.select(Pengaduan.id).where(cases)), e.created_at < cutoff)
        .group_by(e.pengaduan_id)
        .subquery("history")
    )
    last = aliased(PengaduanEvent, name="last_event")
    dispose = aliased(PengaduanEvent, name="last_dispose")
    from_clause = (
        sa.outerjoin(Pengaduan, history, history.c.pengaduan_id == Pengaduan.id)
        .outerjoin(last, last.id == history.c.last_event_id)
        .outerjoin(dispose, dispose.id == history.c.dispose_id)
    )
    status = sa.func.coalesce(last.to_status, Status.BARU.value)
    return Snapshot(
        as_of=as_of,
        from_clause=from_clause,
        where=sa.and_(cases, Pengaduan.received_at < cutoff, Pengaduan.received_on <= as_of),
        status=status,
        finished_on=sa.case((status.in_(final), jakarta_date_sql(history.c.finished_at))),
        bidang_id=dispose.bidang_id,
        reopen_count=sa.func.coalesce(history.c.reopens, 0),
        closed_at=history.c.closed_at,
        is_rated=history.c.rate_id.is_not(None),
    )


def received_in(start: date, end: date) -> sa.ColumnElement[bool]:
    """SQL: received (Jakarta calendar date) from `start` to `end`, both included."""
    return Pengaduan.received_on.between(start, end)


@dataclass(frozen=True)
class PeriodCases:
    """The complaints handled in a period, as of a day: select FROM `snap.from_clause` WHERE `where`.

    Each condition below is never NULL on the rows of `where`, so it can be counted or shown as a flag.
    """

    snap: Snapshot
    where: sa.ColumnElement[bool]
    carried: sa.ColumnElement[bool]  # received before the period, not finished before it: sisa bulan lalu
    received: sa.ColumnElement[bool]  # received in the period: masuk
    finished: sa.ColumnElement[bool]  # handling ended in the period (selesai, ditolak, dialihkan): selesai
    followed_up: sa.ColumnElement[bool]  # the follow-up clock's outcome became known in the period
    followed_up_on_time: sa.ColumnElement[bool]  # ... and it was met by its due date


def handled_in(start: date, end: date, as_of: date) -> PeriodCases:
    """The complaints open at any time from `start` to `end` (both included), as recorded by the end of `as_of`.

    carried + received = every row; finished counts the rows whose handling last ended in the period, so
    carried + received - finished = those still open at the period's end (as of `as_of`). A complaint
    reopened and still open counts as carried: its last end of handling is not before the period.

    The follow-up clock (verified -> reporter informed) counts once, in the period its outcome became
    known: met on time on the day the reporter was informed; missed on the first day after its due date
    when the reporter had not been informed by then (however late the information came, or if never).
    A year is then the sum of its months. Every complaint whose follow-up outcome falls in the period is
    among the rows: informing the reporter comes before any end of handling after verification.
    """
    p = Pengaduan
    cases = p.received_on <= end
    if as_of >= start:
        # A complaint whose stored end of handling is before the period ended then and stayed ended
        # (reopening clears the stamp): its history need not be read.
        cases = sa.and_(cases, sa.or_(p.received_on >= start, p.finished_on.is_(None), p.finished_on >= start))
    snap = snapshot(as_of, cases)
    received = p.received_on >= start
    finished_on = snap.finished_on
    due, done = p.followup_by, p.followed_up_on
    met_on_time = sa.and_(done.is_not(None), due.is_not(None), done <= due, done <= as_of)
    day_before = timedelta(days=1)
    return PeriodCases(
        snap=snap,
        where=sa.and_(snap.where, sa.or_(received, finished_on.is_(None), finished_on >= start)),
        carried=sa.not_(received),
        received=received,
        finished=sa.and_(finished_on.is_not(None), finished_on.between(start, end)),
        followed_up=sa.or_(
            sa.and_(met_on_time, done.between(start, end)),
            sa.and_(
                due.is_not(None), due.between(start - day_before, end - day_before), due < as_of, sa.not_(met_on_time)
            ),
        ),
        followed_up_on_time=sa.and_(met_on_time, done.between(start, end)),
    )
