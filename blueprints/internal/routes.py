"""The dashboard: one per role."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from blueprints.internal import bp
from zi_public.services.audit_labels import describe
from zi_public.services.dashboard import dashboard_for


@bp.route("/")
def dashboard():
    """What this role needs to see first."""
    if current_user.role is None:  # a new account whose first role waits for a second person's approval
        return render_template("internal/dashboard_pending.html")
    figures = dashboard_for(current_user)
    if "recent_audit" in figures:  # the admin's latest activity, in words
        figures["described"] = describe(figures["recent_audit"])
    return render_template(f"internal/dashboard_{current_user.role.value}.html", **figures)
