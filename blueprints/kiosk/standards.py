"""The kiosk's standar pelayanan and maklumat pages."""

from blueprints.kiosk import bp  # noqa: F401
