"""The public survey at /skm/: one page with the layanan, the profile, the nine unsur and a suggestion, then
a thank-you page. Responses are anonymous: the session carries only what the thank-you page shows."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from blueprints.skm import bp
from blueprints.skm.forms import SurveyForm, survey_form
from zi_public.errors import error_response
from zi_public.extensions import limiter
from zi_public.rules.skm import MAX_AGE, MIN_AGE, Channel
from zi_public.security.input_guard import checks_every_field
from zi_public.security.ratelimits import form_limit_message
from zi_public.services.skm import labels
from zi_public.services.skm.filing import DuplicateSubmission, InvalidResponse, file_response

THANKS_KEY = "skm_thanks"  # {"duplicate": bool}: what the thank-you page says


def _survey_limit() -> str:
    return current_app.config["RATELIMIT_SKM_SURVEY"]


def _stored(response: Response) -> bool:
    """Only a stored response counts against the limit: a refused page is corrected, not abuse."""
    return bool(g.get("skm_stored"))


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_survey_limit, methods=["POST"], deduct_when=_stored)
@checks_every_field
def index():
    """The survey; a valid response is stored (once, whatever the number of clicks) and thanked."""
    form = survey_form()
    if request.method == "POST" and form.validate():
        try:
            file_response(form.to_input(), channel=Channel.WEB, submission_key=form.submission_key.data)
        except DuplicateSubmission:
            session[THANKS_KEY] = {"duplicate": True}
            return redirect(url_for("skm.thanks"))
        except InvalidResponse as exc:
            form.show_errors(exc)
        else:
            g.skm_stored = True
            session[THANKS_KEY] = {"duplicate": False}
            return redirect(url_for("skm.thanks"))
    return _render_form(form)


@bp.route("/terima-kasih")
def thanks():
    """Thanks, and where the results are published."""
    ticket = session.get(THANKS_KEY)
    if not isinstance(ticket, dict):
        return redirect(url_for("skm.index"))
    has_results = "skm.hasil" in current_app.view_functions
    return render_template("skm/thanks.html", duplicate=ticket.get("duplicate") is True, has_results=has_results)


@bp.errorhandler(TooManyRequests)
def too_many(exc: TooManyRequests):
    """The limit reached: the same page again with every answer still chosen, saying how long to wait."""
    message = form_limit_message()
    if request.endpoint != "skm.index":
        return error_response(429, message)
    flash(message, "warning")
    return _render_form(survey_form(), status=429)


@bp.errorhandler(CSRFError)
def expired_form(exc: CSRFError):
    """An expired or missing token: the same page again with every answer still chosen, and a fresh token."""
    if request.endpoint != "skm.index":
        return error_response(400, _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))
    form = survey_form()
    form.csrf_token.errors = ["expired"]  # the form_errors macro words a csrf_token error itself
    return _render_form(form, status=400)


def _render_form(form: SurveyForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "skm/form.html", form=form, questions=labels.UNSUR_QUESTIONS, age_range=(MIN_AGE, MAX_AGE)
    ), status
