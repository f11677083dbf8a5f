"""Choosing a password with a one-time link (a new account, an admin's reset)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.auth import bp
from blueprints.auth.forms import LinkPasswordForm
from blueprints.auth.password_rules import broken_password_rules, current_password_rules
from blueprints.auth.routes import login_limit
from zi_public.extensions import limiter
from zi_public.rules.account_approval import LinkState
from zi_public.services import account_links


def link_problem(state: LinkState | None) -> str:
    """What the member is told about a link that cannot be used."""
    texts = {
        LinkState.USED: _("Tautan ini sudah dipakai. Setiap tautan hanya berlaku sekali."),
        LinkState.EXPIRED: _("Tautan ini sudah kedaluwarsa."),
        LinkState.CANCELLED: _("Tautan ini tidak berlaku lagi: sudah diganti tautan yang lebih baru atau dibatalkan."),
        LinkState.AWAITING_APPROVAL: _("Tautan ini belum disetujui."),
    }
    return texts.get(state, _("Tautan tidak dikenal. Periksa apakah tautan tersalin utuh."))  # type: ignore[arg-type]


@bp.route("/sandi/<token>", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def password_link(token: str):
    """Set a new password with a one-time link; nothing changes when the link is forged, used or expired."""
    found = account_links.lookup(token)
    if found.link is None or found.state != LinkState.USABLE:
        return render_template("auth/password_link_invalid.html", message=link_problem(found.state)), 404 if (
            found.link is None
        ) else 410
    user, form = found.link.user, LinkPasswordForm()
    if form.validate_on_submit():
        broken = broken_password_rules(form.new_password.data, username=user.username)
        if broken:
            form.new_password.errors.extend(broken)
        else:
            try:
                account_links.use(token, form.new_password.data, form.code.data)
            except account_links.LinkError as exc:
                if exc.state != LinkState.USABLE:
                    return render_template("auth/password_link_invalid.html", message=link_problem(exc.state)), 410
                form.code.errors.append(
                    _("Kode salah. Sisa percobaan: %(n)d.", n=exc.attempts_left)
                    if exc.attempts_left
                    else _("Kode salah. Tautan ini tidak berlaku lagi; minta admin membuat permintaan baru.")
                )
            else:
                flash(_("Kata sandi disimpan. Silakan masuk dengan kata sandi baru."), "success")
                return redirect(url_for("auth.login"))
    return render_template(
        "auth/password_link.html", form=form, link=found.link, username=user.username, rules=current_password_rules()
    )
