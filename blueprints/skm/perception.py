"""The perception surveys on the public site (issue 9, point 11): the questionnaires on offer
(/skm/persepsi/), one questionnaire's form (/skm/persepsi/<code>), its thank-you page, and its results per
period when the Tim SKM publishes them (/skm/persepsi/<code>/hasil).

The form answers its own CSRF and rate-limit problems on the page, with every answer still chosen
(zi_public/forms/perception.py says why).
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from blueprints.skm import bp
from zi_public.extensions import csrf
from zi_public.forms.perception import answer_form
from zi_public.localtime import today_jakarta
from zi_public.rules.periods import QUARTER, SEMESTER, YEAR, parse_period
from zi_public.rules.skm import Channel
from zi_public.security.client import client_key
from zi_public.security.input_guard import checks_every_field
from zi_public.services.skm import perception, perception_results

LIMIT_SCOPE = "skm-persepsi-web"
#: The periods a results page may show.
RESULT_KINDS = (QUARTER, SEMESTER, YEAR)


def _limit() -> str:
    # Responses *filed* per client address (refused ones do not count); ZI_RATELIMIT_SKM_PERSEPSI to change.
    return str(current_app.config.get("RATELIMIT_SKM_PERSEPSI", "30 per hour"))


@bp.route("/persepsi/", endpoint="perception_index")
def perception_index():
    """The perception surveys on offer, and those whose results are published."""
    questionnaires = [q for q in perception.all_questionnaires() if q.is_active or q.is_published]
    return render_template("skm/perception_index.html", questionnaires=questionnaires, locale=str(get_locale()))


@bp.route("/persepsi/<code>", methods=["GET", "POST"], endpoint="perception")
@csrf.exempt  # the form checks its token itself and keeps the answers (module docstring)
@checks_every_field
def perception_page(code: str):
    """One questionnaire's form; a complete response is filed with channel web."""
    questionnaire = perception.active_by_code(code) or abort(404)
    locale = str(get_locale())
    form, status, filed = answer_form(
        questionnaire, locale, channel=Channel.WEB, limit=_limit(), scope=LIMIT_SCOPE, key=client_key()
    )
    if filed:
        return redirect(url_for("skm.perception_thanks", code=questionnaire.code))
    page = render_template(
        "skm/perception_form.html",
        questionnaire=questionnaire,
        definition=questionnaire.definition,
        form=form,
        locale=locale,
        busy=status == 429,
    )
    return page, status


@bp.route("/persepsi/<code>/terima-kasih", endpoint="perception_thanks")
def perception_thanks(code: str):
    """Thanks, and the way to the published results."""
    questionnaire = perception.by_code(code) or abort(404)
    return render_template("skm/perception_thanks.html", questionnaire=questionnaire, locale=str(get_locale()))


@bp.route("/persepsi/<code>/hasil", endpoint="perception_results")
def perception_results_page(code: str):
    """Published results of a period (?periode=2026-Q3, 2026-S2, 2026; default: the latest quarter)."""
    questionnaire = perception.by_code(code)
    if questionnaire is None or not questionnaire.is_published:
        abort(404)
    today = today_jakarta()
    raw = request.args.get("periode", "")
    if raw:
        try:
            period = parse_period(raw, RESULT_KINDS)
        except ValueError:
            abort(404)
    else:
        period = perception_results.latest_quarter(questionnaire, today) or perception_results.quarter_list(today)[0]
    if period.start > today:
        abort(404)
    shown = perception_results.result(questionnaire, period, as_of=min(period.end, today))
    return render_template(
        "skm/perception_results.html",
        questionnaire=questionnaire,
        definition=questionnaire.definition,
        shown=shown,
        periods=perception_results.quarter_list(today),
        locale=str(get_locale()),
        title=_("Hasil %(title)s", title=questionnaire.definition.title.get(str(get_locale()))),
    )


def number(value: Decimal | int, places: int) -> str:
    """A figure as the page's language writes it (5,42 in Indonesian, 5.42 in English), `places` decimals."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern)


@bp.app_template_global("perception_table")
def perception_table(shown: perception_results.PeriodResult, locale: str) -> dict:
    """What the results table shows of a period's result: formatted figures per item and the index."""
    definition = shown.questionnaire.definition
    computed = shown.result
    rows = []
    for item in definition.items:
        item_result = computed.item(item.code) if computed else None
        rows.append(
            {
                "code": item.code,
                "text": item.text.get(locale),
                "reverse": item.reverse,
                "mean": number(item_result.mean_rounded(3), 3) if item_result else "",
                "counts": [item_result.counts[point] for point in definition.scale.points] if item_result else [],
            }
        )
    band = computed.band if computed else None
    return {
        "respondents": computed.respondents if computed else 0,
        "index": number(computed.index, definition.index.places) if computed else "",
        "band": band.label.get(locale) if band else "",
        "points": list(definition.scale.points),
        "rows": rows,
    }
