"""The public recap page of a month or semester and its downloads (issue 11 point 4): "sisa bulan lalu + masuk -
selesai = sisa" by channel, category and layanan, xlsx and CSV in the page's language, aggregates only, a past
period as of its last day, hostile periods refused with a page (never a 500), downloads rate-limited."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from tests.blueprints.pengaduan.test_statistik import table_rows
from tests.exports.publik_scenario import SECRET_TEXT, SECRET_TITLE, file_scenario
from tests.factories import advance
from zi_public.exports.pengaduan_publik import latest_month
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Pengaduan
from zi_public.rules.pengaduan import Action

PAGE = "/pengaduan/statistik/rekap"
DOWNLOAD = "/pengaduan/statistik/unduh"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def scenario(app, seeded):
    with app.app_context():
        return {key: case.id for key, case in file_scenario().items()}


def next_year() -> int:
    return today_jakarta().year + 1


def test_the_page_shows_a_month_by_channel_category_and_layanan(client, scenario):
    response = client.get(PAGE, query_string={"periode": "2025-10"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h2>Oktober 2025</h2>" in html and "Keadaan per 31 Oktober 2025." in html
    assert "Periode masih berjalan" not in html
    rows = table_rows(html)
    assert rows[0] == (
        "Kanal", "Sisa bulan lalu", "Pengaduan masuk", "Selesai", "Sisa", "Tindak lanjut dipenuhi atau terlewat",
        "Tindak lanjut tepat waktu", "Persentase tepat waktu",
    )  # fmt: skip
    assert ("Kotak pengaduan", "1", "0", "1", "0", "1", "1", "100,0%") in rows
    assert ("SP4N-LAPOR!", "0", "1", "0", "1", "1", "0", "0,0%") in rows
    assert ("Telepon/call center", "0", "0", "0", "0", "0", "0", "–") in rows
    assert rows.count(("Jumlah", "1", "3", "2", "2", "2", "1", "50,0%")) == 3  # the total under each table
    assert [r[0] for r in rows if r[0] in ("Kanal", "Kategori", "Layanan")] == ["Kanal", "Kategori", "Layanan"]
    assert f'href="{DOWNLOAD}/2025-10.xlsx"' in html and f'href="{DOWNLOAD}/2025-10.csv"' in html


def test_a_semester_says_last_semester(client, scenario):
    html = client.get(PAGE, query_string={"periode": "2025-S2"}).get_data(as_text=True)
    rows = table_rows(html)
    assert rows[0][1] == "Sisa semester lalu"
    assert ("Jumlah", "0", "6", "3", "3", "3", "2", "66,7%") in rows


def test_the_page_opens_on_the_last_month_that_ended(client, scenario):
    response = client.get(PAGE)
    assert response.status_code == 200
    month = latest_month(today_jakarta())
    assert f'<option value="{month.code}" selected>' in response.get_data(as_text=True)


def test_the_running_month_says_its_figures_may_change(client, scenario):
    html = client.get(PAGE, query_string={"periode": today_jakarta().strftime("%Y-%m")}).get_data(as_text=True)
    assert "Periode masih berjalan: angkanya masih dapat berubah." in html


def test_the_page_in_english(client, scenario):
    client.get("/bahasa/en")
    html = client.get(PAGE, query_string={"periode": "2025-10"}).get_data(as_text=True)
    rows = table_rows(html)
    assert rows[0][:3] == ("Channel", "Carried over from last month", "Received")
    assert ("Total", "1", "3", "2", "2", "2", "1", "50.0%") in rows


@pytest.mark.parametrize(
    "period", ["2025", "2025-Q4", "2025-13", "2025-S3", "../../etc", "x" * 10_000, "２０２５-１０"]
)
def test_a_period_the_page_does_not_cover_is_a_clear_404(client, scenario, period):
    response = client.get(PAGE, query_string={"periode": period})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Periode tidak dikenali. Pilih bulan (misalnya 2026-11) atau semester (misalnya 2026-S2)." in html
    assert '<select id="periode" name="periode">' in html and "<table" not in html


def test_a_nul_in_the_period_is_refused_before_the_view(client, scenario):
    response = client.get(PAGE, query_string={"periode": "2025-10\x00"})
    assert response.status_code == 400 and "Permintaan tidak dapat diproses" in response.get_data(as_text=True)


def test_a_period_not_yet_begun_is_refused(client, scenario):
    for period in (f"{next_year()}-01", f"{next_year()}-S1"):
        response = client.get(PAGE, query_string={"periode": period})
        assert response.status_code == 404
        assert "Periode itu belum dimulai" in response.get_data(as_text=True)


# --- downloads ---------------------------------------------------------------------------------------------


def test_the_xlsx_download(client, scenario):
    response = client.get(f"{DOWNLOAD}/2025-10.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == "attachment; filename=rekap-pengaduan-2025-10.xlsx"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "xl/workbook.xml" in archive.namelist()


def test_the_csv_download_in_the_page_language(client, scenario):
    response = client.get(f"{DOWNLOAD}/2025-S2.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=rekap-pengaduan-2025-S2.csv"
    assert response.data.startswith("\ufeffPeriode;Keadaan per;Rincian;Nama;Sisa semester lalu;".encode())
    client.get("/bahasa/en")
    english = client.get(f"{DOWNLOAD}/2025-S2.csv").data
    assert english.startswith("\ufeffPeriod;As of;Breakdown;Name;Carried over from last semester;".encode())


def test_no_rahasia_title_or_text_reaches_the_public(client, scenario):
    """The rahasia (and anonim) complaints' unique title and text are in the database, nowhere in public."""
    texts = [client.get(PAGE, query_string={"periode": p}).data for p in ("2025-10", "2025-S2")]
    for period in ("2025-10", "2025-S2"):
        for lang in ("id", "en"):
            client.get(f"/bahasa/{lang}")
            texts.append(client.get(f"{DOWNLOAD}/{period}.csv").data)
            xlsx = client.get(f"{DOWNLOAD}/{period}.xlsx").data
            with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
                texts.append(b"".join(archive.read(name) for name in archive.namelist()))
    for data in texts:
        for secret in (SECRET_TITLE, SECRET_TEXT, "PGD-", "Budi Santoso"):
            assert secret.encode() not in data


def test_a_past_period_downloads_the_same_file_later(app, client, scenario):
    first = client.get(f"{DOWNLOAD}/2025-10.csv").data
    with app.app_context():  # recorded today, long after October
        advance("tim", db.session.get(Pengaduan, scenario["C"]), Action.ANSWER)
        advance("tim", db.session.get(Pengaduan, scenario["D"]), Action.REJECT)
        db.session.commit()
    assert client.get(f"{DOWNLOAD}/2025-10.csv").data == first


@pytest.mark.parametrize(
    "name",
    ["2025-13.csv", "2025-S3.xlsx", "2025-Q4.csv", "2025.csv", "%00.csv", "2025-10%00.csv", "x" * 10_000 + ".csv",
     "..%2F..%2Fetc.csv", "2025-10.pdf", "2025-10", "２０２５-１０.csv", "2025-10.csv.csv"],
)  # fmt: skip
def test_hostile_download_names_are_refused_with_a_page(client, scenario, name):
    response = client.get(f"{DOWNLOAD}/{name}")
    assert response.status_code in (400, 404)
    assert response.mimetype == "text/html"


def test_a_future_download_is_refused_with_the_reason(client, scenario):
    response = client.get(f"{DOWNLOAD}/{next_year()}-S1.xlsx")
    assert response.status_code == 404
    assert "Periode itu belum dimulai" in response.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_PUBLIC_DOWNLOAD": "2 per minute"}])
def test_downloads_are_rate_limited_per_address(app, client, scenario):
    assert client.get(f"{DOWNLOAD}/2025-10.csv").status_code == 200
    assert client.get(f"{DOWNLOAD}/2025-10.xlsx").status_code == 200
    refused = client.get(f"{DOWNLOAD}/2025-09.csv")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    other = app.test_client().get(f"{DOWNLOAD}/2025-10.csv", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 200
    assert client.get(PAGE, query_string={"periode": "2025-10"}).status_code == 200  # the page is not limited


def test_the_as_of_day_of_a_past_semester_is_its_last_day(client, scenario):
    html = client.get(PAGE, query_string={"periode": "2025-S1"}).get_data(as_text=True)
    assert "Keadaan per 30 Juni 2025." in html
    assert date(2025, 6, 30) < today_jakarta()


def test_a_month_without_complaints_shows_zeros_and_its_downloads(client, seeded):
    """An office with no complaint yet: every channel and active catalogue entry at zero, no share ("–" on the
    page, an empty cell in the CSV), no "not set" line, and both files still made."""
    month = latest_month(today_jakarta())
    html = client.get(PAGE).get_data(as_text=True)
    assert f'<option value="{month.code}" selected>' in html
    rows = table_rows(html)
    assert rows.count(("Jumlah", "0", "0", "0", "0", "0", "0", "–")) == 3
    assert ("Kotak pengaduan", "0", "0", "0", "0", "0", "0", "–") in rows
    assert not any(row[0] == "Tidak diisi" for row in rows)
    csv_lines = client.get(f"{DOWNLOAD}/{month.code}.csv").data.decode("utf-8-sig").splitlines()
    assert csv_lines[-1].split(";")[3:] == ["Jumlah", "0", "0", "0", "0", "0", "0", ""]
    assert client.get(f"{DOWNLOAD}/{month.code}.xlsx").status_code == 200
