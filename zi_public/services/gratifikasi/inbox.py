"""Read side of gratifikasi for the UPG: the inbox query, the open clock's due date (in SQL; its urgency from
services/due_dates), the audited case read, the case's files and the dashboard's figures.

Every rendering of a case page shows the reporter's personal data, so `open_case` records it in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import User
from zi_public.models.attachment import Attachment
from zi_public.models.gratifikasi import GratifikasiEvent, GratifikasiReport
from zi_public.rules import case_numbers
from zi_public.rules.gratifikasi import FINAL, Kind, Status
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import attachments, audit, due_dates
from zi_public.services.due_dates import RUNNING_STATES, NextDue
from zi_public.services.gratifikasi.clocks import COMPLETION, FORWARD, state_columns

#: Working days ahead within which an open clock's due date counts as close.
SOON_DAYS = 2


@dataclass(frozen=True)
class InboxFilter:
    """What the UPG asked for; empty values mean "no restriction"."""

    status: Status | None = None
    kind: Kind | None = None
    late: bool = False  # reported after Pasal 12C's 30 working days
    overdue: bool = False  # the open clock is past its due date
    number: str = ""  # exact number or its beginning (case_numbers.is_search_prefix)


def open_clock_columns(today: date) -> tuple[sa.ColumnElement[str | None], sa.ColumnElement[date | None]]:
    """SQL: the name and due date of the clock the UPG has to meet next (NULL on a case that waits for nothing
    from the UPG): the completion clock while the reporter is asked to complete, else the forwarding clock
    until the case is forwarded. A closed case (selesai, tidak lengkap) has none."""
    states = state_columns(today)
    not_final = GratifikasiReport.status.not_in(sorted(FINAL))
    completion = sa.and_(
        not_final, GratifikasiReport.status == Status.PERLU_KELENGKAPAN, states[COMPLETION].in_(RUNNING_STATES)
    )
    forward = sa.and_(not_final, states[FORWARD].in_(RUNNING_STATES))
    name = sa.case((completion, sa.literal(COMPLETION)), (forward, sa.literal(FORWARD)), else_=sa.null())
    due = sa.case(
        (completion, GratifikasiReport.completion_by), (forward, GratifikasiReport.forward_by), else_=sa.null()
    )
    return name, due


def open_overdue_condition(today: date) -> sa.ColumnElement[bool]:
    """SQL: the open clock is past its due date (never NULL)."""
    _name, due = open_clock_columns(today)
    return sa.and_(due.is_not(None), due < sa.literal(today, sa.Date))


def inbox_query(filters: InboxFilter, today: date) -> sa.Select:
    """A SELECT of the reports matching `filters` (unordered: keyset_page orders by id, newest first)."""
    stmt = sa.select(GratifikasiReport)
    if filters.status is not None:
        stmt = stmt.where(GratifikasiReport.status == filters.status)
    if filters.kind is not None:
        stmt = stmt.where(GratifikasiReport.kind == filters.kind)
    if filters.late:
        stmt = stmt.where(GratifikasiReport.is_late.is_(True))
    if filters.overdue:
        stmt = stmt.where(open_overdue_condition(today))
    number = case_numbers.normalize(filters.number)
    if number:
        # A prefix match includes the exact number; autoescape keeps "_" and "%" literal.
        stmt = stmt.where(GratifikasiReport.number.startswith(number, autoescape=True))
    return stmt


def open_clocks(report_ids: list[int], today: date, calendar: WorkCalendar | None = None) -> dict[int, NextDue]:
    """The open clock of each of `report_ids` (one page of the inbox), computed in one query."""
    columns = open_clock_columns(today)
    return due_dates.next_dues(GratifikasiReport.id, columns, report_ids, today, soon_days=SOON_DAYS, calendar=calendar)


def open_case(actor: User | str, report: GratifikasiReport) -> None:
    """Record that `actor` read the case (its personal data): every rendering of the case page."""
    audit.record(actor, "gratifikasi.read", report, data={"number": report.number, "status": report.status.value})


def case_files(report: GratifikasiReport) -> list[Attachment]:
    """The files the reporter sent, oldest first."""
    return attachments.originals(report)


def actor_names(events: list[GratifikasiEvent]) -> dict[int, str]:
    """Usernames of the staff in a case's history, in one query."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).tuples().all())


@dataclass(frozen=True)
class UpgCounts:
    new: int  # status baru: waiting to be checked
    to_forward: int  # checked, not yet forwarded to KPK
    to_forward_overdue: int  # of those (and baru ones), the forwarding clock past due
    awaiting_completion: int  # the reporter asked to complete
    awaiting_decision: int  # forwarded, KPK's decision not yet recorded (received gifts)
    late_this_year: int  # reported this year after Pasal 12C's deadline
    overdue: int  # any open clock past due


def dashboard_counts(today: date) -> UpgCounts:
    """The UPG's dashboard figures, in one aggregate query."""

    def count_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    name, _due = open_clock_columns(today)
    overdue = open_overdue_condition(today)
    row = db.session.execute(
        sa.select(
            count_where(GratifikasiReport.status == Status.BARU),
            count_where(GratifikasiReport.status == Status.DIVERIFIKASI),
            count_where(sa.and_(overdue, name == FORWARD)),
            count_where(GratifikasiReport.status == Status.PERLU_KELENGKAPAN),
            count_where(
                sa.and_(GratifikasiReport.status == Status.DITERUSKAN, GratifikasiReport.kind == Kind.DITERIMA)
            ),
            count_where(
                sa.and_(
                    GratifikasiReport.is_late.is_(True),
                    GratifikasiReport.reported_on.between(date(today.year, 1, 1), date(today.year, 12, 31)),
                )
            ),
            count_where(overdue),
        )
    ).one()
    return UpgCounts(*(int(value) for value in row))
