"""The clocks of a case as its pages show them, and the clock engine in SQL (the same rule as
zi_public.rules.clocks.clock_state) for lists and aggregates.

A service declares its clocks (each names its start, due-date and stop attributes: services/pengaduan/clocks.py,
services/wbs/clocks.py); `clocks_of` reads them off any case row.

Each function takes the clock's due-date and stop-date columns (or any date expressions) and the
"as of" day, and works the same on SQLite and PostgreSQL. tests/rules/test_clocks.py checks that for
every combination of dates the SQL gives the state the Python function gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from zi_public.rules.clocks import STOPPED_STATES, ClockSpec, ClockState, DayKind, clock_state

DateExpr = sa.ColumnElement[date]


@dataclass(frozen=True)
class Declared:
    """One clock of a service's cases: its kind of days, its configured length, and the columns that hold it."""

    model: type  # the case model whose columns these are
    name: str
    days: DayKind
    length_setting: str  # the field of the service's clock policy giving the length
    start: str  # column: the day the clock starts
    due: str  # column: its deadline, stored when it starts
    done: str  # column: the day it stopped
    starts: str
    stops: str

    def spec(self, policy: object) -> ClockSpec:
        return ClockSpec(self.name, getattr(policy, self.length_setting), self.days, self.starts, self.stops)

    def columns(self) -> tuple[sa.ColumnElement[date], sa.ColumnElement[date], sa.ColumnElement[date]]:
        """(start, due, done) columns of the case model."""
        return getattr(self.model, self.start), getattr(self.model, self.due), getattr(self.model, self.done)


@dataclass(frozen=True)
class Clock:
    """One clock of one case as known at the end of `as_of`: dates recorded later are not shown."""

    name: str
    due: date | None  # None: not applicable (not started by as_of)
    done_on: date | None  # None: not stopped by as_of
    state: ClockState

    @property
    def is_overdue(self) -> bool:
        return self.state == ClockState.OVERDUE

    @property
    def is_stopped(self) -> bool:
        return self.state in STOPPED_STATES


def clocks_of(row: Any, declared: Iterable[Declared], as_of: date) -> list[Clock]:
    """Each declared clock of `row` (a case, or a result row with the same column names) as of `as_of`."""
    result = []
    for clock in declared:
        start, due, done = getattr(row, clock.start), getattr(row, clock.due), getattr(row, clock.done)
        state = clock_state(due, done, as_of, started_on=start)
        applicable = state != ClockState.NOT_APPLICABLE
        stopped = state in STOPPED_STATES
        result.append(Clock(clock.name, due if applicable else None, done if stopped else None, state))
    return result


def _as_of(as_of: date) -> sa.ColumnElement[date]:
    return sa.literal(as_of, sa.Date)


def _not_started(due_col: DateExpr, as_of: date, started_col: DateExpr | None) -> sa.ColumnElement[bool]:
    if started_col is None:
        return due_col.is_(None)
    # A NULL start never compares: the clock counts as started when its due date is known.
    return sa.or_(due_col.is_(None), sa.and_(started_col.is_not(None), started_col > _as_of(as_of)))


def _stopped(done_col: DateExpr, as_of: date) -> sa.ColumnElement[bool]:
    """Stopped by the end of `as_of` (a stop recorded later does not count yet); never NULL."""
    return sa.and_(done_col.is_not(None), done_col <= _as_of(as_of))


def state_sql(
    due_col: DateExpr, done_col: DateExpr, as_of: date, *, started_col: DateExpr | None = None
) -> sa.ColumnElement[str]:
    """SQL CASE giving the ClockState value (a string) of the clock as of `as_of`."""
    return sa.case(
        (_not_started(due_col, as_of, started_col), sa.literal(ClockState.NOT_APPLICABLE.value)),
        (
            _stopped(done_col, as_of),
            sa.case((done_col <= due_col, ClockState.MET.value), else_=ClockState.MISSED.value),
        ),
        (due_col < _as_of(as_of), ClockState.OVERDUE.value),
        else_=ClockState.RUNNING.value,
    )


def overdue_sql(
    due_col: DateExpr, done_col: DateExpr, as_of: date, *, started_col: DateExpr | None = None
) -> sa.ColumnElement[bool]:
    """SQL: the clock had started, was not stopped by `as_of`, and its due date had passed (never NULL)."""
    return sa.and_(
        sa.not_(_not_started(due_col, as_of, started_col)),
        sa.not_(_stopped(done_col, as_of)),
        due_col < _as_of(as_of),
    )


def met_sql(
    due_col: DateExpr, done_col: DateExpr, as_of: date, *, started_col: DateExpr | None = None
) -> sa.ColumnElement[bool]:
    """SQL: the clock had started and was stopped by `as_of`, on or before its due date (never NULL)."""
    return sa.and_(
        sa.not_(_not_started(due_col, as_of, started_col)),
        _stopped(done_col, as_of),
        done_col <= due_col,
    )


def missed_sql(
    due_col: DateExpr, done_col: DateExpr, as_of: date, *, started_col: DateExpr | None = None
) -> sa.ColumnElement[bool]:
    """SQL: the clock had started and was stopped by `as_of`, after its due date (never NULL)."""
    return sa.and_(
        sa.not_(_not_started(due_col, as_of, started_col)),
        _stopped(done_col, as_of),
        done_col > due_col,
    )


def declared_state_columns(declared: Iterable[Declared], as_of: date) -> dict[str, sa.ColumnElement[str]]:
    """SQL: each declared clock's ClockState value as of `as_of`, by clock name (for lists and aggregates)."""
    result = {}
    for clock in declared:
        start, due, done = clock.columns()
        result[clock.name] = state_sql(due, done, as_of, started_col=start)
    return result


def declared_overdue(declared: Iterable[Declared], as_of: date) -> sa.ColumnElement[bool]:
    """SQL: at least one declared clock was running past its due date at the end of `as_of` (never NULL)."""
    conditions = []
    for clock in declared:
        start, due, done = clock.columns()
        conditions.append(overdue_sql(due, done, as_of, started_col=start))
    return sa.or_(*conditions)
