"""The dashboard: one per role."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from blueprints.internal import bp
from zi_public.services.dashboard import dashboard_for


@bp.route("/")
def dashboard():
    """What this role needs to see first."""
    if current_user.role is None:  # a new account whose first role waits for a second person's approval
        return render_template("internal/dashboard_pending.html")
    return render_template(f"internal/dashboard_{current_user.role.value}.html", **dashboard_for(current_user))
