"""The team's side of a WBS report's conversation: messages to the reporter and internal notes.

A message to the reporter (Sender.TEAM) is what the reporter reads on the status page; the first one stops
the first-answer clock (first_answer_on). An internal note (Sender.NOTE) is the team's alone and is never
shown to the reporter (services/wbs/reporter.py shows REPORTER and TEAM only). Both carry the day only
(sent_on), like the reporter's messages, and files stored through services.attachments (case kind
"wbs_message", encrypted). The reporter's side (reply) is services/wbs/reporter.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Role, User, WbsMessage, WbsReport
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.rules.wbs import Sender
from zi_public.security.uploads import UploadRejected, removed_on_error
from zi_public.services import attachments, audit
from zi_public.services.wbs.filing import ALLOWED_UPLOADS  # the team attaches what the reporter may

BODY_MAX = 10_000


class MessageRefused(ValueError):
    """The message cannot be stored; `code` names why (the view words it for the member)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def send_to_reporter(
    actor: User, report: WbsReport, body: str, files: Sequence[FileStorage] = (), *, today: date | None = None
) -> WbsMessage:
    """A message the reporter reads with their receipt; the first one stops the first-answer clock."""
    today = today or today_jakarta()
    message = _store(actor, report, Sender.TEAM, body, files, today)
    if report.first_answer_on is None:
        report.first_answer_on = today
    db.session.flush()
    return message


def add_note(
    actor: User, report: WbsReport, body: str, files: Sequence[FileStorage] = (), *, today: date | None = None
) -> WbsMessage:
    """An internal note on the report (never shown to the reporter)."""
    return _store(actor, report, Sender.NOTE, body, files, today or today_jakarta())


def _store(
    actor: User, report: WbsReport, sender: Sender, body: str, files: Sequence[FileStorage], today: date
) -> WbsMessage:
    if not isinstance(actor, User) or actor.role != Role.WBS or not actor.is_active:
        raise MessageRefused("not_team")
    body = (body or "").strip()
    if not has_visible_content(body):
        raise MessageRefused("body_required")
    if len(body) > BODY_MAX:
        raise MessageRefused("body_too_long")
    if not is_readable(body, multiline=True):
        raise MessageRefused("body_unreadable")
    limit = int(current_app.config["WBS_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    budget = attachments.pixel_budget()
    with removed_on_error(attachments.upload_dir()) as stored:
        for file in files:
            stored.append(attachments.store_file("wbs_message", file, allowed=ALLOWED_UPLOADS, budget=budget))
        message = WbsMessage(sender=sender, body=body, sent_on=today, author_id=actor.id)
        report.messages.append(message)
        attachments.attach(message, stored)
        db.session.flush()
    action = "wbs.message_send" if sender == Sender.TEAM else "wbs.note_add"
    audit.record(actor, action, report, data={"message": message.id, "files": len(stored)})
    return message
