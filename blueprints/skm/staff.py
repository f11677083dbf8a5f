"""The Tim SKM's pages: dashboard links, population, follow-up items, results preview."""

from blueprints.skm import staff_bp  # noqa: F401
