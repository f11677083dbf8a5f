"""The Tim SKM's paper-form import: template, upload, validation report."""

from blueprints.skm import staff_bp  # noqa: F401
