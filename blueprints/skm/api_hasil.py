"""GET /api/v1/skm/hasil (issue 9; owned by the results work)."""

from blueprints.skm import api_bp  # noqa: F401
