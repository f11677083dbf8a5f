"""The kiosk's SKM survey (/kiosk/skm): faces, one question per screen."""

from blueprints.kiosk import bp  # noqa: F401
