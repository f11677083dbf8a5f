"""Read side of WBS for the Tim WBS: the inbox query, the audited case read, and the case's files.

Every read of a case page shows the report's words, so `open_case` records it in the audit log (a WBS
read, DESIGN.md security model). The inbox lists category, status and dates only: no report text, so a
list read is not one of a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from zi_public.extensions import db
from zi_public.models import (
    Attachment,
    AttachmentVariant,
    Pengaduan,
    User,
    WbsCategory,
    WbsMessage,
    WbsReport,
    WbsUnsealRequest,
)
from zi_public.rules.wbs import CLOSED, Sender, Status
from zi_public.services import attachments, audit
from zi_public.services.wbs.clocks import overdue_condition


@dataclass(frozen=True)
class InboxFilter:
    """What the team asked for; empty values mean "no restriction"."""

    status: Status | None = None
    category: str = ""  # WbsCategory.code
    overdue: bool = False


def inbox_query(filters: InboxFilter, today: date) -> sa.Select:
    """A SELECT of the reports matching `filters` (unordered: keyset_page orders by id, newest first)."""
    stmt = sa.select(WbsReport).options(joinedload(WbsReport.category))
    if filters.status is not None:
        stmt = stmt.where(WbsReport.status == filters.status)
    if filters.category:
        category_id = sa.select(WbsCategory.id).where(WbsCategory.code == filters.category).scalar_subquery()
        stmt = stmt.where(WbsReport.category_id == category_id)
    if filters.overdue:
        stmt = stmt.where(overdue_condition(today))
    return stmt


@dataclass(frozen=True)
class WbsCounts:
    new_today: int  # received today
    to_telaah: int  # status diterima
    overdue: int  # a clock past its due date
    open: int  # not selesai or ditolak
    awaiting_answer: int  # the newest message of the conversation is the reporter's
    unseal_pending: int  # requests to open an identity that the member may decide


def dashboard_counts(actor: User, today: date) -> WbsCounts:
    """The Tim WBS's dashboard figures: one aggregate query over the reports, one over the messages."""

    def count_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(
            count_where(WbsReport.received_on == today),
            count_where(WbsReport.status == Status.DITERIMA),
            count_where(overdue_condition(today)),
            count_where(WbsReport.status.not_in(CLOSED)),
        )
    ).one()
    newest = (
        sa.select(sa.func.max(WbsMessage.id).label("last_id"))
        .where(WbsMessage.sender != Sender.NOTE)
        .group_by(WbsMessage.report_id)
        .subquery()
    )
    awaiting = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(newest)
        .join(WbsMessage, WbsMessage.id == newest.c.last_id)
        .where(WbsMessage.sender == Sender.REPORTER)
    )
    pending = db.session.scalar(
        sa.select(sa.func.count(WbsUnsealRequest.id)).where(
            WbsUnsealRequest.decided_by_id.is_(None), WbsUnsealRequest.requested_by_id != actor.id
        )
    )
    return WbsCounts(*(int(value) for value in row), int(awaiting or 0), int(pending or 0))


def unread_reporter_messages(report_ids: list[int]) -> set[int]:
    """The reports among `report_ids` whose newest message is the reporter's (the team owes an answer)."""
    if not report_ids:
        return set()
    newest = (
        sa.select(WbsMessage.report_id, sa.func.max(WbsMessage.id).label("last_id"))
        .where(WbsMessage.report_id.in_(report_ids), WbsMessage.sender != Sender.NOTE)
        .group_by(WbsMessage.report_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(newest.c.report_id)
        .join(WbsMessage, WbsMessage.id == newest.c.last_id)
        .where(WbsMessage.sender == Sender.REPORTER)
    )
    return {row[0] for row in rows}


def moved_to_number(report: WbsReport) -> str | None:
    """The number of the complaint a rejected report became (flow.move_to_pengaduan), if it did."""
    if report.moved_to_pengaduan_id is None:
        return None
    return db.session.scalar(sa.select(Pengaduan.number).where(Pengaduan.id == report.moved_to_pengaduan_id))


def member_names(report: WbsReport, requests: list[WbsUnsealRequest]) -> dict[int, str]:
    """Usernames of the members in a case page (message authors, requesters, deciders), in one query."""
    ids = {m.author_id for m in report.messages} | {r.requested_by_id for r in requests}
    ids |= {r.decided_by_id for r in requests}
    ids.discard(None)
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).tuples().all())


def open_case(actor: User, report: WbsReport) -> None:
    """Record that `actor` opened the case page of `report` (the 4W1H text, the conversation, the notes)."""
    audit.record(actor, "wbs.read", report, data={"status": report.status.value})


@dataclass(frozen=True)
class CaseFile:
    """One file as sent, with where it came from: the report itself or a message of its conversation."""

    attachment: Attachment
    message_id: int | None  # None: sent with the report


def case_files(report: WbsReport) -> list[CaseFile]:
    """The files of the report and of every message of its conversation (originals only), in one query."""
    message_ids = [m.id for m in report.messages]
    conditions = [sa.and_(Attachment.case_kind == "wbs", Attachment.case_id == report.id)]
    if message_ids:
        conditions.append(sa.and_(Attachment.case_kind == "wbs_message", Attachment.case_id.in_(message_ids)))
    rows = db.session.scalars(
        sa.select(Attachment)
        .where(sa.or_(*conditions), Attachment.variant == AttachmentVariant.ORIGINAL)
        .order_by(Attachment.id)
    )
    return [CaseFile(a, a.case_id if a.case_kind == "wbs_message" else None) for a in rows]


def download(actor: User, report: WbsReport, attachment_id: int, *, original: bool) -> attachments.Download:
    """A file of the report or of one of its messages, through services.attachments (audit-logged there):
    an image's metadata-free copy by default, the evidence as sent only with `original`.

    AttachmentNotFound for an id of another report, another kind, or a copy's own id.
    """
    row = db.session.get(Attachment, attachment_id)
    if row is None:
        raise attachments.AttachmentNotFound(attachment_id)
    owner: object
    if row.case_kind == "wbs" and row.case_id == report.id:
        owner = report
    elif row.case_kind == "wbs_message":
        message = db.session.get(WbsMessage, row.case_id)
        if message is None or message.report_id != report.id:
            raise attachments.AttachmentNotFound(attachment_id)
        owner = message
    else:
        raise attachments.AttachmentNotFound(attachment_id)
    return attachments.download(actor, owner, attachment_id, original=original)
