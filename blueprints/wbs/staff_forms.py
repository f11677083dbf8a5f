"""Forms of the Tim WBS's pages: the inbox filter (GET), one small CSRF form per action, the settings."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DateField, Field, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from zi_public.forms import max_length, readable_line, readable_text
from zi_public.ids import parse_id
from zi_public.labels import choices
from zi_public.rules.wbs import Action, Status
from zi_public.services.wbs.flow import NOTE_MAX, REFERENCE_MAX, ActionInput, MoveInput
from zi_public.services.wbs.inbox import InboxFilter
from zi_public.services.wbs.labels import CRITERIA_LABELS, HANDLING_LABELS, OUTCOME_LABELS, STATUS_LABELS
from zi_public.services.wbs.settings import LIMITS as TEXT_LIMITS
from zi_public.services.wbs.settings import PublicTexts
from zi_public.services.wbs.unseal import REASON_MAX

_ACCEPT = {"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _to_id(value: object) -> int | None:
    """A select value as a row id; None for anything that is not a plausible id (hostile or empty)."""
    return parse_id(value if isinstance(value, int) else str(value or ""))


class InboxFilterForm(FlaskForm):
    """The inbox filters (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validate_choice=False)
    category = SelectField(_l("Kategori"), validate_choice=False)
    overdue = BooleanField(_l("Hanya yang terlambat"))

    def __init__(self, *args: object, categories: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Semua status")), *choices(STATUS_LABELS)]
        self.category.choices = [("", _l("Semua kategori")), *categories]

    def _check_choice(self, field: Field) -> None:
        # A hand-made URL may name a value that is not offered; say so instead of showing "all".
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Pilih dari daftar."))

    validate_status = validate_category = _check_choice

    def to_filter(self) -> InboxFilter:
        return InboxFilter(
            status=Status(self.status.data) if self.status.data else None,
            category=self.category.data or "",
            overdue=bool(self.overdue.data),
        )

    def paging_args(self) -> dict[str, str]:
        """The filters as query arguments, for the pager links."""
        args = {key: self[key].data for key in ("status", "category")}
        if self.overdue.data:
            args["overdue"] = "y"
        return {key: value for key, value in args.items() if value}


def _note_field(label: object = None) -> TextAreaField:
    return TextAreaField(
        label or _l("Catatan internal (opsional, tidak terlihat pelapor)"),
        validators=[Optional(), max_length(NOTE_MAX), readable_text],
    )


class _ActionForm(FlaskForm):
    """Every action form: a CSRF token, a button and the service's input."""

    def to_input(self) -> ActionInput:
        return ActionInput(body=self.body.data or "")


class TelaahForm(_ActionForm):
    names_party = BooleanField(CRITERIA_LABELS["names_party"])
    describes_deviation = BooleanField(CRITERIA_LABELS["describes_deviation"])
    has_evidence = BooleanField(CRITERIA_LABELS["has_evidence"])
    body = _note_field()
    submit = SubmitField(_l("Simpan hasil telaah"))

    def to_input(self) -> ActionInput:
        return ActionInput(
            names_party=bool(self.names_party.data),
            describes_deviation=bool(self.describes_deviation.data),
            has_evidence=bool(self.has_evidence.data),
            body=self.body.data or "",
        )


class ReviseTelaahForm(TelaahForm):
    submit = SubmitField(_l("Perbarui hasil telaah"))


class FollowUpForm(_ActionForm):
    handling = SelectField(_l("Penanganan"), validate_choice=False)
    referred_on = DateField(
        _l("Tanggal pelimpahan (untuk APIP/APH)"),
        validators=[Optional()],
        invalid_value_message=_l("Tanggal tidak valid. Gunakan format TTTT-BB-HH, misalnya 2026-12-31."),
    )
    referral_reference = StringField(
        _l("Nomor surat pelimpahan (untuk APIP/APH)"),
        filters=[_strip],
        validators=[Optional(), max_length(REFERENCE_MAX), readable_line],
    )
    body = _note_field()
    submit = SubmitField(_l("Tindak lanjuti"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.handling.choices = [("", _l("Pilih penanganan")), *choices(HANDLING_LABELS)]

    def to_input(self) -> ActionInput:
        return ActionInput(
            handling=self.handling.data or "",
            referred_on=self.referred_on.data,
            referral_reference=self.referral_reference.data or "",
            body=self.body.data or "",
        )


class FinishForm(_ActionForm):
    outcome = SelectField(_l("Hasil"), validate_choice=False)
    body = _note_field()
    submit = SubmitField(_l("Selesaikan laporan"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = [("", _l("Pilih hasil")), *choices(OUTCOME_LABELS)]

    def to_input(self) -> ActionInput:
        return ActionInput(outcome=self.outcome.data or "", body=self.body.data or "")


class RejectForm(_ActionForm):
    body = TextAreaField(
        _l("Alasan penolakan (dikirim kepada pelapor sebagai pesan)"),
        validators=[Optional(), max_length(NOTE_MAX), readable_text],
    )
    submit = SubmitField(_l("Tolak: bukan perkara WBS"))


ACTION_FORMS: dict[Action, type[_ActionForm]] = {
    Action.TELAAH: TelaahForm,
    Action.FOLLOW_UP: FollowUpForm,
    Action.FINISH: FinishForm,
    Action.REJECT: RejectForm,
}
#: Which field a refusal of the flow is about, to show the message next to it too.
REFUSAL_FIELDS = {
    "body_required": "body",
    "body_too_long": "body",
    "body_unreadable": "body",
    "handling_required": "handling",
    "referred_on_required": "referred_on",
    "referred_on_future": "referred_on",
    "referred_on_before_received": "referred_on",
    "reference_required": "referral_reference",
    "reference_too_long": "referral_reference",
    "reference_unreadable": "referral_reference",
    "outcome_required": "outcome",
}


class _ConversationForm(FlaskForm):
    """A text for the conversation (its label says who reads it) and files; the subclass adds the text first."""

    def chosen_files(self) -> list:
        """The files actually chosen: a browser sends an empty part for an unused file input."""
        return [f for f in (self.files.data or []) if getattr(f, "filename", "")]


class MessageForm(_ConversationForm):
    body = TextAreaField(
        _l("Pesan kepada pelapor (terlihat oleh pelapor)"),
        validators=[DataRequired(), max_length(NOTE_MAX), readable_text],
    )
    files = MultipleFileField(_l("Lampiran (foto atau PDF, opsional)"), render_kw=_ACCEPT)
    submit = SubmitField(_l("Kirim pesan"))


class NoteForm(_ConversationForm):
    body = TextAreaField(
        _l("Catatan internal (hanya Tim WBS, tidak pernah terlihat pelapor)"),
        validators=[DataRequired(), max_length(NOTE_MAX), readable_text],
    )
    files = MultipleFileField(_l("Lampiran (foto atau PDF, opsional)"), render_kw=_ACCEPT)
    submit = SubmitField(_l("Simpan catatan"))


class MoveForm(FlaskForm):
    consent = SelectField(_l("Pesan pelapor yang berisi persetujuan"), coerce=_to_id, validate_choice=False)
    category = SelectField(_l("Kategori pengaduan"), validate_choice=False)
    title = StringField(_l("Judul pengaduan"), filters=[_strip], validators=[max_length(200), readable_line])
    description = TextAreaField(_l("Uraian pengaduan"), validators=[max_length(10_000), readable_text])
    note = TextAreaField(
        _l("Pesan kepada pelapor (nomor dan kode akses pengaduan ditambahkan otomatis)"),
        validators=[Optional(), max_length(NOTE_MAX), readable_text],
    )
    submit = SubmitField(_l("Pindahkan ke pengaduan (anonim)"))

    def __init__(
        self,
        *args: object,
        consent_choices: Sequence[tuple[int, str]] = (),
        categories: Sequence[tuple[str, str]] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.consent.choices = [("", _l("Pilih pesan pelapor"))] + list(consent_choices)
        self.category.choices = [("", _l("Pilih kategori"))] + list(categories)

    def to_input(self) -> MoveInput:
        return MoveInput(
            consent_message_id=self.consent.data,
            category=self.category.data or "",
            title=self.title.data or "",
            description=self.description.data or "",
            note_to_reporter=self.note.data or "",
        )


class UnsealRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan membuka identitas (dibaca anggota yang memutuskan)"),
        validators=[DataRequired(), max_length(REASON_MAX), readable_text],
    )
    submit = SubmitField(_l("Minta buka identitas"))


class UnsealDecisionForm(FlaskForm):
    approve = SubmitField(_l("Setujui"))
    refuse = SubmitField(_l("Tolak permintaan"))


class SettingsForm(FlaskForm):
    regulation_title = StringField(
        _l("Judul peraturan (mis. Peraturan Wali Kota tentang WBS)"),
        filters=[_strip],
        validators=[Optional(), max_length(TEXT_LIMITS["regulation_title"]), readable_line],
    )
    regulation_text = TextAreaField(
        _l("Isi pokok peraturan yang ditampilkan kepada publik"),
        validators=[Optional(), max_length(TEXT_LIMITS["regulation_text"]), readable_text],
        render_kw={"rows": 12},
    )
    sop_text = TextAreaField(
        _l("SOP penanganan WBS"),
        validators=[Optional(), max_length(TEXT_LIMITS["sop_text"]), readable_text],
        render_kw={"rows": 12},
    )
    submit = SubmitField(_l("Simpan"))

    def to_texts(self) -> PublicTexts:
        return PublicTexts(self.regulation_title.data or "", self.regulation_text.data or "", self.sop_text.data or "")
