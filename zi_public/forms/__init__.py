"""Forms and validators shared by several blueprints (a service's forms shared by its public page and
the kiosk live beside this one, e.g. zi_public.forms.pengaduan)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import Length, ValidationError

from zi_public.rules.text import TextProblem, text_problem

#: What a person is told about text the readable-text rule refuses; the API answers with the same words.
TEXT_PROBLEM_MESSAGES = {
    TextProblem.UNREADABLE: _l("Teks berisi karakter yang tidak dapat dibaca; ketik ulang bagian ini."),
    TextProblem.LINE_BREAK: _l("Tulis dalam satu baris, tanpa ganti baris."),
}


class EmptyForm(FlaskForm):
    """A bare button still carries a CSRF token."""


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
