"""The gratifikasi part of the OpenAPI document: POST /gratifikasi, GET /gratifikasi/{number}, GET /pedoman.

Every limit, pattern and list comes from the code that enforces it: the lengths, required fields and
multi-line fields from the filing service (LIMITS, REQUIRED, MULTILINE) through the API module's field
tables, the contact formats from zi_public.rules.contact, the codes from rules/gratifikasi.py and the
regulations' data, the largest value from rules.MAX_VALUE_IDR, the oldest date from rules.periods.MIN_YEAR
and the latest from today's date in Jakarta, the access code from zi_public.security.codes.
tests/blueprints/api/test_schemathesis.py holds the server to it.
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
    date_not_after_pattern,
    error_responses,
    formatted,
    idempotency_key_parameter,
    json_response,
    text,
)
from blueprints.gratifikasi.api import (
    ACCESS_CODE_HEADER,
    CODE_MAX,
    CODES,
    FORMATS,
    NESTED,
    REQUIRED_CODES,
    TOP_TEXT,
    is_multiline,
    is_required,
)
from zi_public.localtime import today_jakarta
from zi_public.rules import case_numbers
from zi_public.rules.clocks import ClockState
from zi_public.rules.gratifikasi import MAX_VALUE_IDR, Action, Decision, Kind, Status
from zi_public.rules.gratifikasi_regulations import regulations
from zi_public.rules.periods import MIN_YEAR
from zi_public.security.codes import ACCESS_CODE_LENGTH, access_code_pattern
from zi_public.services.gratifikasi.clocks import CLOCKS
from zi_public.services.gratifikasi.filing import LIMITS

STATUSES = [status.value for status in Status]
KINDS = [kind.value for kind in Kind]
NUMBER_PATTERN = case_numbers.pattern("gratifikasi")
REGULATION: Schema = {"type": "string", "enum": [regulation.code for regulation in regulations()]}
DESCRIPTIONS = {
    "nik": "16 angka",
    "phone": "Angka, spasi, tanda hubung, + di depan",
    "email": "Alamat email ASCII, tanpa spasi",
    "address": "Alamat pelapor (boleh beberapa baris)",
    "giver_name": "Nama pemberi",
    "giver_institution": "Instansi atau perusahaan pemberi",
    "giver_relationship": "Hubungan pemberi dengan pelapor atau dengan tugasnya (mis. pemohon izin)",
    "place": "Tempat gratifikasi diterima atau ditolak",
    "chronology": "Kronologi penerimaan atau penolakan",
    "gift_description": "Uraian barang atau fasilitas",
    "occasion": "Peristiwa atau acara pemberian",
}
CODE_DESCRIPTIONS = {
    "kind": "diterima atau ditolak; gratifikasi yang ditolak tidak punya batas waktu lapor",
    "gift_type": "Kode dari GET /gratifikasi/pedoman (options.gift_type)",
    "gift_location": "Keberadaan barang saat dilaporkan (options.gift_location); wajib bila diterima",
    "exemption_code": "Kategori pengecualian yang menurut pelapor mungkin berlaku (exemptions di GET "
    "/gratifikasi/pedoman); tidak pernah menghalangi laporan",
}


def _field(service: str) -> Schema:
    """One text field by the service's name: its format, or readable text, with the service's limits."""
    extra = {"description": DESCRIPTIONS[service]} if service in DESCRIPTIONS else {}
    if service in FORMATS and is_required(service):
        return {"type": "string", "maxLength": LIMITS[service], "pattern": f"^{FORMATS[service]}{END}", **extra}
    if service in FORMATS:
        return formatted(LIMITS[service], FORMATS[service], **extra)
    return text(LIMITS[service], required=is_required(service), multiline=is_multiline(service), **extra)


def _object(outer: str) -> Schema:
    names = NESTED[outer]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, service in names.items() if is_required(service)],
        "properties": {name: _field(service) for name, service in names.items()},
    }


def _code(name: str, *, required: bool | None = None) -> Schema:
    required = name in REQUIRED_CODES if required is None else required
    return codes(CODES[name], CODE_MAX, required=required, description=CODE_DESCRIPTIONS[name])


def received_on_schema(today: date) -> Schema:
    """A date from 1 January of MIN_YEAR to today (the service refuses older and later ones)."""
    assert MIN_YEAR % 1000 == 0  # noqa: S101 - the years before it are then the ones whose first digit is smaller
    return {
        **ISO_DATE,
        "pattern": date_not_after_pattern(today),
        "not": {"pattern": f"^[0-{MIN_YEAR // 1000 - 1}]"},
        "description": f"TTTT-BB-HH, dari {MIN_YEAR}-01-01 sampai hari ini (WIB)",
    }


def _create_schema() -> Schema:
    """The POST body; a received gift also needs gift_location."""
    today = today_jakarta()
    properties: Schema = {
        "reporter": _object("reporter"),
        "kind": _code("kind"),
        "giver": _object("giver"),
        "gift_type": _code("gift_type"),
        "value_idr": {
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_VALUE_IDR,
            "description": "Perkiraan nilai dalam Rupiah, bilangan bulat JSON (0 bila tidak diketahui)",
        },
        "received_on": received_on_schema(today),
        **{name: _field(name) for name in TOP_TEXT},
        "gift_location": _code("gift_location"),
        "exemption_code": _code("exemption_code"),
    }
    received = {
        "title": Kind.DITERIMA.value,
        "description": "Gratifikasi yang diterima: keberadaan barangnya wajib disebutkan.",
        "required": ["gift_location"],
        "properties": {
            "kind": {"type": "string", "enum": [Kind.DITERIMA.value]},
            "gift_location": _code("gift_location", required=True),
        },
    }
    refused = {
        "title": Kind.DITOLAK.value,
        "description": "Gratifikasi yang ditolak: tidak ada batas waktu lapor, tidak pernah terlambat.",
        "properties": {"kind": {"type": "string", "enum": [Kind.DITOLAK.value]}},
    }
    return {
        "type": "object",
        "description": "Kolom yang tidak dikenal ditolak (400), juga di dalam reporter dan giver; galat menyebut "
        "kolom dengan jalurnya (reporter.nik, giver.name). Teks boleh null, kosong atau hanya spasi bila tidak "
        "wajib (dibaca sebagai tidak diisi); spasi di awal dan akhir teks dibuang. Karakter kendali, U+FFFD dan "
        "surrogate tunggal ditolak; ganti baris hanya pada address dan chronology. Teks wajib harus memuat "
        "setidaknya satu karakter yang terlihat. Laporan yang terlambat tetap diterima dan ditandai terlambat.",
        "required": [
            "reporter",
            "kind",
            "giver",
            "gift_type",
            "value_idr",
            "received_on",
            *[name for name in TOP_TEXT if is_required(name)],
        ],
        "additionalProperties": False,
        "properties": properties,
        "oneOf": [received, refused],
        "example": _example(today),
    }


def _example(today: date) -> Schema:
    """A complete, valid body (documentation, and the baseline a test generator starts from)."""
    return {
        "reporter": {
            "nik": "3371010101900001",
            "name": "Budi Santoso",
            "position": "Analis Perizinan",
            "unit": "Bidang Perizinan",
            "phone": "081234567890",
            "email": "budi@example.id",
            "address": "Jl. Pahlawan 1, Magelang",
        },
        "kind": Kind.DITERIMA.value,
        "giver": {"name": "Andi Wijaya", "institution": "PT Contoh Sejahtera", "relationship": "Pemohon izin"},
        "gift_type": CODES["gift_type"][1],
        "gift_description": "Parsel makanan",
        "value_idr": 750_000,
        "received_on": today.isoformat(),
        "place": "Kantor DPMPTSP",
        "occasion": "Setelah izin terbit",
        "chronology": "Pemohon datang membawa parsel setelah izinnya terbit.",
        "gift_location": CODES["gift_location"][0],
    }


_FACTS: Schema = {
    "received_on": ISO_DATE,
    "reported_on": {**ISO_DATE, "description": "Hari laporan diterima (WIB)"},
    "report_due": {**NULLABLE_DATE, "description": "Batas Pasal 12C (30 hari kerja); null bila ditolak"},
    "working_days_since_received": {
        "type": "integer",
        "minimum": 0,
        "description": "Hari kerja sejak diterima sampai dilaporkan",
    },
    "is_late": {"type": "boolean", "description": "Lewat 30 hari kerja Pasal 12C (gratifikasi ditolak: selalu false)"},
    "regulation": {**REGULATION, "description": "Peraturan yang berlaku pada tanggal diterima"},
}

CREATED: Schema = {
    "type": "object",
    "required": ["number", "access_code", "status", *_FACTS],
    "properties": {
        "number": {"type": "string", "pattern": NUMBER_PATTERN, "example": "GRT-2026-000001"},
        "access_code": {"type": "string", "description": "Hanya ditampilkan sekali", "example": "K7M2Q-9XRTW"},
        "status": {"type": "string", "enum": STATUSES},
        **_FACTS,
    },
}


def _nullable_enum(values: list[str], description: str) -> Schema:
    return {"type": "string", "nullable": True, "enum": [*values, None], "description": description}


def _status_schema() -> Schema:
    properties: Schema = {
        "number": {"type": "string", "pattern": NUMBER_PATTERN},
        "kind": {"type": "string", "enum": KINDS},
        "status": {"type": "string", "enum": STATUSES},
        **_FACTS,
        "completion_by": {**NULLABLE_DATE, "description": "Batas melengkapi laporan bila UPG memintanya"},
        "forwarded_on": {**NULLABLE_DATE, "description": "Tanggal diteruskan ke KPK"},
        "decision": _nullable_enum([decision.value for decision in Decision], "Penetapan KPK (null bila belum)"),
        "decision_date": {**NULLABLE_DATE, "description": "Tanggal SK penetapan KPK"},
        "clocks": {
            "type": "array",
            "description": "Batas waktu UPG per hari ini: " + ", ".join(clock.name for clock in CLOCKS),
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
            "description": "Langkah yang terbuka bagi pelapor (catatan internal UPG tidak pernah disertakan)",
            "items": {
                "type": "object",
                "required": ["action", "status", "date", "body"],
                "properties": {
                    "action": {"type": "string", "enum": [action.value for action in Action]},
                    "status": {"type": "string", "enum": STATUSES},
                    "date": ISO_DATE,
                    "body": {"type": "string", "nullable": True},
                },
            },
        },
    }
    return {"type": "object", "required": list(properties), "properties": properties}


_EXEMPTION_PROPERTIES: Schema = {
    "code": {"type": "string", "enum": list(CODES["exemption_code"])},
    "title": {"type": "string"},
    "summary": {"type": "string"},
    "limit_per_giver": {"type": "integer", "nullable": True, "description": "Rupiah per pemberi; null: tanpa batas"},
    "limit_per_year": {"type": "integer", "nullable": True, "description": "Rupiah setahun dari pemberi yang sama"},
    "non_cash_only": {"type": "boolean", "description": "Hanya untuk pemberian bukan uang"},
}


def _options(name: str) -> Schema:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["value", "label"],
            "properties": {"value": {"type": "string", "enum": list(CODES[name])}, "label": {"type": "string"}},
        },
    }


GUIDE: Schema = {
    "type": "object",
    "required": ["date", "regulation", "report_days", "office_days", "exemptions", "removed", "options"],
    "properties": {
        "date": ISO_DATE,
        "regulation": {
            "type": "object",
            "required": [
                "code",
                "name",
                "short",
                "in_force_from",
                "in_force_until",
                "completion_days",
                "late_note",
            ],
            "properties": {
                "code": REGULATION,
                "name": {"type": "string"},
                "short": {"type": "string"},
                "in_force_from": {**NULLABLE_DATE, "description": "Null: aturan paling awal yang dikenal"},
                "in_force_until": {**NULLABLE_DATE, "description": "Null: masih berlaku"},
                "completion_days": {
                    "type": "integer",
                    "description": "Hari kerja bagi pelapor untuk melengkapi laporan yang diminta UPG",
                },
                "late_note": {"type": "string", "description": "Yang dikatakan peraturan tentang laporan terlambat"},
            },
        },
        "report_days": {"type": "integer", "description": "Hari kerja batas lapor Pasal 12C"},
        "office_days": {"type": "integer", "description": "Hari kerja batas lapor ke UPG menurut kantor"},
        "exemptions": {
            "type": "array",
            "description": "Kategori yang dikecualikan dari kewajiban lapor pada tanggal itu",
            "items": {
                "type": "object",
                "required": list(_EXEMPTION_PROPERTIES),
                "properties": {
                    **_EXEMPTION_PROPERTIES,
                    "code": {"type": "string", "enum": list(CODES["exemption_code"])},
                },
            },
        },
        "removed": {
            "type": "array",
            "description": "Kategori yang sudah dihapus pada tanggal itu, dengan kategori penggantinya",
            "items": {
                "type": "object",
                "required": [*_EXEMPTION_PROPERTIES, "successor"],
                "properties": {
                    **_EXEMPTION_PROPERTIES,
                    "successor": {"type": "string", "nullable": True, "description": "Kode kategori pengganti"},
                },
            },
        },
        "options": {
            "type": "object",
            "description": "Pilihan yang diterima POST /gratifikasi, dengan labelnya",
            "required": ["kind", "gift_type", "gift_location"],
            "properties": {name: _options(name) for name in ("kind", "gift_type", "gift_location")},
        },
    },
}


def fragment() -> Fragment:
    """Paths relative to the service's prefix (/gratifikasi) and the schemas they name."""
    code_pattern, code_max = access_code_pattern()
    create = {
        "post": {
            "summary": "Laporkan gratifikasi",
            "description": "Dibatasi laju per alamat; permintaan yang ditolak ikut dihitung. Ulangan dengan "
            "Idempotency-Key yang sama tidak membuat laporan baru: 409 dengan nomor laporan pertama (tanpa kode "
            "akses).",
            "parameters": [idempotency_key_parameter()],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GratifikasiCreate"}}},
            },
            "responses": {
                "201": json_response(
                    "GratifikasiCreated",
                    "Diterima",
                    headers={"Location": {"description": "Alamat status laporan", "schema": {"type": "string"}}},
                ),
                **error_responses(400, 409, 413, 415, 429),
            },
        }
    }
    status = {
        "get": {
            "summary": "Status laporan gratifikasi",
            "description": "Nomor atau kode akses yang salah (termasuk yang tidak berbentuk nomor atau kode) "
            "memberi 404 yang sama; tanpa kode akses: 400. Dibatasi laju per alamat.",
            "parameters": [
                {
                    "name": "number",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": NUMBER_PATTERN, "example": "GRT-2026-000001"},
                },
                {
                    "name": ACCESS_CODE_HEADER,
                    "in": "header",
                    "required": True,
                    "description": "Kode akses yang diberikan saat laporan dikirim; huruf besar atau kecil, "
                    "tanda hubung dan spasi diabaikan.",
                    "schema": {
                        "type": "string",
                        "minLength": ACCESS_CODE_LENGTH,
                        "maxLength": code_max,
                        "pattern": code_pattern,
                    },
                },
            ],
            "responses": {"200": json_response("GratifikasiStatus", "OK"), **error_responses(400, 404, 429)},
        }
    }
    guide = {
        "get": {
            "summary": "Pedoman gratifikasi pada suatu tanggal",
            "description": "Peraturan yang berlaku pada tanggal itu (bawaan: hari ini, WIB), kategori "
            "pengecualian beserta batas nilainya, kategori yang sudah dihapus, dan pilihan yang diterima POST "
            "/gratifikasi. Teks dalam bahasa Accept-Language (id atau en).",
            "parameters": [
                {
                    "name": "date",
                    "in": "query",
                    "required": False,
                    "description": "TTTT-BB-HH",
                    "schema": {**ISO_DATE, "pattern": f"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{END}"},
                }
            ],
            "responses": {"200": json_response("GratifikasiGuide", "OK"), **error_responses(400, 429)},
        }
    }
    return Fragment(
        paths={"": create, "/pedoman": guide, "/{number}": status},
        schemas={
            "GratifikasiCreate": _create_schema(),
            "GratifikasiCreated": CREATED,
            "GratifikasiStatus": _status_schema(),
            "GratifikasiGuide": GUIDE,
        },
    )
