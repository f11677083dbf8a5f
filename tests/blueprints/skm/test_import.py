"""The paper-form import pages: the Tim SKM downloads the template, uploads files and reads the wrong cells by
row and column; the pimpinan sees the imports; everyone else is kept out; a forged token imports nothing."""

from __future__ import annotations

import io
import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_user
from tests.services.skm.paper_files import fill_template, paper_row, xlsx_file
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Role, SkmImport, SkmResponse
from zi_public.services.skm.paper_columns import TEMPLATE_HEADERS

PAGE = "/internal/skm/impor"
TEMPLATE = "/internal/skm/impor/templat.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def tim(seeded, login_as):
    return login_as(Role.SKM, username="tim.skm", full_name="Sari Wulandari")


def yesterday_row(**overrides):
    return paper_row(submitted_on=today_jakarta() - timedelta(days=1), **overrides)


def upload(client, data: bytes, filename: str = "formulir.xlsx", **form):
    return client.post(PAGE, data={"file": (io.BytesIO(data), filename), **form}, content_type="multipart/form-data")


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(SkmImport)),
            db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse)),
        )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_tim_skm_sees_the_template_the_form_and_the_progress_script(app, client, tim):
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/internal/skm/impor/templat.xlsx"' in html
    assert 'enctype="multipart/form-data"' in html and "data-skm-import" in html
    assert 'src="/static/js/skm-import.js"' in html
    assert "<script>" not in html  # CSP: no inline script
    assert "Belum ada berkas yang diimpor." in html


def test_a_valid_file_is_imported_and_shown(app, client, tim):
    columns = [(TEMPLATE_HEADERS[f], f) for f in ("layanan", "submitted_on", "gender", "age", "education")]
    columns += [("Pekerjaan", "occupation"), ("U9 Penanganan Pengaduan, Saran dan Masukan", "U8")]
    columns += [(TEMPLATE_HEADERS[f], f) for f in ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9")]
    data = xlsx_file([yesterday_row(U8=1), yesterday_row(U8=2, layanan="slf")], columns + [("No", "no")])
    response = upload(client, data, "rekap triwulan.xlsx")
    assert response.status_code == 303
    detail = client.get(response.headers["Location"])
    html = text_of(detail)
    assert "2 tanggapan dari formulir kertas diimpor." in html
    assert "Kolom “U9 Penanganan Pengaduan, Saran dan Masukan” dibaca sebagai U8" in html
    assert "Kolom yang tidak dipakai: No." in html
    assert "rekap triwulan.xlsx" in html and "Sari Wulandari" in html
    assert "Sertifikat Laik Fungsi" in html
    assert counts(app) == (1, 2)
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(SkmResponse.u8))) == [1, 2]
    listing = client.get(PAGE).get_data(as_text=True)
    assert "rekap triwulan.xlsx" in listing and "Sari Wulandari" in listing


def test_one_bad_row_imports_nothing_and_the_page_names_row_and_column(app, client, tim):
    rows = [yesterday_row(), yesterday_row(U5=5), yesterday_row(), yesterday_row(layanan="tidak-ada")]
    response = upload(client, xlsx_file(rows), "salah.xlsx")
    assert response.status_code == 422
    html = text_of(response)
    assert "Tidak ada yang diimpor: 2 dari 4 baris di berkas “salah.xlsx” berisi kesalahan." in html
    message = "Jawaban harus salah satu dari 1, 2, 3 atau 4."
    assert f"<td>3</td> <td>{TEMPLATE_HEADERS['U5']}</td> <td>5</td> <td>{message}</td>" in html
    assert f"<td>5</td> <td>{TEMPLATE_HEADERS['layanan']}</td> <td>tidak-ada</td>" in html
    assert "data-skm-import" in html  # the form again, for the corrected file
    assert counts(app) == (0, 0)


def test_the_same_file_twice_imports_once_and_says_when_and_by_whom(app, client, tim):
    data = xlsx_file([yesterday_row(permit_number="PBG-1"), yesterday_row()])
    assert upload(client, data).status_code == 303
    again = upload(client, data, "salinan.xlsx")
    assert again.status_code == 409
    html = text_of(again)
    assert "Berkas ini sudah pernah diimpor; tidak ada yang diimpor lagi." in html
    assert "oleh Sari Wulandari dari berkas “formulir.xlsx” (2 tanggapan)" in html
    assert counts(app) == (1, 2)


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"Tanggal;Layanan;Jenis kelamin\n01/11/2026;pbg;P\n", "rekap.xlsx", "teks (misalnya CSV)"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "foto.xlsx", "bukan berkas Excel"),
        (b"", "kosong.xlsx", "Berkas kosong"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_with_the_reason(app, client, tim, data, filename, words):
    response = upload(client, data, filename)
    assert response.status_code == 422
    html = text_of(response)
    assert words in html
    assert 'class="error-summary"' in html
    assert counts(app) == (0, 0)


@pytest.mark.parametrize("app_config", [{"SKM_IMPORT_MAX_BYTES": 20_000, "SKM_IMPORT_MAX_ROWS": 5}])
def test_the_configured_caps_refuse_large_files(app, client, tim, app_config):
    page = text_of(client.get(PAGE))
    assert "paling banyak 5 baris dan 19 KB" in page
    big = xlsx_file([yesterday_row(suggestion=secrets.token_hex(450)) for _ in range(40)])  # incompressible
    assert len(big) > 20_000
    assert "Berkas terlalu besar" in text_of(upload(client, big))
    many = xlsx_file([yesterday_row() for _ in range(6)])
    response = upload(client, many)
    assert response.status_code == 422
    assert "lebih dari 5 baris data" in text_of(response)
    assert counts(app) == (0, 0)


def test_no_file_or_a_text_field_instead_of_a_file_is_a_clear_error(app, client, tim):
    for data in ({}, {"file": "bukan berkas"}, {"file": (io.BytesIO(b""), "")}):
        response = client.post(PAGE, data=data, content_type="multipart/form-data")
        assert response.status_code == 400
        assert "Pilih berkas xlsx yang akan diimpor." in text_of(response)
    assert counts(app) == (0, 0)


def test_hostile_file_names_are_kept_harmless(app, client, tim):
    name = "..\\..\\<script>alert(1)</script>\u202exslx." + "a" * 300 + ".xlsx"
    response = upload(client, xlsx_file([yesterday_row()]), name)
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(sa.select(SkmImport.filename))
    assert "/" not in stored and "\\" not in stored and "\u202e" not in stored and len(stored) <= 200
    listing = client.get(PAGE).get_data(as_text=True)
    assert "<script>alert(1)" not in listing


def test_the_template_downloads_and_round_trips(app, client, tim):
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "templat-skm-kertas.xlsx" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    filled = fill_template(
        response.data,
        [yesterday_row(layanan="Sertifikat Laik Fungsi (SLF)", gender="Laki-laki"), yesterday_row(permit_number="X1")],
    )
    imported = upload(client, filled, "templat-skm-kertas.xlsx")
    assert imported.status_code == 303
    assert counts(app) == (1, 2)


def test_the_pimpinan_sees_the_imports_but_imports_nothing(app, client, seeded, login_as):
    with app.app_context():
        member = make_user(role=Role.SKM, username="tim2")
        db.session.add(SkmImport(sha256="0" * 64, filename="lama.xlsx", rows=3, imported_by_id=member.id))
        db.session.commit()
    login_as(Role.PIMPINAN)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "lama.xlsx" in html and "data-skm-import" not in html and "templat.xlsx" not in html
    assert client.get(TEMPLATE).status_code == 403
    assert upload(client, xlsx_file([yesterday_row()])).status_code == 403
    assert counts(app) == (1, 0)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PENGADUAN, Role.WBS, Role.UPG])
def test_other_roles_are_kept_out(app, client, seeded, login_as, role):
    login_as(role)
    assert client.get(PAGE).status_code == 403
    assert upload(client, xlsx_file([yesterday_row()])).status_code == 403
    assert counts(app) == (0, 0)


def test_the_list_of_imports_pages(app, client, tim):
    with app.app_context():
        user_id = db.session.scalar(sa.select(sa.func.max(SkmImport.id)))  # none yet
        assert user_id is None
        for n in range(30):
            db.session.add(SkmImport(sha256=f"{n:064d}", filename=f"berkas-{n:02d}.xlsx", rows=n))
        db.session.commit()
    first = client.get(PAGE).get_data(as_text=True)
    assert "berkas-29.xlsx" in first and "berkas-04.xlsx" not in first
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "berkas-04.xlsx" in second and "berkas-29.xlsx" not in second
    assert client.get(PAGE + "?before=99999999999999999999").status_code == 200


def test_an_unknown_import_is_not_found(app, client, tim):
    assert client.get("/internal/skm/impor/12345").status_code == 404


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_forged_or_missing_csrf_token_imports_nothing(app, seeded, app_config):
    with app.app_context():
        make_user(role=Role.SKM, username="tim.csrf")
        db.session.commit()
    client = app.test_client()
    login_page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', login_page).group(1)
    signed_in = client.post(
        "/auth/login", data={"username": "tim.csrf", "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    stranger = app.test_client()
    foreign = re.search(r'value="([^"]+)"', stranger.get("/auth/login").get_data(as_text=True)).group(1)
    data = xlsx_file([yesterday_row()])
    for forged in (None, "", "forged", foreign, token[:-2] + "xx"):
        form = {} if forged is None else {"csrf_token": forged}
        assert upload(client, data, **form).status_code == 400
    assert counts(app) == (0, 0)
    page = client.get(PAGE).get_data(as_text=True)
    real = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert upload(client, data, csrf_token=real).status_code == 303
    assert counts(app) == (1, 1)


def test_the_english_pages_name_the_quarter_in_english(app, client, tim):
    """The import's summary and the refusal of a permit that already answered named the quarter in Indonesian."""
    from zi_public.i18n import LANG_COOKIE
    from zi_public.rules.periods import QUARTER, period_of

    quarter = period_of(QUARTER, today_jakarta() - timedelta(days=1))
    name = f"Quarter {('I', 'II', 'III', 'IV')[quarter.index - 1]} {quarter.year}"
    client.set_cookie(LANG_COOKIE, "en")
    response = upload(client, xlsx_file([yesterday_row(permit_number="PBG-7")]), "satu.xlsx")
    assert response.status_code == 303
    detail = text_of(client.get(response.headers["Location"]))
    assert f"<td>{name}</td>" in detail and "Triwulan" not in detail
    refused = upload(client, xlsx_file([yesterday_row(permit_number="PBG-7", U1=2)]), "dua.xlsx")
    assert refused.status_code == 422
    html = text_of(refused)
    assert f"This permit number already answered the survey in {name}" in html and "Triwulan" not in html
