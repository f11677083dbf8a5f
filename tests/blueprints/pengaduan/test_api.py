"""The complaint API: the contract, look-up without an oracle, idempotency, hostile input, limits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from blueprints.api.parsing import submission_key_for
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Bidang, Category, Pengaduan
from zi_public.rules import case_numbers
from zi_public.rules.pengaduan import Action, Channel, Identity, Status
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan import filing as pengaduan_service
from zi_public.services.pengaduan.clocks import SETTLE, VERIFY, clock_policy, due_on
from zi_public.services.pengaduan.flow import ActionInput, act

URL = "/api/v1/pengaduan"
VALID = {
    "category": "waktu",
    "layanan": "pbg",
    "title": "PBG belum terbit",
    "description": "Sudah 3 bulan berkas lengkap, PBG belum terbit.",
    "requested_resolution": "Mohon PBG segera diterbitkan.",
    "identity": "terbuka",
    "name": "Budi Santoso",
    "email": "budi@example.id",
    "phone": "0812 3456 7890",
    "nik": "3371010101010001",
    "location": "Loket 3",
    "incident_date": "2026-01-05",
}
CREATED_KEYS = {"number", "access_code", "status", "due_dates"}
STATUS_KEYS = {
    "number",
    "status",
    "received_on",
    "is_closed",
    "forwarded_to",
    "due_dates",
    "clocks",
    "history",
    "answers",
}


def no_cookie(response):
    assert "Set-Cookie" not in response.headers, response.headers
    return response


def post(client, body=None, *, raw=None, content_type="application/json", **headers):
    data = raw if raw is not None else json.dumps(body)
    return no_cookie(client.post(URL, data=data, content_type=content_type, headers=headers))


def look_up(client, number, code):
    headers = {} if code is None else {"X-Access-Code": code}
    return no_cookie(client.get(f"{URL}/{number}", headers=headers))


def file_one(client, **overrides):
    response = post(client, {**VALID, **overrides})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assert_error(response, status, fields=None):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == status and error["message"]
    if fields is not None:
        assert set(error["fields"]) == set(fields), error
    return error


def counts(app):
    with app.app_context():
        complaints = db.session.scalar(sa.select(sa.func.count()).select_from(Pengaduan))
        audits = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "pengaduan.create")
        )
        return complaints, audits


def test_filing_returns_the_contract_and_todays_clocks(seeded, client):
    response = post(client, VALID)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == CREATED_KEYS and set(body["due_dates"]) == {"verify_by", "settle_by"}
    assert body["status"] == "baru"
    assert case_numbers.format_number("pengaduan", int(body["number"][4:8]), 1) == body["number"]
    with seeded.app_context():
        today = today_jakarta()
        calendar, policy = work_calendar(), clock_policy()
        assert body["due_dates"]["verify_by"] == due_on(VERIFY, today, calendar, policy).isoformat()
        assert body["due_dates"]["settle_by"] == due_on(SETTLE, today, calendar, policy).isoformat()
        case = db.session.scalar(sa.select(Pengaduan))
        assert case.channel == Channel.API and case.reporter_nik == "3371010101010001"
        assert case.requested_resolution == "Mohon PBG segera diterbitkan."
        assert case.incident_date == date(2026, 1, 5)
    assert response.headers["Location"].endswith(f"{URL}/{body['number']}")
    assert response.headers["Cache-Control"] == "no-store"


class FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 11, 27, 3, 0, tzinfo=UTC).astimezone(tz)  # Friday, 10:00 in Jakarta


def test_a_friday_complaint_is_due_for_verification_the_next_wednesday(seeded, client, monkeypatch):
    monkeypatch.setattr(pengaduan_service, "datetime", FrozenDatetime)
    body = file_one(client, incident_date="2026-11-20")
    assert body["number"] == "PGD-2026-000001"
    assert body["due_dates"] == {"verify_by": "2026-12-02", "settle_by": "2027-01-26"}


def test_look_up_shows_status_clocks_and_only_public_history(seeded, client):
    filed = file_one(client)
    response = look_up(client, filed["number"], filed["access_code"])
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == STATUS_KEYS
    assert body["status"] == "baru" and body["answers"] == [] and body["is_closed"] is False
    assert body["due_dates"]["verify_by"] == filed["due_dates"]["verify_by"]
    assert body["due_dates"]["followup_by"] is None
    assert body["clocks"] == [
        {"name": "verify", "due": filed["due_dates"]["verify_by"], "done_on": None, "state": "running"},
        {"name": "follow_up", "due": None, "done_on": None, "state": "not_applicable"},
        {"name": "settle", "due": filed["due_dates"]["settle_by"], "done_on": None, "state": "running"},
    ]
    assert body["history"] == [{"action": "submit", "status": "baru", "date": body["received_on"], "body": None}]
    date.fromisoformat(body["received_on"])

    with seeded.app_context():
        case = db.session.scalar(sa.select(Pengaduan))
        bidang = db.session.scalar(sa.select(Bidang).limit(1))
        act("system", case, Action.VERIFY, ActionInput())
        act("system", case, Action.DISPOSE, ActionInput(body="Instruksi internal rahasia", bidang_id=bidang.id))
        act("system", case, Action.FOLLOW_UP, ActionInput(body="Catatan tindak lanjut internal"))
        act("system", case, Action.ANSWER, ActionInput(body="PBG Anda terbit hari Senin."))
        db.session.commit()
    # The code as people retype it: lower case, no dash; the number in lower case.
    response = look_up(client, filed["number"].lower(), filed["access_code"].replace("-", "").lower())
    body = response.get_json()
    assert body["status"] == "ditindaklanjuti"
    assert [(h["action"], h["status"]) for h in body["history"]] == [
        ("submit", "baru"),
        ("verify", "terverifikasi"),
        ("answer", "ditindaklanjuti"),
    ]
    assert body["history"][-1]["body"] == "PBG Anda terbit hari Senin."
    assert [a["body"] for a in body["answers"]] == ["PBG Anda terbit hari Senin."]
    assert body["due_dates"]["followup_by"] is not None
    verify, follow_up, settle = body["clocks"]
    assert verify["state"] == follow_up["state"] == "met" and settle["state"] == "running"
    assert follow_up["due"] == body["due_dates"]["followup_by"] and follow_up["done_on"] == body["received_on"]
    assert "internal" not in response.get_data(as_text=True)


def test_wrong_number_and_wrong_code_give_the_same_404(seeded, client):
    first = file_one(client)
    second = file_one(client)
    year = first["number"][4:8]
    responses = [
        look_up(client, first["number"], second["access_code"]),  # a real code, of another case
        look_up(client, first["number"], "ABCDE-FGHJK"),
        look_up(client, f"PGD-{year}-999999", first["access_code"]),  # no such number
        look_up(client, "PGD-X", first["access_code"]),  # not even a number
        look_up(client, first["number"], "0000O-IIIII"),  # not even a code
        look_up(client, first["number"], "A" * 5000),
    ]
    assert {r.status_code for r in responses} == {404}
    assert len({r.get_data() for r in responses}) == 1
    assert "access_code" not in responses[0].get_data(as_text=True)
    assert_error(look_up(client, first["number"], None), 400, {"X-Access-Code"})


def test_an_idempotency_key_replay_files_nothing_and_names_the_first_number(seeded, client):
    first = post(client, VALID, **{"Idempotency-Key": "5f0c7a1e-retry-1"})
    assert first.status_code == 201
    number, code = first.get_json()["number"], first.get_json()["access_code"]
    replay = post(client, {**VALID, "title": "Judul lain"}, **{"Idempotency-Key": "5f0c7a1e-retry-1"})
    error = assert_error(replay, 409)
    assert number in error["message"]
    assert code not in replay.get_data(as_text=True) and code.replace("-", "") not in replay.get_data(as_text=True)
    assert counts(seeded) == (1, 1)
    assert post(client, VALID, **{"Idempotency-Key": "5f0c7a1e-retry-2"}).status_code == 201
    assert counts(seeded) == (2, 2)


def test_a_key_that_races_past_the_look_up_is_still_a_replay(seeded, client, monkeypatch):
    """Another worker commits the same key between the service's look-up and its insert."""
    real_work_calendar = pengaduan_service.work_calendar  # read after the look-up, before the insert

    def competitor_commits_first():
        with orm.Session(db.engine) as other:
            other.add(
                Pengaduan(
                    number="PGD-2026-999999",
                    access_code_hash="0" * 64,
                    channel=Channel.API,
                    identity=Identity.ANONIM,
                    category_id=other.scalar(sa.select(Category.id).limit(1)),
                    title="Kiriman pertama",
                    description="Dari pekerja lain",
                    status=Status.BARU,
                    received_on=date(2026, 11, 27),
                    verify_by=date(2026, 12, 2),
                    settle_by=date(2027, 1, 26),
                    submission_key=submission_key_for("race-key"),
                )
            )
            other.commit()
        return real_work_calendar()

    monkeypatch.setattr(pengaduan_service, "work_calendar", competitor_commits_first)
    error = assert_error(post(client, VALID, **{"Idempotency-Key": "race-key"}), 409)
    assert "PGD-2026-999999" in error["message"]
    assert counts(seeded) == (1, 0)  # only the competitor's row; nothing of ours was half-saved


@pytest.mark.parametrize("key", ["x" * 65, "café", "tab\there", " "])
def test_a_malformed_idempotency_key_is_refused(seeded, client, key):
    assert_error(post(client, VALID, **{"Idempotency-Key": key}), 400, {"Idempotency-Key"})
    assert counts(seeded) == (0, 0)


DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE = {
    "not json": (dict(raw="kategori=waktu"), 400, None),
    "truncated json": (dict(raw='{"category": "waktu",'), 400, None),
    "a json list": (dict(raw=json.dumps([VALID])), 400, None),
    "a json string": (dict(raw='"waktu"'), 400, None),
    "json null": (dict(raw="null"), 400, None),
    "not utf-8": (dict(raw=b'{"title": "\xff\xfe"}'), 400, None),
    "duplicate keys": (dict(raw='{"title": "a", "title": "b"}'), 400, None),
    "NaN": (dict(raw='{"title": NaN}'), 400, None),
    "deep nesting": (dict(raw=DEEP), 400, None),
    "a 5000-digit number": (dict(raw='{"title": ' + "9" * 5000 + "}"), 400, None),
    "text/plain": (dict(raw=json.dumps(VALID), content_type="text/plain"), 415, None),
    "form-encoded": (dict(raw="title=x", content_type="application/x-www-form-urlencoded"), 415, None),
    "no content type": (dict(raw=json.dumps(VALID), content_type=""), 415, None),
    "number for title": (dict(body={**VALID, "title": 42}), 400, {"title"}),
    "list for category": (dict(body={**VALID, "category": ["waktu"]}), 400, {"category"}),
    "bool for identity": (dict(body={**VALID, "identity": True}), 400, {"identity"}),
    "object for description": (dict(body={**VALID, "description": {"a": 1}}), 400, {"description"}),
    "NUL in description": (dict(body={**VALID, "description": "ada\x00nul"}), 400, {"description"}),
    "escape in name": (dict(body={**VALID, "name": "Budi\x1b[31m"}), 400, {"name"}),
    "lone surrogate": (dict(raw=json.dumps({**VALID, "title": "x"}).replace('"x"', '"\\ud800"')), 400, {"title"}),
    "title too long": (dict(body={**VALID, "title": "j" * 201}), 400, {"title"}),
    "description too long": (dict(body={**VALID, "description": "d" * 10_001}), 400, {"description"}),
    "huge code": (dict(body={**VALID, "category": "k" * 51}), 400, {"category"}),
    "missing fields": (dict(body={"identity": "anonim"}), 400, {"category", "title", "description"}),
    "blank title": (dict(body={**VALID, "title": "   "}), 400, {"title"}),
    "unknown field": (dict(body={**VALID, "desription": "typo"}), 400, {"desription"}),
    "30 February": (dict(body={**VALID, "incident_date": "2026-02-30"}), 400, {"incident_date"}),
    "yesterday": (dict(body={**VALID, "incident_date": "yesterday"}), 400, {"incident_date"}),
    "day-first date": (dict(body={**VALID, "incident_date": "05-01-2026"}), 400, {"incident_date"}),
    "date with time": (dict(body={**VALID, "incident_date": "2026-01-05T10:00"}), 400, {"incident_date"}),
    "date as number": (dict(body={**VALID, "incident_date": 20260105}), 400, {"incident_date"}),
    "future date": (dict(body={**VALID, "incident_date": "2999-01-01"}), 400, {"incident_date"}),
    "unknown category": (dict(body={**VALID, "category": "tidak-ada"}), 400, {"category"}),
    "unknown layanan": (dict(body={**VALID, "layanan": "tidak-ada"}), 400, {"layanan"}),
    "unknown identity": (dict(body={**VALID, "identity": "publik"}), 400, {"identity"}),
    "terbuka without a name": (dict(body={**VALID, "name": None}), 400, {"name"}),
    "bad email": (dict(body={**VALID, "email": "budi@"}), 400, {"email"}),
    "bad nik": (dict(body={**VALID, "nik": "12345"}), 400, {"nik"}),
    "body over the API cap": (dict(body={**VALID, "description": "d" * 300_000}), 413, None),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_gets_a_json_error_and_saves_nothing(seeded, client, case):
    kwargs, status, fields = case
    assert_error(post(client, **kwargs), status, fields)
    assert counts(seeded) == (0, 0)


def test_other_methods_get_json_errors(seeded, client):
    assert_error(no_cookie(client.get(URL)), 405)
    assert_error(no_cookie(client.delete(f"{URL}/PGD-2026-000001")), 405)


def test_the_access_code_is_never_stored_in_clear(seeded, client):
    filed = file_one(client)
    code = filed["access_code"]
    with seeded.app_context():
        dump = []
        for table in db.metadata.sorted_tables:
            dump += [str(row) for row in db.session.execute(sa.select(table)).all()]
        text = "\n".join(dump)
    assert filed["number"] in text  # the dump is real
    assert code not in text and code.replace("-", "") not in text


def test_anonymous_complaints_keep_no_identity_anywhere(seeded, client):
    filed = file_one(client, identity="anonim", name="Siti Rahayu", email="siti@example.id", nik="3371019999990001")
    with seeded.app_context():
        row = db.session.execute(sa.text("SELECT * FROM pengaduan")).mappings().one()
        assert (row["reporter_name"], row["reporter_email"], row["reporter_phone"], row["reporter_nik"]) == (None,) * 4
        text = "\n".join(str(r) for t in db.metadata.sorted_tables for r in db.session.execute(sa.select(t)).all())
    assert "Siti" not in text and "siti@" not in text and "3371019999990001" not in text
    assert look_up(client, filed["number"], filed["access_code"]).status_code == 200


def test_a_language_cookie_sent_by_a_client_is_not_answered_with_a_cookie(seeded, client):
    client.set_cookie("zi_lang", "en")
    filed = file_one(client)
    assert look_up(client, filed["number"], filed["access_code"]).status_code == 200


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_API_PENGADUAN_POST": "2 per hour",
            "RATELIMIT_API_PENGADUAN_GET": "3/minute",
        }
    ],
)
def test_posts_and_look_ups_are_rate_limited_per_address(seeded, client):
    filed = file_one(client)
    assert post(client, {"junk": 1}).status_code == 400  # refused requests count too
    limited = assert_error(post(client, VALID), 429)
    assert limited["message"]
    assert counts(seeded) == (1, 1)
    other = client.post(URL, json=VALID, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201
    for _ in range(3):
        assert look_up(client, filed["number"], "ABCDE-FGHJK").status_code == 404
    assert_error(look_up(client, filed["number"], filed["access_code"]), 429)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_the_default_post_limit_is_twenty_an_hour(seeded, client):
    for _ in range(20):
        assert post(client, {}).status_code == 400
    assert_error(post(client, VALID), 429)
    assert counts(seeded) == (0, 0)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_openapi_document_describes_both_endpoints_as_they_answer(seeded, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    post_op = doc["paths"]["/pengaduan"]["post"]
    get_op = doc["paths"]["/pengaduan/{number}"]["get"]
    assert {"201", "400", "409", "413", "415", "429"} <= set(post_op["responses"])
    assert {"200", "400", "404", "429"} <= set(get_op["responses"])
    for ref in set(_refs(doc)):  # every reference points at something that exists
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    schemas = doc["components"]["schemas"]
    create = schemas["PengaduanCreate"]
    assert set(VALID) == set(create["properties"]) and create["additionalProperties"] is False
    assert set(create["required"]) == {"category", "title", "description", "identity"}
    filed = file_one(client)
    assert set(filed) == set(schemas["PengaduanCreated"]["required"])
    status = look_up(client, filed["number"], filed["access_code"]).get_json()
    assert set(status) == set(schemas["PengaduanStatus"]["required"]) == set(schemas["PengaduanStatus"]["properties"])
    assert set(status["history"][0]) == set(schemas["PengaduanStatus"]["properties"]["history"]["items"]["required"])


def test_the_openapi_document_is_valid_openapi_3(seeded, client):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(client.get("/api/v1/openapi.json").get_json())
