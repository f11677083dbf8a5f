"""The declarant's pages at /benturan-kepentingan: what a conflict of interest is, the declaration form
(a specific matter, or the yearly declaration of none), its receipt and the status page.

The access code crosses the session cookie once, encrypted, and the whole ticket leaves the session when the
receipt is shown. The status look-up is a POST (number and code never in a URL) and keeps nothing in the
session. The form's limit counts filed declarations only; the form, receipt and status are no-store.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from blueprints.gratifikasi import benturan_bp
from blueprints.gratifikasi.benturan_forms import DeclarationForm, StatusForm, checked, show_errors
from zi_public.errors import error_response
from zi_public.extensions import limiter
from zi_public.localtime import today_jakarta
from zi_public.rules.gratifikasi import Channel
from zi_public.security.input_guard import checks_every_field
from zi_public.security.ratelimits import form_limit_message
from zi_public.security.session_seal import seal, unseal
from zi_public.services.gratifikasi import benturan_labels as labels
from zi_public.services.gratifikasi.benturan_declarations import (
    DeclarantStatus,
    DuplicateSubmission,
    InvalidDeclaration,
    file_declaration,
    status_for_declarant,
)
from zi_public.services.reference import active_layanan

RECEIPT_KEY = "benturan_receipt"  # {"number", "kind", "code"?, "duplicate"?}: removed when shown
RECEIPT_CONTEXT = "benturan-receipt"  # the sealed code's context


def _private(body: str, status: int = 200) -> Response:
    """A response no browser or proxy may keep: it shows personal data or an access code."""
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _filed(response: Response) -> bool:
    """Only a filed declaration counts against the form's limit: a refused one is corrected, not abuse."""
    return bool(g.get("benturan_filed"))


def _declaration_form() -> DeclarationForm:
    return DeclarationForm(today=today_jakarta(), layanan=active_layanan(), locale=str(get_locale()))


@benturan_bp.route("/")
def index():
    """What a conflict of interest is, what to do about one, and where to declare it."""
    return render_template("gratifikasi/benturan/index.html", labels=labels)


@benturan_bp.route("/deklarasi", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_GRATIFIKASI_FORM"], methods=["POST"], deduct_when=_filed)
@checks_every_field
def form():
    """The declaration form; a valid declaration is filed and leads to the receipt."""
    form = _declaration_form()
    if form.is_submitted() and checked(form, today_jakarta()):
        try:
            filed = file_declaration(form.to_input(), channel=Channel.WEB, submission_key=form.submission_key.data)
        except DuplicateSubmission as exc:
            session[RECEIPT_KEY] = {"number": exc.existing.number, "kind": exc.existing.kind.value, "duplicate": True}
            return redirect(url_for("benturan.receipt"))
        except InvalidDeclaration as exc:
            show_errors(form, exc)
        else:
            g.benturan_filed = True
            declaration = filed.declaration
            session[RECEIPT_KEY] = {
                "number": declaration.number,
                "kind": declaration.kind.value,
                "code": seal(filed.access_code, RECEIPT_CONTEXT),
            }
            return redirect(url_for("benturan.receipt"))
    return _render_form(form)


@benturan_bp.route("/tanda-terima")
def receipt():
    """Number and access code, once: the ticket leaves the session as it is shown."""
    ticket = session.pop(RECEIPT_KEY, None)
    number = ticket.get("number") if isinstance(ticket, dict) else None
    if not isinstance(number, str):
        return redirect(url_for("benturan.form"))
    return _private(
        render_template(
            "gratifikasi/benturan/receipt.html",
            number=number,
            yearly=ticket.get("kind") == "tahunan_nihil",
            access_code=unseal(ticket.get("code"), RECEIPT_CONTEXT),
            duplicate=ticket.get("duplicate") is True,
        )
    )


@benturan_bp.route("/status", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_GRATIFIKASI_STATUS"], methods=["POST"])
@checks_every_field
def status():
    """Look a declaration up by number and access code (posted); the same answer for either mistake."""
    form = StatusForm()
    shown, failed = None, False
    if form.validate_on_submit():
        shown = status_for_declarant(form.number.data, form.access_code.data)
        failed = shown is None
        form = StatusForm(formdata=None)  # the next look-up starts empty: nothing of this one stays
    return _render_status(form, shown, failed)


@benturan_bp.errorhandler(TooManyRequests)
def too_many(exc: TooManyRequests):
    """A limit reached: the same page again with everything typed, saying how long to wait."""
    message = form_limit_message()
    if request.endpoint == "benturan.form":
        flash(message, "warning")
        return _render_form(_declaration_form(), status=429)
    if request.endpoint == "benturan.status":
        flash(message, "warning")
        return _render_status(StatusForm(), None, False, status=429)
    return error_response(429, message)


@benturan_bp.errorhandler(CSRFError)
def expired_form(exc: CSRFError):
    """An expired or missing token: the same page again with everything typed and a fresh token."""
    expired = ["expired"]  # the form_errors macro words a csrf_token error itself
    if request.endpoint == "benturan.form":
        form = _declaration_form()
        form.csrf_token.errors = expired
        return _render_form(form, status=400)
    if request.endpoint == "benturan.status":
        form = StatusForm()
        form.csrf_token.errors = expired
        return _render_status(form, None, False, status=400)
    return error_response(400, _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))


def _render_form(form: DeclarationForm, *, status: int = 200) -> Response:
    return _private(render_template("gratifikasi/benturan/form.html", form=form), status)


def _render_status(form: StatusForm, shown: DeclarantStatus | None, failed: bool, *, status: int = 200) -> Response:
    page = render_template("gratifikasi/benturan/status.html", form=form, shown=shown, failed=failed, labels=labels)
    return _private(page, status)
