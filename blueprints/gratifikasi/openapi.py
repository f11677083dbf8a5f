"""The gratifikasi part of the OpenAPI document (part B of issue 10)."""

from __future__ import annotations

from blueprints.api.schema import Fragment


def fragment() -> Fragment:
    return Fragment(paths={}, schemas={})
