"""The declarant's pages at /benturan-kepentingan: the guide, the declaration form (a specific matter or the
yearly declaration of none), the receipt shown once, the status look-up; hostile input never saves anything
and never errors; limits count filed declarations only."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry
from zi_public.models.benturan import ConflictDeclaration
from zi_public.rules.benturan import DeclarationStatus

INDEX = "/benturan-kepentingan/"
FORM = "/benturan-kepentingan/deklarasi"
RECEIPT = "/benturan-kepentingan/tanda-terima"
STATUS = "/benturan-kepentingan/status"
NIK = "3371010101900002"


def valid_fields(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "kind": "khusus",
        "year": str(today_jakarta().year),
        "nik": NIK,
        "name": "Dewi Lestari",
        "position": "Analis Perizinan",
        "unit": "Bidang Perizinan",
        "phone": "0812 3456 7890",
        "email": "dewi@example.id",
        "conflict_type": "keluarga",
        "layanan": "",
        "matter": "Permohonan izin usaha PT Contoh Sejahtera",
        "related_party": "Andi Wijaya",
        "relationship": "Sepupu",
        "description": "Pemohon izin adalah sepupu saya dari pihak ibu.",
        "submission_key": "k" * 32,
    }
    values.update(overrides)
    return values


def post_form(client, **overrides: object):
    return client.post(FORM, data={k: v for k, v in valid_fields(**overrides).items() if v is not None})


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(ConflictDeclaration))


def receipt_of(client) -> tuple[str, str]:
    page = client.get(RECEIPT).get_data(as_text=True)
    number = re.search(r'receipt-number">(BTK-\d{4}-\d{6})<', page).group(1)
    code = re.search(r'receipt-code">([^<]+)<', page).group(1)
    return number, code


def file_declaration(client, **overrides: object) -> tuple[str, str]:
    """File through the form; (number, access code) from the receipt."""
    response = post_form(client, **overrides)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(RECEIPT)
    return receipt_of(client)


def look_up(client, number: str, code: str):
    return client.post(STATUS, data={"number": number, "access_code": code})


def test_the_guide_explains_and_links_the_form_the_status_and_the_gratifikasi_guide(client):
    page = client.get(INDEX).get_data(as_text=True)
    assert "Peraturan Menteri PANRB Nomor 37 Tahun 2012" in page and "Hubungan keluarga" in page
    for link in (FORM, STATUS, "/gratifikasi/"):
        assert f'href="{link}"' in page


def test_a_declaration_is_filed_the_code_shown_once_and_the_status_follows_it(app, client):
    form = client.get(FORM)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    response = post_form(client)
    assert response.status_code == 302
    page = client.get(RECEIPT)
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    number = re.search(r'receipt-number">(BTK-\d{4}-\d{6})<', text).group(1)
    code = re.search(r'receipt-code">([^<]+)<', text).group(1)
    again = client.get(RECEIPT)  # the ticket left the session when shown
    assert again.status_code == 302 and again.headers["Location"].endswith(FORM)
    with client.session_transaction() as session:
        assert "benturan_receipt" not in session

    shown = look_up(client, number, code)
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert number in text and "Diterima" in text and "Keputusan atasan belum dicatat" in text
    assert code not in text and 'name="number"' in text  # ready for another look-up, nothing of this one kept
    with app.app_context():
        declaration = db.session.scalar(sa.select(ConflictDeclaration))
        assert declaration.status == DeclarationStatus.DITERIMA and declaration.related_party == "Andi Wijaya"
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
        assert {"benturan.create", "benturan.status_read"} <= actions


def test_the_yearly_declaration_of_none_is_recorded_without_the_matters_fields(app, client):
    next_year = str(today_jakarta().year + 1)
    number, code = file_declaration(
        client,
        kind="tahunan_nihil",
        year=next_year,
        conflict_type="",
        matter="",
        related_party="",
        relationship="",
        description="",
    )
    text = look_up(client, number, code).get_data(as_text=True)
    assert "Dicatat" in text and next_year in text and "tidak memerlukan keputusan" in text
    with app.app_context():
        declaration = db.session.scalar(sa.select(ConflictDeclaration))
        assert declaration.decision is None and declaration.year == int(next_year)


def test_a_layanan_from_the_catalogue(seeded, client):
    from zi_public.services.reference import active_layanan

    with seeded.app_context():
        code = active_layanan()[0].code
    assert f'value="{code}"' in client.get(FORM).get_data(as_text=True)
    file_declaration(client, layanan=code)
    with seeded.app_context():
        assert db.session.scalar(sa.select(ConflictDeclaration)).layanan.code == code


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nik": "12345"}, "nik", "NIK terdiri dari 16 angka."),
        ({"nik": "3371\x00010101900002"}, "nik", "tidak dapat dibaca"),
        ({"name": "x" * 121}, "name", "Paling banyak 120 karakter."),
        ({"description": "y" * 10_001}, "description", "Paling banyak 10000 karakter."),
        ({"matter": ""}, "matter", "Wajib diisi."),
        ({"kind": "semua"}, "kind", "Pilih: pernyataan benturan kepentingan"),
        ({"kind": None}, "kind", "Pilih jenis pernyataan."),
        ({"conflict_type": "teman"}, "conflict_type", "Pilih jenis benturan kepentingan dari daftar."),
        ({"layanan": "TIDAK-ADA"}, "layanan", "Pilih layanan dari daftar."),
        ({"layanan": "A\x00B"}, "layanan", "tidak dapat dibaca"),
        ({"kind": "tahunan_nihil", "year": "1999"}, "year", "Pilih tahun"),
        ({"email": "bukan-email"}, "email", "Alamat email tidak valid."),
    ],
)
def test_hostile_or_wrong_fields_get_a_message_everything_kept_nothing_saved(app, client, overrides, field, message):
    response = post_form(client, **overrides)
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[:500]
    assert response.headers["Cache-Control"] == "no-store"
    assert message in text and "Periksa kembali isian berikut" in text
    assert f'id="{field}-error"' in text or f'href="#{field}' in text
    assert 'value="Sepupu"' in text and 'value="Analis Perizinan"' in text  # everything typed is kept
    assert count(app) == 0


def test_wrong_types_repeated_fields_and_odd_bodies_never_error(app, client):
    assert client.post(FORM, data=b"\xff\xfe garbage", content_type="application/octet-stream").status_code == 200
    assert client.post(FORM, json={"nik": NIK}).status_code == 200
    assert client.post(FORM, data={}).status_code == 200
    assert count(app) == 0
    data = valid_fields(submission_key="x\x00" * 40)  # an odd key is replaced, never queried
    data["year"] = ["2026", "abc"]
    assert client.post(FORM, data=data).status_code == 302 and count(app) == 1


def test_a_replayed_form_files_once_and_never_shows_the_code_again(app, client):
    file_declaration(client, submission_key="r" * 32)
    replay = post_form(client, submission_key="r" * 32)
    assert replay.status_code == 302
    page = client.get(RECEIPT).get_data(as_text=True)
    assert "sudah terkirim sebelumnya" in page and "receipt-code" not in page
    assert count(app) == 1


def test_a_post_without_the_csrf_token_keeps_the_text_and_files_nothing(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = post_form(client, description="Tidak boleh hilang.")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "Formulir kedaluwarsa" in text and "Tidak boleh hilang." in text
    assert response.headers["Cache-Control"] == "no-store" and count(app) == 0
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)
    assert post_form(client, csrf_token=token).status_code == 302 and count(app) == 1
    missing = client.post(STATUS, data={"number": "BTK-2026-000001", "access_code": "ABCDE-FGHJK"})
    assert missing.status_code == 400 and 'value="BTK-2026-000001"' in missing.get_data(as_text=True)


def test_either_mistake_gets_the_same_answer_and_hostile_look_ups_a_message(app, client):
    number, code = file_declaration(client)
    other = f"BTK-{number[4:8]}-000999"
    wrong_code = look_up(client, number, "ABCDE-FGHJK").get_data(as_text=True)
    wrong_number = look_up(client, other, code).get_data(as_text=True)
    assert "Pernyataan tidak ditemukan" in wrong_code and "Pernyataan tidak ditemukan" in wrong_number
    assert wrong_code.replace(number, other) == wrong_number.replace(code, "ABCDE-FGHJK") or (
        number not in wrong_code and other not in wrong_number
    )
    for data in (
        {"number": "x" * 5000, "access_code": code},
        {"number": number + "\x00", "access_code": code},
        {"number": number, "access_code": "O0O0O-11111"},
        {"number": "", "access_code": ""},
        {"number": "PGD-2026-000001", "access_code": code},
    ):
        response = client.post(STATUS, data=data)
        assert response.status_code == 200 and "Periksa kembali isian berikut" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "benturan.status_read")) == 0


def test_the_english_pages(client):
    client.set_cookie("zi_lang", "en")
    guide = client.get(INDEX).get_data(as_text=True)
    assert "A conflict of interest arises" in guide and "Read the gratification guide" in guide
    form = client.get(FORM).get_data(as_text=True)
    assert "Submit declaration" in form and "Yearly declaration: I have no conflict of interest" in form
    assert "Type of conflict of interest" in form and "Kirim pernyataan" not in form


class TestLimits:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_GRATIFIKASI_FORM": "1 per hour",
            "RATELIMIT_GRATIFIKASI_STATUS": "2 per minute",
        }

    def test_only_filed_declarations_count_and_a_429_keeps_the_text(self, app, client):
        for _ in range(3):  # corrections are not abuse
            assert post_form(client, matter="").status_code == 200
        assert post_form(client, submission_key="a" * 32).status_code == 302
        refused = post_form(client, submission_key="b" * 32, description="Uraian panjang yang saya ketik.")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 429 and "Uraian panjang yang saya ketik." in page and "Coba lagi dalam" in page
        assert refused.headers["Cache-Control"] == "no-store" and count(app) == 1

    def test_the_status_limit_keeps_what_was_typed(self, client):
        for _ in range(2):
            look_up(client, "BTK-2026-000001", "ABCDE-FGHJK")
        refused = look_up(client, "BTK-2026-000002", "ABCDE-FGHJK")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 429 and "Coba lagi dalam" in page and 'value="BTK-2026-000002"' in page
        assert refused.headers["Cache-Control"] == "no-store"
