"""The Tim Pengaduan records a complaint that came by box, telephone, WhatsApp, letter, walk-in, e-mail, social
media or SP4N-LAPOR!, then prints (or reads out) the slip with the number and the access code.

The form checks its CSRF token itself (`csrf.exempt` + `token_valid`), so an expired token brings the form back
with everything typed instead of an error page. The access code travels to the slip sealed in the session and
is shown once, as on the public receipt.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from blueprints.pengaduan import staff_bp as bp
from blueprints.pengaduan import submit
from blueprints.pengaduan.intake_forms import IntakeForm, checked
from zi_public import links
from zi_public.extensions import csrf
from zi_public.forms import token_valid
from zi_public.forms.pengaduan import complaint_form, show_errors
from zi_public.models import Role
from zi_public.qr import qr_svg
from zi_public.rules.pengaduan import INTAKE_BACKDATE_DAYS
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import get_case_or_404, roles_required
from zi_public.security.session_seal import seal, unseal
from zi_public.security.uploads import UploadRejected
from zi_public.services.pengaduan import intake
from zi_public.services.pengaduan.filing import DuplicateSubmission, InvalidPengaduan
from zi_public.services.pengaduan.labels import CHANNEL_LABELS

SLIP_KEY = "pengaduan_intake_slip"  # {"case": id, "code": sealed}: the code is dropped once shown
SLIP_CONTEXT = "pengaduan-intake-slip"  # the sealed code's context


@bp.route("/catat", methods=["GET", "POST"], endpoint="intake")
@csrf.exempt  # the view checks the token itself and keeps what was typed (module docstring)
@roles_required(Role.PENGADUAN)
@checks_every_field
def pengaduan_intake():
    """The intake form; a valid entry is recorded with its attachments and leads to the slip."""
    form = complaint_form(IntakeForm)
    if request.method == "GET":
        return _render_form(form)
    if token_valid(form) and checked(form):
        try:
            filed = intake.record(
                current_user, form.to_intake(), form.chosen_files(), submission_key=form.submission_key.data
            )
        except DuplicateSubmission as exc:
            number = exc.existing.number
            flash(
                _("Pengaduan ini sudah dicatat sebagai %(number)s; tidak dicatat dua kali.", number=number), "warning"
            )
            return redirect(url_for("internal.pengaduan.intake_slip", case_id=exc.existing.id))
        except (InvalidPengaduan, UploadRejected) as exc:
            show_errors(form, exc)
        else:
            session[SLIP_KEY] = {"case": filed.pengaduan.id, "code": seal(filed.access_code, SLIP_CONTEXT)}
            flash(_("Pengaduan %(number)s tercatat.", number=filed.pengaduan.number), "success")
            return redirect(url_for("internal.pengaduan.intake_slip", case_id=filed.pengaduan.id))
    return _render_form(form, status=400)  # nothing was recorded: the request is rolled back


def _render_form(form: IntakeForm, status: int = 200) -> tuple[str, int]:
    files_dropped = request.method == "POST" and bool(form.chosen_files())  # browsers cannot keep them
    page = render_template(
        "pengaduan/staff/intake.html", form=form, files_dropped=files_dropped, backdate_days=INTAKE_BACKDATE_DAYS
    )
    return page, status


@bp.route("/catat/<int:case_id>/slip", endpoint="intake_slip")
@roles_required(Role.PENGADUAN)
def pengaduan_intake_slip(case_id: int):
    """The slip to hand over or read out: number, access code (once), day received, channel, how to follow it."""
    case = get_case_or_404("pengaduan", case_id)
    ticket = session.get(SLIP_KEY)
    access_code = None
    if isinstance(ticket, dict) and ticket.get("case") == case.id:
        access_code = unseal(ticket.get("code"), SLIP_CONTEXT)
        session.pop(SLIP_KEY)
    status_url = links.pengaduan_status(case.number)  # on ZI_BASE_URL, never the request's Host
    html = render_template(
        "pengaduan/staff/intake_slip.html",
        case=case,
        access_code=access_code,
        channel_labels=CHANNEL_LABELS,
        status_url=status_url,
        status_page=links.pengaduan_status(),  # to read out: the page itself, without the number
        qr=qr_svg(status_url, title=status_url),
        clocks=submit.public_clocks(case),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # it may show an access code
    return response
