"""Admin page to browse the audit log."""

from __future__ import annotations

from flask import render_template

from blueprints.internal import bp
from zi_public.models import Role
from zi_public.security.permissions import roles_required


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    """Browse the audit log (filters: actor, action, date)."""
    return render_template("internal/audit_log.html")
