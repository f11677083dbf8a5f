"""The public survey at /skm/ (issue 9; owned by the survey work)."""

from blueprints.skm import bp  # noqa: F401
