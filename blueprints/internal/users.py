"""Admin pages for staff accounts: list, create, change role, disable, reset."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.internal import bp
from blueprints.internal.forms import RoleForm, SettingsForm, UserCreateForm
from zi_public.extensions import db
from zi_public.forms import EmptyForm
from zi_public.models import Role, User
from zi_public.paging import keyset_page
from zi_public.security.permissions import roles_required
from zi_public.services import account_links, accounts, role_approval
from zi_public.services.settings import get_setting, set_setting


def _get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/akun")
@roles_required(Role.ADMIN)
def users():
    """All staff accounts, newest first."""
    query = request.args.get("q", "").strip().lower()[:64]
    stmt = sa.select(User)
    if query:
        stmt = stmt.where(User.username.contains(query, autoescape=True))
    page = keyset_page(stmt, User.id, args=request.args, size=current_app.config["PAGE_SIZE"])
    settings_form = SettingsForm(require_totp=get_setting("require_totp"))
    return render_template("internal/users.html", page=page, q=query, settings_form=settings_form)


@bp.route("/akun/baru", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_create():
    """Create an account: the member sets the password with a link; a case-reading role waits for approval."""
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            created = role_approval.create_account(
                current_user,
                form.username.data,
                Role(form.role.data),
                full_name=form.full_name.data,
                email=form.email.data,
            )
        except accounts.AccountError:
            form.username.errors.append(_("Nama pengguna sudah dipakai."))
        else:
            return render_template(
                "internal/user_created.html",
                user=created.user,
                issued=created.issued,
                role_pending=created.role_pending,
            )
    return render_template("internal/user_form.html", form=form)


@bp.route("/akun/<int:user_id>")
@roles_required(Role.ADMIN)
def user_detail(user_id: int):
    """One account and the actions an admin can take on it."""
    user = _get_user_or_404(user_id)
    return render_template(
        "internal/user_detail.html",
        user=user,
        role_form=RoleForm(role=(user.pending_role or user.role or Role.SKM).value),
        action_form=EmptyForm(),
        open_link=account_links.open_link(user),
    )


@bp.route("/akun/<int:user_id>/peran", methods=["POST"])
@roles_required(Role.ADMIN)
def user_role(user_id: int):
    """Change an account's role (signs it out everywhere); a case-reading role waits for a second person."""
    user = _get_user_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            pending = role_approval.request_role(current_user, user, Role(form.role.data))
        except accounts.AccountError as exc:
            flash(_account_error_message(str(exc)), "error")
        else:
            flash(
                _("Perubahan peran menunggu persetujuan admin lain atau pimpinan.") if pending else _("Peran diubah."),
                "success",
            )
    else:
        flash(_("Pilih peran yang tersedia."), "error")
    return redirect(url_for("internal.user_detail", user_id=user.id))


_USER_ACTIONS = ("nonaktifkan", "aktifkan", "buka-kunci", "reset-totp", "reset-sandi", "keluar-semua")


@bp.route(f"/akun/<int:user_id>/<any({', '.join(map(repr, _USER_ACTIONS))}):action>", methods=["POST"])
@roles_required(Role.ADMIN)
def user_action(user_id: int, action: str):
    """Disable, enable, unlock, reset TOTP, reset the password of an account or sign it out everywhere."""
    user = _get_user_or_404(user_id)
    EmptyForm().validate_on_submit()  # CSRF already checked globally; the form keeps the shape uniform
    if action == "reset-sandi":
        issued = account_links.request_reset(current_user, user)
        return render_template("internal/user_created.html", user=user, issued=issued, reset=True)
    operations = {
        "nonaktifkan": (lambda: accounts.set_active(current_user, user, False), _("Akun dinonaktifkan.")),
        "aktifkan": (lambda: accounts.set_active(current_user, user, True), _("Akun diaktifkan.")),
        "buka-kunci": (lambda: accounts.unlock(current_user, user), _("Kunci akun dibuka.")),
        "reset-totp": (lambda: accounts.reset_totp(current_user, user), _("Autentikasi dua langkah direset.")),
        "keluar-semua": (
            lambda: accounts.sign_out_everywhere(current_user, user),
            _("Semua sesi akun ini telah diakhiri."),
        ),
    }
    _apply(*operations[action])
    return redirect(url_for("internal.user_detail", user_id=user.id))


def _apply(operation, success_message: str) -> None:  # noqa: ANN001
    try:
        operation()
    except accounts.AccountError as exc:
        flash(_account_error_message(str(exc)), "error")
        return
    flash(success_message, "success")


def _account_error_message(reason: str) -> str:
    if "own account" in reason:
        return _("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if "last active admin" in reason:
        return _("Harus selalu ada minimal satu admin aktif.")
    return _("Perubahan tidak dapat disimpan.")


@bp.route("/akun/pengaturan", methods=["POST"])
@roles_required(Role.ADMIN)
def user_settings():
    """Make TOTP mandatory (or optional) for every staff account."""
    form = SettingsForm()
    if form.validate_on_submit():
        set_setting(current_user, "require_totp", bool(form.require_totp.data))
        flash(_("Pengaturan disimpan."), "success")
    return redirect(url_for("internal.users"))
