"""The web survey's form: the layanan received, the respondent's profile, the nine unsur, a suggestion.

The form only carries what a browser sends (and its CSRF token and one-time key). Every rule a response
must pass (the catalogue, the codes, the age range, the answers 1-4, lengths, readable text, one response
per permit per quarter) is the filing service's (zi_public.services.skm.filing), the same for every channel:
its messages are put on the fields here, so the page shows all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField

from zi_public.forms import OneTimeForm
from zi_public.models import Layanan
from zi_public.rules import skm as rules
from zi_public.services.reference import active_layanan, localized_name
from zi_public.services.skm import labels
from zi_public.services.skm.filing import InvalidResponse, ResponseInput


class Required:
    """Marks a field the service requires (the asterisk, the `required` attribute); the service checks it."""

    field_flags = {"required": True}

    def __call__(self, form: OneTimeForm, field: Field) -> None:
        pass


def _as_text(value: object) -> str:
    """A submitted value as it came (no value: empty), so that what was chosen is chosen again on error."""
    return "" if value is None else str(value)


def _options(codes: Iterable[str], words: dict) -> list[SelectChoice]:
    return [SelectChoice(code, words[code]) for code in codes]


class SurveyForm(OneTimeForm):
    layanan = SelectField(_l("Layanan yang Anda terima"), validate_choice=False, validators=[Required()])
    permit_number = StringField(
        _l("Nomor izin atau nomor pendaftaran"),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    gender = RadioField(
        _l("Jenis kelamin"),
        choices=_options(rules.GENDERS, labels.GENDER_LABELS),
        coerce=_as_text,
        validate_choice=False,
        validators=[Required()],
    )
    age = StringField(
        _l("Usia (tahun)"),
        validators=[Required()],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 3, "class": "input-short"},
    )
    education = SelectField(
        _l("Pendidikan terakhir"),
        choices=[SelectChoice("", _l("— pilih pendidikan —")), *_options(rules.EDUCATIONS, labels.EDUCATION_LABELS)],
        coerce=_as_text,
        validate_choice=False,
        validators=[Required()],
    )
    occupation = SelectField(
        _l("Pekerjaan"),
        choices=[SelectChoice("", _l("— pilih pekerjaan —")), *_options(rules.OCCUPATIONS, labels.OCCUPATION_LABELS)],
        coerce=_as_text,
        validate_choice=False,
        validators=[Required()],
    )
    vulnerable_group = SelectField(
        _l("Kelompok rentan"),
        choices=[
            SelectChoice("", _l("Tidak termasuk")),
            *_options(rules.VULNERABLE_GROUPS, labels.VULNERABLE_LABELS),
        ],
        coerce=_as_text,
        validate_choice=False,
    )

    def __init__(self, *args, layanan: Iterable[Layanan] = (), locale: str = "id", **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        self.layanan.choices = [SelectChoice("", _l("— pilih layanan —"))] + [
            SelectChoice(item.code, localized_name(item, locale)) for item in layanan
        ]

    def unsur_fields(self) -> list[RadioField]:
        """U1..U9, in the order of every form and report."""
        return [self[code] for code in rules.UNSUR]

    def to_input(self) -> ResponseInput:
        """The form's values as the service's input (as sent: the service reads and checks them)."""
        return ResponseInput(
            layanan=self.layanan.data,
            gender=self.gender.data,
            age=self.age.data,
            education=self.education.data,
            occupation=self.occupation.data,
            answers={code: self[code].data for code in rules.UNSUR},
            vulnerable_group=self.vulnerable_group.data,
            permit_number=self.permit_number.data,
            suggestion=self.suggestion.data,
        )

    def show_errors(self, exc: InvalidResponse) -> None:
        """Put the service's messages on the fields they concern."""
        for name, message in exc.errors.items():
            field = self._fields.get(name)
            if field is not None:
                field.errors = [*field.errors, str(message)]


# The nine unsur, each a required choice among its own four answers, then the suggestion and the button: added
# after the class body so that the fields (and the error summary) follow the order of the page.
for _code in rules.UNSUR:
    setattr(
        SurveyForm,
        _code,
        RadioField(
            labels.UNSUR_NAMES[_code],
            choices=[
                SelectChoice(str(n), word) for n, word in zip(rules.ANSWERS, labels.ANSWER_LABELS[_code], strict=True)
            ],
            coerce=_as_text,
            validate_choice=False,
            validators=[Required()],
        ),
    )
del _code
SurveyForm.suggestion = TextAreaField(_l("Saran untuk perbaikan pelayanan"), render_kw={"rows": 4})
SurveyForm.submit = SubmitField(_l("Kirim survei"))


def survey_form() -> SurveyForm:
    """The survey form with the active catalogue in the visitor's language."""
    return SurveyForm(layanan=active_layanan(), locale=str(get_locale()))
