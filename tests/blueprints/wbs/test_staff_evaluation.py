"""The Tim WBS's evaluation and socialisation pages, the pimpinan's download, and the public WBS figures."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import sqlalchemy as sa

from tests.factories import PDF, make_user, make_wbs
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AuditEntry, FollowUpItem, PeriodEvaluation, Role, WbsSocialisation
from zi_public.rules.periods import QUARTER, period_of
from zi_public.services import evaluations
from zi_public.services.wbs import EVALUATION_SCOPE as SCOPE

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf(client, url: str) -> str:
    """The page's token when the test config checks CSRF (tests/test_csrf.py covers the refusal)."""
    match = CSRF.search(client.get(url).get_data(as_text=True))
    return match.group(1) if match else ""


def version_of(html: str) -> str:
    match = re.search(r'name="version" type="hidden" value="([^"]*)"', html)
    assert match, "the page carries its version"
    return match.group(1)


def wbs_evaluation(app, quarter) -> tuple[int, bool, str] | None:
    with app.app_context():
        row = db.session.get(PeriodEvaluation, (SCOPE, quarter.code))
        return None if row is None else (row.version_no, row.is_final, row.text)


def wbs_items(app) -> list[tuple[str, str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(FollowUpItem).where(FollowUpItem.scope == SCOPE).order_by(FollowUpItem.id))
        return [(row.item, row.owner, row.status, row.evidence) for row in rows]


def test_the_team_writes_the_evaluation_and_follow_up_items(seeded, client, login_as):
    login_as("wbs")
    quarter = period_of(QUARTER, today_jakarta())
    url = f"/internal/wbs/evaluasi/{quarter.code}"
    assert client.get("/internal/wbs/evaluasi").status_code == 200
    page = client.get(url).get_data(as_text=True)
    token = csrf(client, url)
    response = client.post(
        url, data={"csrf_token": token, "text": "Kanal WBS dikenal pegawai.", "version": version_of(page)}
    )
    assert response.status_code == 302
    response = client.post(
        f"{url}/tindak-lanjut",
        data={"csrf_token": token, "item": "Sosialisasi ke bidang teknis", "owner": "Ketua Tim WBS", "due_on": ""},
    )
    assert response.status_code == 302
    # Required fields: the form comes back with the message and what was typed, nothing saved.
    response = client.post(f"{url}/tindak-lanjut", data={"csrf_token": token, "item": "", "owner": "Sekretariat"})
    assert response.status_code == 400
    assert "Wajib diisi." in response.get_data(as_text=True) and 'value="Sekretariat"' in response.get_data(
        as_text=True
    )
    assert wbs_evaluation(seeded, quarter) == (1, False, "Kanal WBS dikenal pegawai.")
    assert wbs_items(seeded) == [("Sosialisasi ke bidang teknis", "Ketua Tim WBS", "terbuka", "")]
    with seeded.app_context():
        item = db.session.scalars(sa.select(FollowUpItem).where(FollowUpItem.scope == SCOPE)).one()
        item_id, item_version = item.id, evaluations.item_version(item)
    response = client.post(
        f"/internal/wbs/evaluasi/tindak-lanjut/{item_id}?period={quarter.code}",
        data={"csrf_token": token, "status": "selesai", "evidence": "Apel 3 Juni, 40 pegawai", "version": item_version},
    )
    assert response.status_code == 302
    assert wbs_items(seeded) == [
        ("Sosialisasi ke bidang teknis", "Ketua Tim WBS", "selesai", "Apel 3 Juni, 40 pegawai")
    ]
    with seeded.app_context():
        assert db.session.get(FollowUpItem, item_id).done_on == today_jakarta()
        actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("wbs.%"))))
        assert {"wbs.evaluation_update", "wbs.follow_up_item_add", "wbs.follow_up_item_update"} <= actions
    page = client.get(url).get_data(as_text=True)
    assert "Apel 3 Juni, 40 pegawai" in page and "Kanal WBS dikenal pegawai." in page


def test_a_save_over_a_colleagues_newer_text_is_refused_with_the_typing_kept(seeded, client, login_as):
    login_as("wbs")
    quarter = period_of(QUARTER, today_jakarta())
    url = f"/internal/wbs/evaluasi/{quarter.code}"
    opened = version_of(client.get(url).get_data(as_text=True))
    token = csrf(client, url)
    assert client.post(url, data={"csrf_token": token, "text": "Teks rekan.", "version": opened}).status_code == 302
    stale = client.post(url, data={"csrf_token": token, "text": "Teks saya yang panjang.", "version": opened})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Petugas lain baru saja menyimpan evaluasi ini." in html and "Teks saya yang panjang." in html
    assert wbs_evaluation(seeded, quarter) == (1, False, "Teks rekan.")


def test_final_locks_the_text_and_a_new_version_keeps_the_final_one_readable(seeded, client, login_as):
    login_as("wbs")
    quarter = period_of(QUARTER, today_jakarta())
    url = f"/internal/wbs/evaluasi/{quarter.code}"
    token = csrf(client, url)
    client.post(url, data={"csrf_token": token, "text": "Versi pertama.", "version": ""})
    client.post(f"{url}/tindak-lanjut", data={"csrf_token": token, "item": "Banner", "owner": "Sekretariat"})
    page = client.get(url).get_data(as_text=True)
    unconfirmed = client.post(f"{url}/final", data={"csrf_token": token, "version": version_of(page)})
    assert unconfirmed.status_code == 400 and wbs_evaluation(seeded, quarter) == (1, False, "Versi pertama.")
    final = client.post(f"{url}/final", data={"csrf_token": token, "version": version_of(page), "confirm": "y"})
    assert final.status_code == 302 and wbs_evaluation(seeded, quarter) == (1, True, "Versi pertama.")

    page = client.get(url).get_data(as_text=True)
    assert "Final" in page and f'action="{url}/tindak-lanjut"' not in page and 'name="text"' not in page
    locked = client.post(url, data={"csrf_token": token, "text": "Diam-diam diubah.", "version": version_of(page)})
    assert locked.status_code == 409 and "Versi ini sudah final" in locked.get_data(as_text=True)
    added = client.post(f"{url}/tindak-lanjut", data={"csrf_token": token, "item": "Lagi", "owner": "Tim"})
    assert added.status_code == 409 and [row[0] for row in wbs_items(seeded)] == ["Banner"]

    opened = client.post(f"{url}/versi-baru", data={"csrf_token": token, "version": version_of(page)})
    assert opened.status_code == 302
    client.post(url, data={"csrf_token": token, "text": "Versi kedua.", "version": version_of(client.get(url).text)})
    assert wbs_evaluation(seeded, quarter) == (2, False, "Versi kedua.")
    page = client.get(url).get_data(as_text=True)
    assert f'href="{url}/versi/1"' in page
    archived = client.get(f"{url}/versi/1")
    assert archived.status_code == 200
    assert "Versi pertama." in archived.get_data(as_text=True) and "Banner" in archived.get_data(as_text=True)
    assert client.get(f"{url}/versi/2").status_code == 404
    assert client.get(f"/internal/wbs/evaluasi/{quarter.code}x/versi/1").status_code == 404


def test_hostile_evaluation_posts_save_nothing_and_keep_the_typing(seeded, client, login_as):
    login_as("wbs")
    quarter = period_of(QUARTER, today_jakarta())
    url = f"/internal/wbs/evaluasi/{quarter.code}"
    token = csrf(client, url)
    nul = client.post(url, data={"csrf_token": token, "text": "Teks\x00rusak", "version": ""})
    assert nul.status_code == 400 and "tidak dapat dibaca" in nul.get_data(as_text=True)
    huge = client.post(url, data={"csrf_token": token, "text": "x" * (evaluations.TEXT_MAX + 1), "version": ""})
    assert huge.status_code == 400
    forged_version = client.post(url, data={"csrf_token": token, "text": "Teks.", "version": "2020-01-01T00:00:00"})
    assert forged_version.status_code == 409
    bad_date = client.post(
        f"{url}/tindak-lanjut", data={"csrf_token": token, "item": "Banner", "owner": "Tim", "due_on": "31-02-2026"}
    )
    assert bad_date.status_code == 400 and "Banner</textarea>" in bad_date.get_data(as_text=True)
    assert wbs_evaluation(seeded, quarter) is None and wbs_items(seeded) == []
    # Another team's item, a missing one and a quarter that is not one are not found.
    with seeded.app_context():
        upg = make_user(role=Role.UPG, username="upg.lain")
        other = evaluations.add_item(upg, "benturan", quarter, evaluations.ItemInput("Pemetaan", "UPG"))
        db.session.commit()
        other_id = other.id
    for item_id in (other_id, 10**9):
        missing = client.post(
            f"/internal/wbs/evaluasi/tindak-lanjut/{item_id}", data={"csrf_token": token, "status": "selesai"}
        )
        assert missing.status_code == 404
    assert client.post("/internal/wbs/evaluasi/2026-13/final", data={"csrf_token": token}).status_code == 404


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
    saved = client.post(
        url, data={"csrf_token": csrf(client, url), "text": "Teks.", "version": ""}, follow_redirects=True
    )
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
