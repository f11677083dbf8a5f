"""flow.act with a staff form's one-time key: the same form applied twice records one event and mails once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import action_input, advance, make_pengaduan, make_user
from zi_public.models import AuditEntry, OutboxMail, PengaduanEvent, Role
from zi_public.rules.pengaduan import Action, Status
from zi_public.services.pengaduan.flow import ActionAlreadyRecorded, act

KEY = "k3y-of-one-rendered-form_0001"


def answer_mails(db, number: str) -> int:
    return len(
        db.session.scalars(
            sa.select(OutboxMail).where(OutboxMail.case_number == number, OutboxMail.kind == "pengaduan.answer")
        ).all()
    )


def test_the_same_answer_twice_records_and_mails_once(db, seeded):
    member = make_user(Role.PENGADUAN)
    case = make_pengaduan()
    advance(member, case, Action.VERIFY)
    first = act(member, case, Action.ANSWER, action_input(Action.ANSWER), submission_key=KEY)
    with pytest.raises(ActionAlreadyRecorded) as duplicate:
        act(member, case, Action.ANSWER, action_input(Action.ANSWER), submission_key=KEY)
    assert duplicate.value.event is first
    db.session.commit()
    assert [event.action for event in case.events] == [Action.SUBMIT, Action.VERIFY, Action.ANSWER]
    assert answer_mails(db, case.number) == 1
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "pengaduan.answer")) == 1


def test_the_key_is_checked_before_the_flow(db, seeded):
    # A resend after the first one moved the case on is the same action, not one the status refuses.
    member = make_user(Role.PENGADUAN)
    case = make_pengaduan()
    act(member, case, Action.VERIFY, action_input(Action.VERIFY), submission_key=KEY)
    with pytest.raises(ActionAlreadyRecorded):
        act(member, case, Action.VERIFY, action_input(Action.VERIFY), submission_key=KEY)
    assert case.status == Status.TERVERIFIKASI and len(case.events) == 2


def test_without_a_key_each_call_is_its_own_action(db, seeded):
    # The reporter's steps, the system's closing and a second answer typed anew carry no key (or a new one).
    member = make_user(Role.PENGADUAN)
    case = make_pengaduan()
    advance(member, case, Action.VERIFY)
    act(member, case, Action.ANSWER, action_input(Action.ANSWER))
    act(member, case, Action.ANSWER, action_input(Action.ANSWER))
    act(member, case, Action.ANSWER, action_input(Action.ANSWER), submission_key=KEY)
    act(member, case, Action.DISPOSE, action_input(Action.DISPOSE), submission_key=KEY)  # another form
    db.session.commit()
    keys = db.session.scalars(sa.select(PengaduanEvent.submission_key).order_by(PengaduanEvent.id)).all()
    assert keys == [None, None, None, None, KEY, KEY]
    assert answer_mails(db, case.number) == 3
