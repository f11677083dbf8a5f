"""The reporter's gratifikasi form and receipt: the issue's check (35 working days late, 20 on time, a refused
gift never late), personal data and the access code not in clear in the database, hostile input to every field
and file (a clear message, everything typed kept, nothing saved, never a 500), a resent form files once."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.factories import PDF
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.services.calendar import work_calendar

FORM = "/gratifikasi/lapor"
RECEIPT = "/gratifikasi/tanda-terima"
NIK = "3371010101900001"
ADDRESS = "Jl. Pahlawan 17, Magelang"


# -- helpers (also used by the other test_public* modules) ------------------------------------


def working_days_back(app, n: int) -> date:
    """The day `n` working days before today on the app's work calendar (holidays and cuti bersama skipped)."""
    with app.app_context():
        calendar = work_calendar()
        today = today_jakarta()
        day = today
        while calendar.count_working_days(day, today) < n:
            day = date.fromordinal(day.toordinal() - 1)
        while not calendar.is_working_day(day):  # the working day itself, not the weekend after it
            day = date.fromordinal(day.toordinal() - 1)
        assert calendar.count_working_days(day, today) == n
        return day


def valid_fields(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "nik": NIK,
        "name": "Budi Santoso",
        "position": "Analis Perizinan",
        "unit": "Bidang Perizinan",
        "phone": "0812 3456 7890",
        "email": "budi@example.id",
        "address": ADDRESS,
        "kind": "diterima",
        "giver_name": "Andi Wijaya",
        "giver_institution": "PT Contoh Sejahtera",
        "giver_relationship": "Pemohon izin",
        "gift_type": "barang",
        "gift_description": "Parsel makanan",
        "value_idr": "Rp750.000",
        "received_on": today_jakarta().isoformat(),
        "place": "Kantor DPMPTSP",
        "occasion": "Setelah izin terbit",
        "chronology": "Pemohon datang membawa parsel setelah izinnya terbit.",
        "gift_location": "pelapor",
        "exemption_code": "",
        "submission_key": "k" * 32,
    }
    values.update(overrides)
    return values


def post_form(client, files: list[tuple[bytes, str]] = (), **overrides: object):
    data = {k: v for k, v in valid_fields(**overrides).items() if v is not None}
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(FORM, data=data, content_type="multipart/form-data")


def report_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(GratifikasiReport))


def load(app, number: str) -> GratifikasiReport:
    with app.app_context():
        report = db.session.scalar(sa.select(GratifikasiReport).where(GratifikasiReport.number == number))
        db.session.expunge(report)
        return report


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def receipt_of(client) -> tuple[str, str]:
    page = client.get(RECEIPT).get_data(as_text=True)
    number = re.search(r'receipt-number">(GRT-\d{4}-\d{6})<', page).group(1)
    code = re.search(r'receipt-code">([^<]+)<', page).group(1)
    return number, code


def file_report(client, **overrides: object) -> tuple[str, str]:
    """File through the form; (number, access code) from the receipt."""
    response = post_form(client, **overrides)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(RECEIPT)
    return receipt_of(client)


# -- the check --------------------------------------------------------------------------


def test_a_gift_received_35_working_days_ago_is_accepted_and_shown_late_with_the_count(app, client):
    received = working_days_back(app, 35)
    response = post_form(client, received_on=received.isoformat())
    assert response.status_code == 302
    page = client.get(RECEIPT)
    text = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Terlambat: dilaporkan 35 hari kerja sejak diterima" in text and "Rp750.000" in text
    number = re.search(r"GRT-\d{4}-\d{6}", text).group(0)
    report = load(app, number)
    assert report.is_late and report.working_days_since_received == 35 and report.received_on == received


def test_a_gift_received_20_working_days_ago_is_on_time(app, client):
    number, _code = file_report(client, received_on=working_days_back(app, 20).isoformat())
    report = load(app, number)
    assert not report.is_late and report.working_days_since_received == 20
    assert "Tepat waktu: dilaporkan 20 hari kerja" in client.get(RECEIPT).get_data(as_text=True)


def test_a_refused_gift_is_never_late_and_where_it_is_now_is_ignored(app, client):
    received = working_days_back(app, 60)
    number, _code = file_report(client, kind="ditolak", received_on=received.isoformat(), gift_location="upg")
    report = load(app, number)
    assert report.kind == "ditolak" and not report.is_late and report.report_due is None
    assert report.gift_location == "tidak_ada"
    assert "tidak punya batas waktu pelaporan" in client.get(RECEIPT).get_data(as_text=True)


def test_the_code_is_shown_once_and_personal_data_is_not_stored_in_clear(app, client):
    response = post_form(client, files=[(PDF, "bukti.pdf")])
    assert response.status_code == 302
    first = client.get(RECEIPT).get_data(as_text=True)
    number = re.search(r"GRT-\d{4}-\d{6}", first).group(0)
    code = re.search(r'receipt-code">([^<]+)<', first).group(1)
    again = client.get(RECEIPT).get_data(as_text=True)
    assert number in again and code not in again and "tidak ditampilkan lagi" in again
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT * FROM gratifikasi_report")).all()
        dump = "\n".join(str(row) for row in rows)
        session_cookie = client.get_cookie("session")
    assert len(rows) == 1 and number in dump
    for secret in (NIK, ADDRESS, code, code.replace("-", ""), "0812 3456 7890", "budi@example.id"):
        assert secret not in dump, secret
    assert session_cookie is None or code not in session_cookie.value
    with app.app_context():
        report = db.session.scalar(sa.select(GratifikasiReport).where(GratifikasiReport.number == number))
        assert len(report.attachments) == 1 and len(stored_files(app)) == 1


def test_the_form_page_is_not_kept_and_lists_todays_categories_with_removed_ones_marked(client):
    page = client.get(FORM)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'value="rekan_kerja"' in text and 'value="keluarga"' in text
    if today_jakarta() >= date(2026, 1, 20):
        assert re.search(r'value="pisah_sambut">[^<]*dihapus oleh PerKPK 1/2026', text)
    assert "data-deadline-url" in text and "<script>" not in text


def test_a_resent_form_files_once_and_never_shows_the_code_again(app, client):
    number, code = file_report(client)
    again = post_form(client)  # same one-time key
    assert again.status_code == 302
    page = client.get(RECEIPT).get_data(as_text=True)
    assert number in page and code not in page and "sudah terkirim sebelumnya" in page
    assert report_count(app) == 1


def test_hitung_tenggat_renders_the_panel_without_filing_and_keeps_everything(app, client):
    received = working_days_back(app, 35)
    response = post_form(client, received_on=received.isoformat(), preview="Hitung tenggat", name="Sri Rahayu")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and report_count(app) == 0
    assert "Terlambat: sudah 35 hari kerja sejak diterima, 5 hari kerja melewati batas" in text
    assert "tetap diterima" in text and "Pasal 12C" in text
    assert 'value="Sri Rahayu"' in text and f'value="{received.isoformat()}"' in text
    on_time = post_form(client, received_on=working_days_back(app, 3).isoformat(), preview="1")
    assert "sisa 27 hari kerja" in on_time.get_data(as_text=True)


# -- hostile input: a clear message, everything typed kept, nothing saved -----------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nik": "1" * 17}, "nik", "Paling banyak 16 karakter."),
        ({"nik": "12345"}, "nik", "NIK terdiri dari 16 angka."),
        ({"name": "x" * 121}, "name", "Paling banyak 120 karakter."),
        ({"chronology": "x" * 10_001}, "chronology", "Paling banyak 10000 karakter."),
        ({"name": "Budi\x00Santoso"}, "name", "karakter yang tidak dapat dibaca"),
        ({"chronology": "a\x00b"}, "chronology", "karakter yang tidak dapat dibaca"),
        ({"gift_type": "berlian"}, "gift_type", "Pilih jenis gratifikasi dari daftar."),
        ({"gift_type": "uang\x00"}, "gift_type", "karakter yang tidak dapat dibaca"),
        ({"kind": "dicuri"}, "kind", "Pilih: diterima atau ditolak."),
        ({"kind": None}, "kind", "Pilih: diterima atau ditolak."),
        ({"received_on": "2026-02-30"}, "received_on", "Tanggal tidak dikenali"),
        ({"received_on": "kemarin"}, "received_on", "Tanggal tidak dikenali"),
        ({"received_on": ""}, "received_on", "Isi tanggal penerimaan"),
        ({"received_on": "2999-01-01"}, "received_on", "Tanggal tidak boleh setelah hari ini."),
        ({"received_on": "1999-12-31"}, "received_on", "Tanggal terlalu lama."),
        ({"value_idr": "1,5 juta"}, "value_idr", "Tulis nilai dalam Rupiah dengan angka"),
        ({"value_idr": "-100"}, "value_idr", "Tulis nilai dalam Rupiah dengan angka"),
        ({"value_idr": ""}, "value_idr", "Isi perkiraan nilai dalam Rupiah"),
        ({"value_idr": "9" * 41}, "value_idr", "Paling banyak 40 karakter."),
        ({"gift_location": None}, "gift_location", "Pilih: masih Anda simpan"),
        ({"gift_location": "dijual"}, "gift_location", "Pilih keberadaan barang dari daftar."),
        ({"exemption_code": "bebas"}, "exemption_code", "Pilih kategori dari daftar."),
        ({"email": "bukan email"}, "email", "Alamat email tidak valid"),
        ({"phone": "telepon saya"}, "phone", "Nomor telepon hanya berisi angka"),
        ({"place": ""}, "place", "Wajib diisi."),
    ],
)
def test_hostile_or_wrong_fields_get_a_clear_message_and_nothing_is_saved(app, client, overrides, field, message):
    response = post_form(client, **overrides)
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[:500]
    assert response.headers["Cache-Control"] == "no-store"
    assert message in text
    assert f'id="{field}-error"' in text or f'href="#{field}' in text
    assert "Periksa kembali isian berikut" in text
    assert 'value="Pemohon izin"' in text  # everything typed is kept
    assert "setelah izinnya terbit." in text or field == "chronology"
    assert report_count(app) == 0 and stored_files(app) == []


def test_repeated_fields_and_an_odd_submission_key_do_not_break_the_form(app, client):
    data = valid_fields(submission_key="x\x00" * 40)
    data["nik"] = [NIK, "9999999999999999"]  # the first of a repeated field counts
    response = client.post(FORM, data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and report_count(app) == 1


def test_files_too_many_oversized_or_fake_are_refused_with_the_text_kept(app, client):
    app.config["UPLOAD_MAX_BYTES"] = 50_000
    cases = [
        ([(PDF, f"bukti{n}.pdf") for n in range(6)], "Paling banyak 5 lampiran."),
        ([(b"%PDF-1.4\n" + b"0" * 60_000, "besar.pdf")], "besar.pdf"),
        ([(b"MZ\x90\x00 not a picture", "foto.jpg")], "foto.jpg"),
    ]
    for files, message in cases:
        response = post_form(client, files=files, chronology="Kronologi yang panjang saya ketik.")
        text = response.get_data(as_text=True)
        assert response.status_code == 200, text[:300]
        assert message in text and "Kronologi yang panjang saya ketik." in text
        assert "pilih ulang bukti" in text
    assert report_count(app) == 0 and stored_files(app) == []


def test_a_post_without_the_csrf_token_keeps_the_text_and_files_nothing(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = post_form(client, chronology="Tidak boleh hilang.")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "Formulir kedaluwarsa" in text and "Tidak boleh hilang." in text
    assert response.headers["Cache-Control"] == "no-store"
    assert report_count(app) == 0
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)
    assert post_form(client, csrf_token=token).status_code == 302
    assert report_count(app) == 1


def test_a_wrong_type_of_body_never_errors(app, client):
    assert client.post(FORM, data=b"\xff\xfe garbage", content_type="application/octet-stream").status_code == 200
    assert client.post(FORM, json={"nik": NIK}).status_code == 200
    assert report_count(app) == 0
