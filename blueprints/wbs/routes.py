"""The whistle-blower's pages: what WBS is, the SOP, the 4W1H form, the receipt (shown once), the status
and conversation opened by the receipt (POST only, then a short-lived session bound to the report).

No URL carries the receipt; the receipt crosses the session cookie once, encrypted, and is removed from it
when shown. The reporter's session cookie holds a random token and the time it was issued (signed): the
look-up refuses it after WBS_REPORTER_SESSION_MINUTES. Rate limits count per wbs_client_key (a daily keyed
hash, never the address). Every answer here is no-store and no-referrer (zi_public/security/headers.py).
"""

from __future__ import annotations

import io
import time

from flask import abort, current_app, flash, g, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from blueprints.wbs import bp, pages
from blueprints.wbs.forms import ConfirmForm, EndForm, ReplyForm, StatusForm, checked, report_form, show_errors
from zi_public.errors import error_response
from zi_public.extensions import limiter
from zi_public.models.wbs import WbsReport
from zi_public.security import codes
from zi_public.security.anonymity import wbs_client_key
from zi_public.security.input_guard import checks_every_field
from zi_public.security.ratelimits import form_limit_message
from zi_public.security.session_seal import seal, unseal
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments
from zi_public.services.wbs import reporter
from zi_public.services.wbs.filing import DuplicateSubmission, InvalidWbs, file_with_uploads

RECEIPT_KEY = "wbs_receipt"  # the sealed receipt on its one trip to the receipt page, or {"duplicate": True}
RECEIPT_CONTEXT = "wbs-receipt-display"  # the sealed receipt's context
REPORTER_KEY = "wbs_reporter"  # {"token", "at"}: the reporter's session, issued at `at` (epoch seconds)


def _filed(response: Response) -> bool:
    """Only a filed report counts against the form's limit: a refused one is corrected, not abuse."""
    return bool(g.get("wbs_filed"))


@bp.route("/")
def index():
    """What WBS is and is not, the reporter's protection, how to stay anonymous."""
    return render_template("wbs/index.html", texts=pages.texts())


@bp.route("/sop")
def sop():
    """The office's WBS SOP as a readable page."""
    return render_template("wbs/sop.html", texts=pages.texts())


@bp.route("/lapor", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_WBS_FILE"], key_func=wbs_client_key, methods=["POST"], deduct_when=_filed
)
@checks_every_field
def report():
    """The 4W1H form; a valid report is filed with its evidence and leads to the receipt, shown once."""
    form = report_form()
    if form.is_submitted() and checked(form):
        try:
            filed = file_with_uploads(form.to_input(), form.chosen_files(), submission_key=form.submission_key.data)
        except DuplicateSubmission:
            session[RECEIPT_KEY] = {"duplicate": True}
            return redirect(url_for("wbs.receipt"))
        except (InvalidWbs, UploadRejected) as exc:
            show_errors(form, exc)
        else:
            g.wbs_filed = True
            session[RECEIPT_KEY] = seal(filed.receipt, RECEIPT_CONTEXT)
            return redirect(url_for("wbs.receipt"))
    files_dropped = form.is_submitted() and bool(form.chosen_files())  # browsers cannot keep them
    return render_template("wbs/form.html", form=form, files_dropped=files_dropped)


@bp.route("/tanda-terima", methods=["GET", "POST"])
def receipt():
    """The receipt, once: it leaves the session as it is shown; a reload shows that it was shown."""
    form = ConfirmForm()
    if form.is_submitted():
        session.pop(RECEIPT_KEY, None)
        if form.validate():
            flash(_("Laporan Anda kami terima. Simpan nomor tanda terima di tempat yang aman."), "success")
        else:
            flash(
                _("Pastikan Anda sudah mencatat nomor tanda terima: nomor itu tidak dapat ditampilkan lagi."), "warning"
            )
        return redirect(url_for("wbs.index"))
    ticket = session.pop(RECEIPT_KEY, None)
    duplicate = isinstance(ticket, dict) and ticket.get("duplicate") is True
    shown = unseal(ticket, RECEIPT_CONTEXT)
    return render_template("wbs/receipt.html", receipt=shown, duplicate=duplicate, form=form)


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_WBS_STATUS"], key_func=wbs_client_key, methods=["POST"])
@checks_every_field
def status():
    """The receipt opens the report (POST); then the status and conversation from the session."""
    form = StatusForm()
    if not form.is_submitted():
        report = _session_report()
        if report is not None:
            return _render_report(report)
        return render_template("wbs/lookup.html", form=form, failed=False)
    _end_session()  # a new look-up forgets the previous one
    failed = False
    if form.validate():
        try:
            codes.parse_receipt(form.receipt.data)
        except codes.InvalidCode as exc:
            form.receipt.errors = [*form.receipt.errors, str(exc.message)]
        else:
            token = reporter.open_session(form.receipt.data)
            if token is not None:
                session[REPORTER_KEY] = {"token": token, "at": int(time.time())}
                return redirect(url_for("wbs.status"))
            failed = True
    return render_template("wbs/lookup.html", form=form, failed=failed)


@bp.route("/status/balas", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_WBS_REPLY"], key_func=wbs_client_key)
@checks_every_field
def reply():
    """The reporter writes to the team, with files; a message holding the receipt is refused."""
    report = _session_report()
    if report is None:
        return _session_expired()
    form = ReplyForm()
    if form.validate():
        try:
            reporter.reply(report, form.body.data, form.chosen_files())
        except (InvalidWbs, UploadRejected) as exc:
            show_errors(form, exc)
        else:
            flash(_("Pesan Anda terkirim ke Tim WBS."), "success")
            return redirect(url_for("wbs.status"))
    return _render_report(report, reply_form=form)


@bp.route("/status/berkas/<int:attachment_id>")
def download(attachment_id: int):
    """A file of the conversation, as a download (never shown inline)."""
    report = _session_report()
    if report is None:
        return _session_expired()
    try:
        file = reporter.reporter_file(report, attachment_id)
    except attachments.AttachmentNotFound:
        abort(404)
    response = send_file(
        io.BytesIO(file.data),
        mimetype=file.attachment.content_type,
        as_attachment=True,
        download_name=file.attachment.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/status/selesai", methods=["POST"])
def forget():
    """Close the report on this device (a shared computer)."""
    if EndForm().validate():
        _end_session()
    return redirect(url_for("wbs.status"))


@bp.errorhandler(TooManyRequests)
def too_many(exc: TooManyRequests):
    """A limit reached: the same page again with everything typed, saying how long to wait."""
    message = form_limit_message()
    flash(message, "warning")

    if request.endpoint == "wbs.report":
        form = report_form()
        return render_template("wbs/form.html", form=form, files_dropped=bool(form.chosen_files())), 429
    if request.endpoint == "wbs.status":
        return render_template("wbs/lookup.html", form=StatusForm(), failed=False), 429
    report = _session_report()
    if request.endpoint == "wbs.reply" and report is not None:
        response = _render_report(report, reply_form=ReplyForm())
        response.status_code = 429
        return response
    return error_response(429, message)


@bp.errorhandler(CSRFError)
def expired_form(exc: CSRFError):
    """An expired or missing token: the same page again with everything typed and a fresh token."""

    expired = ["expired"]  # the form_errors macro words a csrf_token error itself
    if request.endpoint == "wbs.report":
        form = report_form()
        form.csrf_token.errors = expired
        return render_template("wbs/form.html", form=form, files_dropped=bool(form.chosen_files())), 400
    if request.endpoint == "wbs.status":
        form = StatusForm()
        form.csrf_token.errors = expired
        return render_template("wbs/lookup.html", form=form, failed=False), 400
    report = _session_report()
    if request.endpoint == "wbs.reply" and report is not None:
        form = ReplyForm()
        form.csrf_token.errors = expired
        response = _render_report(report, reply_form=form)
        response.status_code = 400
        return response
    return error_response(400, _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))


def _session_report() -> WbsReport | None:
    """The report of this browser's reporter session, if it is still fresh; an old one is ended."""
    held = session.get(REPORTER_KEY)
    if not isinstance(held, dict):
        return None
    issued = held.get("at")
    minutes = int(current_app.config["WBS_REPORTER_SESSION_MINUTES"])
    if not isinstance(issued, int) or not (time.time() - minutes * 60 <= issued <= time.time() + 60):
        _end_session()
        return None
    return reporter.report_for(held.get("token"))


def _end_session() -> None:
    held = session.pop(REPORTER_KEY, None)
    if isinstance(held, dict):
        reporter.close_session(held.get("token"))


def _session_expired() -> Response:
    flash(_("Sesi Anda berakhir. Masukkan lagi nomor tanda terima."), "warning")
    return redirect(url_for("wbs.status"))


def _render_report(report: WbsReport, reply_form: ReplyForm | None = None) -> Response:
    view = reporter.reporter_view(report)
    held = session.get(REPORTER_KEY) or {}
    minutes = int(current_app.config["WBS_REPORTER_SESSION_MINUTES"])
    return Response(
        render_template(
            "wbs/status.html",
            view=view,
            category=pages.category_name(view.category),
            status_sentences=pages.STATUS_SENTENCES,
            clocks=pages.clock_sentences(report),
            reply_form=reply_form or ReplyForm(formdata=None),
            end_form=EndForm(formdata=None),
            ends_at=int(held.get("at", 0)) + minutes * 60,
        ),
        mimetype="text/html",
    )
