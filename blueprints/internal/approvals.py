"""The second person's page: roles and set-password links that wait for approval (issue 7, point 6)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.internal import bp
from blueprints.internal.forms import RoleApprovalForm
from zi_public.extensions import db
from zi_public.forms import EmptyForm
from zi_public.models import AccountLink, Role, User
from zi_public.rules.account_approval import APPROVAL_WAIT_DAYS, Refusal
from zi_public.security.permissions import has_role, roles_required
from zi_public.services import account_links, accounts, role_approval


def refusal_message(refusal: Refusal | None) -> str:
    """The approver's message for a refused approval."""
    texts = {
        Refusal.OWN_REQUEST: _("Permintaan ini Anda ajukan sendiri: persetujuan harus dari orang lain."),
        Refusal.OWN_ACCOUNT: _("Anda tidak dapat menyetujui permintaan untuk akun Anda sendiri."),
        Refusal.NOT_AN_APPROVER: _("Peran Anda tidak dapat menyetujui permintaan ini."),
        Refusal.NOTHING_PENDING: _("Permintaan ini sudah diproses atau diubah; periksa daftar terbaru."),
        Refusal.EXPIRED: _(
            "Permintaan ini sudah menunggu lebih dari %(days)d hari dan tidak dapat disetujui lagi. Tolak, lalu "
            "ajukan ulang bila masih diperlukan.",
            days=APPROVAL_WAIT_DAYS,
        ),
    }
    return texts.get(refusal, _("Perubahan tidak dapat disimpan."))  # type: ignore[arg-type]


@bp.route("/persetujuan")
@roles_required(Role.ADMIN, Role.PIMPINAN)
def approvals():
    """Roles (admin, pimpinan) and set-password links (admin) that wait for a second person."""
    role_requests = role_approval.pending_requests()
    link_requests = account_links.pending_approvals() if has_role(Role.ADMIN) else []
    return render_template(
        "internal/approvals.html",
        role_requests=role_requests,
        expired_requests={user.id for user in role_requests if role_approval.is_expired(user)},
        request_days=APPROVAL_WAIT_DAYS,
        show_links=has_role(Role.ADMIN),
        link_requests=link_requests,
        expired_links={link.id for link in link_requests if account_links.is_expired(link)},
        form=EmptyForm(),
    )


@bp.route("/persetujuan/peran/<int:user_id>/<any('setujui', 'tolak'):decision>", methods=["POST"])
@roles_required(Role.ADMIN, Role.PIMPINAN)
def approve_role(user_id: int, decision: str):
    """Grant or refuse an account's pending role."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = RoleApprovalForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if decision == "setujui":
            role_approval.approve(current_user, user, form.role.data)
        else:
            role_approval.reject(current_user, user)
    except role_approval.RoleApprovalError as exc:
        flash(refusal_message(exc.refusal), "error")
    except accounts.AccountError:
        flash(_("Harus selalu ada minimal satu admin aktif."), "error")
    else:
        flash(_("Peran disetujui.") if decision == "setujui" else _("Permintaan peran ditolak."), "success")
    return redirect(url_for("internal.approvals"))


@bp.route("/persetujuan/tautan/<int:link_id>/<any('setujui', 'tolak'):decision>", methods=["POST"])
@roles_required(Role.ADMIN)
def approve_link(link_id: int, decision: str):
    """Approve a set-password link for a member without an address (the link is shown once), or refuse it."""
    link = db.session.get(AccountLink, link_id)
    if link is None:
        abort(404)
    EmptyForm().validate_on_submit()  # CSRF is checked globally; the form keeps the shape uniform
    try:
        if decision == "tolak":
            account_links.reject(current_user, link)
        else:
            url = account_links.approve(current_user, link)
            return render_template("internal/link_approved.html", link=link, url=url)
    except account_links.LinkError as exc:
        flash(refusal_message(exc.refusal), "error")
    else:
        flash(_("Permintaan ditolak; tautan tidak dibuat."), "success")
    return redirect(url_for("internal.approvals"))
