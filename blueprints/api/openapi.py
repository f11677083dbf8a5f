"""The OpenAPI 3 document; each service adds its paths to PATHS and its schemas to SCHEMAS."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}

CATALOGUE_ITEM = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}


def _catalogue(summary: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/CatalogueItem"}}
                        }
                    },
                },
                "429": {"$ref": "#/components/responses/Error"},
            },
        }
    }


def _json(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): {"$ref": "#/components/responses/Error"} for status in statuses}


ISO_DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}
PENGADUAN_STATUSES = ["baru", "terverifikasi", "ditindaklanjuti", "selesai", "ditolak", "dialihkan"]

PENGADUAN_CREATE = {
    "type": "object",
    "description": "Kolom yang tidak dikenal ditolak (400). Nama dan email/telepon wajib kecuali anonim; "
    "untuk anonim data identitas tidak disimpan.",
    "required": ["category", "title", "description", "identity"],
    "additionalProperties": False,
    "properties": {
        "category": {"type": "string", "maxLength": 50, "description": "Kode dari GET /kategori"},
        "layanan": {"type": "string", "maxLength": 50, "nullable": True, "description": "Kode dari GET /layanan"},
        "title": {"type": "string", "maxLength": 200},
        "description": {"type": "string", "maxLength": 10000, "description": "Apa yang terjadi dan kerugiannya"},
        "requested_resolution": {"type": "string", "maxLength": 5000, "nullable": True},
        "identity": {"type": "string", "enum": ["terbuka", "rahasia", "anonim"]},
        "name": {"type": "string", "maxLength": 120, "nullable": True},
        "email": {"type": "string", "format": "email", "maxLength": 254, "nullable": True},
        "phone": {"type": "string", "maxLength": 30, "nullable": True},
        "nik": {"type": "string", "pattern": "^[0-9]{16}$", "nullable": True},
        "location": {"type": "string", "maxLength": 200, "nullable": True},
        "incident_date": {**NULLABLE_DATE, "description": "TTTT-BB-HH, tidak setelah hari ini"},
    },
}

DUE_DATES = {
    "type": "object",
    "required": ["verify_by", "settle_by"],
    "properties": {"verify_by": ISO_DATE, "settle_by": ISO_DATE},
}

PENGADUAN_CREATED = {
    "type": "object",
    "required": ["number", "access_code", "status", "due_dates"],
    "properties": {
        "number": {"type": "string", "example": "PGD-2026-000001"},
        "access_code": {"type": "string", "description": "Hanya ditampilkan sekali", "example": "K7M2Q-9XRTW"},
        "status": {"type": "string", "enum": PENGADUAN_STATUSES},
        "due_dates": {"$ref": "#/components/schemas/PengaduanDueDates"},
    },
}

PENGADUAN_STATUS = {
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
        "number": {"type": "string"},
        "status": {"type": "string", "enum": PENGADUAN_STATUSES},
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
            "description": "Batas waktu penanganan hari ini, berurutan: verify, follow_up, settle",
            "items": {
                "type": "object",
                "required": ["name", "due", "done_on", "state"],
                "properties": {
                    "name": {"type": "string", "enum": ["verify", "follow_up", "settle"]},
                    "due": {**NULLABLE_DATE, "description": "Null bila batas ini tidak berlaku"},
                    "done_on": {**NULLABLE_DATE, "description": "Tanggal batas ini berhenti (null bila belum)"},
                    "state": {"type": "string", "enum": ["running", "overdue", "met", "missed", "not_applicable"]},
                },
            },
        },
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["action", "status", "date", "body"],
                "properties": {
                    "action": {"type": "string"},
                    "status": {"type": "string", "enum": PENGADUAN_STATUSES},
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

PATHS: dict[str, Any] = {
    "/kategori": _catalogue("Kategori pengaduan"),
    "/layanan": _catalogue("Katalog layanan"),
    "/pengaduan": {
        "post": {
            "summary": "Ajukan pengaduan",
            "description": "Dibatasi 20 per jam per alamat. Ulangan dengan Idempotency-Key yang sama tidak "
            "membuat pengaduan baru: 409 dengan nomor pengaduan pertama (tanpa kode akses).",
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 64, "pattern": "^[\\x20-\\x7e]+$"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PengaduanCreate"}}},
            },
            "responses": {
                "201": _json("PengaduanCreated", "Diterima"),
                **_errors(400, 409, 413, 415, 429),
            },
        }
    },
    "/pengaduan/{number}": {
        "get": {
            "summary": "Status pengaduan",
            "description": "Nomor atau kode akses yang salah memberi 404 yang sama. Dibatasi 60 per menit.",
            "parameters": [
                {
                    "name": "number",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "example": "PGD-2026-000001"},
                },
                {"name": "X-Access-Code", "in": "header", "required": True, "schema": {"type": "string"}},
            ],
            "responses": {"200": _json("PengaduanStatus", "OK"), **_errors(400, 404, 429)},
        }
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": ERROR_SCHEMA,
    "CatalogueItem": CATALOGUE_ITEM,
    "PengaduanCreate": PENGADUAN_CREATE,
    "PengaduanDueDates": DUE_DATES,
    "PengaduanCreated": PENGADUAN_CREATED,
    "PengaduanStatus": PENGADUAN_STATUS,
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "ZI Public API",
            "version": "1",
            "description": "Pengaduan, WBS, gratifikasi dan SKM. Tanpa cookie; dibatasi laju per alamat.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                "Error": {
                    "description": "Error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }
