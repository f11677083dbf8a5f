"""Hostile input to POST /api/v1/gratifikasi: every bad body gets a JSON 4xx naming the bad fields by their
path, never a 500, and nothing is saved (no report, no history, no audit entry)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.blueprints.gratifikasi.test_api import GIVER, REFUSED, REPORTER, VALID, assert_error, counts, post
from zi_public.localtime import today_jakarta
from zi_public.rules.gratifikasi import MAX_VALUE_IDR

REQUIRED = {"reporter", "kind", "giver", "gift_type", "value_idr", "received_on", "place", "chronology"}
TOMORROW = (today_jakarta() + timedelta(days=1)).isoformat()


def with_reporter(**changes):
    return {**VALID, "reporter": {**REPORTER, **changes}}


def with_giver(**changes):
    return {**VALID, "giver": {**GIVER, **changes}}


def without(name):
    return {key: value for key, value in VALID.items() if key != name}


LATIN_1 = json.dumps({**VALID, "place": "Caf\u00e9"}, ensure_ascii=False).encode("latin-1")
DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE = {
    # The body itself.
    "not json": (dict(raw="kind=diterima"), 400, None),
    "truncated json": (dict(raw='{"kind": "diterima",'), 400, None),
    "a json list": (dict(raw=json.dumps([VALID])), 400, None),
    "json null": (dict(raw="null"), 400, None),
    "not utf-8": (dict(raw=b'{"place": "\xff\xfe"}'), 400, None),
    "latin-1 body": (
        dict(raw=json.dumps({**VALID, "place": "Caf\u00e9"}, ensure_ascii=False).encode("latin-1")),
        400,
        None,
    ),
    "duplicate keys": (dict(raw='{"place": "a", "place": "b"}'), 400, None),
    "NaN value": (dict(raw=json.dumps(VALID).replace("750000", "NaN")), 400, None),
    "deep nesting": (dict(raw=DEEP), 400, None),
    "a 5000-digit value": (dict(raw=json.dumps(VALID).replace("750000", "9" * 5000)), 400, None),
    "text/plain": (dict(raw=json.dumps(VALID), content_type="text/plain"), 415, None),
    "form-encoded": (dict(raw="kind=diterima", content_type="application/x-www-form-urlencoded"), 415, None),
    "no content type": (dict(raw=json.dumps(VALID), content_type=""), 415, None),
    "body over the API cap": (dict(body={**VALID, "chronology": "k" * 300_000}), 413, None),
    # Missing and unknown fields.
    "empty object": (dict(body={}), 400, REQUIRED),
    "received without gift_location": (dict(body=without("gift_location")), 400, {"gift_location"}),
    "missing reporter": (dict(body=without("reporter")), 400, {"reporter"}),
    "missing value": (dict(body=without("value_idr")), 400, {"value_idr"}),
    "empty reporter": (dict(body={**VALID, "reporter": {}}), 400, {f"reporter.{n}" for n in set(REPORTER) - {"email"}}),
    "empty giver": (dict(body={**VALID, "giver": {}}), 400, {"giver.name", "giver.relationship"}),
    "unknown field": (dict(body={**VALID, "kronologi": "typo"}), 400, {"kronologi"}),
    "unknown reporter field": (dict(body=with_reporter(nip="1980")), 400, {"reporter.nip"}),
    "unknown giver field": (dict(body=with_giver(phone="0812")), 400, {"giver.phone"}),
    "blank place": (dict(body={**VALID, "place": "   "}), 400, {"place"}),
    "invisible name": (dict(body=with_reporter(name="\u200b\u200b")), 400, {"reporter.name"}),
    # Wrong types at every level.
    "reporter a string": (dict(body={**VALID, "reporter": "Budi"}), 400, {"reporter"}),
    "reporter a list": (dict(body={**VALID, "reporter": [REPORTER]}), 400, {"reporter"}),
    "reporter null": (dict(body={**VALID, "reporter": None}), 400, {"reporter"}),
    "giver a number": (dict(body={**VALID, "giver": 7}), 400, {"giver"}),
    "nik a number": (dict(body=with_reporter(nik=3371010101900042)), 400, {"reporter.nik"}),
    "name a list": (dict(body=with_reporter(name=["Budi"])), 400, {"reporter.name"}),
    "position a bool": (dict(body=with_reporter(position=True)), 400, {"reporter.position"}),
    "unit an object": (dict(body=with_reporter(unit={"a": 1})), 400, {"reporter.unit"}),
    "phone a number": (dict(body=with_reporter(phone=81234567890)), 400, {"reporter.phone"}),
    "email a number": (dict(body=with_reporter(email=1)), 400, {"reporter.email"}),
    "address a list": (dict(body=with_reporter(address=[])), 400, {"reporter.address"}),
    "giver name a number": (dict(body=with_giver(name=1)), 400, {"giver.name"}),
    "giver institution a bool": (dict(body=with_giver(institution=False)), 400, {"giver.institution"}),
    "relationship an object": (dict(body=with_giver(relationship={})), 400, {"giver.relationship"}),
    "kind a bool": (dict(body={**VALID, "kind": True}), 400, {"kind"}),
    "gift_type a list": (dict(body={**VALID, "gift_type": ["barang"]}), 400, {"gift_type"}),
    "place a number": (dict(body={**VALID, "place": 1}), 400, {"place"}),
    "chronology an object": (dict(body={**VALID, "chronology": {"a": "b"}}), 400, {"chronology"}),
    "description a number": (dict(body={**VALID, "gift_description": 5}), 400, {"gift_description"}),
    "occasion a list": (dict(body={**VALID, "occasion": ["x"]}), 400, {"occasion"}),
    "gift_location a number": (dict(body={**VALID, "gift_location": 1}), 400, {"gift_location"}),
    "exemption_code a bool": (dict(body={**VALID, "exemption_code": True}), 400, {"exemption_code"}),
    # value_idr: a JSON integer from 0 to MAX_VALUE_IDR, nothing else.
    "value as text": (dict(body={**VALID, "value_idr": "1000"}), 400, {"value_idr"}),
    "value as Rupiah text": (dict(body={**VALID, "value_idr": "Rp1.500.000"}), 400, {"value_idr"}),
    "value a decimal": (dict(body={**VALID, "value_idr": 1.5}), 400, {"value_idr"}),
    "value a whole decimal": (dict(raw=json.dumps(VALID).replace("750000", "750000.0")), 400, {"value_idr"}),
    "value in exponent form": (dict(raw=json.dumps(VALID).replace("750000", "7.5e5")), 400, {"value_idr"}),
    "value a bool": (dict(body={**VALID, "value_idr": True}), 400, {"value_idr"}),
    "value negative": (dict(body={**VALID, "value_idr": -1}), 400, {"value_idr"}),
    "value 10**20": (dict(body={**VALID, "value_idr": 10**20}), 400, {"value_idr"}),
    "value one over the maximum": (dict(body={**VALID, "value_idr": MAX_VALUE_IDR + 1}), 400, {"value_idr"}),
    "value null": (dict(body={**VALID, "value_idr": None}), 400, {"value_idr"}),
    # received_on: a real date, YYYY-MM-DD, from 2000 to today.
    "30 February": (dict(body={**VALID, "received_on": "2026-02-30"}), 400, {"received_on"}),
    "tomorrow": (dict(body={**VALID, "received_on": TOMORROW}), 400, {"received_on"}),
    "far future": (dict(body={**VALID, "received_on": "2999-01-01"}), 400, {"received_on"}),
    "before 2000": (dict(body={**VALID, "received_on": "1999-12-31"}), 400, {"received_on"}),
    "day-first date": (dict(body={**VALID, "received_on": "02-11-2026"}), 400, {"received_on"}),
    "date with time": (dict(body={**VALID, "received_on": "2026-11-02T10:00"}), 400, {"received_on"}),
    "week date": (dict(body={**VALID, "received_on": "2026-W45-1"}), 400, {"received_on"}),
    "date as number": (dict(body={**VALID, "received_on": 20261102}), 400, {"received_on"}),
    # Codes and formats.
    "unknown kind": (dict(body={**VALID, "kind": "diberikan"}), 400, {"kind"}),
    "kind with spaces": (dict(body={**VALID, "kind": " diterima"}), 400, {"kind"}),
    "unknown gift_type": (dict(body={**VALID, "gift_type": "emas"}), 400, {"gift_type"}),
    "unknown gift_location": (dict(body={**VALID, "gift_location": "rumah"}), 400, {"gift_location"}),
    "unknown exemption": (dict(body={**VALID, "exemption_code": "arisan"}), 400, {"exemption_code"}),
    "huge code": (dict(body={**VALID, "gift_type": "k" * 51}), 400, {"gift_type"}),
    "short nik": (dict(body=with_reporter(nik="12345")), 400, {"reporter.nik"}),
    "nik with a space": (dict(body=with_reporter(nik=" 3371010101900042")), 400, {"reporter.nik"}),
    "bad phone": (dict(body=with_reporter(phone="AAA")), 400, {"reporter.phone"}),
    "bad email": (dict(body=with_reporter(email="budi@")), 400, {"reporter.email"}),
    # Characters and lengths.
    "NUL in chronology": (dict(body={**VALID, "chronology": "ada\x00nul"}), 400, {"chronology"}),
    "NUL in reporter name": (dict(body=with_reporter(name="Budi\x00")), 400, {"reporter.name"}),
    "NUL in giver name": (dict(body=with_giver(name="\x00")), 400, {"giver.name"}),
    "escape in place": (dict(body={**VALID, "place": "Kantor\x1b[31m"}), 400, {"place"}),
    "line break in place": (dict(body={**VALID, "place": "Kantor\nLantai 2"}), 400, {"place"}),
    "line break in name": (dict(body=with_reporter(name="Budi\nSantoso")), 400, {"reporter.name"}),
    "lone surrogate": (dict(raw=json.dumps({**VALID, "place": "x"}).replace('"x"', '"\\ud800"')), 400, {"place"}),
    "name too long": (dict(body=with_reporter(name="n" * 121)), 400, {"reporter.name"}),
    "address too long": (dict(body=with_reporter(address="a" * 501)), 400, {"reporter.address"}),
    "giver too long": (dict(body=with_giver(name="g" * 201)), 400, {"giver.name"}),
    "chronology too long": (dict(body={**VALID, "chronology": "k" * 10_001}), 400, {"chronology"}),
    "many unknown fields": (dict(body={**VALID, **{f"x{i}": 1 for i in range(5000)}}), 400, None),
    # Several problems at once: all named, the service's ones too.
    "several at once": (
        dict(body={**VALID, "reporter": {**REPORTER, "nik": 1}, "value_idr": "1", "gift_type": "emas"}),
        400,
        {"reporter.nik", "value_idr", "gift_type"},
    ),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_gets_a_json_error_and_saves_nothing(app, client, case):
    kwargs, status, fields = case
    assert_error(post(client, **kwargs), status, fields)
    assert counts(app) == (0, 0, 0)


ACCEPTED = {
    "line breaks in the address and chronology": {
        **VALID,
        "reporter": {**REPORTER, "address": "Jl. Pahlawan 17\nMagelang"},
        "chronology": "Baris satu.\r\nBaris dua.",
    },
    "value zero": {**VALID, "value_idr": 0},
    "value at the maximum": {**VALID, "value_idr": MAX_VALUE_IDR},
    "a refused gift without gift_location": REFUSED,
    "a refused gift with gift_location": {**REFUSED, "gift_location": "tidak_ada"},
    "received today": {**VALID, "received_on": today_jakarta().isoformat()},
    "received on 1 January 2000": {**VALID, "received_on": "2000-01-01"},
    "a removed category named for a later date": {**VALID, "exemption_code": "pisah_sambut"},
    "the longest values": {
        **VALID,
        "reporter": {**REPORTER, "name": "n" * 120, "address": "a" * 500},
        "giver": {**GIVER, "name": "g" * 200},
        "chronology": "k" * 10_000,
    },
}


@pytest.mark.parametrize("body", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_boundary_values_are_accepted(app, client, body):
    response = post(client, body)
    assert response.status_code == 201, response.get_json()
    assert counts(app) == (1, 1, 1)
