"""The service-hall kiosk: touch layout, resets between people, prints a receipt."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__)

from blueprints.kiosk import perception, routes, skm, standards  # noqa: E402,F401
