"""The OpenAPI path of GET /layanan/{code}: one layanan with its standar pelayanan in force today.

Built per request like the rest of the document: `code` is one of today's active layanan codes (any other
is a 404 in the error format).
"""

from __future__ import annotations

from blueprints.api.schema import ISO_DATE, Fragment, Schema, codes, error_responses, json_response
from zi_public.models import Layanan
from zi_public.services.reference import active_layanan
from zi_public.services.skm.standards import COMPONENTS

_COMPONENT_DESCRIPTIONS = {
    "persyaratan": "Persyaratan",
    "prosedur": "Sistem, mekanisme dan prosedur",
    "jangka_waktu": "Jangka waktu penyelesaian",
    "biaya": "Biaya/tarif",
    "produk": "Produk pelayanan",
    "pengaduan": "Penanganan pengaduan, saran dan masukan",
}

STANDARD_SCHEMA: Schema = {
    "type": "object",
    "description": "Komponen standar pelayanan (PermenPANRB 15/2014) yang berlaku hari ini; teks dengan ganti baris",
    "required": ["effective_on", *COMPONENTS],
    "properties": {
        "effective_on": {**ISO_DATE, "description": "Tanggal mulai berlaku (Asia/Jakarta)"},
        **{name: {"type": "string", "description": _COMPONENT_DESCRIPTIONS[name]} for name in COMPONENTS},
    },
}

DETAIL_SCHEMA: Schema = {
    "type": "object",
    "required": ["code", "name", "standar_pelayanan"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        # Inline rather than a $ref: OpenAPI 3.0's `nullable` only counts beside a `type`.
        "standar_pelayanan": {
            **STANDARD_SCHEMA,
            "nullable": True,
            "description": STANDARD_SCHEMA["description"] + "; null selama belum ada yang berlaku",
        },
    },
}


def fragment() -> Fragment:
    code_length = Layanan.__table__.c.code.type.length
    return Fragment(
        paths={
            "/layanan/{code}": {
                "get": {
                    "summary": "Satu layanan dengan standar pelayanan yang berlaku hari ini",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": codes([item.code for item in active_layanan()], code_length, required=True),
                        }
                    ],
                    "responses": {
                        "200": json_response("LayananDetail", "OK"),
                        **error_responses(404, 429),
                    },
                }
            }
        },
        schemas={"LayananDetail": DETAIL_SCHEMA},
    )
