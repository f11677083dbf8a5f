"""The SKM part of the OpenAPI document (filled in by the API module's owner)."""

from __future__ import annotations

from blueprints.api.schema import Fragment


def fragment() -> Fragment:
    return Fragment(paths={}, schemas={})
