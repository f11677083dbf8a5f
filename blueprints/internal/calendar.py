"""Admin page for working-day overrides."""

from __future__ import annotations

from flask import render_template

from blueprints.internal import bp
from zi_public.models import Role
from zi_public.security.permissions import roles_required


@bp.route("/hari-kerja")
@roles_required(Role.ADMIN)
def calendar():
    """National holidays and cuti bersama of a year, plus the unit's own overrides."""
    return render_template("internal/calendar.html")
