"""The perception survey form, shared by the web page and the kiosk: one radio group per item of the
questionnaire (built from its definition), the optional layanan, a one-time submission key.

The form checks only what a browser sends (readable text); whether each answer is on the scale and every
item is answered is the service's rule (services/skm/perception.py), the same for every channel.

These views answer CSRF and rate-limit problems themselves, on the form with everything chosen still
there: the views are exempt from the app-wide CSRF check and validate the token as a form field instead
(a missing or forged token is a field error, never a half-done request), and they count filed responses
against their limit with `submission_allowed` / `count_submission` instead of the limiter's decorator (a
blueprint's error handler, written for another form, would otherwise answer for them). `answer_form` is
that whole round, the same for the web page and the kiosk: they differ only in channel and limit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from limits import parse_many
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, SubmitField

from zi_public.extensions import limiter
from zi_public.forms import SUBMISSION_KEY, readable_line
from zi_public.models import Layanan, PerceptionQuestionnaire
from zi_public.rules.skm import Channel
from zi_public.services.reference import active_layanan, localized_name
from zi_public.services.skm.perception import (
    DuplicateSubmission,
    InvalidPerception,
    PerceptionInput,
    check,
    file_response,
)


class PerceptionForm(FlaskForm):
    layanan = SelectField(
        _l("Layanan yang Anda terima (tidak wajib)"), validate_choice=False, validators=[readable_line]
    )
    submission_key = HiddenField()
    submit = SubmitField(_l("Kirim jawaban"))

    #: (item code, field) in the questionnaire's order; set by perception_form.
    item_fields: list

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if not SUBMISSION_KEY.fullmatch(self.submission_key.data or ""):
            # One key per rendered form: a double tap or a resent page files one response.
            self.submission_key.data = secrets.token_urlsafe(24)

    def to_input(self) -> PerceptionInput:
        """The form's values as the service's input (answers as sent: the service checks them)."""
        layanan = self.layanan.data if not self.layanan.errors else None
        return PerceptionInput(
            answers={code: field.data for code, field in self.item_fields},
            layanan=layanan or None,
        )


def perception_form(
    questionnaire: PerceptionQuestionnaire, layanan: Iterable[Layanan], locale: str, **kwargs: object
) -> PerceptionForm:
    """A form for `questionnaire`: its items as radio groups (fields a1, a2, … in order) labelled in `locale`."""
    definition = questionnaire.definition
    choices = [
        SelectChoice(str(point), f"{point} — {definition.scale.label(point).get(locale)}")
        for point in definition.scale.points
    ]
    fields = {}
    for position, item in enumerate(definition.items, start=1):
        fields[f"a{position}"] = RadioField(item.text.get(locale), choices=choices, validate_choice=False)
    form_class = type("BoundPerceptionForm", (PerceptionForm,), fields)
    form = form_class(**kwargs)
    form.item_fields = [(item.code, form[f"a{i}"]) for i, item in enumerate(definition.items, start=1)]
    form.layanan.choices = [SelectChoice("", _l("— tidak memilih layanan —"))] + [
        SelectChoice(item.code, localized_name(item, locale)) for item in layanan
    ]
    return form


def show_errors(form: PerceptionForm, exc: InvalidPerception) -> None:
    """Put the service's messages on the fields they concern."""
    by_code = dict(form.item_fields)
    for name, message in exc.errors.items():
        field = by_code.get(name) or (form.layanan if name == "layanan" else None)
        if field is not None and not field.errors:
            field.errors = [*field.errors, str(message)]


def answer_form(
    questionnaire: PerceptionQuestionnaire,
    locale: str,
    *,
    channel: Channel,
    limit: str,
    scope: str,
    key: str,
    kiosk_device_id: int | None = None,
) -> tuple[PerceptionForm, int, bool]:
    """(form, status, filed) of one request to a questionnaire's page: the form in `locale` and, on a POST,
    its submission (`_submit`); a GET shows the empty form with status 200."""
    form = perception_form(questionnaire, active_layanan(), locale)
    if request.method != "POST":
        return form, 200, False
    status, filed = _submit(
        questionnaire, form, channel=channel, limit=limit, scope=scope, key=key, kiosk_device_id=kiosk_device_id
    )
    return form, status, filed


def _submit(
    questionnaire: PerceptionQuestionnaire,
    form: PerceptionForm,
    *,
    channel: Channel,
    limit: str,
    scope: str,
    key: str,
    kiosk_device_id: int | None = None,
) -> tuple[int, bool]:
    """(status, filed) of a posted form: the token and the answers checked together (400 for a bad token),
    the limit respected (429), the response filed through the service and counted against the limit."""
    if not form.validate():  # the CSRF token, a readable layanan
        _show_answer_problems(questionnaire, form)
        return (400 if "csrf_token" in form.errors else 200), False
    if not submission_allowed(limit, scope, key):
        return 429, False
    try:
        file_response(
            questionnaire,
            form.to_input(),
            channel=channel,
            submission_key=form.submission_key.data,
            kiosk_device_id=kiosk_device_id,
        )
    except DuplicateSubmission:
        return 200, True  # a double tap: the first request filed it
    except InvalidPerception as exc:
        show_errors(form, exc)
        return 200, False
    count_submission(limit, scope, key)
    return 200, True


def _show_answer_problems(questionnaire: PerceptionQuestionnaire, form: PerceptionForm) -> None:
    """Show the answers' problems beside a bad token's, so that one round shows them all."""
    try:
        check(questionnaire, form.to_input())
    except InvalidPerception as exc:
        show_errors(form, exc)


def submission_allowed(limit: str, scope: str, key: str) -> bool:
    """Whether `key` may file one more response under `limit` (e.g. "30 per hour") in `scope`."""
    if not (limiter.enabled and limiter.initialized):
        return True
    return all(limiter.limiter.test(item, scope, key) for item in parse_many(limit))


def count_submission(limit: str, scope: str, key: str) -> None:
    """Count one filed response against `limit` (only filed ones count: a refused one is corrected, not abuse)."""
    if limiter.enabled and limiter.initialized:
        for item in parse_many(limit):
            limiter.limiter.hit(item, scope, key)
