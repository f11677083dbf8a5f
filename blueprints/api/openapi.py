"""The OpenAPI 3 document; each service adds its paths to PATHS."""

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


PATHS: dict[str, Any] = {
    "/kategori": _catalogue("Kategori pengaduan"),
    "/layanan": _catalogue("Katalog layanan"),
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
            "schemas": {"Error": ERROR_SCHEMA, "CatalogueItem": CATALOGUE_ITEM},
            "responses": {
                "Error": {
                    "description": "Error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }
