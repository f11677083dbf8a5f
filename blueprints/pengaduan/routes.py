"""Complaint form, receipt and status page (number + access code, rating, reply)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from blueprints.pengaduan import bp, submit
from blueprints.pengaduan.forms import EndForm, LookupForm, RatingForm, ReplyForm
from zi_public import links
from zi_public.errors import error_response
from zi_public.extensions import db, limiter
from zi_public.forms.pengaduan import checked, complaint_form, show_errors
from zi_public.models import Pengaduan
from zi_public.qr import qr_svg
from zi_public.rules.pengaduan import Action, Channel
from zi_public.security.client import client_key
from zi_public.security.input_guard import checks_every_field
from zi_public.security.ratelimits import form_limit_message
from zi_public.security.session_seal import seal, unseal
from zi_public.security.uploads import UploadRejected
from zi_public.services.pengaduan import lookup, visibility
from zi_public.services.pengaduan.filing import (
    DuplicateSubmission,
    InvalidPengaduan,
    file_with_uploads,
)
from zi_public.services.pengaduan.flow import ActionAlreadyRecorded, ActionInput, ActionRefused, act
from zi_public.services.pengaduan.labels import EVENT_SENTENCES, STATUS_SENTENCES
from zi_public.services.pengaduan.lookup import find_for_reporter
from zi_public.services.reference import localized_name

RECEIPT_KEY = "pengaduan_receipt"  # {"number", "code"?, "duplicate"?}: the code is popped when shown
RECEIPT_CONTEXT = "pengaduan-receipt"  # the sealed code's context
CASE_KEY = "pengaduan_case"  # the case id after a successful look-up, for rating and replying


def _private(body: str, status: int = 200) -> Response:
    """A response that no browser or proxy may keep: it may show an access code or a case."""
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_FORM"]


def _filed(response: Response) -> bool:
    """Only a filed complaint counts against the form's limit: a refused one is corrected, not abuse."""
    return bool(g.get("complaint_filed"))


def _case_key() -> str:
    """Rating and reply are limited per looked-up complaint: a shared address never blocks another reporter."""
    case_id = session.get(CASE_KEY)
    return f"pengaduan-case:{case_id}" if isinstance(case_id, int) else client_key()


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_form_limit, methods=["POST"], deduct_when=_filed)
@checks_every_field
def index():
    """The complaint form; a valid submission is filed with its attachments and leads to the receipt."""
    form = complaint_form()
    if request.method == "POST" and checked(form):
        try:
            filed = file_with_uploads(
                form.to_input(), form.chosen_files(), channel=Channel.WEB, submission_key=form.submission_key.data
            )
        except DuplicateSubmission as exc:
            session[RECEIPT_KEY] = {"number": exc.existing.number, "duplicate": True}
            return redirect(url_for("pengaduan.receipt"))
        except (InvalidPengaduan, UploadRejected) as exc:
            show_errors(form, exc)
        else:
            g.complaint_filed = True
            session[RECEIPT_KEY] = {"number": filed.pengaduan.number, "code": seal(filed.access_code, RECEIPT_CONTEXT)}
            return redirect(url_for("pengaduan.receipt"))
    files_dropped = request.method == "POST" and bool(form.chosen_files())  # browsers cannot keep them
    return render_template("pengaduan/form.html", form=form, files_dropped=files_dropped)


@bp.route("/terkirim")
def receipt():
    """Number and access code, the code shown once; a reload shows the number only."""
    ticket = dict(session.get(RECEIPT_KEY) or {})
    case = lookup.for_receipt(ticket.get("number"))
    if case is None:
        return redirect(url_for("pengaduan.index"))
    access_code = unseal(ticket.pop("code", None), RECEIPT_CONTEXT)
    session[RECEIPT_KEY] = ticket
    status_url = links.pengaduan_status(case.number)  # on ZI_BASE_URL, never the request's Host
    return _private(
        render_template(
            "pengaduan/receipt.html",
            case=case,
            access_code=access_code,
            duplicate=ticket.get("duplicate", False),
            status_url=status_url,
            qr=qr_svg(status_url, title=status_url),
            clocks=submit.public_clocks(case),
        )
    )


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def status():
    """Look a complaint up by number and access code; the same answer for either mistake.

    The session holds one complaint at most: the status page offers the look-up again, and a new look-up
    replaces (or, when it fails, forgets) the complaint shown before.
    """
    # ?nomor= (the receipt's QR code) or ?number= (the kiosk's) asks for a fresh look-up.
    prefill = request.args.get("nomor") or request.args.get("number")
    if request.method == "GET" and prefill is None:
        case = _session_case()
        if case is not None:
            return _render_case(case)
    form = LookupForm(data={"number": (prefill or "")[:40]})
    failed = False
    if request.method == "POST":
        session.pop(CASE_KEY, None)  # a new look-up forgets the previous one
        if form.validate():
            case = find_for_reporter(form.number.data, form.access_code.data)
            if case is not None:
                session[CASE_KEY] = case.id
                return redirect(url_for("pengaduan.status"))
            failed = True
    return _private(render_template("pengaduan/lookup.html", form=form, failed=failed))


@bp.route("/status/nilai", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_PUBLIC_RATING"], key_func=_case_key)
@checks_every_field
def rate():
    """The reporter rates the handling of a finished complaint (1–4, optional comment); the same form sent again
    records nothing."""
    case = _session_case()
    if case is None:
        return _session_expired()
    form = RatingForm()
    if form.validate():
        data = ActionInput(rating=form.rating.data, body=form.comment.data or "")
        try:
            act("reporter", case, Action.RATE, data, submission_key=form.submission_key.data)
        except ActionAlreadyRecorded:
            flash(_("Penilaian ini sudah terkirim sebelumnya; tidak dicatat dua kali."), "info")
            return redirect(url_for("pengaduan.status"))
        except ActionRefused as exc:
            form.rating.errors = [*form.rating.errors, submit.refusal_message(exc, case)]
        else:
            flash(_("Terima kasih. Penilaian Anda sudah kami terima."), "success")
            return redirect(url_for("pengaduan.status"))
    return _render_case(case, rating_form=form)


@bp.route("/status/balas", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_PUBLIC_REPLY"], key_func=_case_key)
@checks_every_field
def reply():
    """The reporter answers a finished complaint within the reply window; it reopens the case. The same form sent
    again records nothing and lands on the status page with a neutral notice, not a refusal."""
    case = _session_case()
    if case is None:
        return _session_expired()
    form = ReplyForm()
    if form.validate():
        data = ActionInput(body=form.body.data)
        try:
            act("reporter", case, Action.REPORTER_REPLY, data, submission_key=form.submission_key.data)
        except ActionAlreadyRecorded:  # the same form sent again (a double click, a resend): the first is recorded
            flash(_("Balasan ini sudah terkirim sebelumnya; tidak dicatat dua kali."), "info")
            return redirect(url_for("pengaduan.status"))
        except ActionRefused as exc:
            form.body.errors = [*form.body.errors, submit.refusal_message(exc, case)]
        else:
            flash(_("Balasan Anda terkirim dan pengaduan dibuka kembali."), "success")
            return redirect(url_for("pengaduan.status"))
    return _render_case(case, reply_form=form)


@bp.route("/status/selesai", methods=["POST"])
def forget():
    """Forget the looked-up complaint on this browser (a shared computer, a kiosk)."""
    if EndForm().validate():
        session.pop(CASE_KEY, None)
    return redirect(url_for("pengaduan.status"))


@bp.errorhandler(TooManyRequests)
def too_many(exc: TooManyRequests):
    """A limit reached: the same page again with everything typed, saying how long to wait."""
    message = form_limit_message()
    case = _session_case()
    if request.endpoint == "pengaduan.index":
        flash(message, "warning")
        form = complaint_form()
        return render_template("pengaduan/form.html", form=form, files_dropped=bool(form.chosen_files())), 429
    if request.endpoint == "pengaduan.status":
        flash(message, "warning")
        return _private(render_template("pengaduan/lookup.html", form=LookupForm(), failed=False), 429)
    if request.endpoint in ("pengaduan.rate", "pengaduan.reply") and case is not None:
        flash(message, "warning")
        kept = {"rating_form": RatingForm()} if request.endpoint == "pengaduan.rate" else {"reply_form": ReplyForm()}
        response = _render_case(case, **kept)
        response.status_code = 429
        return response
    return error_response(429, message)


@bp.errorhandler(CSRFError)
def expired_form(exc: CSRFError):
    """An expired or missing token: the same page again with everything typed and a fresh token."""
    expired = ["expired"]  # the form_errors macro words a csrf_token error itself
    if request.endpoint == "pengaduan.index":
        form = complaint_form()
        form.csrf_token.errors = expired
        page = render_template("pengaduan/form.html", form=form, files_dropped=bool(form.chosen_files()))
        return page, 400
    if request.endpoint == "pengaduan.status":
        form = LookupForm()
        form.csrf_token.errors = expired
        return _private(render_template("pengaduan/lookup.html", form=form, failed=False), 400)
    case = _session_case()
    if request.endpoint in ("pengaduan.rate", "pengaduan.reply") and case is not None:
        form = RatingForm() if request.endpoint == "pengaduan.rate" else ReplyForm()
        form.csrf_token.errors = expired
        response = _render_case(case, **{"rating_form" if isinstance(form, RatingForm) else "reply_form": form})
        response.status_code = 400
        return response
    return error_response(400, _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))


def _session_case() -> Pengaduan | None:
    case_id = session.get(CASE_KEY)
    return db.session.get(Pengaduan, case_id) if isinstance(case_id, int) else None


def _session_expired() -> Response:
    flash(_("Sesi Anda berakhir. Masukkan lagi nomor pengaduan dan kode akses."), "warning")
    return redirect(url_for("pengaduan.status"))


def _render_case(
    case: Pengaduan, rating_form: RatingForm | None = None, reply_form: ReplyForm | None = None
) -> Response:
    if rating_form is None:
        rating_form = RatingForm(formdata=None, data={"rating": case.rating, "comment": case.rating_comment or ""})
    return _private(
        render_template(
            "pengaduan/status.html",
            case=case,
            category_name=localized_name(case.category, str(get_locale())),
            layanan_name=localized_name(case.layanan, str(get_locale())) if case.layanan else "",
            clocks=submit.public_clocks(case),
            events=visibility.public_history(case.events),
            status_words=STATUS_SENTENCES,
            event_words=EVENT_SENTENCES,
            can_rate=submit.can_rate(case),
            can_reply=submit.can_reply(case),
            rating_form=rating_form,
            reply_form=reply_form or ReplyForm(formdata=None),
            end_form=EndForm(formdata=None),
            lookup=LookupForm(formdata=None),  # the next look-up replaces this case
        )
    )
