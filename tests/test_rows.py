"""zi_public.rows: one INSERT that gives a persistent row, as a flush would, for the hot paths."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from zi_public.extensions import db as _db
from zi_public.models import MailStatus, OutboxMail, Pengaduan
from zi_public.rows import insert_row
from zi_public.services.pengaduan.filing import file_pengaduan


def test_an_inserted_row_is_persistent_loaded_and_updatable(db):
    mail = insert_row(OutboxMail, kind="test.kind", recipients="a@example.id", subject="Subjek", body="Isi — ünïcode")
    state = sa.inspect(mail)
    assert state.persistent and not state.expired_attributes  # known whole: nothing to read back
    assert mail.id is not None and mail.status == MailStatus.PENDING and mail.attempts == 0  # column defaults
    mail.status = MailStatus.FAILED
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(OutboxMail, mail.id)
    assert (stored.status, stored.body) == (MailStatus.FAILED, "Isi — ünïcode")  # encrypted and read back
    raw = db.session.execute(sa.text("SELECT body FROM outbox_mail WHERE id = :id"), {"id": mail.id}).scalar_one()
    assert "ünïcode" not in raw


def test_after_insert_listeners_run_and_before_insert_ones_are_refused(db):
    seen = []

    def after(_mapper, _connection, target):  # noqa: ANN001, ANN202
        seen.append(target.kind)

    def before(_mapper, _connection, target):  # noqa: ANN001, ANN202
        target.kind = "changed"

    sa.event.listen(OutboxMail, "after_insert", after)
    try:
        insert_row(OutboxMail, kind="test.after", recipients="a@example.id", subject="s", body="b")
    finally:
        sa.event.remove(OutboxMail, "after_insert", after)
    assert seen == ["test.after"]
    sa.event.listen(OutboxMail, "before_insert", before)
    try:
        with pytest.raises(TypeError, match="before_insert"):
            insert_row(OutboxMail, kind="test.before", recipients="a@example.id", subject="s", body="b")
    finally:
        sa.event.remove(OutboxMail, "before_insert", before)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1


def test_a_filed_complaint_reads_as_if_flushed(db, seeded):
    from tests.factories import pengaduan_input
    from zi_public.rules.pengaduan import Channel

    filed = file_pengaduan(pengaduan_input(), channel=Channel.WEB)
    case = filed.pengaduan
    assert [event.action.value for event in case.events] == ["submit"]
    assert case.category.code and case.attachments == []
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Pengaduan, case.id)
    assert [event.pengaduan_id for event in stored.events] == [case.id]
