"""The SKM JSON API: GET /skm/form, POST /skm (issue 9; owned by the survey work)."""

from blueprints.skm import api_bp  # noqa: F401
