"""The OpenAPI paths of the SKM survey: GET /skm/form and POST /skm.

Every list and limit comes from the code that enforces it: the codes from rules/skm.py, the layanan from the
catalogue as it is now, the answers and the age range from rules/skm.py, the lengths from rules.skm.LIMITS,
the permit number's characters from blueprints/skm/api.py. blueprints/skm/openapi.py merges this fragment with
the results' one; tests/blueprints/api/test_schemathesis.py holds the server to it.
"""

from __future__ import annotations

from flask import current_app

from blueprints.api.schema import (
    ISO_DATE,
    Fragment,
    Schema,
    codes,
    error_responses,
    formatted,
    idempotency_key_parameter,
    json_response,
    text,
)
from blueprints.skm.api import CODE_MAX, OPTIONAL_LISTS, PERMIT_PATTERN, PROFILE_LISTS
from zi_public.rules import skm as rules
from zi_public.rules.skm import Channel
from zi_public.services.reference import active_layanan

OPTION: Schema = {
    "type": "object",
    "required": ["value", "label"],
    "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
}
QUARTER: Schema = {"type": "integer", "minimum": 1, "maximum": 4}


def _option_list(description: str) -> Schema:
    return {"type": "array", "description": description, "items": {"$ref": "#/components/schemas/SkmOption"}}


FORM: Schema = {
    "type": "object",
    "required": ["layanan", *PROFILE_LISTS, "age", "unsur", "limits"],
    "properties": {
        "layanan": _option_list("Katalog layanan yang aktif; `value` adalah kode untuk `layanan`"),
        **{name: _option_list(f"Pilihan untuk `{name}`") for name in PROFILE_LISTS},
        "age": {
            "type": "object",
            "required": ["min", "max"],
            "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}},
        },
        "unsur": {
            "type": "array",
            "description": "Sembilan unsur PermenPANRB 14/2017, berurutan U1 sampai U9",
            "minItems": len(rules.UNSUR),
            "maxItems": len(rules.UNSUR),
            "items": {
                "type": "object",
                "required": ["code", "name", "question", "answers"],
                "properties": {
                    "code": {"type": "string", "enum": list(rules.UNSUR)},
                    "name": {"type": "string"},
                    "question": {"type": "string"},
                    "answers": {
                        "type": "array",
                        "description": "Kata-kata unsur ini untuk jawaban 1 (terburuk) sampai 4 (terbaik)",
                        "minItems": len(rules.ANSWERS),
                        "maxItems": len(rules.ANSWERS),
                        "items": {
                            "type": "object",
                            "required": ["value", "label"],
                            "properties": {
                                "value": {"type": "integer", "enum": list(rules.ANSWERS)},
                                "label": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
        "limits": {
            "type": "object",
            "description": "Panjang maksimum teks",
            "required": list(rules.LIMITS),
            "properties": {name: {"type": "integer"} for name in rules.LIMITS},
        },
    },
}

CREATED: Schema = {
    "type": "object",
    "required": ["received_on", "year", "quarter", "channel"],
    "properties": {
        "received_on": {**ISO_DATE, "description": "Hari jawaban diterima (WIB); menentukan triwulannya"},
        "year": {"type": "integer"},
        "quarter": QUARTER,
        "channel": {"type": "string", "enum": [Channel.API.value]},
    },
}


def _create_schema() -> Schema:
    """The POST body: every field with the rule the server applies to it."""
    layanan = [item.code for item in active_layanan()]
    answer_words = "Bilangan bulat 1 sampai 4 (bukan teks, desimal atau boolean)"
    return {
        "type": "object",
        "description": "Kolom yang tidak dikenal ditolak (400), juga di dalam `answers`. Kode dikirim persis "
        "seperti di GET /skm/form. Teks tidak wajib boleh null, kosong atau hanya spasi (dibaca sebagai tidak "
        "diisi); karakter kendali, U+FFFD dan surrogate tunggal ditolak.",
        "required": ["layanan", *[name for name in PROFILE_LISTS if name not in OPTIONAL_LISTS], "age", "answers"],
        "additionalProperties": False,
        "properties": {
            "layanan": codes(layanan, CODE_MAX, required=True, description="Kode dari GET /skm/form (layanan)"),
            **{
                name: codes(
                    options, CODE_MAX, required=name not in OPTIONAL_LISTS, description=f"Dari GET /skm/form ({name})"
                )
                for name, (options, _words) in PROFILE_LISTS.items()
            },
            "age": {
                "type": "integer",
                "minimum": rules.MIN_AGE,
                "maximum": rules.MAX_AGE,
                "description": "Usia dalam tahun",
            },
            "answers": {
                "type": "object",
                "description": "Jawaban kesembilan unsur, semuanya wajib",
                "required": list(rules.UNSUR),
                "additionalProperties": False,
                "properties": {
                    code: {
                        "type": "integer",
                        "minimum": rules.ANSWERS[0],
                        "maximum": rules.ANSWERS[-1],
                        "description": answer_words,
                    }
                    for code in rules.UNSUR
                },
            },
            "permit_number": formatted(
                rules.LIMITS["permit_number"],
                PERMIT_PATTERN,
                description="Nomor izin atau pendaftaran (tidak wajib), huruf ASCII yang dapat dicetak; dengan "
                "nomor izin, satu jawaban per nomor per triwulan (jawaban kedua: 409). Spasi dan huruf besar/kecil "
                "diabaikan saat dibandingkan.",
            ),
            "suggestion": text(rules.LIMITS["suggestion"], multiline=True, description="Saran (tidak wajib)"),
        },
        **({"example": _example(layanan[0])} if layanan else {}),
    }


def _example(layanan: str) -> Schema:
    """A complete, valid body (documentation, and the baseline a test generator starts from)."""
    return {
        "layanan": layanan,
        "gender": rules.GENDERS[1],
        "age": 34,
        "education": "s1",
        "occupation": "wirausaha",
        "answers": {code: 3 for code in rules.UNSUR},
        "suggestion": "Antrean di loket perlu nomor urut.",
    }


def fragment() -> Fragment:
    """Paths relative to the service's prefix (/skm) and the schemas they name."""
    config = current_app.config
    languages = list(config["LANGUAGES"])
    form = {
        "get": {
            "summary": "Isi survei SKM: layanan, pilihan profil, sembilan unsur dan kata-kata jawabannya",
            "description": f"Dibatasi {config['RATELIMIT_API_SKM_FORM']} per alamat.",
            "parameters": [
                {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "description": "Bahasa label (tanpa parameter: bahasa Indonesia)",
                    "schema": {"type": "string", "enum": languages},
                }
            ],
            "responses": {"200": json_response("SkmForm", "OK"), **error_responses(400, 429)},
        }
    }
    create = {
        "post": {
            "summary": "Kirim satu jawaban SKM (kanal api)",
            "description": f"Dibatasi {config['RATELIMIT_API_SKM_POST']} per alamat. Nomor izin yang sudah menjawab "
            "pada triwulan ini: 409. Ulangan dengan Idempotency-Key yang sama tidak menyimpan jawaban baru: 409.",
            "parameters": [idempotency_key_parameter()],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SkmResponseCreate"}}},
            },
            "responses": {
                "201": json_response("SkmResponseCreated", "Diterima"),
                **error_responses(400, 409, 413, 415, 429),
            },
        }
    }
    return Fragment(
        paths={"/form": form, "": create},
        schemas={
            "SkmOption": OPTION,
            "SkmForm": FORM,
            "SkmResponseCreate": _create_schema(),
            "SkmResponseCreated": CREATED,
        },
    )
