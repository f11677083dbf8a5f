"""The dashboard: one per role."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from blueprints.internal import bp
from zi_public.services.dashboard import dashboard_for


@bp.route("/")
def dashboard():
    """What this role needs to see first."""
    return render_template(f"internal/dashboard_{current_user.role.value}.html", **dashboard_for(current_user))
