"""The survey API: GET /api/v1/skm/form (what a client shows) and POST /api/v1/skm (one response, channel
"api"): the contract, every hostile body refused with the field named and nothing stored, Idempotency-Key
replays, the permit rule (409)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.blueprints.skm.test_survey_web import stored
from tests.factories import make_skm_response
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.rules.skm import EDUCATIONS, GENDERS, OCCUPATIONS, UNSUR, VULNERABLE_GROUPS, Channel
from zi_public.services.skm.labels import ANSWER_LABELS, UNSUR_NAMES_ID

FORM = "/api/v1/skm/form"
URL = "/api/v1/skm"
VALID = {
    "layanan": "pbg",
    "gender": "p",
    "age": 34,
    "education": "s1",
    "occupation": "wirausaha",
    "answers": dict.fromkeys(UNSUR, 3),
}


def post(client, body: object, **headers: str):  # noqa: ANN001, ANN201
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def assert_error(response, status: int, fields: set[str] | None = None) -> dict:  # noqa: ANN001
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    error = response.get_json()["error"]
    assert error["code"] == status and error["message"]
    if fields is not None:
        assert set(error.get("fields", {})) == fields, error
    return error


# -- GET /skm/form ----------------------------------------------------------------------------


def test_the_form_lists_the_catalogue_the_profile_options_and_the_nine_unsur(seeded, client):
    response = client.get(FORM)
    body = response.get_json()
    assert response.status_code == 200
    assert {"value": "pbg", "label": "Persetujuan Bangunan Gedung (PBG)"} in body["layanan"]
    for name, codes in (
        ("gender", GENDERS),
        ("education", EDUCATIONS),
        ("occupation", OCCUPATIONS),
        ("vulnerable_group", VULNERABLE_GROUPS),
    ):
        assert [option["value"] for option in body[name]] == list(codes)
        assert all(set(option) == {"value", "label"} and option["label"] for option in body[name])
    assert body["gender"][0] == {"value": "l", "label": "Laki-laki"}
    assert [unsur["code"] for unsur in body["unsur"]] == list(UNSUR)
    for unsur in body["unsur"]:
        assert unsur["name"] == UNSUR_NAMES_ID[unsur["code"]] and unsur["question"].endswith("?")
        words = [str(word) for word in ANSWER_LABELS[unsur["code"]]]
        assert unsur["answers"] == [{"value": n, "label": words[n - 1]} for n in (1, 2, 3, 4)]
    assert body["unsur"][3]["answers"][0]["label"] == "Sangat mahal"  # U4 Biaya: its own words
    assert body["age"] == {"min": 10, "max": 110} and body["limits"] == {"permit_number": 60, "suggestion": 2000}


def test_the_form_in_english(seeded, client):
    body = client.get(f"{FORM}?lang=en").get_json()
    assert body["unsur"][0]["name"] == "Requirements" and body["unsur"][3]["answers"][3]["label"] == "Free"
    assert {"value": "pbg", "label": "Building Approval (PBG)"} in body["layanan"]
    assert body["gender"][0]["label"] == "Male"
    assert_error(client.get(f"{FORM}?lang=fr"), 400, {"lang"})
    assert_error(client.get(f"{FORM}?lang="), 400, {"lang"})


# -- POST /skm --------------------------------------------------------------------------------


def test_a_response_is_stored_with_channel_api(seeded, client):
    body = {
        **VALID,
        "answers": {**VALID["answers"], "U4": 4, "U9": 1},
        "permit_number": " pbg-12 / 2026 ",
        "suggestion": "Tambah kursi di ruang tunggu.",
        "vulnerable_group": "ibu-hamil-menyusui",
    }
    response = post(client, body)
    today = today_jakarta()
    assert response.status_code == 201
    assert response.get_json() == {
        "received_on": today.isoformat(),
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
        "channel": "api",
    }
    (row,) = stored(seeded)
    assert row.channel == Channel.API and row.submitted_on == today
    assert row.answers() == {**dict.fromkeys(UNSUR, 3), "U4": 4, "U9": 1}
    assert (row.gender, row.age, row.education, row.occupation) == ("p", 34, "s1", "wirausaha")
    assert row.vulnerable_group == "ibu-hamil-menyusui" and row.permit_number == "PBG-12/2026"
    assert row.suggestion == "Tambah kursi di ruang tunggu." and row.submission_key is None


def test_blank_optional_fields_count_as_absent(seeded, client):
    body = {**VALID, "permit_number": "  ", "suggestion": None, "vulnerable_group": ""}
    assert post(client, body).status_code == 201
    (row,) = stored(seeded)
    assert row.permit_number is None and row.suggestion == "" and row.vulnerable_group is None


def answers(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = dict.fromkeys(UNSUR, 3)
    values.update(overrides)
    return {code: value for code, value in values.items() if value != "<absent>"}


HOSTILE = [
    # the answers: out of range, text, decimals, booleans, null, missing, unknown
    ({"answers": answers(U1=0)}, {"answers.U1"}),
    ({"answers": answers(U2=5)}, {"answers.U2"}),
    ({"answers": answers(U3="tiga")}, {"answers.U3"}),
    ({"answers": answers(U3="3")}, {"answers.U3"}),  # a number as text: an API client has integers
    ({"answers": answers(U4=2.5)}, {"answers.U4"}),
    ({"answers": answers(U4=3.0)}, {"answers.U4"}),
    ({"answers": answers(U5=True)}, {"answers.U5"}),
    ({"answers": answers(U6=None)}, {"answers.U6"}),
    ({"answers": answers(U7=[3])}, {"answers.U7"}),
    ({"answers": answers(U8=10**400)}, {"answers.U8"}),
    ({"answers": answers(U9="<absent>")}, {"answers.U9"}),
    ({"answers": answers(U10=3)}, {"answers.U10"}),
    ({"answers": answers(u1=3)}, {"answers.u1"}),
    ({"answers": {}}, {f"answers.{code}" for code in UNSUR}),
    ({"answers": [3] * 9}, {"answers"}),
    ({"answers": "333333333"}, {"answers"}),
    ({"answers": None}, {"answers"}),
    # the profile and the layanan: wrong types, unknown or differently written codes
    ({"layanan": 5}, {"layanan"}),
    ({"layanan": "tidak-ada"}, {"layanan"}),
    ({"layanan": " pbg"}, {"layanan"}),
    ({"layanan": "pbg\u0000"}, {"layanan"}),
    ({"layanan": "p" * 51}, {"layanan"}),
    ({"gender": "L"}, {"gender"}),
    ({"gender": ["p"]}, {"gender"}),
    ({"gender": None}, {"gender"}),
    ({"education": "S1"}, {"education"}),
    ({"occupation": {"code": "pns"}}, {"occupation"}),
    ({"vulnerable_group": "hamil"}, {"vulnerable_group"}),
    ({"vulnerable_group": 1}, {"vulnerable_group"}),
    ({"age": "34"}, {"age"}),
    ({"age": 34.0}, {"age"}),
    ({"age": True}, {"age"}),
    ({"age": 9}, {"age"}),
    ({"age": 111}, {"age"}),
    ({"age": -34}, {"age"}),
    ({"age": None}, {"age"}),
    # free text: types, lengths, characters
    ({"permit_number": 12345}, {"permit_number"}),
    ({"permit_number": "P" * 61}, {"permit_number"}),
    ({"permit_number": "PBG–12"}, {"permit_number"}),  # an en dash: not ASCII
    ({"permit_number": "ＰＢＧ１２"}, {"permit_number"}),  # full width
    ({"permit_number": "PBG\t12"}, {"permit_number"}),
    ({"suggestion": 42}, {"suggestion"}),
    ({"suggestion": "a" * 2001}, {"suggestion"}),
    ({"suggestion": "Saran\u0000rusak"}, {"suggestion"}),
    ({"suggestion": "Saran \ud800 rusak"}, {"suggestion"}),
    ({"suggestion": "Saran \ufffd rusak"}, {"suggestion"}),
    # unknown fields
    ({"channel": "paper"}, {"channel"}),
    ({"submitted_on": "2020-01-01"}, {"submitted_on"}),
]


@pytest.mark.parametrize(("overrides", "fields"), HOSTILE)
def test_hostile_bodies_name_the_field_and_store_nothing(seeded, client, overrides, fields):
    assert_error(post(client, {**VALID, **overrides}), 400, fields)
    assert stored(seeded) == []


@pytest.mark.parametrize("missing", ["layanan", "gender", "age", "education", "occupation", "answers"])
def test_each_required_field_is_named_when_missing(seeded, client, missing):
    body = {name: value for name, value in VALID.items() if name != missing}
    assert_error(post(client, body), 400, {missing})
    assert stored(seeded) == []


def test_every_problem_is_named_at_once(seeded, client):
    body = {"layanan": "x", "gender": "L", "age": "tua", "answers": {"U1": 0, "U2": "2", "U3": 4, "Ux": 1}, "z": 1}
    error = assert_error(post(client, body), 400)
    expected = {"layanan", "gender", "age", "education", "occupation", "z", "answers.Ux", "answers.U1", "answers.U2"}
    assert set(error["fields"]) == expected | {f"answers.U{n}" for n in range(4, 10)}
    assert error["fields"]["answers.U1"] == "Jawaban harus salah satu dari 1, 2, 3 atau 4."
    assert error["fields"]["answers.U2"] == "Harus berupa bilangan bulat 1 sampai 4."
    assert error["fields"]["answers.U4"] == "Pilih salah satu jawaban."


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b'{"layanan": "pbg", \xff}', "application/json", 400),  # not UTF-8
        ('{"layanan": "pbg"', "application/json", 400),  # cut off
        ("[1, 2, 3]", "application/json", 400),  # not an object
        ('{"age": NaN}', "application/json", 400),
        ('{"layanan": "pbg", "layanan": "slf"}', "application/json", 400),  # which one wins depends on the parser
        ("layanan=pbg", "application/x-www-form-urlencoded", 415),
        ("", "application/json", 400),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(seeded, client, data, content_type, status):
    response = client.post(URL, data=data, content_type=content_type)
    assert_error(response, status)
    assert stored(seeded) == []


def test_an_oversized_body_is_refused(seeded, client):
    body = {**VALID, "suggestion": "a" * (300 * 1024)}
    assert_error(post(client, body), 413)
    assert stored(seeded) == []


# -- replays and the permit rule ---------------------------------------------------------------


def test_an_idempotency_key_stores_one_response(seeded, client):
    assert post(client, VALID, **{"Idempotency-Key": "0b6f-retry"}).status_code == 201
    replay = assert_error(post(client, VALID, **{"Idempotency-Key": "0b6f-retry"}), 409)
    assert today_jakarta().isoformat() in replay["message"]
    assert post(client, VALID, **{"Idempotency-Key": "0b6f-other"}).status_code == 201
    assert len(stored(seeded)) == 2
    for key in ("x" * 65, "café", " kunci", ""):
        assert_error(post(client, VALID, **{"Idempotency-Key": key}), 400, {"Idempotency-Key"})
    assert len(stored(seeded)) == 2


def test_a_permit_number_answers_once_a_quarter(seeded, client):
    with seeded.app_context():
        make_skm_response(permit_number="PBG-99/2026", now=datetime.now(UTC) - timedelta(days=100))
        db.session.commit()
    assert post(client, {**VALID, "permit_number": "PBG-12/2026"}).status_code == 201
    error = assert_error(post(client, {**VALID, "permit_number": "pbg-12 /2026"}), 409, {"permit_number"})
    assert error["fields"]["permit_number"] == "Nomor izin ini sudah dipakai untuk mengisi survei pada triwulan ini."
    assert post(client, {**VALID, "permit_number": "PBG-99/2026"}).status_code == 201  # last quarter's: fine
    assert len(stored(seeded)) == 3
    # A malformed response with a used permit number is a 400 about what is wrong, not a 409.
    assert_error(post(client, {**VALID, "age": 5, "permit_number": "PBG-12/2026"}), 400, {"age"})
