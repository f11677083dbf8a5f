"""The case page's actions (issue 11, points 6 and 7): only the ones that fit the case's state, the usual next
step first, each in a block with a heading; rejecting and forwarding last, apart, behind "Saya yakin"; a
complaint the team answers itself is finished without a disposisi, and the page says what finishing needs."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from blueprints.pengaduan.staff_forms import ACTION_ORDER
from tests.blueprints.pengaduan.test_staff import INBOX, act_on, audit_entries, case_row, file_case
from zi_public.extensions import db
from zi_public.models import Bidang, Pengaduan, Role
from zi_public.rules.pengaduan import ENDING_ACTIONS, STAFF_ACTIONS, Action, Status, allowed_actions


def blocks(html: str) -> tuple[list[str], list[str]]:
    """The action blocks in page order: (the usual ones, the ones that end the case)."""
    ending = re.search(r'id="ending-actions".*', html, re.S)
    usual = html[: ending.start()] if ending else html
    found = lambda text: re.findall(r'<section class="action-block[^"]*" id="block-(\w+)"', text)  # noqa: E731
    return found(usual), found(ending.group(0)) if ending else []


def block(html: str, action: str) -> str:
    return re.search(rf'<section class="[^"]*" id="block-{action}".*?</section>', html, re.S).group(0)


@pytest.mark.parametrize("status", list(Status))
def test_the_order_offers_exactly_what_the_flow_allows(status):
    # Nothing the flow allows is hidden, nothing it refuses is offered; the ending ones come last.
    order = ACTION_ORDER.get(status, ())
    assert set(order) == allowed_actions(status) & set(STAFF_ACTIONS)
    assert len(order) == len(set(order))
    kept = [action in ENDING_ACTIONS for action in order]
    assert kept == sorted(kept)


def test_verified_answered_and_finished_without_a_disposisi(app, seeded, client, login_as):
    case_id = file_case(app)
    login_as(Role.PENGADUAN)
    html = act_on(client, case_id, "verify").get_data(as_text=True)
    assert blocks(html) == (["answer", "dispose", "finish"], ["reject", "forward"])
    finish = block(html, "finish")
    assert "Perlu tanggapan kepada pelapor lebih dulu" in finish and 'aria-describedby="finish-needs"' in finish
    assert "Tidak wajib" in block(html, "dispose")  # the disposisi says it is optional

    response = act_on(client, case_id, "finish")  # too early: the page says why, in the finish block too
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and case_row(app, case_id) == (Status.TERVERIFIKASI, 2)
    assert 'class="action-block has-error"' in block(html, "finish")
    assert "Kirim tanggapan kepada pelapor sebelum menyelesaikan" in block(html, "finish")

    html = act_on(client, case_id, "answer", body="Berkas Anda sudah kami proses.").get_data(as_text=True)
    assert "Tanggapan sudah dikirim kepada pelapor" in block(html, "finish")
    assert "membalas selama 10 hari kerja" in block(html, "finish")  # the clock policy's reply window
    html = act_on(client, case_id, "finish").get_data(as_text=True)
    assert "Pengaduan diselesaikan" in html
    assert blocks(html) == (["reopen"], [])
    with app.app_context():
        case = db.session.get(Pengaduan, case_id)
        assert case.status == Status.SELESAI and case.bidang_id is None
        assert [e.action for e in case.events] == [Action.SUBMIT, Action.VERIFY, Action.ANSWER, Action.FINISH]
        assert case.followed_up_on is not None and case.finished_on is not None


def test_each_state_offers_its_actions_usual_next_step_first(app, seeded, client, login_as):
    case_id = file_case(app)
    with app.app_context():
        bidang_id = db.session.scalar(sa.select(Bidang.id).where(Bidang.code == "perizinan-a"))
    login_as(Role.PENGADUAN)
    html = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    assert blocks(html) == (["verify"], ["reject", "forward"])
    assert 'class="button primary"' in block(html, "verify")
    assert 'class="button danger"' in block(html, "reject") and 'class="button danger"' in block(html, "forward")
    assert "<h3" in block(html, "verify") and "Mengakhiri penanganan" in html
    act_on(client, case_id, "verify")
    html = act_on(client, case_id, "dispose", bidang=str(bidang_id), body="Mohon dicek").get_data(as_text=True)
    assert blocks(html) == (["follow_up", "answer", "finish", "dispose"], [])
    assert 'class="button primary"' in block(html, "follow_up") and "primary" not in block(html, "answer")
    assert 'id="ending-actions"' not in html


@pytest.mark.parametrize(
    ("action", "fields", "kept"),
    [
        ("reject", {"body": "Bukan kewenangan kami"}, "Bukan kewenangan kami"),
        ("reject", {"body": "Bukan kewenangan kami", "confirm": ""}, "Bukan kewenangan kami"),
        ("reject", {"body": "Bukan kewenangan kami", "confirm": "false"}, "Bukan kewenangan kami"),
        ("forward", {"forwarded_to": "BPN Kota Magelang", "body": "Silakan hubungi BPN."}, "BPN Kota Magelang"),
    ],
)
def test_ending_actions_need_saya_yakin(app, seeded, client, login_as, action, fields, kept):
    case_id = file_case(app)
    login_as(Role.PENGADUAN)
    response = act_on(client, case_id, action, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Centang &#39;Saya yakin&#39;" in block(html, action)
    assert kept in block(html, action)  # what was typed is still there
    assert case_row(app, case_id) == (Status.BARU, 1)
    assert audit_entries(app, f"pengaduan.{action}") == []
    assert act_on(client, case_id, action, **{**fields, "confirm": "y"}).status_code == 200
    assert case_row(app, case_id)[0] == (Status.DITOLAK if action == "reject" else Status.DIALIHKAN)


def test_a_stale_page_cannot_repeat_an_ending_action(app, seeded, client, login_as):
    # Sent twice (a second tab, a resend): the second one is refused with a message and changes nothing.
    case_id = file_case(app)
    login_as(Role.PENGADUAN)
    act_on(client, case_id, "reject", body="Bukan kewenangan kami", confirm="y")
    response = act_on(client, case_id, "forward", forwarded_to="BPN", confirm="y")
    assert response.status_code == 200
    assert "tidak dapat dilakukan pada status saat ini" in response.get_data(as_text=True)
    assert case_row(app, case_id) == (Status.DITOLAK, 2)
