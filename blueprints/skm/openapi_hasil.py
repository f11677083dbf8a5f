"""The OpenAPI paths of the SKM hasil part (issue 9)."""

from __future__ import annotations

from blueprints.api.schema import Fragment


def fragment() -> Fragment:
    return Fragment(paths={}, schemas={})
