"""Forms and validators shared by several blueprints (a service's forms shared by its public page and
the kiosk live beside this one, e.g. zi_public.forms.pengaduan)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Protocol

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import Field, HiddenField
from wtforms.validators import Length, ValidationError

from zi_public.extensions import csrf
from zi_public.rules.text import TextProblem, has_visible_content, text_problem
from zi_public.security.uploads import UploadRejected

#: What a person is told about text the readable-text rule refuses; the API answers with the same words.
TEXT_PROBLEM_MESSAGES = {
    TextProblem.UNREADABLE: _l("Teks berisi karakter yang tidak dapat dibaca; ketik ulang bagian ini."),
    TextProblem.LINE_BREAK: _l("Tulis dalam satu baris, tanpa ganti baris."),
}


def read_text(value: object, *, limit: int, multiline: bool, required: bool = True) -> tuple[str, object | None]:
    """A text field as a service stores it: (the text, None), or ("", the message for the person) when it is not
    text, unreadable (or broken over lines where one line is asked), empty while required, or over `limit`.
    Every line end becomes a newline and the ends are trimmed; None reads as ""."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        return "", _l("Isi dengan teks.")
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    problem = text_problem(text, multiline=multiline)
    if problem is not None:
        return "", TEXT_PROBLEM_MESSAGES[problem]
    if required and not has_visible_content(text):
        return "", _l("Wajib diisi.")
    if len(text) > limit:
        return "", _l("Paling banyak %(n)d karakter (sekarang %(count)d).", n=limit, count=len(text))
    return text, None


class EmptyForm(FlaskForm):
    """A bare button still carries a CSRF token."""


def place_errors(form: FlaskForm, errors: Mapping[str, object], fallback: str | None = None) -> None:
    """Put a service's messages on the fields they concern; one for a field the form lacks goes on `fallback`
    (or nowhere without one). A field that already has the form's own finding keeps it: it is more precise."""
    for name, message in errors.items():
        field = form._fields.get(name) or (form._fields.get(fallback) if fallback else None)
        if field is not None and not field.errors:
            field.errors = [*field.errors, str(message)]


def place_upload_error(form: FlaskForm, exc: UploadRejected) -> None:
    """Put the upload check's refusal (with the file's name) on the form's `attachments` field."""
    message = str(exc.message)
    if exc.filename:
        message = _("%(name)s: %(message)s", name=exc.filename[:100], message=message)
    form.attachments.errors = [*form.attachments.errors, message]


class Refusal(Protocol):
    """A service's refusal of what a form sent: a message per field (InvalidPengaduan, InvalidWbs, ...)."""

    errors: Mapping[str, object]


def place_refusal(form: FlaskForm, exc: Refusal | UploadRejected, fallback: str | None = None) -> None:
    """Put a filing's refusal on the form: the upload check's on `attachments` (place_upload_error), a service's
    on the fields it names, one for a field the form lacks on `fallback` (place_errors)."""
    if isinstance(exc, UploadRejected):
        place_upload_error(form, exc)
    else:
        place_errors(form, exc.errors, fallback)


def token_valid(form: FlaskForm) -> bool:
    """The CSRF check, run by a view exempt from the one before every view (`@csrf.exempt`): the same
    csrf.protect (the token and, over HTTPS, the referrer), but when it fails the form says so and keeps what
    was typed, so the view re-renders it instead of an error page."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        csrf.protect()
    except CSRFError:
        form.csrf_token.errors = ["expired"]  # the form_errors macro words a csrf_token error itself
        return False
    return True


#: What a one-time form renders in its hidden key; anything else sent there is replaced by a fresh key.
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_\-]{16,64}")


class OneTimeForm(FlaskForm):
    """A form that files something (a complaint, a report, a survey response): its hidden one-time key, which
    the filing services take as `submission_key`, makes a double click or a resent page file it once."""

    submission_key = HiddenField()

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        if not SUBMISSION_KEY.fullmatch(self.submission_key.data or ""):
            # One key per rendered form; a value of another shape (too long, a NUL byte) never reaches a query.
            self.submission_key.data = secrets.token_urlsafe(24)


def max_length(n: int) -> Length:
    """At most `n` characters, said the same way on every form."""
    return Length(max=n, message=_l("Paling banyak %(n)d karakter.", n=n))


def _readable(multiline: bool):  # noqa: ANN202 - a WTForms validator
    def validate(form: FlaskForm, field: Field) -> None:
        problem = text_problem(field.data, multiline=multiline) if isinstance(field.data, str) else None
        if problem is not None:
            raise ValidationError(TEXT_PROBLEM_MESSAGES[problem])

    return validate


#: WTForms validators of zi_public.rules.text: one for single-line fields, one for text areas.
readable_line = _readable(multiline=False)
readable_text = _readable(multiline=True)
