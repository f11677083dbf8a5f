"""The inbox's next due dates coloured by how close they are (issue 11 point 8), the button to record a complaint,
the search by SP4N-LAPOR!'s tracking number, and the inbox and case page in English with the catalogue's English
names (point 12)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.blueprints.pengaduan.test_staff import INBOX, act_on, file_case, number_of, row_ids
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.models import Bidang, Pengaduan, Role
from zi_public.rules.pengaduan import Channel

JAKARTA = ZoneInfo("Asia/Jakarta")


def row(html: str, case_id: int) -> str:
    return re.search(rf'<tr id="pengaduan-{case_id}"[^>]*>.*?</tr>', html, re.S).group(0)


def due_cell(html: str, case_id: int) -> str:
    return re.search(r'<td class="due">(.*?)</td>', row(html, case_id), re.S).group(1)


def test_every_open_case_shows_its_next_due_date(app, seeded, client, login_as):
    overdue = file_case(app, days_ago=30)
    fresh = file_case(app)
    soon = file_case(app)
    finished = file_case(app)
    today = datetime.now(JAKARTA).date()
    with app.app_context():
        db.session.get(Pengaduan, soon).verify_by = today  # due today
        db.session.commit()
    login_as(Role.PENGADUAN)
    for action, fields in (("verify", {}), ("answer", {"body": "Sudah kami proses."}), ("finish", {})):
        act_on(client, finished, action, **fields)
    html = client.get(INBOX).get_data(as_text=True)

    assert 'class="is-overdue"' in row(html, overdue)
    assert 'class="due-overdue"' in due_cell(html, overdue) and "Terlambat" in due_cell(html, overdue)
    assert "verifikasi:" in due_cell(html, overdue)
    assert 'class="is-soon"' in row(html, soon) and "segera" in due_cell(html, soon)
    assert today.strftime("%Y") in due_cell(html, soon)
    assert 'class="due-later"' in due_cell(html, fresh) and "verifikasi:" in due_cell(html, fresh)
    assert "class=" not in row(html, fresh).split(">", 1)[0]  # an ordinary row
    assert due_cell(html, finished) == "—"


def test_the_team_gets_a_button_to_record_a_complaint(app, client, login_as):
    login_as(Role.PENGADUAN)
    html = client.get(INBOX).get_data(as_text=True)
    assert re.search(r'<a class="button primary" id="intake-link" href="/internal/pengaduan/catat">', html)
    refused = client.get(INBOX + "?q=" + quote("LAP 2026")).get_data(as_text=True)  # a filter it refuses
    assert "Perbaiki filter" in refused and 'id="intake-link"' in refused
    client.post("/auth/logout")
    login_as(Role.PIMPINAN)
    assert 'id="intake-link"' not in client.get(INBOX).get_data(as_text=True)


def test_inbox_and_case_page_in_english_name_the_catalogue_in_english(app, seeded, client, login_as):
    case_id = file_case(app, category="waktu", layanan="pbg")
    with app.app_context():
        bidang_id = db.session.scalar(sa.select(Bidang.id).where(Bidang.code == "perizinan-a"))
    login_as(Role.PENGADUAN)
    client.set_cookie(LANG_COOKIE, "en")
    division = "Licensing and Non-Licensing Services Division A"
    act_on(client, case_id, "verify")
    html = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    assert f'<option value="{bidang_id}">{division}</option>' in html  # the disposisi's choices
    response = act_on(client, case_id, "dispose", bidang=str(bidang_id), body="Mohon dicek")
    html = response.get_data(as_text=True)
    assert division in re.search(r'<p class="flash flash-success">(.*?)</p>', html, re.S).group(1)
    facts = re.search(r'<dl class="facts">.*?</dl>', html, re.S).group(0)
    assert "Completion time" in facts and "Building Approval (PBG)" in facts and division in facts
    for indonesian in ("Waktu penyelesaian", "Persetujuan Bangunan Gedung", "Bidang Pelayanan"):
        assert indonesian not in html
    history = re.search(r'id="history".*?</ol>', html, re.S).group(0)
    assert f"to {division}" in history

    inbox = client.get(INBOX).get_data(as_text=True)
    assert "Completion time" in row(inbox, case_id) and division in row(inbox, case_id)
    assert f'<option value="perizinan-a">{division}</option>' in inbox
    assert '<option value="waktu">Completion time</option>' in inbox
    assert "follow-up:" in due_cell(inbox, case_id)


def test_a_recorded_complaint_shows_its_lapor_number_and_who_recorded_it(app, seeded, client, login_as):
    case_id = file_case(app, channel=Channel.LAPOR, days_ago=1)
    team = login_as(Role.PENGADUAN, username="tim2")
    with app.app_context():
        case = db.session.get(Pengaduan, case_id)
        case.lapor_number, case.recorded_by_id = "LAPOR-2611-0042", team.id
        case.received_on -= timedelta(days=3)  # a letter found late: received before it was recorded
        db.session.commit()
        received_on = case.received_on
    html = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    assert "LAPOR-2611-0042" in re.search(r'id="lapor-number">.*?</dd>', html, re.S).group(0)
    received = re.search(r'id="received">.*?</dd>', html, re.S).group(0)
    assert str(received_on.day) in received and "SP4N-LAPOR!" in received and "oleh tim2" in received


def give_lapor_number(app, case_id: int, lapor_number: str) -> None:
    with app.app_context():
        db.session.get(Pengaduan, case_id).lapor_number = lapor_number
        db.session.commit()


def test_the_search_finds_a_complaint_by_its_lapor_number(app, seeded, client, login_as):
    lapor = file_case(app, channel=Channel.LAPOR)
    web = file_case(app)
    give_lapor_number(app, lapor, "LAP-2611/0042")
    login_as(Role.PENGADUAN)

    def found(query: str) -> list[int]:
        response = client.get(f"{INBOX}?q={quote(query)}")
        assert response.status_code == 200
        return row_ids(response.get_data(as_text=True))

    assert found("#lap-2611/0042") == [lapor]  # as LAPOR!'s page shows it, typed in lower case
    assert found("LAP-2611") == [lapor]
    assert found("LAP-2612") == []
    assert found(number_of(app, web)) == [web]  # the complaint's own number still works
    assert client.get(f"{INBOX}?q=%00LAP").status_code == 400  # a NUL byte is refused app-wide, not a 500
    html = client.get(f"{INBOX}?q=%23lap-2611/0042").get_data(as_text=True)
    assert 'value="#lap-2611/0042"' in html  # what was typed stays in the box
    assert re.search(r'<label for="q">Nomor pengaduan atau SP4N-LAPOR!</label>', html)
    client.set_cookie(LANG_COOKIE, "en")
    english = client.get(INBOX).get_data(as_text=True)
    assert re.search(r'<label for="q">Complaint or SP4N-LAPOR! number</label>', english)


@pytest.mark.parametrize(
    "query",
    ["%23", "LAP%2A2611", "LAP_2611", "LAP%252611", "A" * 42, "%FF%FE", "LAP 2611"],
)
def test_a_search_no_number_could_match_says_what_the_box_takes(app, seeded, client, login_as, query):
    give_lapor_number(app, file_case(app, channel=Channel.LAPOR), "LAP-2611")
    login_as(Role.PENGADUAN)
    response = client.get(f"{INBOX}?q={query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert row_ids(html) == [] and "Perbaiki filter" in html
    error = re.search(r'<p class="error" id="q-error">(.*?)</p>', html, re.S).group(1)
    assert error.count("nomor pelacakan SP4N-LAPOR!") == 1  # said once, also when the search is too long
