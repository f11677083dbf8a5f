"""Everything under /internal needs a signed-in, active account that has done its homework.

Who may send a request is checked before the app's CSRF check, in one place for the whole area: Flask calls URL
value preprocessors before every before_request function, so a signed-in role that may not send a POST answers
403 whatever token it sent, instead of the CSRF check's 400, which tells it nothing about its role. Two rules:

- a view's own roles (zi_public.security.permissions.roles_required), for every write (any method but GET,
  HEAD, OPTIONS); reads keep their order: the homework redirects below come before the view's 403;
- an area that belongs to one kind of case as a whole (permissions.restrict_area, e.g. the UPG's
  /internal/gratifikasi): any other role is refused every page, a reader who does not write every change.

Nobody signed in meets the CSRF check and the login redirect as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.internal import bp
from zi_public.extensions import login_manager
from zi_public.labels import ROLE_LABELS, label
from zi_public.models import Role
from zi_public.security.permissions import AREA_KINDS, can_read_case, can_write_case
from zi_public.services.settings import get_setting


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: str
    roles: frozenset[Role]


#: The internal menu; each service adds its entries here.
MENU: list[MenuItem] = [
    MenuItem("internal.users", _l("Akun petugas"), frozenset({Role.ADMIN})),
    MenuItem("internal.approvals", _l("Persetujuan akun"), frozenset({Role.ADMIN, Role.PIMPINAN})),
    MenuItem("internal.calendar", _l("Hari kerja dan libur"), frozenset({Role.ADMIN})),
    MenuItem("internal.audit_log", _l("Log audit"), frozenset({Role.ADMIN})),
    MenuItem("internal.kiosk_devices", _l("Perangkat kiosk"), frozenset({Role.ADMIN})),
    MenuItem("internal.outbox_failing", _l("Surel gagal terkirim"), frozenset({Role.ADMIN})),
    MenuItem("internal.report_settings_page", _l("Pengaturan laporan"), frozenset({Role.ADMIN})),
    MenuItem("internal.pengaduan.inbox", _l("Pengaduan"), frozenset({Role.PENGADUAN, Role.PIMPINAN})),
    MenuItem("internal.reports", _l("Laporan"), frozenset({Role.PENGADUAN, Role.PIMPINAN, Role.SKM, Role.UPG})),
    MenuItem("internal.wbs.inbox", _l("Laporan WBS"), frozenset({Role.WBS})),
    MenuItem("internal.gratifikasi.inbox", _l("Gratifikasi"), frozenset({Role.UPG, Role.PIMPINAN})),
    MenuItem("internal.gratifikasi.custody", _l("Barang titipan"), frozenset({Role.UPG, Role.PIMPINAN})),
    MenuItem("internal.gratifikasi.declarations", _l("Benturan kepentingan"), frozenset({Role.UPG, Role.PIMPINAN})),
    MenuItem("internal.gratifikasi.campaign", _l("Kampanye"), frozenset({Role.UPG, Role.PIMPINAN})),
    MenuItem("internal.skm.results", _l("Hasil SKM"), frozenset({Role.SKM, Role.PIMPINAN})),
    MenuItem("internal.skm.follow_up", _l("Tindak lanjut SKM"), frozenset({Role.SKM, Role.PIMPINAN})),
    MenuItem("internal.skm.perception_list", _l("Survei persepsi"), frozenset({Role.SKM, Role.PIMPINAN})),
    MenuItem("internal.skm.standards", _l("Standar pelayanan"), frozenset({Role.SKM, Role.PIMPINAN})),
]


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@bp.url_value_preprocessor
def wrong_role_first(endpoint: str | None, values: dict | None) -> None:
    """A signed-in role its view or its area refuses gets that 403 before the CSRF check (see the module's
    docstring)."""
    if not current_user.is_authenticated or endpoint is None:
        return
    writing = request.method not in READ_METHODS
    for name in request.blueprints:
        kind = AREA_KINDS.get(current_app.blueprints.get(name))
        if kind is not None and not (can_write_case if writing else can_read_case)(current_user.role, kind):
            abort(403)
    roles = getattr(current_app.view_functions.get(endpoint), "allowed_roles", None)
    if writing and roles is not None and current_user.role not in roles:
        abort(403)


@bp.before_request
def require_login():
    """Signed in; password changed after a reset; TOTP enrolled when an admin requires it."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.must_change_password:
        return redirect(url_for("auth.password"))
    if get_setting("require_totp") and not current_user.has_totp:
        return redirect(url_for("auth.totp_setup"))
    return None


@bp.app_context_processor
def internal_helpers() -> dict:
    def internal_menu() -> list[MenuItem]:
        if not current_user.is_authenticated:
            return []
        return [item for item in MENU if current_user.role in item.roles]

    def role_label(role: Role | None) -> str | None:
        return _l("Belum ada peran") if role is None else label(ROLE_LABELS, role)

    return {"internal_menu": internal_menu, "role_label": role_label}
