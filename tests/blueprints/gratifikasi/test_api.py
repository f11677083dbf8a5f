"""The gratifikasi API: the contract, late and on-time reports, look-up without an oracle, idempotency, the
guide on dates around 20 January 2026, limits; hostile input is in test_api_hostile.py."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from blueprints.api.parsing import submission_key_for
from zi_public.extensions import db
from zi_public.localtime import naive_utc, today_jakarta
from zi_public.models import AuditEntry
from zi_public.models.gratifikasi import GratifikasiEvent, GratifikasiReport
from zi_public.rules import case_numbers
from zi_public.rules.gratifikasi import Action, Channel, Decision, GiftLocation, GiftType, Kind, Status
from zi_public.rules.gratifikasi_regulations import regulation_on
from zi_public.services.calendar import work_calendar
from zi_public.services.gratifikasi import filing as gratifikasi_service

URL = "/api/v1/gratifikasi"
NIK = "3371010101900042"
REPORTER = {
    "nik": NIK,
    "name": "Budi Santoso",
    "position": "Analis Perizinan",
    "unit": "Bidang Perizinan",
    "phone": "0812 3456 7890",
    "email": "budi.santoso@example.id",
    "address": "Jl. Pahlawan Nomor 17, Magelang",
}
GIVER = {"name": "Andi Wijaya", "institution": "PT Contoh Sejahtera", "relationship": "Pemohon izin"}
VALID = {
    "reporter": REPORTER,
    "kind": "diterima",
    "giver": GIVER,
    "gift_type": "barang",
    "gift_description": "Parsel makanan",
    "value_idr": 750_000,
    "received_on": "2026-11-02",
    "place": "Kantor DPMPTSP",
    "occasion": "Setelah izin terbit",
    "chronology": "Pemohon datang membawa parsel setelah izinnya terbit.",
    "gift_location": "pelapor",
}
REFUSED = {**{k: v for k, v in VALID.items() if k != "gift_location"}, "kind": "ditolak"}
CREATED_KEYS = {
    "number",
    "access_code",
    "status",
    "received_on",
    "reported_on",
    "report_due",
    "working_days_since_received",
    "is_late",
    "regulation",
}
STATUS_KEYS = {
    "number",
    "kind",
    "status",
    "regulation",
    "received_on",
    "reported_on",
    "report_due",
    "working_days_since_received",
    "is_late",
    "completion_by",
    "forwarded_on",
    "decision",
    "decision_date",
    "clocks",
    "history",
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
        assert set(error.get("fields", {})) == set(fields), error
    return error


def counts(app):
    """(reports, their history rows, audit entries of filing): a refused request changes none."""
    with app.app_context():
        reports = db.session.scalar(sa.select(sa.func.count()).select_from(GratifikasiReport))
        events = db.session.scalar(sa.select(sa.func.count()).select_from(GratifikasiEvent))
        audits = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "gratifikasi.create")
        )
        return reports, events, audits


def working_days_back(app, n: int) -> tuple[date, date]:
    """The latest day that lies `n` working days before today (holidays and cuti bersama skipped), and
    Pasal 12C's last day for a gift received then."""
    with app.app_context():
        calendar, today = work_calendar(), today_jakarta()
        day = today
        while calendar.count_working_days(day, today) < n:
            day -= timedelta(days=1)
        return day, calendar.add_working_days(day, 30)


def test_a_gift_received_35_working_days_ago_is_accepted_and_late(app, client):
    received, due = working_days_back(app, 35)
    response = post(client, {**VALID, "received_on": received.isoformat()})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == CREATED_KEYS
    assert body["is_late"] is True and body["working_days_since_received"] == 35
    assert body["received_on"] == received.isoformat() and body["report_due"] == due.isoformat()
    assert body["status"] == "baru" and body["reported_on"] == today_jakarta().isoformat()
    assert case_numbers.format_number("gratifikasi", int(body["number"][4:8]), 1) == body["number"]
    assert response.headers["Location"].endswith(f"{URL}/{body['number']}")
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        report = db.session.scalar(sa.select(GratifikasiReport))
        assert report.channel == Channel.API and report.is_late and report.working_days_since_received == 35
        assert (report.reporter_nik, report.reporter_email) == (NIK, "budi.santoso@example.id")
        assert (report.giver_name, report.giver_institution) == ("Andi Wijaya", "PT Contoh Sejahtera")
        assert report.gift_type == GiftType.BARANG and report.gift_location == GiftLocation.PELAPOR
        assert report.value_idr == 750_000 and report.occasion == "Setelah izin terbit"
        assert body["regulation"] == report.regulation_code
    assert counts(app) == (1, 1, 1)


def test_a_gift_received_20_working_days_ago_is_on_time(app, client):
    received, due = working_days_back(app, 20)
    body = file_one(client, received_on=received.isoformat())
    assert body["is_late"] is False and body["working_days_since_received"] == 20
    assert body["report_due"] == due.isoformat()


def test_a_refused_gift_is_never_late_and_has_no_deadline(app, client):
    received, _due = working_days_back(app, 35)
    response = post(client, {**REFUSED, "received_on": received.isoformat()})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["is_late"] is False and body["report_due"] is None
    assert body["working_days_since_received"] == 35
    status = look_up(client, body["number"], body["access_code"]).get_json()
    assert status["kind"] == "ditolak" and status["report_due"] is None and status["is_late"] is False
    with app.app_context():
        report = db.session.scalar(sa.select(GratifikasiReport))
        assert report.kind == Kind.DITOLAK and report.gift_location == GiftLocation.TIDAK_ADA


def test_the_regulation_is_the_one_in_force_on_the_day_received(app, client):
    assert file_one(client, received_on="2026-01-19", value_idr=0)["regulation"] == "perkpk-2-2019"
    assert file_one(client, received_on="2026-01-20")["regulation"] == "perkpk-1-2026"


def test_optional_fields_may_be_left_out_null_or_blank(app, client):
    reporter = {**REPORTER, "email": None}
    giver = {"name": "Andi", "relationship": "Rekan kerja", "institution": "  "}
    body = {**VALID, "reporter": reporter, "giver": giver, "gift_description": "", "occasion": None}
    body["exemption_code"] = "rekan_kerja"
    response = post(client, body)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        report = db.session.scalar(sa.select(GratifikasiReport))
        assert (report.reporter_email, report.giver_institution, report.occasion) == (None, "", "")
        assert report.exemption_code == "rekan_kerja"


def test_look_up_shows_status_facts_clocks_and_only_public_history(app, client):
    filed = file_one(client)
    response = look_up(client, filed["number"], filed["access_code"])
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == STATUS_KEYS
    assert {key: body[key] for key in CREATED_KEYS - {"access_code"}} == {
        key: filed[key] for key in CREATED_KEYS - {"access_code"}
    }
    assert body["kind"] == "diterima" and body["decision"] is None and body["forwarded_on"] is None
    assert [clock["name"] for clock in body["clocks"]] == ["completion", "forward"]
    assert body["clocks"][1]["state"] == "running" and body["clocks"][1]["due"]
    assert body["history"] == [{"action": "submit", "status": "baru", "date": filed["reported_on"], "body": None}]

    with app.app_context():  # the UPG forwards and KPK decides (the flow is another part's; set the facts)
        report = db.session.scalar(sa.select(GratifikasiReport))
        today = today_jakarta()
        now = naive_utc(datetime.now(UTC))
        report.status, report.forwarded_on = Status.DITETAPKAN, today
        report.decision, report.decision_date = Decision.MILIK_NEGARA, today
        report.events.append(
            GratifikasiEvent(
                action=Action.NOTE,
                from_status=Status.BARU,
                to_status=Status.BARU,
                is_public=False,
                body="Catatan internal UPG",
                created_at=now,
            )
        )
        report.events.append(
            GratifikasiEvent(
                action=Action.DECIDE,
                from_status=Status.DITERUSKAN,
                to_status=Status.DITETAPKAN,
                is_public=True,
                body="SK KPK nomor 12",
                created_at=now,
            )
        )
        db.session.commit()
    # The number and code as people retype them: lower case, no dash.
    response = look_up(client, filed["number"].lower(), filed["access_code"].replace("-", "").lower())
    body = response.get_json()
    assert body["status"] == "ditetapkan" and body["decision"] == "milik_negara"
    assert body["forwarded_on"] == body["decision_date"] == today_jakarta().isoformat()
    assert body["clocks"][1]["state"] == "met" and body["clocks"][1]["done_on"] == body["forwarded_on"]
    assert [(h["action"], h["status"], h["body"]) for h in body["history"]] == [
        ("submit", "baru", None),
        ("decide", "ditetapkan", "SK KPK nomor 12"),
    ]
    assert "internal" not in response.get_data(as_text=True)
    with app.app_context():
        reads = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "gratifikasi.status_read")
        )
        assert reads == 2


def test_wrong_number_and_wrong_code_give_the_same_404(app, client):
    first = file_one(client)
    second = file_one(client)
    year = first["number"][4:8]
    responses = [
        look_up(client, first["number"], second["access_code"]),  # a real code, of another report
        look_up(client, first["number"], "ABCDE-FGHJK"),
        look_up(client, f"GRT-{year}-999999", first["access_code"]),  # no such number
        look_up(client, "GRT-X", first["access_code"]),  # not even a number
        look_up(client, first["number"].replace("GRT", "PGD"), first["access_code"]),  # another kind's number
        look_up(client, first["number"], "0000O-IIIII"),  # not even a code
        look_up(client, first["number"], "A" * 5000),
    ]
    assert {r.status_code for r in responses} == {404}
    assert len({r.get_data() for r in responses}) == 1
    assert "access_code" not in responses[0].get_data(as_text=True)
    assert_error(look_up(client, first["number"], None), 400, {"X-Access-Code"})
    assert_error(look_up(client, first["number"], "   "), 400, {"X-Access-Code"})


def test_an_idempotency_key_replay_files_nothing_and_never_repeats_the_code(app, client):
    first = post(client, VALID, **{"Idempotency-Key": "0b9e-retry-1"})
    assert first.status_code == 201
    number, code = first.get_json()["number"], first.get_json()["access_code"]
    for body in (VALID, {**VALID, "place": "Tempat lain"}):
        replay = post(client, body, **{"Idempotency-Key": "0b9e-retry-1"})
        error = assert_error(replay, 409)
        assert number in error["message"]
        text = replay.get_data(as_text=True)
        assert code not in text and code.replace("-", "") not in text
    assert counts(app) == (1, 1, 1)
    assert post(client, VALID, **{"Idempotency-Key": "0b9e-retry-2"}).status_code == 201
    assert counts(app) == (2, 2, 2)


def test_a_key_that_races_past_the_look_up_is_still_a_replay(app, client, monkeypatch):
    """Another worker commits the same key between the service's look-up and its insert."""
    real_work_calendar = gratifikasi_service.work_calendar  # read after the look-up, before the insert

    def competitor_commits_first():
        with orm.Session(db.engine) as other:
            other.add(
                GratifikasiReport(
                    number="GRT-2026-999999",
                    access_code_hash="0" * 64,
                    submission_key=submission_key_for("race-key"),
                    channel=Channel.API,
                    kind=Kind.DITOLAK,
                    status=Status.BARU,
                    reporter_position="Analis",
                    reporter_unit="Perizinan",
                    giver_relationship="Pemohon",
                    gift_type=GiftType.UANG,
                    value_idr=0,
                    received_on=date(2026, 11, 2),
                    place="Kantor",
                    gift_location=GiftLocation.TIDAK_ADA,
                    regulation_code="perkpk-1-2026",
                    reported_on=date(2026, 11, 27),
                    working_days_since_received=19,
                    forward_by=date(2026, 12, 11),
                )
            )
            other.commit()
        return real_work_calendar()

    monkeypatch.setattr(gratifikasi_service, "work_calendar", competitor_commits_first)
    error = assert_error(post(client, VALID, **{"Idempotency-Key": "race-key"}), 409)
    assert "GRT-2026-999999" in error["message"]
    assert counts(app) == (1, 0, 0)  # only the competitor's row; nothing of ours was half-saved


@pytest.mark.parametrize("key", ["x" * 65, "café", "tab\there", " "])
def test_a_malformed_idempotency_key_is_refused(app, client, key):
    assert_error(post(client, VALID, **{"Idempotency-Key": key}), 400, {"Idempotency-Key"})
    assert counts(app) == (0, 0, 0)


def test_the_access_code_and_personal_data_are_never_stored_in_clear(app, client):
    filed = file_one(client)
    code = filed["access_code"]
    with app.app_context():
        dump = []
        for table in db.metadata.sorted_tables:  # raw rows: the column types would decrypt
            dump += [str(row) for row in db.session.execute(sa.text(f'SELECT * FROM "{table.name}"')).all()]
        text = "\n".join(dump)
    assert filed["number"] in text and "Analis Perizinan" in text  # the dump is real
    assert code not in text and code.replace("-", "") not in text
    for secret in (
        NIK,
        "Pahlawan Nomor 17",
        "3456 7890",
        "budi.santoso@",
        "Budi Santoso",
        "Andi Wijaya",
        "izinnya terbit",
    ):
        assert secret not in text, secret


def test_other_methods_get_json_errors(app, client):
    assert_error(no_cookie(client.get(URL)), 405)
    assert_error(no_cookie(client.delete(f"{URL}/GRT-2026-000001")), 405)
    assert_error(no_cookie(client.post(f"{URL}/pedoman", json={})), 405)


def test_messages_follow_accept_language(app, client):
    response = client.post(URL, json={**VALID, "place": None}, headers={"Accept-Language": "en"})
    assert assert_error(response, 400, {"place"})["fields"]["place"] == "Required."
    response = client.post(URL, json={**VALID, "reporter": "Budi"}, headers={"Accept-Language": "en"})
    assert assert_error(response, 400, {"reporter"})["fields"]["reporter"] == "Must be an object."


# -- the guide --------------------------------------------------------------------------------------


def guide(client, day=None, lang=None):
    query = "" if day is None else f"?date={day}"
    headers = {"Accept-Language": lang} if lang else {}
    return no_cookie(client.get(f"{URL}/pedoman{query}", headers=headers))


def test_the_guide_before_20_january_2026_is_perkpk_2_2019(app, client):
    body = guide(client, "2026-01-19").get_json()
    assert body["date"] == "2026-01-19"
    regulation = body["regulation"]
    assert regulation["code"] == "perkpk-2-2019" and regulation["completion_days"] == 30
    assert regulation["in_force_until"] == "2026-01-19" and regulation["in_force_from"] is None
    assert regulation["name"] == regulation_on(date(2026, 1, 19)).name.id
    exemptions = {item["code"]: item for item in body["exemptions"]}
    assert exemptions["pernikahan_adat"]["limit_per_giver"] == 1_000_000
    assert exemptions["pisah_sambut"]["limit_per_giver"] == 300_000
    assert exemptions["rekan_kerja"]["non_cash_only"] is True
    assert body["removed"] == [] and body["report_days"] == 30 and body["office_days"] == 7


def test_the_guide_from_20_january_2026_is_perkpk_1_2026_with_the_removed_category(app, client):
    body = guide(client, "2026-01-20").get_json()
    regulation = body["regulation"]
    assert regulation["code"] == "perkpk-1-2026" and regulation["completion_days"] == 20
    assert regulation["in_force_from"] == "2026-01-20" and regulation["in_force_until"] is None
    exemptions = {item["code"]: item for item in body["exemptions"]}
    assert "pisah_sambut" not in exemptions
    assert exemptions["pernikahan_adat"]["limit_per_giver"] == 1_500_000
    assert (exemptions["rekan_kerja"]["limit_per_giver"], exemptions["rekan_kerja"]["limit_per_year"]) == (
        500_000,
        1_500_000,
    )
    [removed] = body["removed"]
    assert removed["code"] == "pisah_sambut" and removed["successor"] == "rekan_kerja"
    assert removed["limit_per_giver"] == 300_000  # its limits as they were
    assert guide(client).get_json() == guide(client, today_jakarta().isoformat()).get_json()


def test_the_guide_speaks_the_requested_language_and_lists_the_options(app, client):
    indonesian = guide(client, "2026-06-01").get_json()
    english = guide(client, "2026-06-01", lang="en").get_json()
    in_force = regulation_on(date(2026, 6, 1))
    assert indonesian["regulation"]["short"] == in_force.short.id == "PerKPK 1/2026"
    assert english["regulation"]["short"] == in_force.short.en != in_force.short.id
    titles = {item["code"]: item["title"] for item in english["exemptions"]}
    assert titles["keluarga"] == in_force.exemption("keluarga").title.en != in_force.exemption("keluarga").title.id
    assert english["regulation"]["late_note"] == in_force.late_note.en
    assert [option["value"] for option in indonesian["options"]["kind"]] == [kind.value for kind in Kind]
    assert [option["value"] for option in indonesian["options"]["gift_type"]] == [gift.value for gift in GiftType]
    assert [option["value"] for option in english["options"]["gift_location"]] == [g.value for g in GiftLocation]
    assert indonesian["options"]["kind"][0]["label"] == "Penerimaan gratifikasi"
    assert {option["label"] for option in english["options"]["gift_type"]} != {
        option["label"] for option in indonesian["options"]["gift_type"]
    }


@pytest.mark.parametrize("day", ["2026-02-30", "2026-W01-1", "20260105", "yesterday", "", "2026-1-5", "٢٠٢٦-٠١-٠٥"])
def test_the_guide_refuses_a_bad_date(app, client, day):
    assert_error(guide(client, day), 400, {"date"})


# -- limits and the document ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_API_GRATIFIKASI_POST": "2 per hour",
            "RATELIMIT_GRATIFIKASI_STATUS": "3/minute",
        }
    ],
)
def test_posts_and_look_ups_are_rate_limited_per_address(app, client):
    filed = file_one(client)
    assert post(client, {"junk": 1}).status_code == 400  # refused requests count too
    assert assert_error(post(client, VALID), 429)["message"]
    assert counts(app) == (1, 1, 1)
    other = client.post(URL, json=VALID, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201
    for _ in range(3):
        assert look_up(client, filed["number"], "ABCDE-FGHJK").status_code == 404
    assert_error(look_up(client, filed["number"], filed["access_code"]), 429)


def test_the_openapi_document_describes_every_endpoint_as_it_answers(app, client):
    doc = no_cookie(client.get("/api/v1/openapi.json")).get_json()
    post_op = doc["paths"]["/gratifikasi"]["post"]
    assert {"201", "400", "409", "413", "415", "429"} <= set(post_op["responses"])
    assert {"200", "400", "404", "429"} <= set(doc["paths"]["/gratifikasi/{number}"]["get"]["responses"])
    assert {"200", "400", "429"} <= set(doc["paths"]["/gratifikasi/pedoman"]["get"]["responses"])
    schemas = doc["components"]["schemas"]
    create = schemas["GratifikasiCreate"]
    assert set(create["properties"]) == set(VALID) | {"exemption_code"} and create["additionalProperties"] is False
    assert set(create["required"]) == set(VALID) - {"gift_description", "occasion", "gift_location"}
    reporter = create["properties"]["reporter"]
    assert set(reporter["properties"]) == set(REPORTER) and set(reporter["required"]) == set(REPORTER) - {"email"}
    assert reporter["properties"]["name"]["maxLength"] == gratifikasi_service.LIMITS["name"]
    assert create["properties"]["value_idr"]["type"] == "integer"
    assert set(create["properties"]["gift_type"]["enum"]) == {gift.value for gift in GiftType}
    filed = file_one(client)
    assert set(filed) == set(schemas["GratifikasiCreated"]["required"])
    status = look_up(client, filed["number"], filed["access_code"]).get_json()
    assert (
        set(status) == set(schemas["GratifikasiStatus"]["required"]) == set(schemas["GratifikasiStatus"]["properties"])
    )
    assert set(guide(client).get_json()) == set(schemas["GratifikasiGuide"]["required"])


def test_the_documented_received_on_admits_exactly_the_days_the_service_takes():
    from blueprints.gratifikasi.openapi import received_on_schema
    from zi_public.rules.periods import MIN_YEAR

    today = date(2026, 11, 30)
    schema = received_on_schema(today)
    admits, too_old = re.compile(schema["pattern"]), re.compile(schema["not"]["pattern"])
    first = date(MIN_YEAR, 1, 1)
    days = [first + timedelta(days=n) for n in range(-800, 800)] + [today + timedelta(days=n) for n in range(-800, 800)]
    days += [date(year, 1, 1) for year in range(1, 10000)] + [date(year, 12, 31) for year in range(1, 10000)]
    for day in days:
        text = day.isoformat()
        assert (bool(admits.search(text)) and not too_old.search(text)) == (first <= day <= today), text
