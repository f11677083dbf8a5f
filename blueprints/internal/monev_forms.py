"""The forms of the semester monev page (blueprints/internal/monev.py)."""

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


class TextForm(FlaskForm):
    text = TextAreaField(
        _l("Evaluasi semester"),
        validators=[DataRequired(_l("Wajib diisi.")), max_length(evaluations.TEXT_MAX), readable_text],
    )
    version = HiddenField(_l("Versi halaman"), validators=[_version_present])
    submit = SubmitField(_l("Simpan evaluasi"))


class ItemForm(FlaskForm):
    item = TextAreaField(
        _l("Rekomendasi"),
        validators=[DataRequired(_l("Wajib diisi.")), max_length(evaluations.ITEM_MAX), readable_text],
    )
    owner = StringField(
        _l("Penanggung jawab"),
        validators=[DataRequired(_l("Wajib diisi.")), max_length(evaluations.OWNER_MAX), readable_line],
    )
    due_on = DateField(_l("Batas waktu"), validators=[Optional()])
    submit = SubmitField(_l("Tambah rekomendasi"))


class ItemEditForm(ItemForm):
    version = HiddenField(_l("Versi halaman"), validators=[_version_present])
    submit = SubmitField(_l("Simpan perubahan"))


class ItemUpdateForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(key, label) for key, label in evaluations.STATUS_LABELS.items()],
        validators=[DataRequired(_l("Pilih status."))],
    )
    evidence = TextAreaField(
        _l("Bukti / hasil tindak lanjut"), validators=[max_length(evaluations.EVIDENCE_MAX), readable_text]
    )
    version = HiddenField(_l("Versi halaman"), validators=[_version_present])
    submit = SubmitField(_l("Simpan tindak lanjut"))


class FinalForm(FlaskForm):
    confirm = BooleanField(
        _l("Saya mengerti: setelah final, evaluasi dan rekomendasi tidak dapat diubah lagi kecuali dengan versi baru."),
        validators=[DataRequired(_l("Centang pernyataan ini untuk menetapkan final."))],
    )
    version = HiddenField(_l("Versi halaman"), validators=[_version_present])
    submit = SubmitField(_l("Tetapkan sebagai final"))


class NewVersionForm(FlaskForm):
    version = HiddenField(_l("Versi halaman"), validators=[_version_present])
    submit = SubmitField(_l("Buat versi baru"))
