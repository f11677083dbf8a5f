"""Figures for each role's dashboard (each service adds its own as it is built)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Role, User
from zi_public.services import audit_labels
from zi_public.services.gratifikasi import inbox as gratifikasi_inbox
from zi_public.services.pengaduan.inbox import dashboard_counts
from zi_public.services.skm.dashboard import dashboard_figures as skm_figures
from zi_public.services.wbs import inbox as wbs_inbox


def dashboard_for(user: User) -> dict[str, Any]:
    """The figures `user`'s role sees first (pimpinan gathers every team's summary)."""
    if user.role == Role.ADMIN:
        recent = list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(10)))
        return {
            "active_users": db.session.scalar(sa.select(sa.func.count(User.id)).where(User.is_active.is_(True))),
            "locked_users": db.session.scalar(
                sa.select(sa.func.count(User.id)).where(User.locked_until.is_not(None), User.failed_logins > 0)
            ),
            "recent_audit": recent,
            "described": audit_labels.describe(recent),  # each entry in words, in the page's language
        }
    figures: dict[str, Any] = {}
    if user.role in (Role.PENGADUAN, Role.PIMPINAN):
        figures["pengaduan"] = dashboard_counts(today_jakarta())
    if user.role == Role.WBS:
        figures["wbs"] = wbs_inbox.dashboard_counts(user, today_jakarta())
    if user.role in (Role.SKM, Role.PIMPINAN):
        figures["skm"] = skm_figures(today_jakarta())
    if user.role in (Role.UPG, Role.PIMPINAN):
        figures["gratifikasi"] = gratifikasi_inbox.dashboard_counts(today_jakarta())
    return figures
