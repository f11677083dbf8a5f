"""The clock engine: a deadline that starts at one event, runs a number of working or calendar days,
and stops at another event. Every service declares its clocks with it (pengaduan: verify, follow-up,
settle; WBS and gratifikasi alike), and every reader asks it for a clock's state.

A clock's state as of a date is one of five values. "As of" means what had been recorded by the end of
that day: a stop (or a start) dated after `as_of` does not count yet, so a report for a past day shows
what was known on that day. zi_public.services.clocks holds the same rule as SQL; a test keeps the two
equal on both databases.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from zi_public.rules.working_days import WorkCalendar


class ClockState(enum.StrEnum):
    RUNNING = "running"  # started, not stopped, due date not passed (the due day itself is still on time)
    OVERDUE = "overdue"  # started, not stopped, due date passed
    MET = "met"  # stopped on or before the due date
    MISSED = "missed"  # stopped after the due date
    NOT_APPLICABLE = "not_applicable"  # never started (the case left the flow before it, or has not got there)


#: The states of a clock that had stopped (its done_on counts).
STOPPED_STATES = frozenset({ClockState.MET, ClockState.MISSED})


class DayKind(enum.StrEnum):
    WORKING = "working"  # Monday to Friday minus holidays, cuti bersama and local overrides
    CALENDAR = "calendar"  # every day counts


@dataclass(frozen=True)
class ClockSpec:
    """One kind of clock: its name, its length, and (for people) the events that start and stop it."""

    name: str
    length: int
    days: DayKind
    starts: str = ""  # the event the clock counts from, in words
    stops: str = ""  # the event that stops it, in words

    def __post_init__(self) -> None:
        if self.length < 0:
            raise ValueError(f"clock {self.name!r}: length must not be negative, got {self.length}")


def due_date(spec: ClockSpec, start: date, calendar: WorkCalendar) -> date:
    """The last day on which stopping the clock is on time: `length` days after `start` (start not counted)."""
    if spec.days == DayKind.WORKING:
        return calendar.add_working_days(start, spec.length)
    return start + timedelta(days=spec.length)


def clock_state(due: date | None, done_on: date | None, as_of: date, *, started_on: date | None = None) -> ClockState:
    """The state of a clock with deadline `due` stopped on `done_on` (None: not stopped), as of `as_of`.

    `due` None means the clock never started: NOT_APPLICABLE. `started_on` (optional) is the day the clock
    started; a clock that starts after `as_of` is NOT_APPLICABLE as of that day. A stop after `as_of` does
    not count yet.
    """
    if due is None or (started_on is not None and started_on > as_of):
        return ClockState.NOT_APPLICABLE
    if done_on is not None and done_on <= as_of:
        return ClockState.MET if done_on <= due else ClockState.MISSED
    return ClockState.OVERDUE if as_of > due else ClockState.RUNNING
