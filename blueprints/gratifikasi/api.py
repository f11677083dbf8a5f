"""POST /api/v1/gratifikasi and GET /api/v1/gratifikasi/<number> (part B of issue 10)."""

from __future__ import annotations

from blueprints.gratifikasi import api_bp  # noqa: F401
