"""Admin page of mails that keep failing: kind, case number, attempts, error and dates, never content."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.internal import bp
from zi_public.extensions import db
from zi_public.forms import EmptyForm
from zi_public.models import OutboxMail, Role
from zi_public.paging import keyset_page
from zi_public.security.permissions import roles_required
from zi_public.services import outbox


@bp.route("/antrean-surel")
@roles_required(Role.ADMIN)
def outbox_failing():
    """Mails given up on or failing repeatedly, newest first; their content is never loaded."""
    page = keyset_page(
        outbox.failing_mails_stmt(), OutboxMail.id, args=request.args, size=current_app.config["PAGE_SIZE"]
    )
    return render_template("internal/outbox.html", page=page, form=EmptyForm())


@bp.route("/antrean-surel/<int:mail_id>/kirim-ulang", methods=["POST"])
@roles_required(Role.ADMIN)
def outbox_retry(mail_id: int):
    """Make one failing mail due now; the mail worker tries it on its next round."""
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if outbox.retry_now(current_user, mail):
        flash(_("Surel dijadwalkan ulang dan akan dicoba pada putaran pengiriman berikutnya."), "success")
    else:
        flash(_("Surel ini sudah terkirim."), "info")
    return redirect(url_for("internal.outbox_failing"))
