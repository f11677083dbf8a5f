"""WBS's clocks, declared with the clock engine (zi_public.rules.clocks), for every reader.

first_answer  WBS_FIRST_ANSWER_DAYS working days from receipt; stops at the team's first message to the
              reporter (first_answer_on): a whistle-blower who hears nothing assumes nobody listens.
telaah        WBS_TELAAH_DAYS working days from receipt; stops when the team records its telaah (whether
              the report meets the SE's criteria) or rejects the report (telaah_on).

Both count on the shared work calendar (national holidays, cuti bersama, the office's own overrides).
The team's inbox and case page, the evaluation and the statistics read them through clocks_of (Python)
or state_columns / overdue_condition (SQL); tests keep the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from zi_public.models.wbs import WbsReport
from zi_public.rules.clocks import DayKind, due_date
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import clocks as engine
from zi_public.services.clocks import Clock

FIRST_ANSWER, TELAAH = "first_answer", "telaah"


@dataclass(frozen=True)
class WbsClockPolicy:
    """The configured lengths of the WBS clocks, in working days."""

    first_answer_days: int
    telaah_days: int


#: The clocks in the order a report meets them.
CLOCKS: tuple[engine.Declared, ...] = (
    engine.Declared(
        WbsReport,
        FIRST_ANSWER,
        DayKind.WORKING,
        "first_answer_days",
        start="received_on",
        due="answer_by",
        done="first_answer_on",
        starts="received",
        stops="the team's first message to the reporter",
    ),
    engine.Declared(
        WbsReport,
        TELAAH,
        DayKind.WORKING,
        "telaah_days",
        start="received_on",
        due="telaah_by",
        done="telaah_on",
        starts="received",
        stops="telaah recorded (criteria checked) or the report rejected",
    ),
)
BY_NAME = {clock.name: clock for clock in CLOCKS}


def clock_policy() -> WbsClockPolicy:
    """The clocks as configured (WBS_FIRST_ANSWER_DAYS, WBS_TELAAH_DAYS)."""
    cfg = current_app.config
    return WbsClockPolicy(
        first_answer_days=int(cfg["WBS_FIRST_ANSWER_DAYS"]),
        telaah_days=int(cfg["WBS_TELAAH_DAYS"]),
    )


def due_on(name: str, start: date, calendar: WorkCalendar, policy: WbsClockPolicy) -> date:
    """The deadline of clock `name` started on `start` (filing stores it)."""
    return due_date(BY_NAME[name].spec(policy), start, calendar)


def clocks_of(report: WbsReport, as_of: date) -> list[Clock]:
    """The first-answer and telaah clocks of `report` as of the end of `as_of`."""
    return engine.clocks_of(report, CLOCKS, as_of)


def is_overdue(report: WbsReport, as_of: date) -> bool:
    """Whether any clock of `report` was running past its due date at the end of `as_of`."""
    return any(clock.is_overdue for clock in clocks_of(report, as_of))


def state_columns(as_of: date) -> dict[str, sa.ColumnElement[str]]:
    """SQL: each clock's ClockState value as of `as_of`, by clock name (for lists and aggregates)."""
    return engine.declared_state_columns(CLOCKS, as_of)


def overdue_condition(as_of: date) -> sa.ColumnElement[bool]:
    """SQL: at least one clock was running past its due date at the end of `as_of` (never NULL)."""
    return engine.declared_overdue(CLOCKS, as_of)
