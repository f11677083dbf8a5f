"""The internal area: one guard for every page, a role decorator on each view."""

from flask import Blueprint

bp = Blueprint("internal", __name__)

from blueprints.internal import (  # noqa: E402,F401
    approvals,
    audit_log,
    calendar,
    guard,
    kiosk_devices,
    monev,
    outbox,
    report_settings,
    reports,
    routes,
    users,
)
