"""The WBS part of the OpenAPI document: POST /wbs, POST /wbs/status, POST /wbs/messages, GET /wbs/kategori.

Every limit and list comes from the code that enforces it: lengths from the service's LIMITS (through the
API module's field table), the receipt's alphabet from zi_public.security.codes, the categories from the
catalogue as it is now. tests/blueprints/api/test_schemathesis.py holds the server to it.
"""

from __future__ import annotations

from blueprints.api.schema import (
    ISO_DATE,
    Fragment,
    Schema,
    codes,
    error_responses,
    idempotency_key_parameter,
    json_response,
    text,
)
from blueprints.wbs.api import CODE_MAX, RECEIPT_MAX, REQUIRED_TEXT, TEXT_FIELDS, is_multiline, max_length
from zi_public.models.wbs import WbsCategory
from zi_public.rules.wbs import Sender, Status
from zi_public.security.codes import RECEIPT_LENGTH
from zi_public.services import reference
from zi_public.services.wbs.reporter import BODY_LIMIT

DESCRIPTIONS = {
    "what": "Apa yang terjadi: penyimpangannya",
    "who": "Siapa yang terlibat (nama atau ciri)",
    "who_position": "Jabatan pihak yang terlibat",
    "who_unit": "Unit kerja pihak yang terlibat",
    "when": "Kapan terjadi (teks bebas, satu baris)",
    "where": "Di mana terjadi",
    "how": "Bagaimana kejadiannya",
    "how_known": "Bagaimana pelapor mengetahuinya",
    "identity": "Identitas pelapor (tidak wajib); disegel: tim hanya tahu bahwa ada identitas",
}
RECEIPT: Schema = text(
    RECEIPT_MAX,
    required=True,
    description=f"Nomor tanda terima ({RECEIPT_LENGTH} huruf dan angka); huruf besar atau kecil, spasi dan "
    "tanda hubung diabaikan.",
    example="7KQ2MX-9RTW4P-HN3C8E",
)


def _create_schema() -> Schema:
    categories = [item.code for item in reference.active(WbsCategory)]
    properties: Schema = {
        "category": codes(categories, CODE_MAX, required=True, description="Kode dari GET /wbs/kategori")
    }
    for name in TEXT_FIELDS:
        properties[name] = text(
            max_length(name),
            required=name in REQUIRED_TEXT,
            multiline=is_multiline(name),
            description=DESCRIPTIONS[name],
        )
    return {
        "type": "object",
        "description": "Kolom yang tidak dikenal ditolak (400). Teks wajib harus memuat setidaknya satu karakter "
        "yang terlihat; teks tidak wajib boleh null, kosong atau hanya spasi. Karakter kendali, U+FFFD dan "
        "surrogate tunggal ditolak; ganti baris tidak boleh pada who, who_position, who_unit dan when.",
        "required": ["category", *sorted(REQUIRED_TEXT)],
        "additionalProperties": False,
        "properties": properties,
        **({"example": _example(categories[0])} if categories else {}),
    }


def _example(category: str) -> Schema:
    return {
        "category": category,
        "what": "Petugas meminta uang pelicin agar izin cepat terbit.",
        "who": "Petugas loket 3",
        "when": "Senin pagi pekan lalu",
        "where": "Loket 3, ruang pelayanan",
        "how": "Meminta uang tunai di luar tarif resmi.",
    }


RECEIPT_BODY: Schema = {
    "type": "object",
    "required": ["receipt"],
    "additionalProperties": False,
    "properties": {"receipt": RECEIPT},
}
MESSAGE_BODY: Schema = {
    "type": "object",
    "required": ["receipt", "body"],
    "additionalProperties": False,
    "properties": {
        "receipt": RECEIPT,
        "body": text(BODY_LIMIT, required=True, multiline=True, description="Tidak boleh memuat nomor tanda terima"),
    },
}
MESSAGE: Schema = {
    "type": "object",
    "required": ["sender", "body", "date"],
    "properties": {
        "sender": {"type": "string", "enum": [Sender.REPORTER.value, Sender.TEAM.value]},
        "body": {"type": "string"},
        "date": ISO_DATE,
    },
}
STATUS: Schema = {
    "type": "object",
    "required": ["status", "messages"],
    "properties": {
        "status": {"type": "string", "enum": [status.value for status in Status]},
        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/WbsMessage"}},
    },
}
CREATED: Schema = {
    "type": "object",
    "required": ["receipt"],
    "properties": {
        "receipt": {
            "type": "string",
            "description": "Hanya ditampilkan sekali, di jawaban ini; disimpan hanya sebagai hash berkunci.",
            "example": "7KQ2MX-9RTW4P-HN3C8E",
        }
    },
}
CATALOGUE: Schema = {
    "get": {
        "summary": "Kategori WBS",
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/CatalogueItem"}}
                    }
                },
            },
            **error_responses(429),
        },
    }
}


#: The shared header, with what a whistle-blower's client must know: the key is stored (as a keyed hash) with
#: the report, so it must say nothing about the reporter.
IDEMPOTENCY_KEY: Schema = {
    **idempotency_key_parameter(),
    "description": "Kunci acak baru untuk setiap laporan (mis. UUID versi 4) agar pengiriman ulang aman; huruf "
    "ASCII yang dapat dicetak, tanpa spasi di awal atau akhir. Jangan dibentuk dari data pelapor, perangkat "
    "atau waktu: kunci disimpan (sebagai hash berkunci) bersama laporan.",
}


def _post(
    summary: str, description: str, body: str, responses: Schema, parameters: list[Schema] | None = None
) -> Schema:
    return {
        "post": {
            "summary": summary,
            "description": description,
            **({"parameters": parameters} if parameters else {}),
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
            },
            "responses": responses,
        }
    }


def fragment() -> Fragment:
    """Paths relative to the service's prefix (/wbs) and the schemas they name."""
    wrong = "Nomor tanda terima yang salah memberi 404 (yang salah ketik menyebutkannya)."
    return Fragment(
        paths={
            "": _post(
                "Kirim laporan WBS",
                "Jawaban 201 memuat nomor tanda terima, satu-satunya kali nomor itu diberikan. Tidak ada alamat IP, "
                "perangkat atau jam yang disimpan; hanya tanggal. Dibatasi per klien. Ulangan dengan "
                "Idempotency-Key yang sama tidak membuat laporan baru: 409 yang menyatakan laporan sudah diterima, "
                "tanpa nomor tanda terima (hanya jawaban pertama yang memuatnya).",
                "WbsCreate",
                {"201": json_response("WbsCreated", "Diterima"), **error_responses(400, 409, 413, 415, 429)},
                parameters=[IDEMPOTENCY_KEY],
            ),
            "/status": _post(
                "Status dan percakapan laporan WBS",
                "Catatan internal tim tidak pernah disertakan. " + wrong,
                "WbsReceipt",
                {"200": json_response("WbsStatus", "OK"), **error_responses(400, 404, 413, 415, 429)},
            ),
            "/messages": _post(
                "Kirim pesan kepada Tim WBS",
                "Pesan yang memuat nomor tanda terima (dalam ejaan apa pun) ditolak (400). " + wrong,
                "WbsMessageCreate",
                {"201": json_response("WbsMessage", "Terkirim"), **error_responses(400, 404, 413, 415, 429)},
            ),
            "/kategori": CATALOGUE,
        },
        schemas={
            "WbsCreate": _create_schema(),
            "WbsCreated": CREATED,
            "WbsReceipt": RECEIPT_BODY,
            "WbsMessageCreate": MESSAGE_BODY,
            "WbsMessage": MESSAGE,
            "WbsStatus": STATUS,
        },
    )
