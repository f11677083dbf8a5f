"""The next due date of a case and how close it is (overdue / soon / later), in SQL, for the inboxes.

A service says which clock its team has to meet next (pengaduan: the running clock due first, `earliest_running`;
gratifikasi: its own rule) as a pair of SQL columns (clock name, due date); `next_dues` reads them for one page of
an inbox and colours each by the working days left. The clock states come from the clock engine's SQL
(services/clocks.py), so a list never computes a clock a second way.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.rules.clocks import ClockState
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar
from zi_public.services.clocks import Declared, declared_state_columns

#: The clock states in which the team still has to meet the clock.
RUNNING_STATES = (ClockState.RUNNING.value, ClockState.OVERDUE.value)


class Urgency(enum.StrEnum):
    """How close a due date is (the inboxes colour it)."""

    OVERDUE = "overdue"  # past its due date
    SOON = "soon"  # due within the service's few working days (today included)
    LATER = "later"


@dataclass(frozen=True)
class NextDue:
    """The clock a team has to meet next on a case: its name (as the service declares it) and due date."""

    name: str
    due: date
    urgency: Urgency


def earliest_running(
    declared: Sequence[Declared], as_of: date
) -> tuple[sa.ColumnElement[str | None], sa.ColumnElement[date | None]]:
    """SQL: the name and due date of the clock that runs (running or overdue) as of `as_of` and is due first;
    NULL when none runs. Of two due the same day, the one declared first."""
    states = declared_state_columns(declared, as_of)
    running = [(clock.name, states[clock.name].in_(RUNNING_STATES), clock.columns()[1]) for clock in declared]
    firsts = []
    for i, (clock_name, is_running, due) in enumerate(running):
        # Due before every other running clock; a tie goes to the clock declared first.
        beats_others = [
            sa.or_(sa.not_(other_running), due < other_due if j < i else due <= other_due)
            for j, (_other, other_running, other_due) in enumerate(running)
            if j != i
        ]
        firsts.append((sa.and_(is_running, *beats_others), clock_name, due))
    name_column = sa.case(*((first, sa.literal(clock_name)) for first, clock_name, _ in firsts), else_=sa.null())
    due_column = sa.case(*((first, due) for first, _, due in firsts), else_=sa.null())
    return name_column, due_column


def urgency_sql(due: sa.ColumnElement[date | None], today: date, soon_until: date) -> sa.ColumnElement[str]:
    """SQL: the Urgency value of `due` on `today`, "soon" up to and including `soon_until`."""
    return sa.case(
        (due < sa.literal(today, sa.Date), sa.literal(Urgency.OVERDUE.value)),
        (due <= sa.literal(soon_until, sa.Date), sa.literal(Urgency.SOON.value)),
        else_=sa.literal(Urgency.LATER.value),
    )


def next_dues(
    id_column: sa.ColumnElement[int],
    columns: tuple[sa.ColumnElement[str | None], sa.ColumnElement[date | None]],
    ids: Iterable[int],
    today: date,
    *,
    soon_days: int,
    calendar: WorkCalendar | None = None,
) -> dict[int, NextDue]:
    """The next due clock of each case in `ids` (one page of an inbox), in one query; cases with none are left out.

    `columns`: the service's (name, due date) SQL; `soon_days`: working days after today that still count as soon.
    """
    ids = list(ids)
    if not ids:
        return {}
    soon_until = (calendar or work_calendar()).add_working_days(today, soon_days)
    name, due = columns
    rows = db.session.execute(
        sa.select(id_column, name, due, urgency_sql(due, today, soon_until)).where(id_column.in_(ids), due.is_not(None))
    )
    return {row[0]: NextDue(row[1], row[2], Urgency(row[3])) for row in rows}
