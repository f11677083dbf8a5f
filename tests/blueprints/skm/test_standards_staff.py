"""The Tim SKM's standar pelayanan and maklumat pages: the team writes, the pimpinan reads, nothing typed is lost."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_maklumat, make_standard, make_user
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, MaklumatPelayanan, Role, StandarPelayanan
from zi_public.services.skm.standards import COMPONENTS, LIMITS

LIST = "/internal/skm/standar"
PAGE = "/internal/skm/standar/pbg"
CREATE = "/internal/skm/standar/pbg/versi-baru"
MAKLUMAT = "/internal/skm/maklumat"


def form(day=None, **overrides: str) -> dict[str, str]:
    data = {"effective_on": (day or today_jakarta()).isoformat()}
    data.update({name: f"Isi {name}\nbaris dua" for name in COMPONENTS})
    data.update(overrides)
    return data


def maklumat_form(day=None, **overrides: str) -> dict[str, str]:
    data = {
        "effective_on": (day or today_jakarta()).isoformat(),
        "text": "Kami sanggup menyelenggarakan pelayanan sesuai standar.\nApabila tidak, kami siap menerima sanksi.",
        "signer_name": "Dra. Sri Wahyuni, M.Si.",
        "signer_position": "Kepala Dinas",
    }
    data.update(overrides)
    return data


def html(response) -> str:
    return response.get_data(as_text=True)


def textarea(body: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', body, re.S)
    assert match, name
    return unescape(match.group(1))


def input_value(body: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', body)
    assert match, name
    return unescape(match.group(1))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.startswith("skm."))))


@pytest.fixture
def team(seeded, login_as):
    return login_as(Role.SKM)


# --- the list and one layanan ----------------------------------------------------------------------------


def test_the_list_shows_each_layanan_with_the_version_in_force(app, team, client):
    with app.app_context():
        make_standard("pbg", today_jakarta() - timedelta(days=30))
        make_standard("slf", today_jakarta() + timedelta(days=5))
        db.session.commit()
    body = html(client.get(LIST))
    assert "Persetujuan Bangunan Gedung (PBG)" in body and "Belum ada" in body
    assert 'href="/internal/skm/standar/pbg"' in body and 'href="/internal/skm/standar/lkpm"' in body
    assert 'href="/internal/skm/maklumat"' in body


def test_the_form_for_a_new_version_starts_from_the_one_in_force(app, team, client):
    with app.app_context():
        make_standard("pbg", today_jakarta() - timedelta(days=30), persyaratan="1. KTP\n2. <NIB>")
        db.session.commit()
    body = html(client.get(PAGE))
    assert textarea(body, "persyaratan") == "1. KTP\n2. <NIB>"
    assert input_value(body, "effective_on") == ""  # the date of a new version is chosen, not copied
    assert "&lt;NIB&gt;" in body and "<NIB>" not in body  # stored text is never markup
    assert "Versi baru" in body and 'action="/internal/skm/standar/pbg/versi-baru#versi"' in body


def test_saving_a_new_version(app, team, client):
    response = client.post(CREATE, data=form(persyaratan="1. KTP\r\n2. NIB"))
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    page = html(client.get(PAGE))
    assert "disimpan" in page and "Berlaku" in page
    with app.app_context():
        version = db.session.scalar(sa.select(StandarPelayanan))
        assert version.persyaratan == "1. KTP\n2. NIB" and version.effective_on == today_jakarta()
    assert actions(app) == ["skm.standard_create"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"persyaratan": ""}, "persyaratan", "Wajib diisi"),
        ({"biaya": " \u200b "}, "biaya", "Wajib diisi"),
        ({"produk": "x" * (LIMITS["produk"] + 1)}, "produk", "Paling banyak 10000 karakter"),
        ({"prosedur": "a\x00b"}, "prosedur", "tidak dapat dibaca"),
        ({"pengaduan": "a\x07b"}, "pengaduan", "tidak dapat dibaca"),
        ({"effective_on": "31-12-2026"}, "effective_on", "TTTT-BB-HH"),
        ({"effective_on": ""}, "effective_on", "TTTT-BB-HH"),
        ({"effective_on": "1900-01-01"}, "effective_on", "antara tahun"),
    ],
)
def test_a_refused_version_keeps_everything_typed(app, team, client, overrides, field, message):
    data = form(**{"jangka_waktu": "14 hari kerja <b>tegas</b>", **overrides})
    response = client.post(CREATE, data=data)
    body = html(response)
    assert response.status_code == 200
    assert message in body and 'class="error-summary"' in body
    assert textarea(body, "jangka_waktu") == "14 hari kerja <b>tegas</b>"
    if field != "effective_on" and "\x00" not in data[field]:
        assert textarea(body, field) == data[field]
    assert input_value(body, "effective_on") == data["effective_on"]
    assert count(app, StandarPelayanan) == 0 and actions(app) == []


def test_a_backdated_version_once_one_is_in_force_is_refused_with_the_reason(app, team, client):
    with app.app_context():
        make_standard("pbg", today_jakarta() - timedelta(days=30))
        db.session.commit()
    response = client.post(CREATE, data=form(today_jakarta() - timedelta(days=1), persyaratan="Baru"))
    assert response.status_code == 200 and "paling cepat hari ini" in html(response)
    assert textarea(html(response), "persyaratan") == "Baru"
    assert count(app, StandarPelayanan) == 1


@pytest.mark.parametrize(
    "data",
    [
        {},  # nothing at all
        {"effective_on": ["2026-12-01", "2027-01-01"], "persyaratan": ["a", "b"]},  # repeated fields
        {"effective_on": "2026-12-01", "unknown": "x" * 1000},
        {"effective_on": "2026-12-01" * 1000, "persyaratan": "\ufffd"},
    ],
)
def test_odd_bodies_are_refused_field_by_field_never_a_500(app, team, client, data):
    response = client.post(CREATE, data=data)
    assert response.status_code in (200, 400)
    assert count(app, StandarPelayanan) == 0


def test_a_body_in_another_encoding_is_refused_cleanly(app, team, client):
    body = "effective_on=2026-12-01&persyaratan=" + "caf%E9"  # Latin-1 é, not UTF-8
    response = client.post(CREATE, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    assert count(app, StandarPelayanan) == 0


def test_an_unknown_layanan_is_not_found(team, client):
    for url in ("/internal/skm/standar/tidak-ada", "/internal/skm/standar/" + "x" * 300):
        assert client.get(url).status_code == 404
        assert client.post(url + "/versi-baru", data=form()).status_code == 404


# --- scheduled versions -------------------------------------------------------------------------------------


def test_a_scheduled_version_is_corrected_from_its_own_form(app, team, client):
    later = today_jakarta() + timedelta(days=10)
    with app.app_context():
        version = make_standard("pbg", later, biaya="Rp0")
        db.session.commit()
        version_id = version.id
    page = html(client.get(PAGE))
    assert "Terjadwal" in page and f'href="/internal/skm/standar/pbg?versi={version_id}#versi"' in page
    body = html(client.get(f"{PAGE}?versi={version_id}"))
    assert "Perbaiki versi terjadwal" in body
    assert input_value(body, "effective_on") == later.isoformat() and textarea(body, "biaya") == "Rp0"
    response = client.post(f"/internal/skm/standar/versi/{version_id}", data=form(later, biaya="Gratis"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(StandarPelayanan, version_id).biaya == "Gratis"
    # A refused correction stays on the correction form with what was typed.
    response = client.post(f"/internal/skm/standar/versi/{version_id}", data=form(later, biaya=""))
    assert response.status_code == 200 and "Perbaiki versi terjadwal" in html(response)
    assert f'action="/internal/skm/standar/versi/{version_id}#versi"' in html(response)
    assert actions(app) == ["skm.standard_create", "skm.standard_update"]


def test_a_scheduled_version_is_withdrawn(app, team, client):
    with app.app_context():
        version_id = make_standard("pbg", today_jakarta() + timedelta(days=3)).id
        db.session.commit()
    response = client.post(f"/internal/skm/standar/versi/{version_id}/tarik")
    assert response.status_code == 302
    assert count(app, StandarPelayanan) == 0
    assert actions(app)[-1] == "skm.standard_withdraw"


def test_a_version_in_force_offers_no_correction_and_refuses_one(app, team, client):
    with app.app_context():
        version_id = make_standard("pbg").id
        db.session.commit()
    page = html(client.get(f"{PAGE}?versi={version_id}"))
    assert "Perbaiki versi terjadwal" not in page and "Versi baru" in page
    for url in (f"/internal/skm/standar/versi/{version_id}", f"/internal/skm/standar/versi/{version_id}/tarik"):
        response = client.post(url, data=form(persyaratan="diubah"))
        assert response.status_code == 302
        assert "sudah berlaku" in html(client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.get(StandarPelayanan, version_id).persyaratan == "persyaratan pbg"
    assert actions(app) == ["skm.standard_create"]


def test_versi_of_another_layanan_or_nonsense_shows_the_new_version_form(app, team, client):
    with app.app_context():
        other = make_standard("slf", today_jakarta() + timedelta(days=3)).id
        db.session.commit()
    for value in (str(other), "abc", "0", "99999999999999999999", "-1"):
        body = html(client.get(PAGE, query_string={"versi": value}))
        assert "Versi baru" in body and "Perbaiki versi terjadwal" not in body
    assert client.post("/internal/skm/standar/versi/999999", data=form()).status_code == 404
    assert client.post("/internal/skm/standar/versi/99999999999999999999", data=form()).status_code == 404


# --- the maklumat -------------------------------------------------------------------------------------------


def test_the_maklumat_page_saves_a_version_and_keeps_typing_on_error(app, team, client):
    assert "Belum ada maklumat" in html(client.get(MAKLUMAT))
    response = client.post(MAKLUMAT, data=maklumat_form(signer_name="Sri\nWahyuni", text="Janji <i>kami</i>"))
    assert response.status_code == 200 and "satu baris" in html(response)
    assert textarea(html(response), "text") == "Janji <i>kami</i>"
    assert count(app, MaklumatPelayanan) == 0
    response = client.post(MAKLUMAT, data=maklumat_form())
    assert response.status_code == 302
    body = html(client.get(MAKLUMAT))
    assert "Dra. Sri Wahyuni, M.Si." in body and "Berlaku sejak" in body
    assert actions(app) == ["skm.maklumat_create"]


def test_a_scheduled_maklumat_is_corrected_then_withdrawn(app, team, client):
    later = today_jakarta() + timedelta(days=7)
    with app.app_context():
        version_id = make_maklumat(later).id
        db.session.commit()
    body = html(client.get(MAKLUMAT, query_string={"versi": version_id}))
    assert input_value(body, "signer_name") == "Sri Wahyuni" and input_value(body, "effective_on") == later.isoformat()
    response = client.post(f"{MAKLUMAT}/{version_id}", data=maklumat_form(later, signer_name="Budi"))
    assert response.status_code == 302
    assert client.post(f"{MAKLUMAT}/{version_id}/tarik").status_code == 302
    assert count(app, MaklumatPelayanan) == 0
    with app.app_context():
        entries = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.startswith("skm."))))
    assert [e.action for e in entries] == ["skm.maklumat_create", "skm.maklumat_update", "skm.maklumat_withdraw"]
    assert json.loads(entries[1].data)["previous"]["signer_name"] == "Sri Wahyuni"


# --- the pimpinan reads ---------------------------------------------------------------------------------------


def test_the_pimpinan_reads_without_forms_and_cannot_write(app, seeded, login_as, client):
    with app.app_context():
        make_standard("pbg")
        version_id = make_standard("pbg", today_jakarta() + timedelta(days=2)).id
        maklumat_id = make_maklumat(today_jakarta() + timedelta(days=2)).id
        db.session.commit()
    login_as(Role.PIMPINAN)
    for url in (LIST, PAGE, MAKLUMAT):
        response = client.get(url)
        assert response.status_code == 200
        assert "<textarea" not in html(response) and "Tarik" not in html(response)
    assert "Lihat" in html(client.get(LIST))
    for url, data in (
        (CREATE, form()),
        (f"/internal/skm/standar/versi/{version_id}", form()),
        (f"/internal/skm/standar/versi/{version_id}/tarik", {}),
        (MAKLUMAT, maklumat_form()),
        (f"{MAKLUMAT}/{maklumat_id}", maklumat_form()),
        (f"{MAKLUMAT}/{maklumat_id}/tarik", {}),
    ):
        assert client.post(url, data=data).status_code == 403, url
    assert count(app, StandarPelayanan) == 2 and count(app, MaklumatPelayanan) == 1


# --- CSRF ----------------------------------------------------------------------------------------------------


class TestCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"WTF_CSRF_ENABLED": True}

    @pytest.fixture
    def signed_in(self, app, seeded, client):
        with app.app_context():
            make_user(role=Role.SKM, username="tim_skm")
            db.session.commit()
        token = token_from(html(client.get("/auth/login")))
        data = {"username": "tim_skm", "password": TEST_PASSWORD, "csrf_token": token}
        assert client.post("/auth/login", data=data).status_code == 302
        return client

    def test_a_missing_or_forged_token_saves_nothing_and_keeps_the_text(self, app, signed_in):
        stranger_token = token_from(html(app.test_client().get("/auth/login")))
        for token in (None, "", "forged", stranger_token, stranger_token[:-2] + "xx"):
            data = form(persyaratan="Teks panjang yang tidak boleh hilang")
            if token is not None:
                data["csrf_token"] = token
            response = signed_in.post(CREATE, data=data)
            body = html(response)
            assert response.status_code == 400, token
            assert "Formulir kedaluwarsa" in body
            assert textarea(body, "persyaratan") == "Teks panjang yang tidak boleh hilang"
            response = signed_in.post(MAKLUMAT, data={**maklumat_form(), **({"csrf_token": token} if token else {})})
            assert (
                response.status_code == 400 and input_value(html(response), "signer_name") == "Dra. Sri Wahyuni, M.Si."
            )
        assert count(app, StandarPelayanan) == 0 and count(app, MaklumatPelayanan) == 0 and actions(app) == []

    def test_the_pages_token_is_accepted(self, app, signed_in):
        token = token_from(html(signed_in.get(PAGE)))
        assert signed_in.post(CREATE, data={**form(), "csrf_token": token}).status_code == 302
        token = token_from(html(signed_in.get(MAKLUMAT)))
        assert signed_in.post(MAKLUMAT, data={**maklumat_form(), "csrf_token": token}).status_code == 302
        with app.app_context():
            version_id = make_standard("pbg", today_jakarta() + timedelta(days=4)).id
            db.session.commit()
        assert signed_in.post(f"/internal/skm/standar/versi/{version_id}/tarik").status_code == 400
        token = token_from(html(signed_in.get(PAGE)))
        withdraw = signed_in.post(f"/internal/skm/standar/versi/{version_id}/tarik", data={"csrf_token": token})
        assert withdraw.status_code == 302


def token_from(body: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body) or re.search(
        r'name="csrf_token" value="([^"]+)"', body
    )
    assert match, "page carries a CSRF token"
    return match.group(1)
