"""The Tim WBS's evaluation and socialisation pages, the pimpinan's download, and the public WBS figures."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import sqlalchemy as sa

from tests.factories import PDF, make_wbs
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AuditEntry, WbsEvaluation, WbsFollowUpItem, WbsSocialisation
from zi_public.rules.periods import QUARTER, period_of

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf(client, url: str) -> str:
    """The page's token when the test config checks CSRF (tests/test_csrf.py covers the refusal)."""
    match = CSRF.search(client.get(url).get_data(as_text=True))
    return match.group(1) if match else ""


def test_the_team_writes_the_evaluation_and_follow_up_items(seeded, client, login_as):
    login_as("wbs")
    quarter = period_of(QUARTER, today_jakarta())
    url = f"/internal/wbs/evaluasi/{quarter.code}"
    assert client.get("/internal/wbs/evaluasi").status_code == 200
    token = csrf(client, url)
    response = client.post(url, data={"csrf_token": token, "text": "Kanal WBS dikenal pegawai."})
    assert response.status_code == 302
    response = client.post(
        f"{url}/tindak-lanjut",
        data={"csrf_token": token, "item": "Sosialisasi ke bidang teknis", "owner": "Ketua Tim WBS", "due_on": ""},
    )
    assert response.status_code == 302
    # Required fields: the form comes back with the message, nothing saved.
    response = client.post(f"{url}/tindak-lanjut", data={"csrf_token": token, "item": "", "owner": ""})
    assert response.status_code == 200 and "Wajib diisi." in response.get_data(as_text=True)
    with seeded.app_context():
        assert db.session.get(WbsEvaluation, quarter.code).text == "Kanal WBS dikenal pegawai."
        item = db.session.scalars(sa.select(WbsFollowUpItem)).one()
        item_id = item.id
    response = client.post(
        f"/internal/wbs/evaluasi/tindak-lanjut/{item_id}?period={quarter.code}",
        data={"csrf_token": token, "status": "selesai"},
    )
    assert response.status_code == 302
    with seeded.app_context():
        item = db.session.get(WbsFollowUpItem, item_id)
        assert item.status == "selesai" and item.done_on == today_jakarta()
        actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("wbs.%"))))
        assert {"wbs.evaluation_update", "wbs.follow_up_item_add", "wbs.follow_up_item_status"} <= actions


def test_the_team_records_a_socialisation_with_evidence(seeded, client, login_as):
    login_as("wbs")
    token = csrf(client, "/internal/wbs/sosialisasi")
    today = today_jakarta()
    response = client.post(
        "/internal/wbs/sosialisasi",
        data={
            "csrf_token": token,
            "held_on": today.isoformat(),
            "medium": "Apel pagi",
            "audience": "Seluruh pegawai",
            "summary": "Pengenalan kanal WBS.",
            "files": [(io.BytesIO(PDF), "daftar-hadir.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with seeded.app_context():
        activity = db.session.scalars(sa.select(WbsSocialisation)).one()
        attachment = db.session.scalars(sa.select(Attachment).where(Attachment.case_kind == "wbs_socialisation")).one()
        ids = activity.id, attachment.id
    page = client.get(f"/internal/wbs/sosialisasi?period={period_of(QUARTER, today).code}").get_data(as_text=True)
    assert "Apel pagi" in page and "daftar-hadir.pdf" in page
    download = client.get(f"/internal/wbs/sosialisasi/{ids[0]}/bukti/{ids[1]}")
    assert download.status_code == 200 and download.data == PDF
    # A date in the future is refused beside the field.
    response = client.post(
        "/internal/wbs/sosialisasi",
        data={"csrf_token": token, "held_on": date(today.year + 1, 1, 1).isoformat(), "medium": "x", "audience": "y"},
    )
    assert response.status_code == 200 and "setelah hari ini" in response.get_data(as_text=True)


def test_the_pimpinan_downloads_the_evaluation_and_nothing_else(seeded, client, login_as):
    login_as("pimpinan")
    response = client.get("/internal/wbs/evaluasi/2026-Q2.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)["Jumlah laporan"] is not None
    assert client.get("/internal/wbs/evaluasi/2026-Q2").status_code == 403
    assert client.get("/internal/wbs/sosialisasi").status_code == 403
    assert client.get("/internal/wbs/evaluasi/2026-13.xlsx").status_code == 404


def test_public_statistics_show_wbs_counts_with_small_ones_suppressed(seeded, client):
    with seeded.app_context():
        for _ in range(4):
            make_wbs(today=today_jakarta())
        make_wbs(today=today_jakarta(), category="korupsi")
        db.session.commit()
    page = client.get("/pengaduan/statistik").get_data(as_text=True)
    assert "Laporan pelanggaran (WBS) per triwulan" in page
    assert period_of(QUARTER, today_jakarta()).label_id in page
    assert "&lt; 3" in page
    # The single korupsi report never appears as a 1.
    assert not re.search(r"<td>1</td>", page.split('id="wbs"')[1])


def test_the_dashboards_link_to_the_evaluation(seeded, client, login_as):
    login_as("pimpinan")
    page = client.get("/internal/").get_data(as_text=True)
    quarter = period_of(QUARTER, today_jakarta())
    assert f"/internal/wbs/evaluasi/{quarter.code}.xlsx" in page


def test_the_pimpinan_gets_it_from_the_reports_page_too_and_a_bad_period_is_no_500(seeded, client, login_as):
    login_as("pimpinan")
    assert client.get("/internal/laporan/wbs-evaluasi.xlsx?period=2026-Q2").status_code == 200
    bad = client.get("/internal/laporan/wbs-evaluasi.xlsx?period=2026-13")
    assert bad.status_code == 400
    assert 'id="period-wbs-error" role="alert">Periode tidak valid' in bad.get_data(as_text=True)
    page = client.get("/internal/laporan").get_data(as_text=True)
    assert 'action="/internal/laporan/wbs-evaluasi.xlsx"' in page
    assert f'<option value="{period_of(QUARTER, today_jakarta()).code}"' in page


def test_the_english_pages_name_the_quarters_in_english(seeded, client, login_as):
    """The evaluation, socialisation and statistics pages, the pimpinan's dashboard and the save flash showed
    Period.label_id ('Triwulan IV 2026') on the English pages; Indonesian pages keep it."""
    quarter = period_of(QUARTER, today_jakarta())
    roman = ("I", "II", "III", "IV")[quarter.index - 1]
    with seeded.app_context():
        for _ in range(3):
            make_wbs(today=today_jakarta())
        db.session.commit()
    login_as("wbs")
    client.set_cookie("zi_lang", "en")
    url = f"/internal/wbs/evaluasi/{quarter.code}"
    saved = client.post(url, data={"csrf_token": csrf(client, url), "text": "Teks."}, follow_redirects=True)
    pages = {
        "flash": saved.get_data(as_text=True),
        "evaluation": client.get(url).get_data(as_text=True),
        "socialisation": client.get("/internal/wbs/sosialisasi").get_data(as_text=True),
        "statistics": client.get("/pengaduan/statistik").get_data(as_text=True),
    }
    assert f"Evaluation Quarter {roman} {quarter.year} saved." in pages["flash"]
    assert f"Activities Quarter {roman} {quarter.year}" in pages["socialisation"]
    client.post("/auth/logout")
    login_as("pimpinan")
    pages["dashboard"] = client.get("/internal/").get_data(as_text=True)
    assert f"WBS evaluation Quarter {roman} {quarter.year} (xlsx)" in pages["dashboard"]
    for name, html in pages.items():
        assert f"Quarter {roman} {quarter.year}" in html and "Triwulan" not in html, name
    client.set_cookie("zi_lang", "id")
    assert f"Evaluasi WBS {quarter.label_id} (xlsx)" in client.get("/internal/").get_data(as_text=True)
