"""GET /api/v1/layanan/<code>: {code, name} plus the standar pelayanan in force today; anything else a JSON 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_standard
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan
from zi_public.services.skm.standards import COMPONENTS


def test_a_layanan_without_a_standard_has_null(client, seeded):
    response = client.get("/api/v1/layanan/pbg")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == {
        "code": "pbg",
        "name": "Persetujuan Bangunan Gedung (PBG)",
        "standar_pelayanan": None,
    }


def test_the_standard_in_force_today_with_its_effective_date(app, client, seeded):
    today = today_jakarta()
    with app.app_context():
        make_standard("pbg", today - timedelta(days=100), persyaratan="lama")
        make_standard("pbg", today - timedelta(days=1), persyaratan="1. KTP\n2. <NIB>")
        make_standard("pbg", today + timedelta(days=1), persyaratan="besok")
        db.session.commit()
    body = client.get("/api/v1/layanan/pbg").get_json()
    standard = body["standar_pelayanan"]
    assert set(standard) == {"effective_on", *COMPONENTS}
    assert standard["effective_on"] == (today - timedelta(days=1)).isoformat()
    assert standard["persyaratan"] == "1. KTP\n2. <NIB>"  # JSON carries the text as typed
    assert standard["biaya"] == "biaya pbg"


def test_the_english_name_with_the_english_locale(client, seeded):
    client.set_cookie("zi_lang", "en")
    assert client.get("/api/v1/layanan/pbg").get_json()["name"] == "Building Approval (PBG)"


@pytest.mark.parametrize("code", ["tidak-ada", "PBG", "x" * 41, "x" * 5000, "%25", "%C3%A9", "%E0%A4", "..", "pbg%20"])
def test_an_unknown_code_is_a_json_404(client, seeded, code):
    response = client.get(f"/api/v1/layanan/{code}")
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.get_json() == {"error": {"code": 404, "message": "Layanan tidak ditemukan."}}


def test_a_retired_layanan_is_a_json_404(app, client, seeded):
    with app.app_context():
        db.session.execute(sa.update(Layanan).where(Layanan.code == "pbg").values(is_active=False))
        db.session.commit()
    response = client.get("/api/v1/layanan/pbg")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404


def test_a_nul_in_the_code_is_a_json_400(client, seeded):
    response = client.get("/api/v1/layanan/pbg%00")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == 400


def test_other_methods_are_refused(client, seeded):
    response = client.post("/api/v1/layanan/pbg", json={})
    assert response.status_code == 405 and response.get_json()["error"]["code"] == 405


def test_the_document_describes_it(client, seeded):
    doc = client.get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/layanan/{code}"]["get"]
    (parameter,) = operation["parameters"]
    assert parameter["in"] == "path" and "pbg" in parameter["schema"]["enum"]
    assert set(operation["responses"]) == {"200", "404", "429"}
    detail = doc["components"]["schemas"]["LayananDetail"]
    assert detail["properties"]["standar_pelayanan"]["nullable"] is True
    assert set(detail["properties"]["standar_pelayanan"]["required"]) == {"effective_on", *COMPONENTS}
