"""The OpenAPI paths of the perception surveys (issue 9, point 11): GET and POST /skm/persepsi/{code}.

A questionnaire's items and scale are data, so the request body is described by its shape; GET states the
items and the scale of each questionnaire, and a questionnaire that is unknown or not active answers 404.
"""

from __future__ import annotations

from blueprints.api.schema import Fragment, Schema, codes, error_responses, idempotency_key_parameter, json_response
from blueprints.skm.api_perception import LAYANAN_MAX
from zi_public.rules.perception import FORMULAS, SCALE_HIGHEST, SCALE_LOWEST
from zi_public.services import reference

CODE_PARAMETER: Schema = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "Kode kuesioner persepsi yang aktif, mis. spak",
    "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,39}$", "example": "spak"},
}
NULLABLE_TEXT: Schema = {"type": "string", "nullable": True}
FORM: Schema = {
    "type": "object",
    "required": ["code", "title", "source", "scale", "items", "index", "bands", "layanan"],
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "intro": NULLABLE_TEXT,
        "source": {
            "type": "object",
            "required": ["name", "urls", "note"],
            "properties": {
                "name": {"type": "string", "description": "Peraturan atau pedoman yang menjadi sumber"},
                "urls": {"type": "array", "items": {"type": "string"}},
                "note": {"type": "string", "description": "Apa yang belum dapat diverifikasi"},
            },
        },
        "scale": {
            "type": "object",
            "required": ["min", "max", "labels"],
            "properties": {
                "min": {"type": "integer", "minimum": SCALE_LOWEST, "maximum": SCALE_HIGHEST},
                "max": {"type": "integer", "minimum": SCALE_LOWEST, "maximum": SCALE_HIGHEST},
                "labels": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["value", "label"],
                        "properties": {"value": {"type": "integer"}, "label": {"type": "string"}},
                    },
                },
            },
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "text", "hint", "reverse"],
                "properties": {
                    "code": {"type": "string"},
                    "text": {"type": "string"},
                    "hint": NULLABLE_TEXT,
                    "reverse": {"type": "boolean", "description": "Skor dibalik (min + max − jawaban)"},
                },
            },
        },
        "index": {
            "type": "object",
            "required": ["formula", "places", "to"],
            "properties": {
                "formula": {"type": "string", "enum": list(FORMULAS)},
                "places": {"type": "integer"},
                "to": {"type": "integer", "nullable": True},
            },
        },
        "bands": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["min", "code", "label"],
                "properties": {"min": {"type": "string"}, "code": {"type": "string"}, "label": {"type": "string"}},
            },
        },
        "layanan": {"type": "array", "items": {"$ref": "#/components/schemas/CatalogueItem"}},
    },
}
CREATED: Schema = {
    "type": "object",
    "required": ["questionnaire", "channel", "submitted_on"],
    "properties": {
        "questionnaire": {"type": "string"},
        "channel": {"type": "string", "enum": ["api"]},
        "submitted_on": {"type": "string", "format": "date"},
    },
}


def _create_schema() -> Schema:
    return {
        "type": "object",
        "description": "Kolom yang tidak dikenal ditolak (400).",
        "required": ["answers"],
        "additionalProperties": False,
        "properties": {
            "answers": {
                "type": "object",
                "description": "Satu jawaban untuk setiap butir kuesioner (kode butir dan skala: GET). Butir yang "
                "tidak ada, kode butir yang tidak dikenal dan nilai di luar skala ditolak (400, per butir).",
                "additionalProperties": {"type": "integer"},
            },
            "layanan": codes(
                [item.code for item in reference.active_layanan()],
                LAYANAN_MAX,
                required=False,
                description="Kode dari GET /layanan (tidak wajib)",
            ),
        },
    }


def fragment() -> Fragment:
    """Paths relative to the SKM's prefix (/skm) and the schemas they name."""
    not_found = "Kuesioner yang tidak dikenal atau tidak aktif memberi 404."
    return Fragment(
        paths={
            "/persepsi/{code}": {
                "parameters": [CODE_PARAMETER],
                "get": {
                    "summary": "Kuesioner survei persepsi (butir, skala, rumus indeks, sumber)",
                    "description": not_found,
                    "responses": {"200": json_response("PerceptionForm", "OK"), **error_responses(404, 429)},
                },
                "post": {
                    "summary": "Kirim jawaban survei persepsi",
                    "description": "Semua butir wajib dijawab dengan bilangan bulat pada skala kuesioner; tidak ada "
                    "data diri. Ulangan dengan Idempotency-Key yang sama tidak menyimpan apa pun dan memberi 409. "
                    + not_found,
                    "parameters": [idempotency_key_parameter()],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PerceptionCreate"}}},
                    },
                    "responses": {
                        "201": json_response("PerceptionCreated", "Diterima"),
                        **error_responses(400, 404, 409, 413, 415, 429),
                    },
                },
            }
        },
        schemas={"PerceptionForm": FORM, "PerceptionCreate": _create_schema(), "PerceptionCreated": CREATED},
    )
