"""The perception surveys' API: the form definition, one response stored with channel api, every bad field
named with nothing stored, a retry with the same Idempotency-Key filed once; the OpenAPI document."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from openapi_spec_validator import validate

from tests.factories import make_perception_questionnaire, make_user
from zi_public.extensions import db
from zi_public.models import PerceptionAnswer, PerceptionResponse, Role
from zi_public.rules.skm import Channel
from zi_public.services.skm import perception

URL = "/api/v1/skm/persepsi/spak"
ANSWERS = {"P1": 6, "P2": 5, "P3": 4, "P4": 3, "P5": 1}


@pytest.fixture
def spak(app, seeded):
    with app.app_context():
        make_perception_questionnaire()
        db.session.commit()
    return app


def stored(app) -> list[tuple[Channel, int | None]]:
    with app.app_context():
        rows = db.session.execute(sa.select(PerceptionResponse.channel, PerceptionResponse.layanan_id)).all()
        answers = db.session.scalar(sa.select(sa.func.count()).select_from(PerceptionAnswer))
    assert answers == 5 * len(rows)
    return [tuple(row) for row in rows]


def test_the_form_definition_states_items_scale_formula_and_source(spak, client):
    response = client.get(URL)
    assert response.status_code == 200
    form = response.get_json()
    assert form["code"] == "spak" and form["title"] == "Survei Persepsi Anti Korupsi (SPAK)"
    assert [item["code"] for item in form["items"]] == ["P1", "P2", "P3", "P4", "P5"]
    assert form["scale"]["min"] == 1 and form["scale"]["max"] == 6
    assert form["scale"]["labels"][0] == {"value": 1, "label": "Sangat tidak setuju"}
    assert form["index"] == {"formula": "mean", "places": 2, "to": None} and form["bands"] == []
    assert "Nomor 90 Tahun 2021" in form["source"]["name"] and form["source"]["urls"]
    assert {"code": "pbg", "name": "Persetujuan Bangunan Gedung (PBG)"} in form["layanan"]
    client.set_cookie("zi_lang", "en")
    english = client.get(URL).get_json()
    assert english["title"].startswith("Anti-Corruption") and english["scale"]["labels"][5]["label"] == "Strongly agree"


def test_a_response_is_stored_with_channel_api(spak, client):
    created = client.post(URL, json={"answers": ANSWERS, "layanan": "pbg"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["questionnaire"] == "spak" and body["channel"] == "api" and body["submitted_on"]
    [(channel, layanan)] = stored(spak)
    assert channel == Channel.API and layanan is not None


def test_a_retry_with_the_same_idempotency_key_files_once(spak, client):
    headers = {"Idempotency-Key": "7f1c2e4a-0000-4000-8000-000000000001"}
    assert client.post(URL, json={"answers": ANSWERS}, headers=headers).status_code == 201
    again = client.post(URL, json={"answers": ANSWERS}, headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == 409
    assert client.post(URL, json={"answers": ANSWERS}, headers={"Idempotency-Key": " x"}).status_code == 400
    assert len(stored(spak)) == 1


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"answers"}),
        ({"answers": []}, {"answers"}),
        ({"answers": "P1=6"}, {"answers"}),
        ({"answers": {}}, {"answers.P1", "answers.P2", "answers.P3", "answers.P4", "answers.P5"}),
        ({"answers": {**ANSWERS, "P3": 0}}, {"answers.P3"}),
        ({"answers": {**ANSWERS, "P3": 7}}, {"answers.P3"}),
        ({"answers": {**ANSWERS, "P3": "5"}}, {"answers.P3"}),
        ({"answers": {**ANSWERS, "P3": 5.0}}, {"answers.P3"}),
        ({"answers": {**ANSWERS, "P3": True}}, {"answers.P3"}),
        ({"answers": {**ANSWERS, "P3": None}}, {"answers.P3"}),
        ({"answers": {**ANSWERS, "P3": 10**40}}, {"answers.P3"}),
        ({"answers": {**ANSWERS, "P9": 5}}, {"answers.P9"}),
        ({"answers": ANSWERS, "layanan": "loket-9"}, {"layanan"}),
        ({"answers": ANSWERS, "layanan": 5}, {"layanan"}),
        ({"answers": ANSWERS, "name": "Siti"}, {"name"}),
    ],
)
def test_every_bad_field_is_named_and_nothing_is_stored(spak, client, body, fields):
    refused = client.post(URL, json=body)
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert set(error["fields"]) == fields and all(error["fields"].values())
    assert stored(spak) == []


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ('{"answers": {"P1": 6', "application/json", 400),
        ('{"answers": {}, "answers": {}}', "application/json", 400),
        ('{"answers": {"P1": NaN}}', "application/json", 400),
        ("[1, 2]", "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        ("answers=1", "application/x-www-form-urlencoded", 415),
        ('{"answers": {' + '"k": 1, ' * 50_000 + '"P1": 1}}', "application/json", 413),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(spak, client, data, content_type, status):
    refused = client.post(URL, data=data, content_type=content_type)
    assert refused.status_code == status and refused.is_json
    assert stored(spak) == []


def test_an_unknown_or_closed_questionnaire_is_a_404(spak, client):
    assert client.get("/api/v1/skm/persepsi/tidak-ada").status_code == 404
    assert client.post("/api/v1/skm/persepsi/tidak-ada", json={"answers": ANSWERS}).status_code == 404
    with spak.app_context():
        perception.set_active(make_user(role=Role.SKM), perception.by_code("spak"), False)
        db.session.commit()
    closed = client.post(URL, json={"answers": ANSWERS})
    assert closed.status_code == 404 and closed.get_json()["error"]["message"]
    assert client.get(URL).status_code == 404
    assert stored(spak) == []


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_API_SKM_PERSEPSI": "1 per hour"}])
def test_posts_are_rate_limited(spak, client):
    assert client.post(URL, json={"answers": ANSWERS}).status_code == 201
    limited = client.post(URL, json={"answers": ANSWERS})
    assert limited.status_code == 429 and limited.is_json
    assert len(stored(spak)) == 1


def test_the_document_describes_both_operations_and_stays_valid(spak, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    item = doc["paths"]["/skm/persepsi/{code}"]
    assert {"get", "post"} <= set(item) and item["parameters"][0]["name"] == "code"
    create = doc["components"]["schemas"]["PerceptionCreate"]
    assert create["required"] == ["answers"] and create["additionalProperties"] is False
    assert "pbg" in create["properties"]["layanan"]["anyOf"][0]["enum"]
