"""JSON API of the perception surveys (issue 9, point 11).

GET /skm/persepsi/<code> -> the questionnaire as a form: its items, the scale with the words for each point,
the index formula, its source, and the layanan a response may name. POST /skm/persepsi/<code>
{answers: {<item code>: integer on the scale, ... every item}, layanan?: code} -> 201; an unknown answer key,
a missing item or an answer off the scale is a 400 naming each (as "answers.<code>"), nothing stored.
`Idempotency-Key` (at most 64 printable ASCII characters) makes a retry safe: the second request files
nothing and gets 409. A questionnaire that is unknown or not active is a 404.
"""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _

from blueprints.api.parsing import ApiError, Fields, idempotency_key, invalid, json_object
from blueprints.skm import api_bp as bp
from zi_public.extensions import limiter
from zi_public.models import PerceptionQuestionnaire
from zi_public.rules.skm import Channel
from zi_public.services import reference
from zi_public.services.skm import perception

LAYANAN_MAX = 50


def _post_limit() -> str:
    return str(current_app.config.get("RATELIMIT_API_SKM_PERSEPSI", "30 per hour"))


def _questionnaire(code: str) -> PerceptionQuestionnaire:
    questionnaire = perception.active_by_code(code)
    if questionnaire is None:
        raise ApiError(404, _("Tidak ada kuesioner persepsi aktif dengan kode ini."))
    return questionnaire


@bp.route("/persepsi/<code>", endpoint="perception_form")
@limiter.limit("120 per minute")
def perception_form(code: str):
    """The questionnaire as a form, in the language of the request."""
    questionnaire = _questionnaire(code)
    definition = questionnaire.definition
    locale = str(get_locale())

    def words(text):  # noqa: ANN001, ANN202 - a rules.perception.Text or None
        return text.get(locale) if text is not None else None

    return jsonify(
        code=definition.code,
        title=words(definition.title),
        intro=words(definition.intro),
        source={"name": definition.source.name, "urls": list(definition.source.urls), "note": definition.source.note},
        scale={
            "min": definition.scale.min,
            "max": definition.scale.max,
            "labels": [{"value": p, "label": words(definition.scale.label(p))} for p in definition.scale.points],
        },
        items=[
            {"code": item.code, "text": words(item.text), "hint": words(item.hint), "reverse": item.reverse}
            for item in definition.items
        ],
        index={"formula": definition.index.formula, "places": definition.index.places, "to": definition.index.to},
        bands=[{"min": str(band.lowest), "code": band.code, "label": words(band.label)} for band in definition.bands],
        layanan=[
            {"code": item.code, "name": reference.localized_name(item, locale)} for item in reference.active_layanan()
        ],
    )


@bp.route("/persepsi/<code>", methods=["POST"], endpoint="perception_create")
@limiter.limit(_post_limit)
def perception_create(code: str):
    """File one response: 201, or 400 naming every wrong field (nothing stored)."""
    questionnaire = _questionnaire(code)
    submission_key = idempotency_key()
    body = json_object()
    fields = Fields(body, allowed={"answers", "layanan"})
    layanan = fields.code("layanan", max_length=LAYANAN_MAX)
    answers = body.get("answers")
    if answers is None:
        fields.errors["answers"] = _("Wajib diisi.")
    elif not isinstance(answers, dict):
        fields.errors["answers"] = _("Harus berupa objek {kode butir: nilai}.")
    else:
        for key, value in list(answers.items())[:40]:  # JSON numbers only: "3" is a text, not an answer
            if isinstance(value, bool) or not isinstance(value, int):
                fields.errors[f"answers.{key[:40]}"] = _("Harus bilangan bulat.")
    fields.check()
    data = perception.PerceptionInput(answers=answers, layanan=layanan)
    try:
        response = perception.file_response(
            questionnaire, data, channel=Channel.API, submission_key=submission_key, strict=True
        )
    except perception.InvalidPerception as exc:
        raise invalid(
            {(k if k in ("layanan", "answers") else f"answers.{k}"): v for k, v in exc.errors.items()}
        ) from None
    except perception.DuplicateSubmission:
        raise ApiError(409, _("Permintaan dengan Idempotency-Key ini sudah diterima.")) from None
    reply = jsonify(
        questionnaire=questionnaire.code, channel=response.channel.value, submitted_on=response.submitted_on.isoformat()
    )
    reply.status_code = 201
    return reply
