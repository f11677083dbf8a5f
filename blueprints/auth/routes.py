"""Staff sign-in: password with back-off, optional TOTP, password change, sign-out."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp
from blueprints.auth.forms import LoginForm, PasswordChangeForm, TotpForm
from blueprints.auth.password_rules import broken_password_rules, current_password_rules
from zi_public.extensions import limiter
from zi_public.i18n import format_local_datetime
from zi_public.models import User
from zi_public.qr import qr_svg
from zi_public.rules.lockout import LockoutPolicy
from zi_public.security import totp
from zi_public.security.client import client_key
from zi_public.security.passwords import verify_password
from zi_public.security.redirects import safe_next
from zi_public.services import account_links, accounts, sign_in
from zi_public.services.settings import get_setting

PENDING_KEY = "_pending_2fa"


def _lockout_policy() -> LockoutPolicy:
    cfg = current_app.config
    return LockoutPolicy(
        cfg["LOGIN_FREE_ATTEMPTS"],
        cfg["LOGIN_LOCKOUT_BASE"],
        cfg["LOGIN_LOCKOUT_MAX"],
        account_free_attempts=cfg["LOGIN_ACCOUNT_FREE_ATTEMPTS"],
        forget_after=cfg["LOGIN_FAILURE_MEMORY"],
    )


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _finish_login(user: User) -> object:
    session.pop(PENDING_KEY, None)
    next_url = session.pop("_login_next", None)
    session.clear()  # a fresh session on privilege change
    login_user(user)
    sign_in.complete(user, client_key())
    _flash_reset_notice(user)
    if user.must_change_password:
        return redirect(url_for("auth.password"))
    if get_setting("require_totp") and not user.has_totp:
        return redirect(url_for("auth.totp_setup"))
    return redirect(safe_next(next_url, url_for("internal.dashboard")))


def _flash_reset_notice(user: User) -> None:
    """The first sign-in after an admin's reset says who reset the password (and who approved it)."""
    notice = account_links.take_login_notice(user)
    if notice is None:
        return
    when = format_local_datetime(notice.at)
    if notice.approved_by:
        flash(
            _(
                "Kata sandi Anda direset oleh %(by)s dengan persetujuan %(approver)s pada %(when)s. "
                "Jika Anda tidak memintanya, segera hubungi pimpinan.",
                by=notice.requested_by,
                approver=notice.approved_by,
                when=when,
            ),
            "warning",
        )
    else:
        flash(
            _(
                "Kata sandi Anda direset oleh %(by)s pada %(when)s. Jika Anda tidak memintanya, segera hubungi pimpinan.",  # noqa: E501 - one message
                by=notice.requested_by,
                when=when,
            ),
            "warning",
        )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    """Step one: username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("internal.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        result = sign_in.authenticate(form.username.data, form.password.data, client_key(), _lockout_policy())
        if result.ok and result.user.has_totp:
            session[PENDING_KEY] = result.user.get_id()
            session["_login_next"] = request.args.get("next")
            return redirect(url_for("auth.totp_verify"))
        if result.ok:
            session["_login_next"] = request.args.get("next")
            return _finish_login(result.user)
        # One message for an unknown name, a wrong password and a locked account: no oracle.
        flash(
            _(
                "Nama pengguna atau kata sandi salah. Setelah beberapa kali gagal, tunggu beberapa menit"
                " sebelum mencoba lagi."
            ),
            "error",
        )
    return render_template("auth/login.html", form=form)


@bp.route("/totp", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def totp_verify():
    """Step two for accounts with TOTP."""
    pending = session.get(PENDING_KEY)
    user = _pending_user(pending)
    if user is None:
        return redirect(url_for("auth.login"))
    form = TotpForm()
    if form.validate_on_submit():
        outcome = sign_in.verify_totp(user, form.code.data, client_key(), _lockout_policy())
        if outcome is sign_in.TotpOutcome.ACCEPTED:
            return _finish_login(user)
        if outcome is sign_in.TotpOutcome.LOCKED:
            flash(_("Terlalu banyak kode yang salah. Tunggu beberapa menit sebelum mencoba lagi."), "error")
        else:
            flash(_("Kode tidak cocok atau sudah dipakai."), "error")
    return render_template("auth/totp_verify.html", form=form)


def _pending_user(pending: str | None) -> User | None:
    from zi_public.security.login import load_user

    return load_user(pending) if pending else None


@bp.route("/totp/setup", methods=["GET", "POST"])
@login_required
def totp_setup():
    """Enrol an authenticator app: scan, then prove it with one code."""
    if current_user.has_totp:
        flash(_("Autentikasi dua langkah sudah aktif."), "info")
        return redirect(url_for("internal.dashboard"))
    form = TotpForm()
    if form.validate_on_submit():
        if accounts.confirm_totp_enrolment(current_user, form.code.data):
            flash(_("Autentikasi dua langkah aktif."), "success")
            return redirect(url_for("internal.dashboard"))
        flash(_("Kode tidak cocok. Periksa jam ponsel lalu coba lagi."), "error")
    # The secret stays on the server (encrypted), never in the session cookie the browser can decode.
    secret = accounts.pending_totp_secret(current_user)
    uri = totp.provisioning_uri(secret, current_user.username, current_app.config["SITE_NAME"])
    return render_template("auth/totp_setup.html", form=form, qr=qr_svg(uri), secret=secret)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password (required after an admin reset)."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        broken = broken_password_rules(form.new_password.data, username=current_user.username)
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Kata sandi saat ini salah."))
        elif broken:
            form.new_password.errors.extend(broken)
        else:
            accounts.change_password(current_user, current_user, form.new_password.data)
            login_user(current_user)  # the session token changed: keep this session signed in
            flash(_("Kata sandi diganti. Sesi di perangkat lain telah diakhiri."), "success")
            return redirect(url_for("internal.dashboard"))
    return render_template("auth/password.html", form=form, rules=current_password_rules())


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out on every device (POST with CSRF token, so no page can sign a user out)."""
    accounts.record_logout(current_user)
    logout_user()
    session.clear()
    flash(_("Anda telah keluar dari semua perangkat."), "info")
    return redirect(url_for("auth.login"))
