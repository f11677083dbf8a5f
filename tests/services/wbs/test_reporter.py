"""The reporter's side: the receipt opens a short-lived session, the conversation, replies with files."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.factories import PDF, make_user, make_wbs_filed
from zi_public.models import Role
from zi_public.models.wbs import WbsMessage, WbsReporterSession
from zi_public.rules.wbs import Sender, Status
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments
from zi_public.services.wbs import reporter
from zi_public.services.wbs.filing import InvalidWbs

DAY = date(2026, 11, 27)


def test_the_receipt_opens_a_session_bound_to_its_report(db, seeded):
    filed = make_wbs_filed()
    other = make_wbs_filed()
    token = reporter.open_session(filed.receipt.lower().replace("-", " "))
    assert token is not None and filed.receipt not in token
    assert reporter.report_for(token) is filed.report
    assert reporter.report_for(reporter.open_session(other.receipt)) is other.report
    row = db.session.scalar(sa.select(WbsReporterSession).where(WbsReporterSession.report_id == filed.report.id))
    assert row.token_hash != token and len(row.token_hash) == 64


@pytest.mark.parametrize("receipt", ["", "x", "A" * 200, None, 12, "23456-789AB-CDEFG-HJK"])
def test_wrong_or_malformed_receipts_open_nothing(db, seeded, receipt):
    make_wbs_filed()
    assert reporter.open_session(receipt) is None  # type: ignore[arg-type]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsReporterSession)) == 0


def test_a_mistyped_receipt_opens_nothing(db, seeded):
    filed = make_wbs_filed()
    chars = list(filed.receipt.replace("-", ""))
    chars[3] = "2" if chars[3] != "2" else "3"
    assert reporter.open_session("".join(chars)) is None


@pytest.mark.parametrize("token", ["", "forged", "x" * 500, None, 5, ["a"]])
def test_forged_tokens_find_nothing(db, seeded, token):
    filed = make_wbs_filed()
    reporter.open_session(filed.receipt)
    assert reporter.report_for(token) is None


def test_sessions_end_with_the_next_day_and_on_request(db, seeded):
    filed = make_wbs_filed()
    token = reporter.open_session(filed.receipt, today=DAY)
    assert reporter.report_for(token, today=date(2026, 11, 28)) is filed.report  # across midnight
    assert reporter.report_for(token, today=date(2026, 11, 29)) is None
    # A later look-up forgets the sessions of days before yesterday.
    reporter.open_session(filed.receipt, today=date(2026, 11, 30))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsReporterSession)) == 1
    fresh = reporter.open_session(filed.receipt)
    reporter.close_session(fresh)
    assert reporter.report_for(fresh) is None


def test_the_view_shows_status_and_conversation_never_notes(db, seeded):
    filed = make_wbs_filed()
    member = make_user(role=Role.WBS)
    report = filed.report
    db.session.add_all(
        [
            WbsMessage(
                report_id=report.id, sender=Sender.TEAM, body="Siapa saksinya?", sent_on=DAY, author_id=member.id
            ),
            WbsMessage(
                report_id=report.id, sender=Sender.NOTE, body="catatan internal", sent_on=DAY, author_id=member.id
            ),
        ]
    )
    db.session.flush()
    reporter.reply(report, "Rekan di loket 2.", [FileStorage(io.BytesIO(PDF), filename="bukti.pdf")])
    view = reporter.reporter_view(report)
    assert view.status == Status.DITERIMA and not view.is_closed
    assert [(m.sender, m.body) for m in view.messages] == [
        (Sender.TEAM, "Siapa saksinya?"),
        (Sender.REPORTER, "Rekan di loket 2."),
    ]
    (file,) = view.messages[1].files
    assert file.name.endswith(".pdf") and file.content_type == "application/pdf"
    assert reporter.reporter_file(report, file.id).data == PDF
    other = make_wbs_filed().report
    with pytest.raises(attachments.AttachmentNotFound):
        reporter.reporter_file(other, file.id)


def test_a_note_file_is_never_given_to_the_reporter(db, seeded):
    report = make_wbs_filed().report
    member = make_user(role=Role.WBS)
    note = WbsMessage(report_id=report.id, sender=Sender.NOTE, body="catatan", sent_on=DAY, author_id=member.id)
    db.session.add(note)
    db.session.flush()
    (row,) = attachments.attach(
        note, [attachments.store_file("wbs_message", FileStorage(io.BytesIO(PDF), filename="n.pdf"), allowed={"pdf"})]
    )
    db.session.flush()
    with pytest.raises(attachments.AttachmentNotFound):
        reporter.reporter_file(report, row.id)


@pytest.mark.parametrize(
    "spell",
    [
        lambda r: r,
        lambda r: r.lower(),
        lambda r: r.replace("-", ""),
        lambda r: r.replace("-", " "),
        lambda r: " ".join(r.replace("-", "")),
        lambda r: "/".join(r.split("-")),
        lambda r: "\u200b".join(r.replace("-", "")),
        lambda r: r.translate({ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHJKMNPQRSTUVWXYZ23456789"}),  # full-width
        lambda r: f"nomor saya {r.lower()}, tolong",
    ],
)
def test_a_message_with_the_receipt_is_refused(db, seeded, app, spell):
    filed = make_wbs_filed()
    with pytest.raises(InvalidWbs) as info:
        reporter.reply(filed.report, spell(filed.receipt))
    with app.test_request_context():
        assert "tanda terima" in str(info.value.errors["body"])
    assert db.session.scalar(sa.select(sa.func.count(WbsMessage.id))) == 0


def test_a_message_with_another_receipt_like_text_is_accepted(db, seeded):
    filed = make_wbs_filed()
    other = make_wbs_filed()
    message = reporter.reply(filed.report, f"kode lain {other.receipt} dan teks biasa " + "ABCDEFGHJK" * 50)
    assert message.sender == Sender.REPORTER


@pytest.mark.parametrize("body", ["", "   ", "x" * 10_001, "a\x00b", None])
def test_bad_replies_are_refused_and_nothing_is_stored(db, seeded, app, body):
    filed = make_wbs_filed()
    with pytest.raises(InvalidWbs):
        reporter.reply(filed.report, body, [FileStorage(io.BytesIO(PDF), filename="b.pdf")])  # type: ignore[arg-type]
    assert db.session.scalar(sa.select(sa.func.count(WbsMessage.id))) == 0


def test_a_refused_file_stores_no_reply(db, seeded, app):
    filed = make_wbs_filed()
    with pytest.raises(UploadRejected):
        reporter.reply(filed.report, "lihat lampiran", [FileStorage(io.BytesIO(b"<html>"), filename="x.pdf")])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(WbsMessage.id))) == 0
