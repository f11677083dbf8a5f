"""The clock engine in SQL: the same rule as zi_public.rules.clocks.clock_state, for lists and aggregates.

Each function takes the clock's due-date and stop-date columns (or any date expressions) and the
"as of" day, and works the same on SQLite and PostgreSQL. tests/rules/test_clocks.py checks that for
every combination of dates the SQL gives the state the Python function gives.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from zi_public.rules.clocks import ClockState

DateExpr = sa.ColumnElement[date]


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
