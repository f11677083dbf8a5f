"""The reporter's pages at /gratifikasi: the guide, the report form with its live deadline panel, the
receipt (the access code shown once), the status page.

The access code crosses the session cookie once, encrypted, and is removed from it when shown; the status
look-up is a POST (number and code never in a URL) and keeps nothing in the session. The form's limit counts
filed reports only; every page that shows personal data or a code is no-store.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from blueprints.gratifikasi import bp, deadline_panel
from blueprints.gratifikasi.forms import (
    BadQuery,
    GratifikasiForm,
    GuideDateForm,
    StatusForm,
    checked,
    parse_deadline_query,
    query_of_form,
    report_form,
    show_errors,
)
from blueprints.gratifikasi.public_pages import guide_facts, regulation_short, reporter_clocks
from zi_public.errors import error_response
from zi_public.extensions import db, limiter
from zi_public.localtime import today_jakarta
from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.rules.gratifikasi import Channel, GiftType
from zi_public.security.input_guard import checks_every_field
from zi_public.security.ratelimits import form_limit_message, minutes_to_wait
from zi_public.security.session_seal import seal, unseal
from zi_public.security.uploads import UploadRejected
from zi_public.services.gratifikasi import campaign, labels
from zi_public.services.gratifikasi.filing import DuplicateSubmission, InvalidGratifikasi, file_with_uploads
from zi_public.services.gratifikasi.lookup import ReporterStatus, status_for_reporter

#: The forms of gratifikasi the elucidation of Pasal 12B names, in its order, for the guide.
GIFT_FORMS = [labels.GIFT_TYPE_LABELS[gift] for gift in GiftType if gift != GiftType.LAINNYA]
RECEIPT_KEY = "gratifikasi_receipt"  # {"number", "code"?, "duplicate"?}: the code is popped when shown
RECEIPT_CONTEXT = "gratifikasi-receipt"  # the sealed code's context


def _locale() -> str:
    return str(get_locale())


def _private(body: str, status: int = 200) -> Response:
    """A response no browser or proxy may keep: it shows personal data or an access code."""
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _filed(response: Response) -> bool:
    """Only a filed report counts against the form's limit: a refused one is corrected, not abuse."""
    return bool(g.get("gratifikasi_filed"))


@bp.route("/")
def index():
    """The guide: what counts as gratifikasi, what need not be reported on a given date, how to report."""
    today = today_jakarta()
    form = GuideDateForm(request.args, today=today)
    day = form.tanggal.data if form.validate() and form.tanggal.data else today
    if not request.args.get("tanggal"):
        form.tanggal.data = today
    return render_template(
        "gratifikasi/index.html",
        form=form,
        facts=guide_facts(day),
        gift_types=GIFT_FORMS,
        campaign_text=campaign.campaign_text("guide"),
    )


@bp.route("/lapor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_GRATIFIKASI_FORM"], methods=["POST"], deduct_when=_filed)
@checks_every_field
def form():
    """The report form; a valid report is filed with its evidence and leads to the receipt."""
    today = today_jakarta()
    form = report_form(today, _locale())
    wants_preview = form.is_submitted() and bool(form.preview.data)
    if form.is_submitted() and not wants_preview and checked(form, today):
        try:
            filed = file_with_uploads(
                form.to_input(), form.chosen_files(), channel=Channel.WEB, submission_key=form.submission_key.data
            )
        except DuplicateSubmission as exc:
            session[RECEIPT_KEY] = {"number": exc.existing.number, "duplicate": True}
            return redirect(url_for("gratifikasi.receipt"))
        except (InvalidGratifikasi, UploadRejected) as exc:
            show_errors(form, exc)
        else:
            g.gratifikasi_filed = True
            session[RECEIPT_KEY] = {"number": filed.report.number, "code": seal(filed.access_code, RECEIPT_CONTEXT)}
            return redirect(url_for("gratifikasi.receipt"))
    return _render_form(form, today, status=200)


@bp.route("/tenggat")
@limiter.limit(lambda: current_app.config["RATELIMIT_GRATIFIKASI_DEADLINE"])
def deadlines():
    """The deadline panel as JSON for the form's script: Pasal 12C's and the office's deadlines, the
    regulation in force on the day received, and what it says about the exempt category chosen."""
    today = today_jakarta()
    try:
        query = parse_deadline_query(request.args, today)
    except BadQuery as exc:
        response = jsonify(error={"code": 400, "field": exc.field, "message": exc.message})
        response.status_code = 400
    else:
        response = jsonify(
            deadline_panel.build(
                query.kind,
                query.received_on,
                query.gift_type,
                query.value_idr,
                query.exemption,
                today=today,
                locale=_locale(),
            )
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def _deadlines_paused() -> Response:
    """The live panel's limit reached: a JSON error its script shows in the panel, pointing at the button."""
    minutes = minutes_to_wait()
    message = ngettext(
        "Terlalu banyak permintaan. Tekan \u201cHitung tenggat\u201d, atau tunggu %(num)d menit.",
        "Terlalu banyak permintaan. Tekan \u201cHitung tenggat\u201d, atau tunggu %(num)d menit.",
        minutes,
    )
    response = jsonify(error={"code": 429, "message": message})
    response.status_code = 429
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/tanda-terima")
def receipt():
    """Number and access code, the code shown once; a reload shows the number only."""
    ticket = session.get(RECEIPT_KEY)
    ticket = dict(ticket) if isinstance(ticket, dict) else {}
    number = ticket.get("number") if isinstance(ticket.get("number"), str) else ""
    report = db.session.scalar(sa.select(GratifikasiReport).where(GratifikasiReport.number == number))
    if report is None:
        return redirect(url_for("gratifikasi.form"))
    access_code = unseal(ticket.pop("code", None), RECEIPT_CONTEXT)
    session[RECEIPT_KEY] = ticket
    return _private(
        render_template(
            "gratifikasi/receipt.html",
            report=report,
            access_code=access_code,
            duplicate=ticket.get("duplicate") is True,
            regulation_short=regulation_short(report.regulation_code, _locale()),
        )
    )


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_GRATIFIKASI_STATUS"], methods=["POST"])
@checks_every_field
def status():
    """Look a report up by number and access code (posted); the same answer for either mistake."""
    form = StatusForm()
    shown, failed = None, False
    if form.validate_on_submit():
        shown = status_for_reporter(form.number.data, form.access_code.data)
        failed = shown is None
        if shown is not None:
            form = StatusForm(formdata=None)  # the next look-up starts empty: nothing of this one stays
    return _render_status(form, shown, failed)


@bp.errorhandler(TooManyRequests)
def too_many(exc: TooManyRequests):
    """A limit reached: the same page again with everything typed, saying how long to wait; the live deadline
    panel gets JSON that its script can show."""
    if request.endpoint == "gratifikasi.deadlines":
        return _deadlines_paused()
    message = form_limit_message()
    if request.endpoint == "gratifikasi.form":
        flash(message, "warning")
        return _render_form(report_form(today_jakarta(), _locale()), today_jakarta(), status=429)
    if request.endpoint == "gratifikasi.status":
        flash(message, "warning")
        return _render_status(StatusForm(), None, False, status=429)
    return error_response(429, message)


@bp.errorhandler(CSRFError)
def expired_form(exc: CSRFError):
    """An expired or missing token: the same page again with everything typed and a fresh token."""
    expired = ["expired"]  # the form_errors macro words a csrf_token error itself
    if request.endpoint == "gratifikasi.form":
        form = report_form(today_jakarta(), _locale())
        form.csrf_token.errors = expired
        return _render_form(form, today_jakarta(), status=400)
    if request.endpoint == "gratifikasi.status":
        form = StatusForm()
        form.csrf_token.errors = expired
        return _render_status(form, None, False, status=400)
    return error_response(400, _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))


def _render_form(form: GratifikasiForm, today: date, *, status: int) -> Response:
    query = query_of_form(form, today)
    panel = None
    if query is not None:
        panel = deadline_panel.build(
            query.kind,
            query.received_on,
            query.gift_type,
            query.value_idr,
            query.exemption,
            today=today,
            locale=_locale(),
        )
    files_dropped = form.is_submitted() and bool(form.chosen_files())  # browsers cannot keep them
    page = render_template("gratifikasi/form.html", form=form, panel=panel, files_dropped=files_dropped)
    return _private(page, status)


def _render_status(form: StatusForm, shown: ReporterStatus | None, failed: bool, *, status: int = 200) -> Response:
    page = render_template(
        "gratifikasi/status.html",
        form=form,
        shown=shown,
        failed=failed,
        clocks=reporter_clocks(shown.clocks) if shown is not None else [],
        regulation_short=regulation_short(shown.regulation_code, _locale()) if shown is not None else "",
        labels=labels,
    )
    return _private(page, status)
