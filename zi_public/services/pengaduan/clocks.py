"""Pengaduan's legal clocks, declared with the clock engine (zi_public.rules.clocks), for every reader.

verify     3 working days from receipt; stops at the first triage decision: verification, rejection or
           forwarding (triaged_on).
follow_up  5 working days from verification; stops when the reporter is first informed: an answer, a
           rejection with its reason, or the notice of forwarding (followed_up_on) — never an internal
           disposisi. A complaint rejected or forwarded before verification never starts it: not_applicable.
settle     60 calendar days from receipt (Perpres 76/2013); stops when handling ends: selesai, ditolak or
           dialihkan (finished_on).

Lengths come from configuration (clock_policy()). The team's case page, the inbox, the public status
page, the API, the digest, the statistics and the reports all read the clocks through clocks_of (Python)
or state_columns / overdue_condition / on_time_condition (SQL); tests keep the two equal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask import current_app

from zi_public.models import Pengaduan
from zi_public.rules.clocks import ClockState, DayKind, due_date
from zi_public.rules.pengaduan import ClockPolicy
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import clocks as engine
from zi_public.services.clocks import Clock, missed_sql, overdue_sql, state_sql

VERIFY, FOLLOW_UP, SETTLE = "verify", "follow_up", "settle"


#: The clocks in the order a complaint meets them.
CLOCKS: tuple[engine.Declared, ...] = (
    engine.Declared(
        Pengaduan,
        VERIFY,
        DayKind.WORKING,
        "verify_days",
        start="received_on",
        due="verify_by",
        done="triaged_on",
        starts="received",
        stops="first triage decision: verified, rejected or forwarded",
    ),
    engine.Declared(
        Pengaduan,
        FOLLOW_UP,
        DayKind.WORKING,
        "followup_days",
        start="triaged_on",  # only a verification starts it (followup_by is set by VERIFY alone)
        due="followup_by",
        done="followed_up_on",
        starts="verified",
        stops="reporter first informed: an answer, a rejection with its reason, or the forwarding notice",
    ),
    engine.Declared(
        Pengaduan,
        SETTLE,
        DayKind.CALENDAR,
        "settle_days",
        start="received_on",
        due="settle_by",
        done="finished_on",
        starts="received",
        stops="handling ended: selesai, ditolak or dialihkan",
    ),
)
BY_NAME = {clock.name: clock for clock in CLOCKS}


def clock_policy() -> ClockPolicy:
    """The clocks as configured (defaults from SP4N-LAPOR! and Perpres 76/2013)."""
    cfg = current_app.config
    return ClockPolicy(
        verify_days=int(cfg["PENGADUAN_VERIFY_DAYS"]),
        followup_days=int(cfg["PENGADUAN_FOLLOWUP_DAYS"]),
        reply_days=int(cfg["PENGADUAN_REPLY_DAYS"]),
        settle_days=int(cfg["PENGADUAN_SETTLE_DAYS"]),
        accept_days=int(cfg["PENGADUAN_ACCEPT_DAYS"]),
    )


def due_on(name: str, start: date, calendar: WorkCalendar, policy: ClockPolicy) -> date:
    """The deadline of clock `name` started on `start` (filing and the flow store it)."""
    return due_date(BY_NAME[name].spec(policy), start, calendar)


def clocks_of(case: Pengaduan, as_of: date) -> list[Clock]:
    """The verify, follow-up and settle clocks of `case` as of the end of `as_of`."""
    return engine.clocks_of(case, CLOCKS, as_of)


def is_overdue(case: Pengaduan, as_of: date) -> bool:
    """Whether any clock of `case` was running past its due date at the end of `as_of`."""
    return any(clock.is_overdue for clock in clocks_of(case, as_of))


#: Where the SQL readers find a complaint column by name: the stored row by default; a report as of a
#: past day passes the columns rebuilt from the history (services.pengaduan.asof.Snapshot.column).
ColumnSource = Callable[[str], sa.ColumnElement]


def stored_column(name: str) -> sa.ColumnElement:
    return getattr(Pengaduan, name)


def state_columns(as_of: date, column: ColumnSource = stored_column) -> dict[str, sa.ColumnElement[str]]:
    """SQL: each clock's ClockState value as of `as_of`, by clock name (for lists and aggregates)."""
    return {
        clock.name: state_sql(column(clock.due), column(clock.done), as_of, started_col=column(clock.start))
        for clock in CLOCKS
    }


def overdue_condition(as_of: date) -> sa.ColumnElement[bool]:
    """SQL: at least one clock was running past its due date at the end of `as_of` (never NULL)."""
    return engine.declared_overdue(CLOCKS, as_of)


def handling_ended(as_of: date, column: ColumnSource = stored_column) -> sa.ColumnElement[bool]:
    """SQL: selesai, ditolak or dialihkan by the end of `as_of` (the settle clock had stopped)."""
    finished_on = column(BY_NAME[SETTLE].done)
    return sa.and_(finished_on.is_not(None), finished_on <= as_of)


def on_time_condition(as_of: date, column: ColumnSource = stored_column) -> sa.ColumnElement[bool]:
    """SQL: handling ended by `as_of` and no clock was missed or overdue (each met or not applicable)."""
    conditions = [handling_ended(as_of, column)]
    for clock in CLOCKS:
        start, due, done = column(clock.start), column(clock.due), column(clock.done)
        conditions.append(sa.not_(missed_sql(due, done, as_of, started_col=start)))
        conditions.append(sa.not_(overdue_sql(due, done, as_of, started_col=start)))
    return sa.and_(*conditions)


def is_on_time(case: Pengaduan, as_of: date) -> bool:
    """Python twin of on_time_condition."""
    clocks = clocks_of(case, as_of)
    settle = next(c for c in clocks if c.name == SETTLE)
    return settle.is_stopped and not any(c.state in (ClockState.MISSED, ClockState.OVERDUE) for c in clocks)
