"""The UPG's mapping pages: the year's table, add / edit / retire (behind a confirmation) / the January copy,
the pimpinan reads, every other role is refused, and any empty, stale or hostile form answers with its
messages and saves nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Role
from zi_public.models.benturan import ConflictMapping
from zi_public.services.gratifikasi import benturan_mapping as mapping
from zi_public.services.gratifikasi.benturan_mapping import MappingInput

LIST = "/internal/gratifikasi/benturan/pemetaan"
YEAR = today_jakarta().year


def add_url(year: int = YEAR) -> str:
    return f"{LIST}/{year}/tambah"


def row_url(row_id: int, tail: str = "") -> str:
    return f"{LIST}/baris/{row_id}{tail}"


def form(**overrides: object) -> dict[str, object]:
    data = {
        "task": "Verifikasi teknis PBG",
        "layanan": "pbg",
        "bidang": "perizinan-b",
        "conflict_type": "keluarga",
        "description": "Pemohon berhubungan keluarga\ndengan verifikator",
        "risk": "tinggi",
        "control": "Verifikator diganti",
    }
    data.update(overrides)
    return data


def html(response) -> str:
    return response.get_data(as_text=True)


def rows(app) -> list[ConflictMapping]:
    with app.app_context():
        return list(db.session.scalars(sa.select(ConflictMapping).order_by(ConflictMapping.id)))


def seed_row(app, year: int = YEAR, **overrides: object) -> int:
    with app.app_context():
        upg = make_user(role=Role.UPG)
        values = {k: v for k, v in form(**overrides).items()}
        row = mapping.add_row(upg, year, MappingInput(**values))
        db.session.commit()
        return row.id


def version_of(app, row_id: int) -> str:
    with app.app_context():
        return mapping.row_version(db.session.get(ConflictMapping, row_id))


@pytest.fixture
def upg(seeded, login_as):
    return login_as(Role.UPG, username="tim-upg")


def test_the_upg_adds_a_row_and_sees_it_in_the_table(app, client, upg):
    page = client.get(LIST)
    assert page.status_code == 200
    assert f"Pemetaan potensi benturan kepentingan {YEAR}" in html(page)
    assert f"/internal/laporan/unduh/benturan-pemetaan?period={YEAR}" in html(page) or "benturan-pemetaan" in html(page)
    response = client.post(add_url(), data=form())
    assert response.status_code == 302
    [row] = rows(app)
    assert (row.task, row.risk.value, row.year) == ("Verifikasi teknis PBG", "tinggi", YEAR)
    body = html(client.get(LIST))
    assert "Verifikasi teknis PBG" in body and "risk-high" in body and "Hubungan keluarga" in body
    assert "Ditambahkan" in body
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "benturan.mapping_add")
            )
            == 1
        )


def test_an_empty_form_answers_400_with_messages(app, client, upg):
    response = client.post(add_url(), data={})
    assert response.status_code == 400
    body = html(response)
    assert "Periksa kembali isian berikut" in body and "Wajib diisi." in body
    assert "Baris belum disimpan" in body
    assert rows(app) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"task": "x" * 301},
        {"description": "a" * 5001},
        {"task": "nul\x00byte"},
        {"description": "rusak \ufffd", "task": "baris\nbaru"},
        {"conflict_type": "bukan-jenis", "risk": "ekstrem"},
        {"layanan": "tidak-ada"},
        {"bidang": "<script>alert(1)</script>"},
        {"task": "\u200b\u2800", "control": "bel\x07 Verifikator diganti"},
    ],
)
def test_hostile_input_is_refused_with_what_was_typed(app, client, upg, overrides):
    response = client.post(add_url(), data=form(**overrides))
    assert response.status_code == 400
    body = html(response)
    assert "Periksa kembali isian berikut" in body
    assert "Verifikator diganti" in body  # what was typed comes back
    assert "<script>alert(1)</script>" not in body
    assert rows(app) == []


def test_wrongly_encoded_bytes_are_refused(app, client, upg):
    body = b"task=\xff\xfe&description=\xc3\x28&conflict_type=keluarga&risk=tinggi"
    response = client.post(add_url(), data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert rows(app) == []


def test_an_unknown_year_or_row_is_404(app, client, upg):
    assert client.post(add_url(1999), data=form()).status_code == 404
    assert client.post(f"{LIST}/1999/salin", data={"year": "1999"}).status_code == 404
    assert client.get(row_url(999999)).status_code == 404
    assert client.post(row_url(999999, "/simpan"), data=form()).status_code == 404
    assert client.get(row_url(999999, "/hentikan")).status_code == 404
    assert client.get(f"{LIST}?year=abcd").status_code == 400
    assert rows(app) == []


def test_editing_logs_the_fields_and_refuses_a_stale_save(app, client, upg):
    row_id = seed_row(app)
    opened = version_of(app, row_id)
    page = client.get(row_url(row_id))
    assert page.status_code == 200 and opened in html(page)
    response = client.post(row_url(row_id, "/simpan"), data=form(risk="sedang", version=opened))
    assert response.status_code == 302
    stale = client.post(row_url(row_id, "/simpan"), data=form(risk="rendah", control="Ketikan saya", version=opened))
    assert stale.status_code == 409 and "Ketikan saya" in html(stale)
    [row] = rows(app)
    assert row.risk.value == "sedang"
    body = html(client.get(row_url(row_id)))
    assert "Diubah" in body and "Risiko" in body


def test_an_edit_without_its_version_is_400(app, client, upg):
    row_id = seed_row(app)
    response = client.post(row_url(row_id, "/simpan"), data=form(risk="rendah"))
    assert response.status_code == 400 and "Formulir tidak lengkap" in html(response)
    empty = client.post(row_url(row_id, "/simpan"), data={})
    assert empty.status_code == 400
    assert rows(app)[0].risk.value == "tinggi"


def test_retiring_asks_first_and_keeps_the_row(app, client, upg):
    row_id = seed_row(app)
    confirm = client.get(row_url(row_id, "/hentikan"))
    assert confirm.status_code == 200 and "Ya, hentikan baris ini" in html(confirm)
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son\w+=", html(confirm))  # no inline script (CSP)
    assert client.post(row_url(row_id, "/hentikan"), data={}).status_code == 400
    assert rows(app)[0].retired_on is None
    response = client.post(row_url(row_id, "/hentikan"), data={"version": version_of(app, row_id)})
    assert response.status_code == 302
    [row] = rows(app)
    assert row.retired_on == today_jakarta()
    assert client.post(row_url(row_id, "/hentikan"), data={"version": version_of(app, row_id)}).status_code == 409
    assert client.post(row_url(row_id, "/simpan"), data=form(version=version_of(app, row_id))).status_code == 409
    body = html(client.get(LIST))
    assert "Baris yang dihentikan (1)" in body


def test_the_january_copy_once(app, client, upg):
    seed_row(app, year=YEAR - 1)
    page = html(client.get(LIST))
    assert "Salin pemetaan tahun lalu" in page
    assert client.post(f"{LIST}/{YEAR}/salin", data={}).status_code == 400
    assert client.post(f"{LIST}/{YEAR}/salin", data={"year": str(YEAR + 1)}).status_code == 400
    assert len(rows(app)) == 1
    response = client.post(f"{LIST}/{YEAR}/salin", data={"year": str(YEAR)})
    assert response.status_code == 302
    assert [r.year for r in rows(app)] == [YEAR - 1, YEAR]
    again = client.post(f"{LIST}/{YEAR}/salin", data={"year": str(YEAR)})
    assert again.status_code == 409 and "sudah memiliki pemetaan" in html(again)
    assert len(rows(app)) == 2
    assert "Salin pemetaan tahun lalu" not in html(client.get(LIST))


def test_the_pimpinan_reads_and_changes_nothing(app, client, seeded, login_as):
    row_id = seed_row(app)
    login_as(Role.PIMPINAN)
    page = client.get(LIST)
    assert page.status_code == 200 and "Verifikasi teknis PBG" in html(page)
    assert "Tambah baris pemetaan" not in html(page)
    assert client.get(row_url(row_id)).status_code == 200
    assert client.get(row_url(row_id, "/hentikan")).status_code == 200
    assert client.post(add_url(), data=form()).status_code == 403
    assert client.post(row_url(row_id, "/hentikan"), data={"version": version_of(app, row_id)}).status_code == 403
    assert client.post(f"{LIST}/{YEAR}/salin", data={"year": str(YEAR)}).status_code == 403
    assert len(rows(app)) == 1 and rows(app)[0].retired_on is None


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PENGADUAN, Role.WBS, Role.SKM])
def test_other_roles_are_refused(app, client, seeded, login_as, role):
    row_id = seed_row(app)
    login_as(role)
    assert client.get(LIST).status_code == 403
    assert client.get(row_url(row_id)).status_code == 403
    assert client.post(add_url(), data=form()).status_code == 403
    assert len(rows(app)) == 1


def test_the_page_in_english(app, client, upg):
    seed_row(app)
    client.set_cookie(LANG_COOKIE, "en")
    body = html(client.get(LIST))
    assert "Mapping of potential conflicts of interest" in body
    assert "Family ties" in body and "High" in body


class TestCsrf:
    TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_forged_token_saves_nothing_and_keeps_the_text(self, app, client, seeded):
        with app.app_context():
            make_user(role=Role.UPG, username="upg-csrf")
            db.session.commit()
        login = self.TOKEN.search(html(client.get("/auth/login"))).group(1)
        client.post("/auth/login", data={"username": "upg-csrf", "password": TEST_PASSWORD, "csrf_token": login})
        response = client.post(add_url(), data=form(csrf_token="palsu", control="Teks yang tidak hilang"))
        assert response.status_code == 400
        assert "Formulir kedaluwarsa" in html(response) and "Teks yang tidak hilang" in unescape(html(response))
        assert rows(app) == []
        token = self.TOKEN.search(html(client.get(LIST))).group(1)
        assert client.post(add_url(), data=form(csrf_token=token)).status_code == 302
        assert len(rows(app)) == 1


def test_the_download_link_gives_the_daftar_pemetaan(app, client, upg):
    seed_row(app)
    body = html(client.get(LIST))
    match = re.search(r'id="mapping-export" href="([^"]+)"', body)
    assert match
    response = client.get(unescape(match.group(1)))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f"benturan-pemetaan-{YEAR}.xlsx")
    assert 'id="mapping-export"' not in html(client.get(f"{LIST}?year={YEAR + 1}"))
