"""The OpenAPI 3 document of /api/v1: the shared parts, and every service's fragment merged in.

The shared parts are the info block, the error format and the catalogue endpoints. Each service package
listed in blueprints.SERVICES has an `openapi` module whose `fragment()` gives its paths (relative to the
service's URL prefix) and schemas; `openapi_document()` prefixes and merges them. The document is built
per request because it states the catalogue's codes and today's latest accepted date.
"""

from __future__ import annotations

from typing import Any

from blueprints.api import openapi_layanan
from blueprints.api.schema import Fragment, Schema, error_responses

ERROR_SCHEMA: Schema = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer", "minimum": 400, "maximum": 499, "description": "Status HTTP"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Pesan per kolom atau header yang bermasalah",
                    "additionalProperties": {"type": "string"},
                },
            },
        }
    },
}

CATALOGUE_ITEM: Schema = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}


def _catalogue(summary: str) -> Schema:
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
                **error_responses(429),
            },
        }
    }


SHARED = Fragment(
    paths={"/kategori": _catalogue("Kategori pengaduan"), "/layanan": _catalogue("Katalog layanan")},
    schemas={"Error": ERROR_SCHEMA, "CatalogueItem": CATALOGUE_ITEM},
)


def service_fragments() -> list[tuple[str, Fragment]]:
    """(URL prefix, fragment) of every service in blueprints.SERVICES."""
    from blueprints import SERVICES  # the registry imports the service packages, which import this package

    return [(prefix, service.openapi.fragment()) for service, prefix in SERVICES]


def merge(fragments: list[tuple[str, Fragment]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """All paths, prefixed, and all schemas; a path or schema name defined twice is a programming error."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for prefix, fragment in fragments:
        for path, item in fragment.paths.items():
            if prefix + path in paths:
                raise ValueError(f"OpenAPI path {prefix + path} is defined twice")
            paths[prefix + path] = item
        for name, schema in fragment.schemas.items():
            if name in schemas:
                raise ValueError(f"OpenAPI schema {name} is defined twice")
            schemas[name] = schema
    return paths, schemas


def openapi_document() -> dict[str, Any]:
    """The whole document, as served at /api/v1/openapi.json."""
    paths, schemas = merge([("", SHARED), ("", openapi_layanan.fragment()), *service_fragments()])
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "ZI Public API",
            "version": "1",
            "description": "Pengaduan, WBS, gratifikasi dan SKM. Tanpa cookie; dibatasi laju per alamat. "
            'Setiap galat berupa JSON {"error": {"code", "message", "fields"?}}. Pesan dan label dalam bahasa '
            "Indonesia; kirim header Accept-Language: en untuk bahasa Inggris.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "Galat",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }
