"""The SKM JSON API: the survey's description (GET /skm/form) and one response (POST /skm).

POST body: layanan, gender, education, occupation (codes from GET /skm/form), age (an integer), answers
({"U1": 1-4, …, "U9": 1-4}, integers) required; vulnerable_group, permit_number, suggestion optional.
Unknown fields, inside `answers` too, are refused; so are answers or an age sent as text, decimals or
booleans (the web form's "3" is a browser's only way to send a number; an API client has integers). The
response is stored through the filing service every channel uses, with channel "api".

A permit number that already answered this quarter is 409 (the response is valid, just not a second one).
`Idempotency-Key` (as for POST /pengaduan) makes a retry safe: the second request stores nothing and gets
409. The answer is anonymous, like the response: no id, only the day it counts for and its quarter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, jsonify, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from blueprints.api.parsing import (
    MAX_UNKNOWN_LISTED,
    ApiError,
    Fields,
    idempotency_key,
    invalid,
    json_object,
)
from blueprints.skm import api_bp as bp
from zi_public.extensions import limiter
from zi_public.labels import label
from zi_public.rules import skm as rules
from zi_public.rules.skm import Channel
from zi_public.services.reference import active_layanan, localized_name
from zi_public.services.skm import labels
from zi_public.services.skm.filing import (
    DuplicateSubmission,
    InvalidResponse,
    PermitAlreadyUsed,
    ResponseInput,
    check,
    file_response,
)

CODE_MAX = 50  # layanan and profile codes
#: The profile's lists: the API field, its codes (rules/skm.py) and their words (services/skm/labels.py).
PROFILE_LISTS = {
    "gender": (rules.GENDERS, labels.GENDER_LABELS),
    "education": (rules.EDUCATIONS, labels.EDUCATION_LABELS),
    "occupation": (rules.OCCUPATIONS, labels.OCCUPATION_LABELS),
    "vulnerable_group": (rules.VULNERABLE_GROUPS, labels.VULNERABLE_LABELS),
}
OPTIONAL_LISTS = frozenset({"vulnerable_group"})
#: A permit or registration number through the API: printable ASCII (what permit numbers are written in), so
#: that its stored form (rules.skm.normalise_permit_number) is never longer than what was sent.
PERMIT_PATTERN = r"[\u0020-\u007e]+"
ALLOWED = frozenset({"layanan", "age", "answers", "permit_number", "suggestion", *PROFILE_LISTS})


def _post_limit() -> str:
    return current_app.config["RATELIMIT_API_SKM_POST"]


def _form_limit() -> str:
    return current_app.config["RATELIMIT_API_SKM_FORM"]


def _options(codes: tuple[str, ...], words: Mapping[str, object]) -> list[dict[str, str]]:
    return [{"value": code, "label": label(words, code)} for code in codes]


@bp.route("/form", endpoint="form")
@limiter.limit(_form_limit)
def survey_form():
    """What a survey client shows: the layanan, the profile's option lists, the nine unsur with their answers."""
    lang = request.args.get("lang")
    if lang is not None and lang not in current_app.config["LANGUAGES"]:
        raise invalid({"lang": _("Salah satu dari: %(values)s.", values=", ".join(current_app.config["LANGUAGES"]))})
    locale = lang or str(get_locale())
    with force_locale(locale):
        return jsonify(
            layanan=[{"value": item.code, "label": localized_name(item, locale)} for item in active_layanan()],
            **{name: _options(codes, words) for name, (codes, words) in PROFILE_LISTS.items()},
            age={"min": rules.MIN_AGE, "max": rules.MAX_AGE},
            unsur=[
                {
                    "code": code,
                    "name": label(labels.UNSUR_NAMES, code),
                    "question": label(labels.UNSUR_QUESTIONS, code),
                    "answers": [
                        {"value": value, "label": str(word)}
                        for value, word in zip(rules.ANSWERS, labels.ANSWER_LABELS[code], strict=True)
                    ],
                }
                for code in rules.UNSUR
            ],
            limits=dict(rules.LIMITS),
        )


@bp.route("", methods=["POST"], endpoint="create")
@limiter.limit(_post_limit)
def create_response():
    """Store one response: 201 with the day it was received, its quarter and its channel."""
    submission_key = idempotency_key()
    data = _read_response()
    try:
        stored = file_response(data, channel=Channel.API, submission_key=submission_key)
    except PermitAlreadyUsed as exc:
        raise ApiError(409, str(exc.errors["permit_number"]), _api_names(exc.errors)) from None
    except InvalidResponse as exc:
        raise invalid(_api_names(exc.errors)) from None
    except DuplicateSubmission as exc:  # also the loser of a race between two requests with one key
        raise ApiError(
            409,
            _(
                "Permintaan dengan Idempotency-Key ini sudah diterima pada %(date)s; tidak disimpan dua kali.",
                date=exc.existing.submitted_on.isoformat(),
            ),
        ) from None
    response = jsonify(
        received_on=stored.submitted_on.isoformat(),
        year=stored.year,
        quarter=stored.quarter,
        channel=stored.channel.value,
    )
    response.status_code = 201
    return response


def _read_response() -> ResponseInput:
    """Type-check the JSON body into the service's input (what the values mean is the service's check)."""
    fields = Fields(json_object(), allowed=ALLOWED)
    codes = {name: _listed(fields, name, options) for name, (options, _words) in PROFILE_LISTS.items()}
    values: dict[str, Any] = {
        "layanan": fields.code("layanan", required=True, max_length=CODE_MAX),
        "age": _integer(fields, "age", fields.body.get("age"), _("Harus berupa bilangan bulat.")),
        "answers": _answers(fields),
        "permit_number": fields.formatted(
            "permit_number",
            max_length=rules.LIMITS["permit_number"],
            pattern=PERMIT_PATTERN,
            message=_("Nomor izin ditulis dengan huruf, angka dan tanda baca ASCII."),
        ),
        "suggestion": fields.text("suggestion", max_length=rules.LIMITS["suggestion"], multiline=True),
        **codes,
    }
    data = ResponseInput(**values)
    if fields.errors:
        _add_service_findings(fields, data)
    fields.check()
    return data


def _add_service_findings(fields: Fields, data: ResponseInput) -> None:
    """One answer names every problem: the service's findings on the fields the type check let through."""
    try:
        check(data)
    except InvalidResponse as exc:
        for name, message in _api_names(exc.errors).items():
            if not (name.startswith("answers.") and "answers" in fields.errors):
                fields.errors.setdefault(name, message)


def _listed(fields: Fields, name: str, options: tuple[str, ...]) -> str | None:
    """A code exactly as GET /skm/form lists it."""
    value = fields.code(name, required=name not in OPTIONAL_LISTS, max_length=CODE_MAX)
    if value is not None and value not in options:
        fields.errors[name] = _("Salah satu dari: %(values)s.", values=", ".join(options))
        return None
    return value


def _integer(fields: Fields, name: str, value: object, message: str) -> int | None:
    """A JSON integer (not a decimal, a text or a boolean); its range is the service's check."""
    if value is None:
        return None  # the service names the missing value
    if isinstance(value, bool) or not isinstance(value, int):
        fields.errors[name] = message
        return None
    return value


def _answers(fields: Fields) -> dict[str, object]:
    """{U1..U9: integer}; a missing unsur is left to the service, which names it."""
    raw = fields.body.get("answers")
    if raw is None:
        fields.errors["answers"] = _("Wajib diisi: objek berisi U1 sampai U9, masing-masing 1 sampai 4.")
        return {}
    if not isinstance(raw, dict):
        fields.errors["answers"] = _("Harus berupa objek berisi U1 sampai U9, masing-masing 1 sampai 4.")
        return {}
    unknown = [key for key in raw if key not in rules.UNSUR]
    for key in unknown[:MAX_UNKNOWN_LISTED]:
        fields.errors[f"answers.{key[:100]}"] = _("Kolom tidak dikenal.")
    answers: dict[str, object] = {}
    for code in rules.UNSUR:
        if code in raw:
            answers[code] = _integer(fields, f"answers.{code}", raw[code], _("Harus berupa bilangan bulat 1 sampai 4."))
    return answers


def _api_names(errors: Mapping[str, object]) -> dict[str, object]:
    """The service's field names as the API calls them (U3 -> answers.U3)."""
    return {f"answers.{name}" if name in rules.UNSUR else name: message for name, message in errors.items()}
