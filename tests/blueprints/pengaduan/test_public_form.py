"""The public complaint form and its receipt: filing with attachments, the code shown once,
hostile input to every field and file (clear message, values kept, nothing saved), double submission."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.factories import PDF, raw_multipart
from zi_public.extensions import db
from zi_public.i18n import format_long_date
from zi_public.models import Pengaduan

FORM = "/pengaduan/"
RECEIPT = "/pengaduan/terkirim"


# -- helpers (also used by test_pengaduan_public_status.py) ---------------------------------


def png_bytes(size: tuple[int, int] = (40, 30), noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, "teal")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def valid_fields(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "identity": "terbuka",
        "name": "Budi Santoso",
        "email": "budi@example.id",
        "phone": "0812 3456 7890",
        "category": "waktu",
        "layanan": "pbg",
        "title": "PBG belum terbit",
        "description": "Berkas lengkap sejak Agustus, PBG belum terbit.",
        "requested_resolution": "PBG diterbitkan bulan ini.",
        "location": "Loket 3 MPP",
        "incident_date": "2026-01-05",
        "submission_key": "k" * 32,
    }
    values.update(overrides)
    return values


def post_form(client, files: list[tuple[bytes, str]] = (), **overrides: object):
    data = valid_fields(**overrides)
    data = {k: v for k, v in data.items() if v is not None}
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(FORM, data=data, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def complaint_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Pengaduan))


def all_stored_text(app) -> str:
    """Every row of every table as text: what someone with a database dump would see."""
    with app.app_context():
        return "\n".join(
            str(row)
            for table in db.metadata.sorted_tables
            # Raw SQL: selecting through the models would decrypt the encrypted columns.
            for row in db.session.execute(sa.text(f'SELECT * FROM "{table.name}"'))
        )


def receipt_code(page: str) -> str | None:
    match = re.search(r'class="secret receipt-code">([^<]+)<', page)
    return match.group(1) if match else None


# -- happy path -----------------------------------------------------------------------------


def test_the_receipt_links_to_the_base_url_never_to_the_request_host(app, client, seeded):
    app.config["BASE_URL"] = "https://zi.example.id"
    host = {"base_url": "https://attacker.example.com"}
    assert client.post(FORM, data=valid_fields(), content_type="multipart/form-data", **host).status_code == 302
    page = client.get(RECEIPT, **host).get_data(as_text=True)
    assert "https://zi.example.id/pengaduan/status?nomor=PGD-" in page and "attacker" not in page


def test_filing_with_attachments_shows_number_and_code_once(app, client, seeded):
    response = post_form(client, files=[(png_bytes(), "foto loket.png"), (PDF, "bukti.pdf")])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(RECEIPT)
    with client.session_transaction() as session:
        carried = str(dict(session))

    first = client.get(RECEIPT)
    page = first.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "no-store"
    number = re.search(r"PGD-\d{4}-\d{6}", page).group(0)
    code = receipt_code(page)
    assert code and re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    assert code not in carried and code.replace("-", "") not in carried  # encrypted in the cookie
    assert "<svg" in page and f"status?nomor={number}" in page
    assert "<script>" not in page and " style=" not in page  # CSP: no inline script or style
    assert code not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # the QR code leads to the number only
    with app.app_context():
        case = db.session.scalar(sa.select(Pengaduan))
        assert case.number == number and case.channel == "web"
        assert sorted(a.content_type for a in case.attachments) == ["application/pdf", "image/png"]
        assert all(a.is_encrypted for a in case.attachments)
        assert {a.original_name for a in case.attachments} == {"foto loket.png", "bukti.pdf"}
        with app.test_request_context():
            assert f"Diverifikasi paling lambat {format_long_date(case.verify_by)}." in page
            assert f"Diselesaikan paling lambat {format_long_date(case.settle_by)}." in page

    # Encrypted at rest: neither the PNG signature nor the PDF header is on disk.
    files = stored_files(app)
    assert len(files) == 2
    assert not any(f.read_bytes().startswith((b"\x89PNG", b"%PDF")) for f in files)

    again = client.get(RECEIPT).get_data(as_text=True)
    assert number in again
    assert code not in again and receipt_code(again) is None
    assert "tidak ditampilkan lagi" in again


def test_the_access_code_is_never_stored_in_clear(app, client, seeded):
    post_form(client)
    code = receipt_code(client.get(RECEIPT).get_data(as_text=True))
    dump = all_stored_text(app)
    assert code not in dump and code.replace("-", "") not in dump
    assert "Budi Santoso" not in dump and "budi@example.id" not in dump  # identity encrypted too


def test_receipt_without_a_filing_goes_to_the_form(client, seeded):
    response = client.get(RECEIPT)
    assert response.status_code == 302 and response.headers["Location"].endswith(FORM)


def test_the_form_offers_the_catalogue_and_explains_identity(client, seeded):
    page = client.get(FORM).get_data(as_text=True)
    assert 'value="pbg"' in page and 'value="waktu"' in page
    for sentence in ("Terbuka —", "Rahasia —", "Anonim —"):
        assert page.count(sentence) == 1
    assert "tidak diisi bila anonim" in page
    assert "<script>" not in page and " style=" not in page  # CSP: no inline script or style


def test_english_visitors_see_english_catalogue_names(client, seeded):
    client.set_cookie("zi_lang", "en")
    page = client.get(FORM).get_data(as_text=True)
    assert "Completion time" in page and "Building Approval (PBG)" in page


def test_double_submission_files_one_complaint_and_never_shows_the_code_again(app, client, seeded):
    post_form(client, files=[(png_bytes(), "a.png")])
    first = client.get(RECEIPT).get_data(as_text=True)
    assert receipt_code(first)
    response = post_form(client, files=[(png_bytes(), "a.png")])
    assert response.status_code == 302
    page = client.get(RECEIPT).get_data(as_text=True)
    assert complaint_count(app) == 1
    assert len(stored_files(app)) == 1  # the second copy of the file was removed again
    assert "sudah terkirim sebelumnya" in page and receipt_code(page) is None
    assert re.search(r"PGD-\d{4}-000001", page)


def test_anonim_keeps_no_identity_even_when_the_fields_were_filled(app, client, seeded):
    response = post_form(client, identity="anonim", nik="3371010101010001")
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(Pengaduan))
        assert case.identity == "anonim"
        assert (case.reporter_name, case.reporter_email, case.reporter_phone, case.reporter_nik) == (None,) * 4


def test_anonim_needs_no_identity_fields(app, client, seeded):
    response = post_form(client, identity="anonim", name="", email="", phone="")
    assert response.status_code == 302 and complaint_count(app) == 1


def test_rahasia_keeps_the_identity_encrypted(app, client, seeded):
    post_form(client, identity="rahasia")
    with app.app_context():
        case = db.session.scalar(sa.select(Pengaduan))
        assert case.identity == "rahasia" and case.reporter_name == "Budi Santoso"
    assert "Budi Santoso" not in all_stored_text(app)


# -- hostile and broken input -----------------------------------------------------------------

LONG = {
    "title": 201,
    "name": 121,
    "phone": 31,
    "nik": 17,
    "location": 201,
    "description": 10_001,
    "requested_resolution": 5_001,
}


def assert_refused_and_kept(app, response, message: str, kept: list[str]) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page, page[:3000]
    assert "error-summary" in page
    for value in kept:
        assert value in page
    assert complaint_count(app) == 0
    assert stored_files(app) == []
    return page


@pytest.mark.parametrize("field", sorted(LONG))
def test_oversized_fields_are_refused_with_values_kept(app, client, seeded, field):
    value = "x" * LONG[field]
    response = post_form(client, **{field: value})
    kept = [f"{value}</textarea>"] if field in ("description", "requested_resolution") else [f'value="{value}"']
    page = assert_refused_and_kept(app, response, f"Paling banyak {LONG[field] - 1} karakter.", kept)
    assert 'value="PBG belum terbit"' in page or field == "title"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "a" * 250 + "@x.id"}, "Paling banyak 254 karakter."),
        ({"incident_date": "abc"}, "Tanggal tidak dikenali"),
        ({"incident_date": "2999-01-01"}, "tidak boleh setelah hari ini"),
        ({"incident_date": "31-12-2025"}, "Tanggal tidak dikenali"),
        ({"category": "tidak-ada"}, "Pilih kategori pengaduan dari daftar."),
        ({"category": ""}, "Pilih kategori pengaduan dari daftar."),
        ({"layanan": "tidak-ada"}, "Pilih layanan dari daftar."),
        ({"identity": "bos"}, "Pilih salah satu: terbuka, rahasia, atau anonim."),
        ({"identity": None}, "Pilih salah satu: terbuka, rahasia, atau anonim."),
        ({"title": None}, "Judul wajib diisi."),
        ({"description": "   "}, "Uraian kejadian wajib diisi."),
        ({"name": ""}, "Nama wajib diisi, kecuali Anda memilih anonim."),
        ({"email": "", "phone": ""}, "Isi email atau nomor telepon"),
        ({"email": "bukan-email"}, "Alamat email tidak valid."),
        ({"phone": "telepon saya"}, "Nomor telepon hanya berisi angka"),
        ({"nik": "12345"}, "NIK terdiri dari 16 angka."),
        ({"location": "loket\x07 3"}, "karakter yang tidak dapat dibaca"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(app, client, seeded, overrides, message):
    response = post_form(client, **overrides)
    # Every other value comes back as it was sent.
    kept = {
        "location": 'value="Loket 3 MPP"',
        "title": 'value="PBG belum terbit"',
        "description": "Berkas lengkap sejak Agustus, PBG belum terbit.</textarea>",
        "email": 'value="budi@example.id"',
    }
    assert_refused_and_kept(app, response, message, [v for k, v in kept.items() if k not in overrides])


def test_missing_everything_lists_every_problem_at_once(app, client, seeded):
    response = client.post(FORM, data={}, content_type="multipart/form-data")
    page = assert_refused_and_kept(app, response, "Judul wajib diisi.", [])
    for message in ("Uraian kejadian wajib diisi.", "Pilih kategori pengaduan dari daftar.", "Pilih salah satu"):
        assert message in page


def test_bytes_that_are_not_utf8_are_refused_not_stored(app, client, seeded):
    # Built by hand: the form is multipart, and a test client would encode every value as UTF-8.
    parts = [(k, str(v).encode()) for k, v in valid_fields().items() if k != "title"]
    parts.append(("title", b"\xff\xfe judul rusak \xc3"))
    response = client.post(FORM, **raw_multipart(parts))
    assert_refused_and_kept(app, response, "karakter yang tidak dapat dibaca", ["judul rusak", 'value="Loket 3 MPP"'])


def test_a_submission_key_that_the_form_never_made_is_replaced(app, client, seeded):
    response = post_form(client, submission_key="x" * 5000)
    assert response.status_code == 302
    with app.app_context():
        assert len(db.session.scalar(sa.select(Pengaduan.submission_key))) <= 64


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(png_bytes(), f"foto{i}.png") for i in range(6)], "Paling banyak 5 lampiran."),
        ([(b"MZ\x90\x00\x03" + b"\x00" * 200, "foto.jpg")], "Jenis berkas tidak diterima."),
        ([(png_bytes(), "baik.png"), (b"MZ\x90\x00" * 50, "virus.jpg")], "virus.jpg: Jenis berkas tidak diterima."),
        ([(PDF[:-7], "terpotong.pdf")], "Berkas rusak atau tidak lengkap"),
        ([(png_bytes()[:-20], "terpotong.png")], "Berkas rusak atau tidak lengkap"),
        ([(b"", "kosong.png")], "Berkas kosong"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_left_behind(app, client, seeded, files, message):
    response = post_form(client, files=files)
    page = assert_refused_and_kept(app, response, message, ['value="PBG belum terbit"'])
    assert "pilih ulang lampiran" in page


def test_an_unused_file_input_is_ignored(app, client, seeded):
    data = valid_fields()
    data["attachments"] = [(io.BytesIO(b""), "")]
    response = client.post(FORM, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Pengaduan)).attachments == []


class TestSmallUploadLimit:
    @pytest.fixture
    def app_config(self):
        return {"UPLOAD_MAX_BYTES": 4096}

    def test_a_file_one_byte_over_the_limit_is_refused(self, app, client, seeded):
        big = png_bytes((120, 120), noise=True)
        assert len(big) > 4097
        response = post_form(client, files=[(PDF, "ok.pdf"), (big[:4096] + b"\x00" + big[4097:], "besar.png")])
        page = assert_refused_and_kept(app, response, "Berkas terlalu besar; ukuran maksimal 4 KB.", [])
        assert "masing-masing 4 KB" in page  # the form states the configured limit

    def test_a_file_exactly_at_the_limit_passes_the_size_check(self, app, client, seeded):
        pdf = PDF[:-6] + b" " * (4096 - len(PDF)) + b"%%EOF\n"
        assert len(pdf) == 4096
        assert post_form(client, files=[(pdf, "pas.pdf")]).status_code == 302


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_post_without_token_files_nothing_and_keeps_the_values(self, app, client, seeded):
        response = post_form(client, files=[(png_bytes(), "a.png")])
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Formulir kedaluwarsa" in page and 'value="PBG belum terbit"' in page
        assert "pilih ulang lampiran" in page
        assert complaint_count(app) == 0 and stored_files(app) == []

    def test_the_page_token_files_the_complaint(self, app, client, seeded):
        page = client.get(FORM).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
        assert post_form(client, csrf_token=token, submission_key=key).status_code == 302
        assert complaint_count(app) == 1
