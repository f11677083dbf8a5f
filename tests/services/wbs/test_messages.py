"""The team's side of the conversation: messages stop the first-answer clock, notes stay internal."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.factories import PDF, make_user
from tests.services.wbs.staff_factories import make_report
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AuditEntry, Role, WbsMessage
from zi_public.rules.wbs import Sender
from zi_public.security.uploads import UploadRejected
from zi_public.services.wbs import messages
from zi_public.services.wbs.messages import MessageRefused


@pytest.fixture
def member(seeded, db):
    return make_user(role=Role.WBS)


def pdf(name: str = "surat.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name)


def test_the_first_team_message_stops_the_first_answer_clock(member):
    report = make_report()
    messages.add_note(member, report, "Cek data perizinan dulu.")
    assert report.first_answer_on is None
    message = messages.send_to_reporter(member, report, "Apakah ada bukti transfer?", [pdf()])
    assert report.first_answer_on == today_jakarta()
    assert message.sender == Sender.TEAM and message.sent_on == today_jakarta() and message.author_id == member.id
    (row,) = message.attachments
    assert row.case_kind == "wbs_message" and row.is_encrypted
    entries = db.session.execute(
        sa.select(AuditEntry.action, AuditEntry.data)
        .where(AuditEntry.action.startswith("wbs."))
        .order_by(AuditEntry.id)
    ).all()
    assert [(a, json.loads(d)) for a, d in entries] == [
        ("wbs.note_add", {"message": report.messages[0].id, "files": 0}),
        ("wbs.message_send", {"message": message.id, "files": 1}),
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "body_required"),
        (" \u200b", "body_required"),
        ("x" * 10_001, "body_too_long"),
        ("a\x1bb", "body_unreadable"),
    ],
)
def test_bad_bodies_are_refused_and_nothing_stored(member, body, code):
    report = make_report()
    with pytest.raises(MessageRefused, match=code):
        messages.send_to_reporter(member, report, body, [pdf()])
    assert report.first_answer_on is None
    assert db.session.scalar(sa.select(sa.func.count(WbsMessage.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_a_hostile_file_is_refused_with_nothing_stored(member, app):
    report = make_report()
    fake = FileStorage(io.BytesIO(b"MZ\x90\x00 not a pdf"), filename="bukti.pdf")
    with pytest.raises(UploadRejected):
        messages.send_to_reporter(member, report, "Lihat lampiran.", [pdf(), fake])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(WbsMessage.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_too_many_files(member, app):
    files = [pdf(f"{n}.pdf") for n in range(app.config["WBS_MAX_ATTACHMENTS"] + 1)]
    with pytest.raises(UploadRejected):
        messages.add_note(member, make_report(), "banyak", files)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.WBS])
def test_other_roles_write_nothing(seeded, db, role):
    with pytest.raises(MessageRefused, match="not_team"):
        messages.add_note(make_user(role=role), make_report(), "catatan")
