"""The whistle-blower's side after filing: the receipt opens a short-lived session bound to one report,
the reporter reads the status and the conversation, and answers (with files).

No URL ever carries the receipt: the page POSTs it, `open_session` checks it and returns a random token
for the reporter's (signed) session cookie; the server keeps only the token's keyed hash and the day
(WbsReporterSession). The cookie carries the time it was issued, and the blueprint refuses it after
WBS_REPORTER_SESSION_MINUTES; the row itself is forgotten the day after. A wrong receipt and an unknown one
get the same answer (None) at the same cost: one hash, one indexed query.

A message that contains the receipt (in any spacing or case) is refused: the team must never learn it,
and a message may be read by more people than the report.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AttachmentVariant
from zi_public.models.wbs import WbsMessage, WbsReport, WbsReporterSession
from zi_public.rules.text import TextProblem, has_visible_content, is_readable
from zi_public.rules.wbs import Sender, Status
from zi_public.security import codes
from zi_public.security.keyring import hashes_match, keyed_hash
from zi_public.security.uploads import UploadRejected, removed_on_error
from zi_public.services import attachments as attachment_files
from zi_public.services.wbs.filing import ALLOWED_UPLOADS, TEXT_PROBLEMS, InvalidWbs
from zi_public.services.wbs.reporter_audit import MESSAGE, SESSION_OPENED, reporter_event

#: Purpose of the keyed hash of a reporter session's token.
SESSION_PURPOSE = "wbs-reporter-session"
#: Longest message a reporter may write (characters).
BODY_LIMIT = 10_000
#: Hashed in place of a stored hash when the receipt is malformed (never equal to a real one).
_NO_HASH = "0" * 64
_NOT_A_CODE_CHARACTER = re.compile("[^0-9A-Z]")
_CODE_RUN = re.compile(f"[{codes.ALPHABET}]{{{codes.RECEIPT_LENGTH},}}")


@dataclass(frozen=True)
class ReporterFile:
    id: int
    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ReporterMessage:
    sender: Sender  # REPORTER or TEAM, never NOTE
    body: str
    date: date
    files: list[ReporterFile]


@dataclass(frozen=True)
class ReporterView:
    """What the reporter sees of their report: its status and the conversation (never the team's notes)."""

    status: Status
    received_on: date
    category: str  # code
    messages: list[ReporterMessage]

    @property
    def is_closed(self) -> bool:
        return self.status in (Status.SELESAI, Status.DITOLAK)


def find_by_receipt(receipt: str) -> WbsReport | None:
    """The report whose receipt this is, or None (malformed, mistyped or unknown alike)."""
    try:
        if not isinstance(receipt, str):
            raise codes.InvalidCode("not text")
        receipt_hash = codes.hash_receipt(receipt)
    except codes.InvalidCode:
        keyed_hash("", codes.RECEIPT_PURPOSE)  # the same work as a well-formed receipt
        receipt_hash = _NO_HASH
    report = db.session.scalar(sa.select(WbsReport).where(WbsReport.receipt_hash == receipt_hash))
    return report if report is not None and hashes_match(report.receipt_hash, receipt_hash) else None


def open_session(receipt: str, *, today: date | None = None) -> str | None:
    """A fresh token for the reporter's cookie when `receipt` opens a report; None otherwise.

    Sessions of days before yesterday are forgotten here: none outlives its cookie by more than a day.
    """
    report = find_by_receipt(receipt)
    if report is None:
        return None
    today = today or today_jakarta()
    db.session.execute(sa.delete(WbsReporterSession).where(WbsReporterSession.created_on < today - timedelta(days=1)))
    token = secrets.token_urlsafe(32)
    db.session.add(WbsReporterSession(token_hash=_token_hash(token), report_id=report.id, created_on=today))
    reporter_event(report.id, SESSION_OPENED, today=today)
    db.session.flush()
    return token


def report_for(token: object, *, today: date | None = None) -> WbsReport | None:
    """The report a session token is bound to, or None (unknown, forged, closed or from an older day)."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    today = today or today_jakarta()
    session_row = db.session.get(WbsReporterSession, _token_hash(token))
    if session_row is None or session_row.created_on < today - timedelta(days=1):
        return None
    return db.session.get(WbsReport, session_row.report_id)


def close_session(token: object) -> None:
    """Forget a reporter session (the reporter pressed "Selesai", or its cookie expired)."""
    if isinstance(token, str) and token and len(token) <= 100:
        db.session.execute(sa.delete(WbsReporterSession).where(WbsReporterSession.token_hash == _token_hash(token)))


def reporter_view(report: WbsReport) -> ReporterView:
    """The report's status and its conversation with the team, oldest first, with each message's files."""
    messages = db.session.scalars(
        sa.select(WbsMessage)
        .where(WbsMessage.report_id == report.id, WbsMessage.sender.in_((Sender.REPORTER, Sender.TEAM)))
        .order_by(WbsMessage.id)
        .options(sa.orm.undefer(WbsMessage.body))
    ).all()
    files = _files_of([m.id for m in messages])
    return ReporterView(
        status=report.status,
        received_on=report.received_on,
        category=report.category.code,
        messages=[ReporterMessage(Sender(m.sender), m.body, m.sent_on, files.get(m.id, [])) for m in messages],
    )


def _files_of(message_ids: list[int]) -> dict[int, list[ReporterFile]]:
    if not message_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Attachment)
        .where(
            Attachment.case_kind == "wbs_message",
            Attachment.case_id.in_(message_ids),
            Attachment.variant == AttachmentVariant.ORIGINAL,
        )
        .order_by(Attachment.id)
    )
    result: dict[int, list[ReporterFile]] = {}
    for row in rows:
        result.setdefault(row.case_id, []).append(ReporterFile(row.id, row.original_name, row.content_type, row.size))
    return result


def reporter_file(report: WbsReport, attachment_id: int) -> attachment_files.Download:
    """A file of the conversation the reporter may download (theirs or the team's, never a note's).

    AttachmentNotFound for anything else, the same as an unknown id.
    """
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.case_kind != "wbs_message" or row.variant != AttachmentVariant.ORIGINAL:
        raise attachment_files.AttachmentNotFound(attachment_id)
    message = db.session.get(WbsMessage, row.case_id)
    if message is None or message.report_id != report.id or message.sender == Sender.NOTE:
        raise attachment_files.AttachmentNotFound(attachment_id)
    return attachment_files.read("wbs_message", message.id, attachment_id)


def contains_receipt(text: str, receipt_hash: str) -> bool:
    """Whether `text` holds the receipt whose hash is `receipt_hash`, written in any spacing, case or
    separators (full-width and other compatibility forms folded first).

    Everything but letters and digits is dropped, then every stretch of receipt-length that passes the
    check character is hashed: about one in 31 of them, so even a long message costs a few hundred hashes.
    """
    folded = _NOT_A_CODE_CHARACTER.sub("", unicodedata.normalize("NFKC", text).upper())
    for run in _CODE_RUN.findall(folded):
        for start in range(len(run) - codes.RECEIPT_LENGTH + 1):
            if codes.check_receipt(run[start : start + codes.RECEIPT_LENGTH], receipt_hash):
                return True
    return False


def validate_body(report: WbsReport, body: object) -> dict[str, object]:
    """The errors of a reporter's message (empty when it may be sent)."""
    if not isinstance(body, str) or not has_visible_content(body):
        return {"body": _l("Tulis pesan Anda.")}
    if not is_readable(body, multiline=True):
        return {"body": TEXT_PROBLEMS[TextProblem.UNREADABLE]}
    if len(body.strip()) > BODY_LIMIT:
        return {"body": _l("Paling banyak %(n)d karakter.", n=BODY_LIMIT)}
    if contains_receipt(body, report.receipt_hash):
        return {
            "body": _l(
                "Pesan Anda memuat nomor tanda terima. Hapus nomor itu: tim WBS tidak perlu dan tidak boleh "
                "mengetahuinya. Simpan nomor itu hanya untuk Anda sendiri."
            )
        }
    return {}


def reply(report: WbsReport, body: str, files: Sequence[FileStorage] = (), *, today: date | None = None) -> WbsMessage:
    """The reporter's message (with files) in the conversation; InvalidWbs or UploadRejected if refused.

    Nothing is stored when it is refused: the text is checked before any file, and the files are removed
    again when anything after them fails.
    """
    errors = validate_body(report, body)
    if errors:
        raise InvalidWbs(errors)
    limit = int(current_app.config["WBS_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    today = today or today_jakarta()
    budget = attachment_files.pixel_budget()
    with removed_on_error(attachment_files.upload_dir()) as stored:
        for file in files:
            stored.append(attachment_files.store_file("wbs_message", file, allowed=ALLOWED_UPLOADS, budget=budget))
        message = WbsMessage(report_id=report.id, sender=Sender.REPORTER, body=body.strip(), sent_on=today)
        db.session.add(message)
        db.session.flush()
        if stored:
            attachment_files.attach(message, stored)
            db.session.flush()
        reporter_event(report.id, MESSAGE, today=today)
    return message


def _token_hash(token: str) -> str:
    return keyed_hash(token, SESSION_PURPOSE)
