"""Forms of the UPG's gratifikasi pages: the inbox filter (GET) and one small CSRF form per flow action.

Every action form carries the status and the newest history event the page was rendered with, so the
service refuses a form loaded before the case last changed (flow.ActionInput.seen_*).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Field, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from zi_public.forms import max_length, readable_line, readable_text
from zi_public.ids import parse_id
from zi_public.labels import choices
from zi_public.rules import case_numbers
from zi_public.rules.gratifikasi import Action, Kind, Status
from zi_public.services.gratifikasi.flow import REFERENCE_MAX, TEXT_MAX, ActionInput
from zi_public.services.gratifikasi.inbox import InboxFilter
from zi_public.services.gratifikasi.labels import (
    ACTION_BUTTON_LABELS,
    DECISION_LABELS,
    DISPOSITION_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
)

_INVALID_DATE = _l("Tanggal tidak valid. Gunakan format TTTT-BB-HH, misalnya 2026-12-31.")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class InboxFilterForm(FlaskForm):
    """The inbox filters (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Nomor laporan"), filters=[_strip], validators=[Optional(), Length(max=20)])
    status = SelectField(_l("Status"), validate_choice=False)
    kind = SelectField(_l("Diterima/ditolak"), validate_choice=False)
    late = BooleanField(_l("Hanya laporan terlambat (lewat 30 hari kerja)"))
    overdue = BooleanField(_l("Hanya yang melewati batas waktu UPG"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Semua status")), *choices(STATUS_LABELS)]
        self.kind.choices = [("", _l("Semua")), *choices(KIND_LABELS)]

    def _check_choice(self, field: Field) -> None:
        # A hand-made URL may name a value that is not offered; say so instead of showing "all".
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Pilih dari daftar."))

    validate_status = validate_kind = _check_choice

    def validate_q(self, field: Field) -> None:
        if field.data and not case_numbers.is_search_prefix(field.data):
            raise ValidationError(
                _l(
                    "Nomor hanya berisi huruf, angka dan tanda hubung, mis. %(example)s.",
                    example=case_numbers.example("gratifikasi"),
                )
            )

    def to_filter(self) -> InboxFilter:
        return InboxFilter(
            status=Status(self.status.data) if self.status.data else None,
            kind=Kind(self.kind.data) if self.kind.data else None,
            late=bool(self.late.data),
            overdue=bool(self.overdue.data),
            number=self.q.data or "",
        )

    def paging_args(self) -> dict[str, str]:
        """The filters as query arguments, for the pager links."""
        args = {key: self[key].data for key in ("q", "status", "kind")}
        for key in ("late", "overdue"):
            if self[key].data:
                args[key] = "y"
        return {key: value for key, value in args.items() if value}


def _note(label: object = None, *, required: bool = False) -> TextAreaField:
    return TextAreaField(
        label or _l("Catatan internal (opsional, tidak terlihat pelapor)"),
        validators=[DataRequired() if required else Optional(), max_length(TEXT_MAX), readable_text],
        render_kw={"rows": 3, "maxlength": TEXT_MAX},
    )


def _seen_event(form: FlaskForm, field: Field) -> None:
    if field.data and parse_id(field.data) is None:
        raise ValidationError(_l("Muat ulang halaman lalu ulangi."))


def _seen_status(form: FlaskForm, field: Field) -> None:
    if field.data not in {s.value for s in Status}:
        raise ValidationError(_l("Muat ulang halaman lalu ulangi."))


class ActionForm(FlaskForm):
    """Every action form: a CSRF token, what the page showed (status, newest event), a button."""

    seen_status = HiddenField(validators=[_seen_status])
    seen_event = HiddenField(validators=[_seen_event])
    text = _note()

    def to_input(self, action: Action) -> ActionInput:
        return ActionInput(
            action=action.value,
            seen_status=self.seen_status.data or "",
            seen_event_id=parse_id(self.seen_event.data or ""),
            text=self.text.data or "",
            **self.extra_input(),
        )

    def extra_input(self) -> dict[str, object]:
        return {}


class RequestCompletionForm(ActionForm):
    text = _note(_l("Apa yang perlu dilengkapi (dikirim kepada pelapor di halaman status)"), required=True)
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.REQUEST_COMPLETION])


class CompleteForm(ActionForm):
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.COMPLETE])


class VerifyForm(ActionForm):
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.VERIFY])


class ForwardForm(ActionForm):
    forwarded_on = DateField(
        _l("Tanggal diteruskan ke KPK"), validators=[InputRequired()], invalid_value_message=_INVALID_DATE
    )
    kpk_reference = StringField(
        _l("Nomor/rujukan penerusan ke KPK (mis. nomor surat atau tanda terima GOL KPK)"),
        filters=[_strip],
        validators=[DataRequired(), max_length(REFERENCE_MAX), readable_line],
        render_kw={"maxlength": REFERENCE_MAX},
    )
    text = _note()
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.FORWARD])

    def extra_input(self) -> dict[str, object]:
        return {"forwarded_on": self.forwarded_on.data, "kpk_reference": self.kpk_reference.data or ""}


class DecideForm(ActionForm):
    decision = SelectField(_l("Penetapan KPK"), validate_choice=False, validators=[DataRequired()])
    decision_number = StringField(
        _l("Nomor SK penetapan"),
        filters=[_strip],
        validators=[DataRequired(), max_length(REFERENCE_MAX), readable_line],
        render_kw={"maxlength": REFERENCE_MAX},
    )
    decision_date = DateField(_l("Tanggal SK"), validators=[InputRequired()], invalid_value_message=_INVALID_DATE)
    text = _note()
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.DECIDE])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [("", _l("Pilih penetapan")), *choices(DECISION_LABELS)]

    def validate_decision(self, field: Field) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Pilih dari daftar."))

    def extra_input(self) -> dict[str, object]:
        return {
            "decision": self.decision.data or "",
            "decision_number": self.decision_number.data or "",
            "decision_date": self.decision_date.data,
        }


class FinishForm(ActionForm):
    disposition = SelectField(_l("Apa yang terjadi dengan gratifikasi"), validate_choice=False)
    text = _note(_l("Keterangan (wajib untuk 'Lainnya')"))
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.FINISH])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.disposition.choices = [("", _l("Pilih")), *choices(DISPOSITION_LABELS)]

    def validate_disposition(self, field: Field) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Pilih dari daftar."))

    def extra_input(self) -> dict[str, object]:
        return {"disposition": self.disposition.data or ""}


class CloseIncompleteForm(ActionForm):
    confirm = BooleanField(
        _l("Saya memastikan pelapor tidak melengkapi laporan sampai batas waktu; laporan ditutup dan tidak diproses."),
        validators=[DataRequired(_l("Centang konfirmasi untuk menutup laporan."))],
    )
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.CLOSE_INCOMPLETE])


class NoteForm(ActionForm):
    text = _note(_l("Catatan internal (hanya UPG, tidak terlihat pelapor)"), required=True)
    submit = SubmitField(ACTION_BUTTON_LABELS[Action.NOTE])


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.REQUEST_COMPLETION: RequestCompletionForm,
    Action.COMPLETE: CompleteForm,
    Action.VERIFY: VerifyForm,
    Action.FORWARD: ForwardForm,
    Action.DECIDE: DecideForm,
    Action.FINISH: FinishForm,
    Action.CLOSE_INCOMPLETE: CloseIncompleteForm,
    Action.NOTE: NoteForm,
}
