"""The pengaduan part of the OpenAPI document: POST /pengaduan and GET /pengaduan/{number}.

Every limit, pattern and list comes from the code that enforces it: the lengths from the service's LIMITS
and the API parser's constants, the contact formats from zi_public.rules.contact, the access code from
zi_public.security.codes, the category and layanan codes from the catalogue as it is now, the latest
incident date from today's date in Jakarta. blueprints/api/openapi.py merges this fragment under the
service's URL prefix; tests/blueprints/api/test_schemathesis.py holds the server to it.
"""

from __future__ import annotations

from datetime import date

from blueprints.api.schema import (
    END,
    ISO_DATE,
    NULLABLE_DATE,
    Fragment,
    Schema,
    codes,
    date_not_after,
    error_responses,
    formatted,
    idempotency_key_parameter,
    json_response,
    readable_pattern,
    text,
)
from blueprints.pengaduan.api import (
    ACCESS_CODE_HEADER,
    CODE_MAX,
    MULTILINE_FIELDS,
    REQUIRED_TEXT,
    TEXT_FIELDS,
)
from zi_public.localtime import today_jakarta
from zi_public.rules import case_numbers
from zi_public.rules.clocks import ClockState
from zi_public.rules.contact import EMAIL_PATTERN, NIK_PATTERN, PHONE_PATTERN
from zi_public.rules.pengaduan import Action, Identity, Status
from zi_public.security.codes import ACCESS_CODE_LENGTH, access_code_pattern
from zi_public.services.pengaduan.clocks import CLOCKS
from zi_public.services.pengaduan.filing import LIMITS
from zi_public.services.reference import active_categories, active_layanan

STATUSES = [status.value for status in Status]
IDENTIFIED = [Identity.TERBUKA.value, Identity.RAHASIA.value]
NUMBER_PATTERN = case_numbers.pattern("pengaduan")


def _text(field: str, **extra: object) -> Schema:
    return text(LIMITS[field], required=field in REQUIRED_TEXT, multiline=field in MULTILINE_FIELDS, **extra)


def _create_schema() -> Schema:
    """The POST body: every field with its limits, and what identity terbuka/rahasia adds."""
    categories = [item.code for item in active_categories()]
    layanan = [item.code for item in active_layanan()]
    today = today_jakarta()
    identified = {
        "title": "terbuka / rahasia",
        "description": "Nama wajib, dan email atau telepon (salah satu, boleh keduanya).",
        "required": ["name"],
        "properties": {
            "identity": {"type": "string", "enum": IDENTIFIED},
            "name": {"type": "string", "pattern": readable_pattern(multiline=False, required=True)},
        },
        "anyOf": [
            {"required": ["email"], "properties": {"email": {"type": "string", "pattern": f"^{EMAIL_PATTERN}{END}"}}},
            {"required": ["phone"], "properties": {"phone": {"type": "string", "pattern": f"^{PHONE_PATTERN}{END}"}}},
        ],
    }
    anonymous = {
        "title": "anonim",
        "description": "Tidak ada data identitas yang disimpan; kolom identitas yang dikirim tetap diperiksa.",
        "properties": {"identity": {"type": "string", "enum": [Identity.ANONIM.value]}},
    }
    return {
        "type": "object",
        "description": "Kolom yang tidak dikenal ditolak (400). Teks boleh null, kosong atau hanya spasi bila "
        "tidak wajib (dibaca sebagai tidak diisi); spasi di awal dan akhir teks dibuang. Karakter kendali, "
        "U+FFFD dan surrogate tunggal ditolak; ganti baris hanya pada kolom uraian. Teks wajib harus memuat "
        "setidaknya satu karakter yang terlihat: spasi, karakter format (mis. U+200B) dan karakter lain yang "
        "tidak tampil (Default_Ignorable_Code_Point, juga di luar BMP) saja dibaca sebagai tidak diisi.",
        "required": ["category", *[field for field in TEXT_FIELDS if field in REQUIRED_TEXT], "identity"],
        "additionalProperties": False,
        "properties": {
            "category": codes(
                categories,
                CODE_MAX,
                required=True,
                description="Kode dari GET /kategori",
            ),
            "layanan": codes(
                layanan,
                CODE_MAX,
                required=False,
                description="Kode dari GET /layanan",
            ),
            "title": _text("title"),
            "description": _text("description", description="Apa yang terjadi dan kerugiannya"),
            "requested_resolution": _text("requested_resolution", description="Penyelesaian yang diminta"),
            "identity": {"type": "string", "maxLength": CODE_MAX, "enum": [identity.value for identity in Identity]},
            "name": _text("name"),
            "email": formatted(LIMITS["email"], EMAIL_PATTERN, description="Alamat email ASCII, tanpa spasi"),
            "phone": formatted(LIMITS["phone"], PHONE_PATTERN, description="Angka, spasi, tanda hubung, + di depan"),
            "nik": formatted(LIMITS["nik"], NIK_PATTERN, description="16 angka"),
            "location": _text("location"),
            "incident_date": date_not_after(today, description="TTTT-BB-HH, tidak setelah hari ini (WIB)"),
        },
        "oneOf": [identified, anonymous],
        **({"example": _example(categories[0], layanan[:1], today)} if categories else {}),
    }


def _example(category: str, layanan: list[str], today: date) -> Schema:
    """A complete, valid body (documentation, and the baseline a test generator starts from)."""
    return {
        "category": category,
        **({"layanan": layanan[0]} if layanan else {}),
        "title": "Izin belum terbit",
        "description": "Berkas sudah lengkap sejak tiga bulan lalu, izin belum terbit.",
        "requested_resolution": "Mohon izin segera diterbitkan.",
        "identity": Identity.TERBUKA.value,
        "name": "Budi Santoso",
        "email": "budi@example.id",
        "phone": "0812 3456 7890",
        "nik": "3371010101010001",
        "location": "Loket 3",
        "incident_date": today.isoformat(),
    }


def _status_schema() -> Schema:
    return {
        "type": "object",
        "required": [
            "number",
            "status",
            "received_on",
            "is_closed",
            "forwarded_to",
            "due_dates",
            "clocks",
            "history",
            "answers",
        ],
        "properties": {
            "number": {"type": "string", "pattern": NUMBER_PATTERN},
            "status": {"type": "string", "enum": STATUSES},
            "received_on": ISO_DATE,
            "is_closed": {"type": "boolean", "description": "Masa tanggapan pelapor sudah lewat"},
            "forwarded_to": {"type": "string", "nullable": True, "description": "Instansi tujuan bila dialihkan"},
            "due_dates": {
                "type": "object",
                "required": ["verify_by", "settle_by", "followup_by", "reply_until"],
                "properties": {
                    "verify_by": ISO_DATE,
                    "settle_by": ISO_DATE,
                    "followup_by": NULLABLE_DATE,
                    "reply_until": NULLABLE_DATE,
                },
            },
            "clocks": {
                "type": "array",
                "description": "Batas waktu penanganan per hari ini, berurutan: "
                + ", ".join(clock.name for clock in CLOCKS),
                "items": {
                    "type": "object",
                    "required": ["name", "due", "done_on", "state"],
                    "properties": {
                        "name": {"type": "string", "enum": [clock.name for clock in CLOCKS]},
                        "due": {**NULLABLE_DATE, "description": "Null bila batas ini tidak berlaku"},
                        "done_on": {**NULLABLE_DATE, "description": "Tanggal batas ini berhenti (null bila belum)"},
                        "state": {"type": "string", "enum": [state.value for state in ClockState]},
                    },
                },
            },
            "history": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["action", "status", "date", "body"],
                    "properties": {
                        "action": {"type": "string", "enum": [action.value for action in Action]},
                        "status": {"type": "string", "enum": STATUSES},
                        "date": ISO_DATE,
                        "body": {"type": "string", "nullable": True, "description": "Tanggapan atau alasan"},
                    },
                },
            },
            "answers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["date", "body"],
                    "properties": {"date": ISO_DATE, "body": {"type": "string"}},
                },
            },
        },
    }


CREATED: Schema = {
    "type": "object",
    "required": ["number", "access_code", "status", "due_dates"],
    "properties": {
        "number": {"type": "string", "pattern": NUMBER_PATTERN, "example": "PGD-2026-000001"},
        "access_code": {"type": "string", "description": "Hanya ditampilkan sekali", "example": "K7M2Q-9XRTW"},
        "status": {"type": "string", "enum": STATUSES},
        "due_dates": {
            "type": "object",
            "required": ["verify_by", "settle_by"],
            "properties": {"verify_by": ISO_DATE, "settle_by": ISO_DATE},
        },
    },
}


def fragment() -> Fragment:
    """Paths relative to the service's prefix (/pengaduan) and the schemas they name."""
    code_pattern, code_max = access_code_pattern()
    create = {
        "post": {
            "summary": "Ajukan pengaduan",
            "description": "Dibatasi 20 per jam per alamat. Ulangan dengan Idempotency-Key yang sama tidak "
            "membuat pengaduan baru: 409 dengan nomor pengaduan pertama (tanpa kode akses).",
            "parameters": [idempotency_key_parameter()],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PengaduanCreate"}}},
            },
            "responses": {
                "201": json_response(
                    "PengaduanCreated",
                    "Diterima",
                    headers={"Location": {"description": "Alamat status pengaduan", "schema": {"type": "string"}}},
                ),
                **error_responses(400, 409, 413, 415, 429),
            },
        }
    }
    status = {
        "get": {
            "summary": "Status pengaduan",
            "description": "Nomor atau kode akses yang salah (termasuk yang tidak berbentuk nomor atau kode) "
            "memberi 404 yang sama; tanpa kode akses: 400. Dibatasi 60 per menit.",
            "parameters": [
                {
                    "name": "number",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": NUMBER_PATTERN, "example": "PGD-2026-000001"},
                },
                {
                    "name": ACCESS_CODE_HEADER,
                    "in": "header",
                    "required": True,
                    "description": "Kode akses yang diberikan saat pengaduan diajukan; huruf besar atau kecil, "
                    "tanda hubung dan spasi diabaikan.",
                    "schema": {
                        "type": "string",
                        "minLength": ACCESS_CODE_LENGTH,
                        "maxLength": code_max,
                        "pattern": code_pattern,
                    },
                },
            ],
            "responses": {"200": json_response("PengaduanStatus", "OK"), **error_responses(400, 404, 429)},
        }
    }
    return Fragment(
        paths={"": create, "/{number}": status},
        schemas={
            "PengaduanCreate": _create_schema(),
            "PengaduanCreated": CREATED,
            "PengaduanStatus": _status_schema(),
        },
    )
