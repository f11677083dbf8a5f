"""The merged OpenAPI document: valid, complete, and built from the rules the server enforces.

test_schemathesis.py holds the server to the document by generated requests; these tests pin the
building blocks exactly (every character, every date) where generated samples could miss a corner.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from email_validator import validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from blueprints.api.openapi import merge
from blueprints.api.schema import Fragment, blank_pattern, date_not_after_pattern, readable_pattern
from zi_public.rules.contact import EMAIL_PATTERN, NIK_PATTERN, PHONE_PATTERN, is_email, is_nik, is_phone
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.security.codes import InvalidCode, access_code_pattern, new_access_code, parse_access_code
from zi_public.services.pengaduan.filing import LIMITS

URL = "/api/v1/pengaduan"
BODY = {
    "category": "waktu",
    "title": "PBG belum terbit",
    "description": "Sudah 3 bulan berkas lengkap.",
    "identity": "anonim",
}


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the document does not depend on the backend; the API tests run on both


def document(client) -> dict:  # noqa: ANN001
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_with_and_without_a_catalogue(app, client):
    validate(document(client))  # an empty catalogue: codes accept nothing, no example
    from zi_public.extensions import db
    from zi_public.services.reference import seed_reference_data

    with app.app_context():
        seed_reference_data()
        db.session.commit()
    doc = document(client)
    validate(doc)
    create = doc["components"]["schemas"]["PengaduanCreate"]
    assert (
        create["properties"]["category"]["enum"]
        and create["example"]["category"] in create["properties"]["category"]["enum"]
    )


def test_every_api_route_is_documented_and_every_documented_operation_exists(seeded, client):
    documented = {
        (method.upper(), path)
        for path, item in document(client)["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    served = {
        (method, re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1")))
        for rule in seeded.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served


def test_every_service_fragment_is_merged_under_its_prefix(seeded, client):
    from blueprints import SERVICES

    doc = document(client)
    with seeded.test_request_context():
        for service, prefix in SERVICES:
            fragment = service.openapi.fragment()
            assert {prefix + path for path in fragment.paths} <= set(doc["paths"]), prefix
            assert set(fragment.schemas) <= set(doc["components"]["schemas"]), prefix


def test_merging_refuses_a_path_or_schema_defined_twice():
    one = Fragment(paths={"": {"get": {}}}, schemas={"Thing": {}})
    with pytest.raises(ValueError, match="path /x"):
        merge([("/x", one), ("/x", Fragment(paths={"": {}}))])
    with pytest.raises(ValueError, match="schema Thing"):
        merge([("/x", one), ("/y", Fragment(paths={}, schemas={"Thing": {}}))])


@pytest.mark.parametrize(
    "last",
    [date(2026, 11, 29), date(2026, 1, 1), date(2026, 12, 31), date(2028, 2, 29), date(2000, 3, 1), date(1, 1, 1)],
)
def test_the_date_pattern_admits_exactly_the_days_up_to_the_last(last):
    regex = re.compile(date_not_after_pattern(last))
    start = max(date.min.toordinal(), last.toordinal() - 800)
    days = [date.fromordinal(ordinal) for ordinal in range(start, last.toordinal() + 801)]
    days += [date(year, 1, 1) for year in range(1, 10000)] + [date(year, 12, 31) for year in range(1, 10000)]
    for day in days:
        assert bool(regex.search(day.isoformat())) == (day <= last), (last, day)
    bad = ["0000-01-01", f"{last.year:04d}-00-01", f"{last.year:04d}-01-00", "2026-1-01", "", "20260101"]
    for text in [*bad, last.isoformat() + "\n"]:
        assert not regex.search(text), text


def test_the_text_patterns_are_the_readable_text_rule_character_for_character():
    astral = [0x10000, 0x1F600, 0x10FFFF]
    for multiline in (False, True):
        optional = re.compile(readable_pattern(multiline=multiline, required=False))
        required = re.compile(readable_pattern(multiline=multiline, required=True))
        blank = re.compile(blank_pattern())
        for point in [*range(0xD800), *range(0xE000, 0x10000), *astral]:
            char = chr(point)
            readable = is_readable(char, multiline=multiline)
            assert bool(optional.search(f"a{char}b")) == readable, hex(point)
            assert bool(required.search(char)) == (readable and has_visible_content(char)), hex(point)
            if not multiline:
                assert bool(blank.search(char)) == (readable and not char.strip()), hex(point)
        assert optional.search("") and not required.search("") and not required.search(" \t ")
        assert not required.search("\u200b\u200d\ufeff\u3164") and required.search("\u200bx\u200b")


@settings(
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.from_regex(EMAIL_PATTERN, fullmatch=True).filter(lambda address: len(address) <= LIMITS["email"]))
def test_every_address_the_email_pattern_admits_email_validator_accepts(address):
    # Within the field's documented maxLength, the pattern alone decides: the service's check agrees.
    validate_email(address, check_deliverability=False)


@pytest.mark.parametrize(
    ("value", "check", "expected"),
    [
        ("budi@example.id", is_email, True),
        ("nama.saya+pgd@dpmptsp.magelangkota.go.id", is_email, True),
        ("x@y.test", is_email, False),  # special-use domain
        ("x@y.localhost", is_email, False),
        ("x@y.testing", is_email, True),
        ("a..b@c.id", is_email, False),
        ("a@b--c.id", is_email, False),
        (" budi@example.id", is_email, False),  # surrounding spaces are not part of the format
        ("0812 3456 7890", is_phone, True),
        ("+62-293-123456", is_phone, True),
        ("1      ", is_phone, False),  # would strip to "1"
        ("0812", is_phone, False),
        ("3371010101010001", is_nik, True),
        ("337101010101000", is_nik, False),
    ],
)
def test_contact_formats(value, check, expected):
    assert check(value) is expected
    pattern = {is_email: EMAIL_PATTERN, is_phone: PHONE_PATTERN, is_nik: NIK_PATTERN}[check]
    assert bool(re.fullmatch(pattern, value)) is expected


@pytest.mark.parametrize(
    "text",
    [
        "K7M2Q-9XRTW",
        "k7m2q 9xrtw",
        "K7M2Q9XRTW",
        " K7M2Q-9XRTW ",
        "K7M2Q–9XRTW",
        "0000O-IIIII",
        "K7M2Q-9XRT",
        "x" * 200,
    ],
)
def test_the_access_code_pattern_admits_what_parse_access_code_reads(text):
    pattern, max_length = access_code_pattern()
    try:
        parse_access_code(text)
        reads = True
    except InvalidCode:
        reads = False
    assert (bool(re.search(pattern, text)) and len(text) <= max_length) == reads
    assert re.search(pattern, new_access_code())


def post(client, body, **headers):  # noqa: ANN001, ANN201
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"category": " waktu"}, "category"),  # codes are sent as listed
        ({"phone": "AAA"}, "phone"),  # contact formats hold for anonymous complaints too
        ({"email": "budi@example.test"}, "email"),
        ({"nik": " 3371010101010001"}, "nik"),
        ({"location": " " * 201}, "location"),  # blank, but longer than allowed
        ({"title": "Judul\nkedua baris"}, "title"),  # single-line field
        ({"incident_date": "2999-01-01"}, "incident_date"),
    ],
)
def test_the_server_refuses_what_the_document_refuses(seeded, client, extra, field):
    response = post(client, {**BODY, **extra})
    assert response.status_code == 400, response.get_json()
    assert set(response.get_json()["error"]["fields"]) == {field}


def test_blank_optional_fields_count_as_absent(seeded, client):
    body = {**BODY, "layanan": "  ", "email": "", "phone": " ", "nik": None, "location": "\t"}
    assert post(client, body).status_code == 201


def test_an_idempotency_key_is_taken_exactly_as_sent(seeded, client):
    assert post(client, BODY, **{"Idempotency-Key": "kunci acak 1"}).status_code == 201  # inner spaces are fine
    for key in (" kunci", "kunci ", ""):
        response = post(client, BODY, **{"Idempotency-Key": key})
        assert response.status_code == 400 and "Idempotency-Key" in response.get_json()["error"]["fields"]
