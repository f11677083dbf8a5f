"""WBS's part of the OpenAPI document (paths relative to /api/v1/wbs)."""

from __future__ import annotations

from blueprints.api.schema import Fragment


def fragment() -> Fragment:
    """The WBS endpoints (filled in with the API module)."""
    return Fragment(paths={})
