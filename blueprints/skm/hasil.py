"""The published results at /skm/hasil (issue 9; owned by the results work)."""

from blueprints.skm import bp  # noqa: F401
