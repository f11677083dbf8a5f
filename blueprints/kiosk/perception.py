"""The perception surveys on the service-hall kiosk (issue 9, point 11): the questionnaires on offer
(/kiosk/persepsi), one questionnaire's form with large answer buttons (/kiosk/persepsi/<code>) filed with
channel kiosk and this device's id, and a thank-you page that forgets the respondent.

The kiosk's registered-device guard applies (blueprints/kiosk/routes.py). The form answers its own CSRF
and rate-limit problems, with every answer still chosen (zi_public/forms/perception.py says why); the
limit counts per device, as the kiosk's complaint form does.
"""

from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, url_for
from flask_babel import get_locale

from blueprints.kiosk import bp
from blueprints.kiosk.routes import _forget_person
from zi_public.extensions import csrf
from zi_public.forms.perception import answer_form
from zi_public.rules.skm import Channel
from zi_public.security.client import kiosk_key
from zi_public.security.input_guard import checks_every_field
from zi_public.services.skm import perception

LIMIT_SCOPE = "skm-persepsi-kiosk"


def _limit() -> str:
    return str(current_app.config.get("RATELIMIT_KIOSK", "60 per hour"))


@bp.route("/persepsi", endpoint="perception_index")
def perception_index():
    """The perception surveys this kiosk offers: one large button each."""
    return render_template(
        "kiosk/perception_index.html", questionnaires=perception.active_questionnaires(), locale=str(get_locale())
    )


@bp.route("/persepsi/<code>", methods=["GET", "POST"], endpoint="perception")
@csrf.exempt  # the form checks its token itself and keeps the answers (module docstring)
@checks_every_field
def perception_page(code: str):
    """One questionnaire with large answer buttons; a complete response is filed with channel kiosk."""
    questionnaire = perception.active_by_code(code) or abort(404)
    locale = str(get_locale())
    form, status, filed = answer_form(
        questionnaire,
        locale,
        channel=Channel.KIOSK,
        limit=_limit(),
        scope=LIMIT_SCOPE,
        key=kiosk_key(),
        kiosk_device_id=g.get("kiosk_device_id"),
    )
    if filed:
        return redirect(url_for("kiosk.perception_thanks", code=questionnaire.code))
    page = render_template(
        "kiosk/perception_form.html",
        questionnaire=questionnaire,
        definition=questionnaire.definition,
        form=form,
        locale=locale,
        busy=status == 429,
        expired=status == 400,
    )
    return page, status


@bp.route("/persepsi/<code>/terima-kasih", endpoint="perception_thanks")
def perception_thanks(code: str):
    """Thanks; the next person starts afresh (session and language forgotten)."""
    questionnaire = perception.by_code(code) or abort(404)
    page = render_template("kiosk/perception_thanks.html", questionnaire=questionnaire, locale=str(get_locale()))
    return _forget_person(current_app.make_response(page))
