"""Finding a gratifikasi report for its reporter, by number and access code: the status page and the API.

A wrong number and a wrong code get the same answer (None) at the same cost: the code is hashed even when no
report has that number. The reporter sees the status, the reporting facts (late or on time, the working days
counted), the UPG's clocks, KPK's decision once recorded, and the public steps of the history; never the
UPG's internal notes. Every successful look-up is audit-logged (who: "reporter").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.rules import case_numbers
from zi_public.rules.gratifikasi import Action, Decision, Kind, Status
from zi_public.security import codes
from zi_public.services import audit
from zi_public.services.clocks import Clock
from zi_public.services.gratifikasi.clocks import clocks_of

_NO_HASH = "0" * 64


@dataclass(frozen=True)
class PublicEvent:
    action: Action
    status: Status
    created_at: datetime
    body: str


@dataclass(frozen=True)
class ReporterStatus:
    number: str
    kind: Kind
    status: Status
    received_on: date
    reported_on: date
    report_due: date | None
    working_days_since_received: int
    is_late: bool
    regulation_code: str
    completion_by: date | None
    forwarded_on: date | None
    decision: Decision | None
    decision_date: date | None
    clocks: list[Clock]
    history: list[PublicEvent]


def find_for_reporter(number: str, access_code: str) -> GratifikasiReport | None:
    """The report if number AND access code match; None otherwise (the same for both mistakes)."""
    parsed = case_numbers.parse_number(number, "gratifikasi")
    report = (
        db.session.scalar(sa.select(GratifikasiReport).where(GratifikasiReport.number == str(parsed)))
        if parsed
        else None
    )
    matches = codes.check_code(access_code or "", report.access_code_hash if report else _NO_HASH)
    return report if report is not None and matches else None


def status_for_reporter(number: str, access_code: str, today: date | None = None) -> ReporterStatus | None:
    """What the reporter may see if number AND access code match (audit-logged); None otherwise."""
    report = find_for_reporter(number, access_code)
    if report is None:
        return None
    audit.record("reporter", "gratifikasi.status_read", report, data={"number": report.number})
    return ReporterStatus(
        number=report.number,
        kind=report.kind,
        status=report.status,
        received_on=report.received_on,
        reported_on=report.reported_on,
        report_due=report.report_due,
        working_days_since_received=report.working_days_since_received,
        is_late=report.is_late,
        regulation_code=report.regulation_code,
        completion_by=report.completion_by,
        forwarded_on=report.forwarded_on,
        decision=report.decision,
        decision_date=report.decision_date,
        clocks=clocks_of(report, today or today_jakarta()),
        history=[
            PublicEvent(event.action, event.to_status, event.created_at, event.body)
            for event in report.events
            if event.is_public
        ],
    )
