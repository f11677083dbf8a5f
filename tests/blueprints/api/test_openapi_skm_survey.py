"""The SKM survey's part of the OpenAPI document, pinned where generated requests could miss a corner: the
server accepts exactly the bodies the document admits (a list of boundary cases, judged by an OpenAPI 3.0
validator), and the permit number's documented characters can never grow longer once normalised."""

from __future__ import annotations

import json
import re

import pytest
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource

from blueprints.skm.api import PERMIT_PATTERN
from zi_public.rules.skm import LIMITS, UNSUR, normalise_permit_number

URL = "/api/v1/skm"
BODY = {
    "layanan": "pbg",
    "gender": "l",
    "age": 10,
    "education": "tidak-sekolah",
    "occupation": "lainnya",
    "answers": dict.fromkeys(UNSUR, 1),
}


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the document does not depend on the backend; the survey's API tests run on both


@pytest.fixture
def validator(seeded, client) -> OAS30Validator:  # noqa: ANN001
    document = client.get("/api/v1/openapi.json").get_json()
    registry = Registry().with_resource("doc", Resource.opaque(document))
    schema = {"$ref": "doc#/components/schemas/SkmResponseCreate"}
    return OAS30Validator(schema, registry=registry)


def test_the_document_describes_both_operations(seeded, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert set(document["paths"]["/skm/form"]) == {"get"} and set(document["paths"]["/skm"]) == {"post"}
    create = document["components"]["schemas"]["SkmResponseCreate"]
    assert create["properties"]["answers"]["required"] == list(UNSUR)
    assert "pbg" in create["properties"]["layanan"]["enum"]


def answers(**overrides: object) -> dict[str, object]:
    return {**dict.fromkeys(UNSUR, 4), **overrides}


CASES = [
    {},
    {"age": 110, "answers": answers()},
    {"age": 9},
    {"age": 111},
    {"age": 34.5},
    {"answers": answers(U1=0)},
    {"answers": answers(U9=5)},
    {"answers": answers(U2="2")},
    {"answers": answers(U3=True)},
    {"answers": answers(U4=None)},
    {"answers": {code: 2 for code in UNSUR[:-1]}},
    {"answers": answers(U10=1)},
    {"vulnerable_group": "anak"},
    {"vulnerable_group": None},
    {"vulnerable_group": "   "},
    {"vulnerable_group": "Anak"},
    {"gender": "P"},
    {"layanan": "PBG"},
    {"permit_number": "P" * LIMITS["permit_number"]},
    {"permit_number": "P" * (LIMITS["permit_number"] + 1)},
    {"permit_number": " " * (LIMITS["permit_number"] + 1)},
    {"permit_number": "503/12/PBG/2026"},
    {"permit_number": "503/12/PBG/2026\u00a0"},
    {"permit_number": ""},
    {"suggestion": "x" * LIMITS["suggestion"]},
    {"suggestion": "x" * (LIMITS["suggestion"] + 1)},
    {"suggestion": "baris satu\nbaris dua"},
    {"suggestion": "\u200b"},
    {"suggestion": "nul\u0000"},
    {"extra": 1},
]


@pytest.mark.parametrize("overrides", CASES)
def test_the_server_accepts_exactly_what_the_document_admits(seeded, client, validator, overrides):
    body = {**BODY, **overrides}
    admitted = validator.is_valid(body)
    response = client.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code in ((201, 409) if admitted else (400,)), (admitted, response.get_json())


def test_a_documented_permit_number_never_grows_when_normalised():
    allowed = [chr(code) for code in range(0x110000) if re.fullmatch(PERMIT_PATTERN, chr(code))]
    assert allowed == [chr(code) for code in range(0x20, 0x7F)]  # printable ASCII, nothing else
    for char in allowed:
        assert len(normalise_permit_number(char * 3) or "") <= 3, repr(char)
