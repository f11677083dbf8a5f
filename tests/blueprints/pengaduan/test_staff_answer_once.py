"""A staff action sent twice records once: every action form carries a one-time key, so a double click, a resent
POST after a slow answer or the browser's back-and-resend records one event, mails the reporter once, and the second
request lands on the case page with a neutral notice. A missing or malformed key is refused like an expired form,
with what was typed kept and a fresh key to send it with."""

from __future__ import annotations

import re
import secrets

import pytest
import sqlalchemy as sa

from tests.blueprints.pengaduan.test_staff import INBOX, act_on, audit_entries, case_row, file_case
from tests.factories import advance
from zi_public.extensions import db
from zi_public.models import Bidang, OutboxMail, Pengaduan, PengaduanEvent, Role
from zi_public.rules.pengaduan import Action, Status

NOTICE = "Tindakan ini sudah tercatat."


def events_of(app, case_id: int, action: Action) -> list[PengaduanEvent]:
    with app.app_context():
        return db.session.scalars(
            sa.select(PengaduanEvent).where(PengaduanEvent.pengaduan_id == case_id, PengaduanEvent.action == action)
        ).all()


def answer_mails(app, case_id: int) -> list[str]:
    with app.app_context():
        number = db.session.get(Pengaduan, case_id).number
        return db.session.scalars(
            sa.select(OutboxMail.body).where(OutboxMail.case_number == number, OutboxMail.kind == "pengaduan.answer")
        ).all()


def case_in(app, status: Status) -> int:
    """A complaint brought to `status` through the real flow (committed); its id."""
    case_id = file_case(app)
    steps = {
        Status.BARU: [],
        Status.TERVERIFIKASI: [Action.VERIFY],
        Status.DITINDAKLANJUTI: [Action.VERIFY, Action.DISPOSE],
        Status.SELESAI: [Action.VERIFY, Action.ANSWER, Action.FINISH],
    }[status]
    with app.app_context():
        case = db.session.get(Pengaduan, case_id)
        for action in steps:
            advance("test", case, action)
        db.session.commit()
    return case_id


def bidang_id(app) -> str:
    with app.app_context():
        return str(db.session.scalar(sa.select(Bidang.id).where(Bidang.code == "perizinan-a")))


def block(html: str, action: str) -> str:
    return re.search(rf'<section class="[^"]*" id="block-{action}".*?</section>', html, re.S).group(0)


def test_an_answer_sent_twice_is_recorded_and_mailed_once(app, seeded, client, login_as):
    case_id = case_in(app, Status.TERVERIFIKASI)
    login_as(Role.PENGADUAN)
    key = secrets.token_urlsafe(24)
    first = act_on(client, case_id, "answer", body="Izin Anda terbit besok.", submission_key=key)
    assert "Tanggapan disimpan" in first.get_data(as_text=True)
    again = act_on(client, case_id, "answer", body="Izin Anda terbit besok.", submission_key=key)
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and again.request.path == f"{INBOX}/{case_id}"  # the case page, not an error
    assert f'<p class="flash flash-info">{NOTICE}</p>' in html and "flash-error" not in html
    assert len(events_of(app, case_id, Action.ANSWER)) == 1
    assert len(answer_mails(app, case_id)) == 1 and "Izin Anda terbit besok." in answer_mails(app, case_id)[0]
    assert [action for action, _, _ in audit_entries(app, "pengaduan.answer")] == ["pengaduan.answer"]
    # A second answer is a new form with its own key: the team may answer again, and it is mailed again.
    act_on(client, case_id, "answer", body="Koreksi: terbit lusa.")
    assert len(events_of(app, case_id, Action.ANSWER)) == 2 and len(answer_mails(app, case_id)) == 2


@pytest.mark.parametrize(
    ("status", "action", "fields"),
    [
        (Status.DITINDAKLANJUTI, Action.FOLLOW_UP, {"body": "Berkas diperiksa bidang."}),
        (Status.TERVERIFIKASI, Action.DISPOSE, {"bidang": None, "body": "Mohon dicek"}),
        (Status.DITINDAKLANJUTI, Action.DISPOSE, {"bidang": None, "body": "Mohon dicek lagi"}),
        (Status.SELESAI, Action.REOPEN, {"body": "Pelapor menelepon: belum tuntas."}),
        (Status.BARU, Action.VERIFY, {}),  # the flow refused the second one with an error; now the same notice
        (Status.TERVERIFIKASI, Action.FINISH, {}),
    ],
)
def test_each_action_sent_twice_records_one_event(app, seeded, client, login_as, status, action, fields):
    case_id = case_in(app, status)
    if action == Action.FINISH:
        with app.app_context():
            advance("test", db.session.get(Pengaduan, case_id), Action.ANSWER)
            db.session.commit()
    fields = {name: value or bidang_id(app) for name, value in fields.items()}
    login_as(Role.PENGADUAN)
    form = {**fields, "submission_key": secrets.token_urlsafe(24)}
    before = len(events_of(app, case_id, action)), len(audit_entries(app, f"pengaduan.{action.value}"))
    assert "flash-success" in act_on(client, case_id, action.value, **form).get_data(as_text=True)
    after_first = case_row(app, case_id)
    html = act_on(client, case_id, action.value, **form).get_data(as_text=True)
    assert NOTICE in html and "flash-error" not in html and 'role="alert"' not in html
    assert case_row(app, case_id) == after_first  # nothing else changed either (the reopen count included)
    after = len(events_of(app, case_id, action)), len(audit_entries(app, f"pengaduan.{action.value}"))
    assert after == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize(
    "sent",
    [
        None,  # a page rendered before the key existed, or a hand-made POST
        "",
        "kurang",  # too short
        "x" * 65,  # too long for the column
        "kunci dengan spasi dan ; DROP",
        "ключ-ключ-ключ-ключ",  # not the key's alphabet
    ],
)
def test_a_missing_or_malformed_key_is_refused_and_the_text_kept(app, seeded, client, login_as, sent):
    case_id = case_in(app, Status.TERVERIFIKASI)
    login_as(Role.PENGADUAN)
    data = {"answer-body": "Izin Anda terbit besok."}
    if sent is not None:
        data["answer-submission_key"] = sent
    response = client.post(f"{INBOX}/{case_id}/answer", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Formulir kedaluwarsa" in html
    answer = block(html, "answer")
    assert "Izin Anda terbit besok." in answer and 'class="action-block has-error"' in answer
    assert case_row(app, case_id) == (Status.TERVERIFIKASI, 2) and answer_mails(app, case_id) == []
    assert audit_entries(app, "pengaduan.answer") == []
    # The page came back with a fresh, well-formed key: sending it as it is now records the answer.
    fresh = re.search(r'name="answer-submission_key" type="hidden" value="([^"]+)"', answer).group(1)
    assert fresh != sent and re.fullmatch(r"[A-Za-z0-9_\-]{16,64}", fresh)
    act_on(client, case_id, "answer", body="Izin Anda terbit besok.", submission_key=fresh)
    assert len(events_of(app, case_id, Action.ANSWER)) == 1 and len(answer_mails(app, case_id)) == 1


def test_a_nul_byte_in_the_key_is_refused_like_any_field_and_records_nothing(app, seeded, client, login_as):
    # The input guard refuses a NUL in any form body this view reads (400 before the view runs).
    case_id = case_in(app, Status.TERVERIFIKASI)
    login_as(Role.PENGADUAN)
    data = {"answer-body": "Izin terbit.", "answer-submission_key": "abc\x00def-ghij-klmnop"}
    assert client.post(f"{INBOX}/{case_id}/answer", data=data).status_code == 400
    assert case_row(app, case_id) == (Status.TERVERIFIKASI, 2) and answer_mails(app, case_id) == []


def test_a_refused_form_keeps_its_key_so_the_corrected_resend_records_once(app, seeded, client, login_as):
    case_id = case_in(app, Status.TERVERIFIKASI)
    login_as(Role.PENGADUAN)
    key = secrets.token_urlsafe(24)
    html = act_on(client, case_id, "answer", body="   ", submission_key=key).get_data(as_text=True)
    assert "Tulis isi tanggapan" in html and f'value="{key}"' in block(html, "answer")  # nothing recorded with it
    act_on(client, case_id, "answer", body="Izin terbit.", submission_key=key)
    assert NOTICE in act_on(client, case_id, "answer", body="Izin terbit.", submission_key=key).get_data(as_text=True)
    assert len(events_of(app, case_id, Action.ANSWER)) == 1 and len(answer_mails(app, case_id)) == 1


def test_a_key_replayed_on_another_form_or_case_is_that_forms_own(app, seeded, client, login_as):
    # The key says "this form was sent already", nothing more: on another action or another complaint it is a
    # different form, recorded as usual (and never announced as already recorded).
    first, other = case_in(app, Status.DITINDAKLANJUTI), case_in(app, Status.DITINDAKLANJUTI)
    login_as(Role.PENGADUAN)
    key = secrets.token_urlsafe(24)
    act_on(client, first, "follow_up", body="Berkas diperiksa.", submission_key=key)
    html = act_on(client, first, "answer", body="Izin terbit.", submission_key=key).get_data(as_text=True)
    assert NOTICE not in html and "Tanggapan disimpan" in html
    html = act_on(client, other, "follow_up", body="Berkas diperiksa.", submission_key=key).get_data(as_text=True)
    assert NOTICE not in html and "Tindak lanjut dicatat" in html
    assert [len(events_of(app, c, Action.FOLLOW_UP)) for c in (first, other)] == [1, 1]


def test_every_action_form_on_the_page_has_its_own_key(app, seeded, client, login_as):
    case_id = case_in(app, Status.DITINDAKLANJUTI)
    login_as(Role.PENGADUAN)
    html = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    keys = dict(re.findall(r'name="(\w+)-submission_key" type="hidden" value="([^"]+)"', html))
    assert set(keys) == {"follow_up", "answer", "finish", "dispose"}
    assert len(set(keys.values())) == len(keys)
    again = dict(
        re.findall(
            r'name="(\w+)-submission_key" type="hidden" value="([^"]+)"',
            client.get(f"{INBOX}/{case_id}").get_data(as_text=True),
        )
    )
    assert not set(again.values()) & set(keys.values())  # a reload is a new page: new forms
