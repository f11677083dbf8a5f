"""The forms of benturan kepentingan's declarations: the employee's public declaration form and status
look-up, and the UPG's decision and carried-out forms.

The forms check what a browser sends (lengths, readable text, the date's format); which fields a kind of
declaration requires, the year, the catalogue code, the order of dates: the service's rules
(zi_public.services.gratifikasi.benturan_declarations), so every refusal is worded the same way.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from zi_public.forms import OneTimeForm, max_length, place_errors, readable_line, readable_text
from zi_public.ids import parse_id
from zi_public.labels import choices
from zi_public.models.reference import Layanan
from zi_public.rules import case_numbers
from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus
from zi_public.security import codes
from zi_public.services.gratifikasi.benturan_declarations import (
    LIMITS,
    NOTE_MAX,
    SUPERIOR_MAX,
    CarryOutInput,
    DecisionInput,
    DeclarationInput,
    InvalidDeclaration,
    ListFilters,
    validate,
    yearly_years,
)
from zi_public.services.gratifikasi.benturan_labels import (
    CONFLICT_TYPE_LABELS,
    DECISION_LABELS,
    DECLARATION_KIND_LABELS,
    DECLARATION_STATUS_LABELS,
)
from zi_public.services.reference import localized_name

BAD_DATE = _l("Tanggal tidak dikenali; isi dengan format hari/bulan/tahun.")
REQUIRED = _l("Wajib diisi.")
KIND_CHOICES = [
    SelectChoice(
        DeclarationKind.KHUSUS.value,
        _l("Saya menyatakan ada benturan kepentingan dalam suatu urusan yang saya tangani"),
    ),
    SelectChoice(
        DeclarationKind.TAHUNAN_NIHIL.value,
        _l("Pernyataan tahunan: saya tidak memiliki benturan kepentingan"),
    ),
]


def _line(label: object, field: str, *, required: bool = False, **render_kw: str) -> StringField:
    validators = [max_length(LIMITS[field]), readable_line]
    if required:
        validators.insert(0, DataRequired(message=REQUIRED))
    return StringField(label, validators=validators, render_kw=render_kw or None)


class DeclarationForm(OneTimeForm):
    kind = RadioField(
        _l("Jenis pernyataan"),
        choices=KIND_CHOICES,
        default=DeclarationKind.KHUSUS.value,
        validate_choice=False,  # the service names the two choices in its message
        validators=[InputRequired(message=_l("Pilih jenis pernyataan.")), readable_line],
    )
    year = SelectField(_l("Tahun pernyataan"), validate_choice=False, validators=[readable_line])
    nik = _line(_l("NIK"), "nik", required=True, inputmode="numeric", autocomplete="off")
    name = _line(_l("Nama lengkap"), "name", required=True, autocomplete="name")
    position = _line(_l("Jabatan"), "position", required=True)
    unit = _line(_l("Unit kerja"), "unit", required=True)
    phone = _line(_l("Nomor telepon/WhatsApp"), "phone", required=True, type="tel", autocomplete="tel")
    email = EmailField(_l("Email (tidak wajib)"), validators=[Optional(), max_length(LIMITS["email"]), readable_line])
    conflict_type = SelectField(_l("Jenis benturan kepentingan"), validate_choice=False, validators=[readable_line])
    layanan = SelectField(_l("Layanan terkait (tidak wajib)"), validate_choice=False, validators=[readable_line])
    matter = _line(_l("Urusan atau keputusan yang Anda tangani"), "matter")
    related_party = _line(_l("Pihak yang terkait dengan Anda"), "related_party")
    relationship = _line(_l("Hubungan Anda dengan pihak tersebut"), "relationship")
    description = TextAreaField(
        _l("Uraian benturan kepentingan"),
        validators=[max_length(LIMITS["description"]), readable_text],
        render_kw={"rows": 5},
    )
    submit = SubmitField(_l("Kirim pernyataan"))

    def __init__(self, *args, today: date, layanan: list[Layanan], locale: str = "id", **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        this_year, next_year = yearly_years(today)
        self.year.choices = [SelectChoice(str(this_year), str(this_year)), SelectChoice(str(next_year), str(next_year))]
        if not self.year.data:
            self.year.data = str(this_year)
        self.conflict_type.choices = [SelectChoice("", _l("— pilih jenis —"))] + [
            SelectChoice(kind.value, CONFLICT_TYPE_LABELS[kind]) for kind in ConflictType
        ]
        self.layanan.choices = [SelectChoice("", _l("— pilih layanan (jika ada) —"))] + [
            SelectChoice(item.code, localized_name(item, locale)) for item in layanan
        ]

    def is_specific(self) -> bool:
        return self.kind.data == DeclarationKind.KHUSUS.value

    def to_input(self) -> DeclarationInput:
        """The form's values as the service's input."""
        return DeclarationInput(
            kind=self.kind.data or "",
            nik=self.nik.data or "",
            name=self.name.data or "",
            position=self.position.data or "",
            unit=self.unit.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            year=self.year.data or "",
            conflict_type=self.conflict_type.data or "",
            layanan=self.layanan.data or "",
            matter=self.matter.data or "",
            related_party=self.related_party.data or "",
            relationship=self.relationship.data or "",
            description=self.description.data or "",
        )


def checked(form: DeclarationForm, today: date) -> bool:
    """Validate the form; when it fails, add the service's findings too, so one round shows all."""
    if form.validate():
        return True
    if "csrf_token" not in form.errors:
        data = form.to_input()
        # Never look a code up that the form found unreadable (a NUL byte breaks PostgreSQL's parameters).
        if form.layanan.errors:
            data = dataclasses.replace(data, layanan="")
        errors, _layanan = validate(data, today)
        show_errors(form, InvalidDeclaration(errors))
    return False


def show_errors(form: FlaskForm, exc: InvalidDeclaration, fallback: str = "description") -> None:
    """Put the service's messages on the fields they concern (the form's own finding stays first)."""
    place_errors(form, exc.errors, fallback)


class StatusForm(FlaskForm):
    """Number and access code: the declarant's only key to the declaration (posted, never in a URL)."""

    number = StringField(
        _l("Nomor pernyataan"),
        validators=[
            DataRequired(message=_l("Isi nomor pernyataan.")),
            Length(max=case_numbers.MAX_LENGTH, message=_l("Nomor terlalu panjang.")),
            readable_line,
        ],
        render_kw={"placeholder": case_numbers.example("benturan"), "autocomplete": "off", "spellcheck": "false"},
    )
    access_code = StringField(
        _l("Kode akses"),
        validators=[DataRequired(message=_l("Isi kode akses.")), Length(max=100), readable_line],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    submit = SubmitField(_l("Lihat status"))

    def validate_number(self, field: StringField) -> None:
        # Format only: says nothing about whether such a declaration exists.
        if field.data and not case_numbers.is_number(field.data, "benturan"):
            raise ValidationError(_l("Nomor pernyataan berbentuk BTK-tahun-6 angka, misalnya BTK-2026-000123."))

    def validate_access_code(self, field: StringField) -> None:
        try:
            codes.parse_access_code(field.data or "")
        except codes.InvalidCode as exc:
            raise ValidationError(exc.message) from exc


# --- the UPG's forms --------------------------------------------------------------------------------------


class _StepForm(FlaskForm):
    """What the page was rendered with: a form loaded before the declaration last changed is refused."""

    seen_status = HiddenField(validators=[Length(max=20), readable_line])
    seen_event = HiddenField(validators=[Length(max=20), readable_line])

    def seen_event_id(self) -> int | None:
        return parse_id(self.seen_event.data)


class DecisionForm(_StepForm):
    superior = StringField(
        _l("Atasan yang memutuskan (nama dan jabatan)"),
        validators=[DataRequired(message=REQUIRED), max_length(SUPERIOR_MAX), readable_line],
    )
    decision = SelectField(_l("Keputusan atasan"), validate_choice=False, validators=[readable_line])
    decided_on = DateField(_l("Tanggal keputusan"), validators=[Optional()], invalid_value_message=BAD_DATE)
    note = TextAreaField(
        _l("Catatan keputusan"), validators=[max_length(NOTE_MAX), readable_text], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Catat keputusan"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        self.decision.choices = [SelectChoice("", _l("— pilih keputusan —"))] + [
            SelectChoice(decision.value, DECISION_LABELS[decision]) for decision in Decision
        ]

    def to_input(self) -> DecisionInput:
        return DecisionInput(
            superior=self.superior.data or "",
            decision=self.decision.data or "",
            decided_on=self.decided_on.data,
            note=self.note.data or "",
            seen_status=self.seen_status.data or "",
            seen_event_id=self.seen_event_id(),
        )


class CarryOutForm(_StepForm):
    carried_out_on = DateField(_l("Tanggal dilaksanakan"), validators=[Optional()], invalid_value_message=BAD_DATE)
    note = TextAreaField(
        _l("Catatan pelaksanaan"), validators=[max_length(NOTE_MAX), readable_text], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Catat pelaksanaan"))

    def to_input(self) -> CarryOutInput:
        return CarryOutInput(
            carried_out_on=self.carried_out_on.data,
            note=self.note.data or "",
            seen_status=self.seen_status.data or "",
            seen_event_id=self.seen_event_id(),
        )


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class DeclarationFilterForm(FlaskForm):
    """The list's filters (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Nomor pernyataan"), filters=[_strip], validators=[Optional(), Length(max=20)])
    kind = SelectField(_l("Jenis pernyataan"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    year = SelectField(_l("Tahun"), validate_choice=False)

    def __init__(self, *args: object, years: list[int] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Semua jenis")), *choices(DECLARATION_KIND_LABELS)]
        self.status.choices = [("", _l("Semua status")), *choices(DECLARATION_STATUS_LABELS)]
        self.year.choices = [("", _l("Semua tahun")), *((str(year), str(year)) for year in years)]

    def _check_choice(self, field: Field) -> None:
        # A hand-made URL may name a value that is not offered; say so instead of showing everything.
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Pilih dari daftar."))

    validate_kind = validate_status = validate_year = _check_choice

    def validate_q(self, field: Field) -> None:
        if field.data and not case_numbers.is_search_prefix(field.data):
            raise ValidationError(
                _l(
                    "Nomor hanya berisi huruf, angka dan tanda hubung, mis. %(example)s.",
                    example=case_numbers.example("benturan"),
                )
            )

    def to_filters(self) -> ListFilters:
        return ListFilters(
            kind=DeclarationKind(self.kind.data) if self.kind.data else None,
            status=DeclarationStatus(self.status.data) if self.status.data else None,
            year=int(self.year.data) if self.year.data else None,
            number_prefix=case_numbers.normalize(self.q.data) if self.q.data else "",
        )

    def paging_args(self) -> dict[str, str]:
        """The filters as query arguments, for the pager links."""
        return {key: self[key].data for key in ("q", "kind", "status", "year") if self[key].data}
