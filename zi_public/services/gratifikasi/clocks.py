"""The UPG's clocks on a gratifikasi report, declared with the clock engine (zi_public.rules.clocks).

forward     GRATIFIKASI_FORWARD_DAYS working days (10 by default) from the day the report reached the UPG;
            stops when the UPG forwards it to KPK (forwarded_on).
completion  the days of the regulation in force on the report's date (30 before 20 January 2026, 20 from
            then: rules/gratifikasi_regulations.completion_days_on) from the day the UPG asked the reporter
            to complete the report; stops when the completion is recorded (completed_on).

A report closed as incomplete (tidak_lengkap) is never forwarded: from then on its open clocks are not
applicable, neither overdue nor running (`clocks_of`, `state_columns` and `overdue_condition` alike).

The reporter's own deadlines (Pasal 12C's 30 working days, the office's shorter one) are facts fixed when the
report arrives (rules/gratifikasi.deadline; GratifikasiReport.report_due, office_due, is_late), not clocks the
UPG can meet or miss. The inbox, the case page, the status page, the API and the recap read the clocks here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.rules.clocks import STOPPED_STATES, ClockState, DayKind, due_date
from zi_public.rules.gratifikasi import Status
from zi_public.rules.gratifikasi_regulations import completion_days_on
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import clocks as engine
from zi_public.services.clocks import Clock

FORWARD, COMPLETION = "forward", "completion"
STOPPED = sorted(state.value for state in STOPPED_STATES)


@dataclass(frozen=True)
class GratifikasiClockPolicy:
    """The configured length of the UPG's forwarding clock, and the office's own reporting deadline."""

    forward_days: int
    office_days: int
    completion_days: int = 20  # per report: completion_days_on(its reported_on)


CLOCKS: tuple[engine.Declared, ...] = (
    engine.Declared(
        GratifikasiReport,
        COMPLETION,
        DayKind.WORKING,
        "completion_days",
        start="completion_requested_on",
        due="completion_by",
        done="completed_on",
        starts="the reporter asked to complete the report",
        stops="the completion recorded",
    ),
    engine.Declared(
        GratifikasiReport,
        FORWARD,
        DayKind.WORKING,
        "forward_days",
        start="reported_on",
        due="forward_by",
        done="forwarded_on",
        starts="the report reached the UPG",
        stops="forwarded to KPK",
    ),
)
BY_NAME = {clock.name: clock for clock in CLOCKS}


def clock_policy(reported_on: date | None = None) -> GratifikasiClockPolicy:
    """The clocks as configured; the completion days of the regulation in force on `reported_on`."""
    cfg = current_app.config
    policy = GratifikasiClockPolicy(
        forward_days=int(cfg["GRATIFIKASI_FORWARD_DAYS"]), office_days=int(cfg["GRATIFIKASI_OFFICE_DAYS"])
    )
    if reported_on is None:
        return policy
    return GratifikasiClockPolicy(policy.forward_days, policy.office_days, completion_days_on(reported_on))


def due_on(name: str, start: date, calendar: WorkCalendar, policy: GratifikasiClockPolicy) -> date:
    """The deadline of clock `name` started on `start`."""
    return due_date(BY_NAME[name].spec(policy), start, calendar)


def clocks_of(report: GratifikasiReport, as_of: date) -> list[Clock]:
    """The completion and forwarding clocks of `report` as of the end of `as_of` (a clock still open when the
    report was closed as incomplete, by `as_of`, is not applicable)."""
    result = engine.clocks_of(report, CLOCKS, as_of)
    if not _closed_by(report, as_of):
        return result
    return [clock if clock.is_stopped else Clock(clock.name, None, None, ClockState.NOT_APPLICABLE) for clock in result]


def _closed_by(report: GratifikasiReport, as_of: date) -> bool:
    return report.status == Status.TIDAK_LENGKAP and report.finished_on is not None and report.finished_on <= as_of


def _closed_sql(as_of: date) -> sa.ColumnElement[bool]:
    """SQL: the report had been closed as incomplete by the end of `as_of` (never NULL)."""
    return sa.and_(
        GratifikasiReport.status == Status.TIDAK_LENGKAP,
        GratifikasiReport.finished_on.is_not(None),
        GratifikasiReport.finished_on <= sa.literal(as_of, sa.Date),
    )


def is_overdue(report: GratifikasiReport, as_of: date) -> bool:
    return any(clock.is_overdue for clock in clocks_of(report, as_of))


def state_columns(as_of: date) -> dict[str, sa.ColumnElement[str]]:
    """SQL: each clock's ClockState value as of `as_of`, by clock name (for lists and aggregates)."""
    closed = _closed_sql(as_of)
    return {
        name: sa.case(
            (sa.and_(closed, state.not_in(STOPPED)), sa.literal(ClockState.NOT_APPLICABLE.value)), else_=state
        )
        for name, state in engine.declared_state_columns(CLOCKS, as_of).items()
    }


def overdue_condition(as_of: date) -> sa.ColumnElement[bool]:
    """SQL: at least one clock was running past its due date at the end of `as_of` (never NULL)."""
    return sa.and_(sa.not_(_closed_sql(as_of)), engine.declared_overdue(CLOCKS, as_of))
