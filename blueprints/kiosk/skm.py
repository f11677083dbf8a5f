"""The kiosk's SKM survey (/kiosk/skm): one screen per step, four faces per unsur, nothing kept afterwards.

It works without JavaScript: every screen is a form whose POST (CSRF-protected) keeps that screen's answer,
encrypted, in the kiosk session and moves on; a face is a submit button, so one tap answers. Each answer is
judged by services/skm/filing.check as it is given (only that screen's fields count), so the respondent
hears about it on its own screen; the last screen files the whole response through file_response, which
checks everything again. The session is cleared on the thank-you page and by the kiosk's reset (idle
timer, "Mulai ulang").
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Mapping

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import RequestLimit
from werkzeug.wrappers import Response

from blueprints.kiosk import bp
from blueprints.kiosk.routes import _current_device_id, _forget_person, _kiosk_limit
from zi_public.extensions import limiter
from zi_public.localtime import today_jakarta
from zi_public.rules.skm import (
    EDUCATIONS,
    GENDERS,
    OCCUPATIONS,
    UNSUR,
    VULNERABLE_GROUPS,
    Channel,
    normalise_permit_number,
    parse_age,
    parse_answer,
)
from zi_public.rules.text import is_readable
from zi_public.security.client import kiosk_key
from zi_public.security.input_guard import checks_every_field
from zi_public.security.session_seal import seal_json, unseal_json
from zi_public.services.reference import active_layanan, localized_name
from zi_public.services.skm.filing import (
    PERMIT_TAKEN,
    DuplicateSubmission,
    InvalidResponse,
    ResponseInput,
    check,
    file_response,
    permit_taken,
    quarter_of,
)
from zi_public.services.skm.labels import (
    ANSWER_LABELS,
    EDUCATION_LABELS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
    UNSUR_NAMES,
    UNSUR_QUESTIONS,
    VULNERABLE_LABELS,
)

#: The screens, in order: the service received, the respondent, one per unsur, the suggestion.
STEPS = ("layanan", "profil", *(code.lower() for code in UNSUR), "saran")
PROFILE_FIELDS = ("gender", "age", "education", "occupation", "vulnerable_group")
#: The fields each screen asks for (named as filing.check names its errors).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "layanan": ("layanan", "permit_number"),
    "profil": PROFILE_FIELDS,
    **{code.lower(): (code,) for code in UNSUR},
    "saran": ("suggestion",),
}
FIELD_STEP = {field: step for step, fields in STEP_FIELDS.items() for field in fields}
FIELD_LABELS = {
    "layanan": _l("Layanan yang Anda terima"),
    "permit_number": _l("Nomor izin atau nomor pendaftaran"),
    "gender": _l("Jenis kelamin"),
    "age": _l("Usia (tahun)"),
    "education": _l("Pendidikan terakhir"),
    "occupation": _l("Pekerjaan"),
    "vulnerable_group": _l("Kelompok rentan"),
    **UNSUR_NAMES,
    "suggestion": _l("Saran untuk perbaikan pelayanan"),
}
CHOICE_FIELDS = ("gender", "education", "occupation", "vulnerable_group")
PROFILE_OPTIONS = {
    "gender": [(code, GENDER_LABELS[code]) for code in GENDERS],
    "education": [(code, EDUCATION_LABELS[code]) for code in EDUCATIONS],
    "occupation": [(code, OCCUPATION_LABELS[code]) for code in OCCUPATIONS],
    "vulnerable_group": [("", _l("Tidak termasuk")), *((code, VULNERABLE_LABELS[code]) for code in VULNERABLE_GROUPS)],
}

STATE_KEY = "kiosk_skm"  # this respondent's answers so far, encrypted (the session cookie is only signed)
STATE_CONTEXT = "kiosk-skm"
DONE_KEY = "kiosk_skm_done"  # carries "filed" from the last POST to the thank-you page, nothing else

SKIPPED = _l("Pertanyaan sebelumnya belum dijawab. Jawab dulu pertanyaan ini; jawaban lain tidak disimpan.")


def _skm_limit() -> str:
    """Responses filed per kiosk device (RATELIMIT_KIOSK_SKM; the kiosk's own limit when unset)."""
    return current_app.config.get("RATELIMIT_KIOSK_SKM") or _kiosk_limit()


def _busy(limit: RequestLimit) -> Response:
    """This kiosk used up its share: the same screen again, answers kept, saying how long to wait."""
    step = (request.view_args or {}).get("step", STEPS[0])
    step = step if step in STEPS else STEPS[0]
    minutes = max(1, math.ceil((limit.reset_at - time.time()) / 60))
    notice = _(
        "Kiosk ini baru saja menerima banyak survei. Jawaban Anda masih tersimpan; coba lagi dalam %(n)d menit "
        "atau minta bantuan petugas.",
        n=minutes,
    )
    return _page(step, _state(), given=_posted(step), busy=notice, status=429)


@bp.route("/skm", defaults={"step": STEPS[0]}, methods=["GET", "POST"])
@bp.route("/skm/<step>", methods=["GET", "POST"])
@limiter.limit(
    _skm_limit,
    key_func=kiosk_key,
    methods=["POST"],
    deduct_when=lambda _: bool(g.get("skm_filed")),  # only filed responses count, never a refused answer
    on_breach=_busy,
)
@checks_every_field
def skm(step: str):
    """One screen of the survey; its POST keeps the answer and goes on (the last one files the response)."""
    if step not in STEPS:
        abort(404)
    state = _state()
    open_step = _first_open(state)
    if STEPS.index(step) > STEPS.index(open_step):
        # A screen further on than the first unanswered one (a forged or stale request): nothing is kept.
        if request.method == "POST":
            flash(SKIPPED, "warning")
        return redirect(url_for("kiosk.skm", step=open_step), 303)
    if request.method == "GET":
        return _page(step, state)
    given = _posted(step)
    problems = _problems(step, given)
    if problems:
        return _page(step, state, given=given, problems=problems)
    if step == STEPS[-1]:
        return _file(state, given["suggestion"])
    _keep(state, step, given)
    return redirect(url_for("kiosk.skm", step=STEPS[STEPS.index(step) + 1]), 303)


@bp.route("/skm/terima-kasih")
def skm_thanks():
    """Thanks; the idle timer takes the kiosk back to its start page within seconds, the session is gone."""
    if not session.pop(DONE_KEY, False):
        return _forget_person(redirect(url_for("kiosk.index")))
    seconds = int(current_app.config.get("KIOSK_SKM_THANKS_SECONDS", 10))
    # The kiosk's own idle reset (static/js/kiosk.js), armed with the shorter time of this page.
    page = render_template("kiosk/skm_thanks.html", kiosk_idle_seconds=seconds)
    response = _forget_person(current_app.make_response(page))
    # Should the idle script not run, the browser goes back by itself a little later.
    response.headers["Refresh"] = f"{seconds + 5}; url={url_for('kiosk.index')}"
    return response


def _file(state: dict, suggestion: str) -> Response:
    """File the whole response; then forget this respondent and thank them."""
    try:
        file_response(
            _response_input(state, suggestion=suggestion),
            channel=Channel.KIOSK,
            submission_key=state["key"],
            kiosk_device_id=_current_device_id(),
        )
    except DuplicateSubmission:
        pass  # a double tap: the first request filed it
    except InvalidResponse as exc:
        # Changed since its screen was answered (the layanan retired, the permit number used meanwhile):
        # the last screen again, its suggestion kept, naming the screen to correct.
        return _page(STEPS[-1], state, given={"suggestion": suggestion}, problems=exc.errors)
    else:
        g.skm_filed = True
    session.clear()
    session[DONE_KEY] = True
    return redirect(url_for("kiosk.skm_thanks"), 303)


# --- the respondent's answers so far ------------------------------------------------------------------


def _state() -> dict:
    """The answers kept so far ({} when none, or when the session holds anything unreadable)."""
    state = unseal_json(session.get(STATE_KEY), STATE_CONTEXT)
    if not isinstance(state, dict) or not isinstance(state.get("answers"), dict):
        return {}
    return state


def _keep(state: dict, step: str, given: Mapping[str, object]) -> None:
    """Keep one screen's (checked) answers, cleaned, in the session."""
    state.setdefault("key", secrets.token_urlsafe(24))  # the submission key: a double tap files once
    state.setdefault("answers", {})
    for field in STEP_FIELDS[step]:
        value = str(given.get(field, "")).strip()
        if field in UNSUR:
            state["answers"][field] = parse_answer(value)
        elif field == "age":
            state[field] = parse_age(value)
        else:
            state[field] = value.lower() if field in CHOICE_FIELDS else value
    session[STATE_KEY] = seal_json(state, STATE_CONTEXT)


def _answered(state: Mapping, step: str) -> bool:
    return all(field in (state["answers"] if field in UNSUR else state) for field in STEP_FIELDS[step])


def _first_open(state: Mapping) -> str:
    """The first screen not answered yet (the last screen once all others are)."""
    if not state:
        return STEPS[0]
    return next(step for step in STEPS if step == STEPS[-1] or not _answered(state, step))


def _response_input(values: Mapping, *, suggestion: object = "") -> ResponseInput:
    return ResponseInput(
        layanan=values.get("layanan"),
        permit_number=values.get("permit_number"),
        gender=values.get("gender"),
        age=values.get("age"),
        education=values.get("education"),
        occupation=values.get("occupation"),
        vulnerable_group=values.get("vulnerable_group"),
        answers=values.get("answers", {}),
        suggestion=suggestion,
    )


# --- one screen's answers -----------------------------------------------------------------------------


def _posted(step: str) -> dict[str, object]:
    """This screen's fields from the form: text, or the list itself when a field came more than once
    (which every check refuses as unreadable rather than picking one)."""
    given: dict[str, object] = {}
    for field in STEP_FIELDS[step]:
        values = request.form.getlist(field)
        given[field] = values[0] if len(values) == 1 else (values or "")
    # The layanan code is looked up in the database: text a person cannot type (a NUL) never gets there.
    code = given.get("layanan")
    if code is not None and not (isinstance(code, str) and is_readable(code, multiline=False)):
        given["layanan"] = ""
    return given


def _problems(step: str, given: Mapping[str, object]) -> dict[str, object]:
    """What is wrong with this screen's answers, worded by filing.check (other screens are not judged)."""
    answers = {field: value for field, value in given.items() if field in UNSUR}
    try:
        check(_response_input({**given, "answers": answers}, suggestion=given.get("suggestion", "")))
    except InvalidResponse as exc:
        problems = {field: error for field, error in exc.errors.items() if field in STEP_FIELDS[step]}
    else:
        problems = {}
    if step == "layanan" and not problems:
        # Told now rather than after the last question: one response per permit number per quarter.
        permit = normalise_permit_number(str(given["permit_number"]))
        if permit_taken(permit, *quarter_of(today_jakarta())):
            problems["permit_number"] = PERMIT_TAKEN
    return problems


def _page(
    step: str,
    state: Mapping,
    *,
    given: Mapping[str, object] | None = None,
    problems: Mapping[str, object] | None = None,
    busy: str | None = None,
    status: int = 200,
) -> Response:
    """Render one screen: what this respondent chose before, or what they just sent."""
    index = STEPS.index(step)
    values = {**state, **(given or {})}
    chosen = {**state.get("answers", {}), **{k: v for k, v in (given or {}).items() if k in UNSUR}}
    problems = dict(problems or {})
    context: dict[str, object] = {
        "step": step,
        "position": index + 1,
        "total": len(STEPS),
        "back_step": STEPS[index - 1] if index else None,
        "values": values,
        "problems": problems,
        "labels": FIELD_LABELS,
        "busy": busy,
    }
    if step == "layanan":
        locale = str(get_locale())
        context["layanan"] = [(item.code, localized_name(item, locale)) for item in active_layanan()]
        template = "kiosk/skm_layanan.html"
    elif step == "profil":
        context["options"] = PROFILE_OPTIONS
        template = "kiosk/skm_profil.html"
    elif step == STEPS[-1]:
        # Problems found only when filing belong to earlier screens: name them, with a way back to each.
        context["elsewhere"] = [
            (FIELD_LABELS[field], error, FIELD_STEP[field])
            for field, error in problems.items()
            if field != "suggestion" and field in FIELD_STEP
        ]
        template = "kiosk/skm_saran.html"
    else:
        code = step.upper()
        context.update(
            code=code,
            number=UNSUR.index(code) + 1,
            unsur_count=len(UNSUR),
            question=UNSUR_QUESTIONS[code],
            chosen=parse_answer(chosen.get(code)),
            faces=[
                (answer, label, url_for("static", filename=f"img/skm-face-{answer}.svg"))
                for answer, label in enumerate(ANSWER_LABELS[code], start=1)
            ],
        )
        template = "kiosk/skm_unsur.html"
    return current_app.make_response((render_template(template, **context), status))
