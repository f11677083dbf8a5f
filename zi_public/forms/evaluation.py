"""The forms of a period evaluation's page (services/evaluations.py), shared by the semester monev
(blueprints/internal/monev.py) and the quarterly evaluations of the UPG and the Tim WBS
(blueprints/evaluation_pages.py): the text, a follow-up item and its follow-up, marking final and opening a new
version. Each page names the text, the item and what marking final locks in its own words (`text_form`,
`item_form`, `final_form`); the rest reads the same on all.

Every form that changes what a colleague may have changed carries the version its page was opened with
(`version`), so the service refuses a save over a newer one instead of losing it.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from zi_public.forms import max_length, readable_line, readable_text
from zi_public.services import evaluations

_VERSION = re.compile(r"[0-9T:.\-]{0,32}")


def _version_present(form: FlaskForm, field: HiddenField) -> None:
    """The version the page was opened with: present (empty before the first save) and well formed."""
    if not field.raw_data or not _VERSION.fullmatch(field.raw_data[0] or ""):
        raise ValidationError(_l("Formulir tidak lengkap. Muat ulang halaman lalu kirim lagi."))


def version_field() -> HiddenField:
    """The page's version of what the form changes (evaluation_version or item_version when it was opened)."""
    return HiddenField(_l("Versi halaman"), validators=[_version_present])


def with_version(form: FlaskForm, version: str) -> FlaskForm:
    """`form` (a fresh one, not posted) carrying `version`, the version of what it changes as the page shows it."""
    form.version.data = version
    return form


def text_form(label: str) -> type[FlaskForm]:
    """The form of the evaluation's text, labelled `label` ("Evaluasi semester", "Evaluasi triwulan")."""

    class TextForm(FlaskForm):
        text = TextAreaField(
            label, validators=[DataRequired(_l("Wajib diisi.")), max_length(evaluations.TEXT_MAX), readable_text]
        )
        version = version_field()
        submit = SubmitField(_l("Simpan evaluasi"))

    return TextForm


def item_form(label: str, submit_label: str) -> type[FlaskForm]:
    """The form that adds a follow-up item: its text (labelled `label`: "Rekomendasi", "Tindak lanjut"), owner
    and due date, sent by a button reading `submit_label`."""

    class ItemForm(FlaskForm):
        item = TextAreaField(
            label, validators=[DataRequired(_l("Wajib diisi.")), max_length(evaluations.ITEM_MAX), readable_text]
        )
        owner = StringField(
            _l("Penanggung jawab"),
            validators=[DataRequired(_l("Wajib diisi.")), max_length(evaluations.OWNER_MAX), readable_line],
        )
        due_on = DateField(_l("Tenggat"), validators=[Optional()])
        submit = SubmitField(submit_label)

    return ItemForm


class ItemUpdateForm(FlaskForm):
    """Where a follow-up item stands: its status and the evidence of what was done."""

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(key, label) for key, label in evaluations.STATUS_LABELS.items()],
        validators=[DataRequired(_l("Pilih status."))],
    )
    evidence = TextAreaField(
        _l("Bukti / hasil tindak lanjut"), validators=[max_length(evaluations.EVIDENCE_MAX), readable_text]
    )
    version = version_field()
    submit = SubmitField(_l("Simpan tindak lanjut"))


def final_form(label: str) -> type[FlaskForm]:
    """The form that marks the current version final, confirmed by ticking `label` (what the page's final version
    locks, in the page's words)."""

    class FinalForm(FlaskForm):
        confirm = BooleanField(label, validators=[DataRequired(_l("Centang pernyataan ini untuk menetapkan final."))])
        version = version_field()
        submit = SubmitField(_l("Tetapkan sebagai final"))

    return FinalForm


class NewVersionForm(FlaskForm):
    version = version_field()
    submit = SubmitField(_l("Buat versi baru"))
