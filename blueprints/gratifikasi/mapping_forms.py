"""Forms of the UPG's mapping pages: a mapping row (add and edit), the January copy, the retirement.

The fields carry what was typed; the service (services/gratifikasi/benturan_mapping.py) checks it and its
messages are put back on the fields, so the page shows the same words whichever rule refused. The views
check the CSRF token themselves (`token_valid`), so an expired page comes back with everything typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, SelectField, StringField, SubmitField, TextAreaField

from zi_public.i18n import catalogue_name
from zi_public.labels import label
from zi_public.models import Bidang, Layanan
from zi_public.models.benturan import ConflictMapping
from zi_public.rules.benturan import ConflictType, Risk
from zi_public.services.gratifikasi import benturan_mapping as mapping
from zi_public.services.gratifikasi.benturan_labels import CONFLICT_TYPE_LABELS, RISK_LABELS
from zi_public.services.gratifikasi.benturan_mapping import MappingInput

INCOMPLETE = _l("Formulir tidak lengkap. Buka lagi halaman ini lalu kirim ulang.")


class MappingForm(FlaskForm):
    task = StringField(
        _l("Tugas / proses"), render_kw={"maxlength": mapping.LIMITS["task"], "required": True, "autocomplete": "off"}
    )
    layanan = SelectField(_l("Layanan"), choices=[], validate_choice=False)
    bidang = SelectField(_l("Bidang"), choices=[], validate_choice=False)
    conflict_type = SelectField(_l("Jenis benturan"), choices=[], validate_choice=False)
    description = TextAreaField(
        _l("Potensi benturan kepentingan"),
        render_kw={"rows": 4, "maxlength": mapping.LIMITS["description"], "required": True},
    )
    risk = SelectField(_l("Risiko"), choices=[], validate_choice=False)
    control = TextAreaField(_l("Pengendalian yang ada"), render_kw={"rows": 3, "maxlength": mapping.LIMITS["control"]})
    version = HiddenField()
    submit = SubmitField(_l("Simpan"))

    def offer(
        self, layanan: Sequence[Layanan], bidang: Sequence[Bidang], row: ConflictMapping | None = None
    ) -> MappingForm:
        """Fill the choices: the active catalogue rows (and the row's own, should the catalogue have retired it)."""
        layanan, bidang = list(layanan), list(bidang)
        if row is not None and row.layanan is not None and row.layanan not in layanan:
            layanan.append(row.layanan)
        if row is not None and row.bidang is not None and row.bidang not in bidang:
            bidang.append(row.bidang)
        self.layanan.choices = [("", _l("Tidak terkait satu layanan"))] + [(i.code, catalogue_name(i)) for i in layanan]
        self.bidang.choices = [("", _l("Seluruh kantor"))] + [(i.code, catalogue_name(i)) for i in bidang]
        self.conflict_type.choices = [("", _l("Pilih jenis"))] + [
            (str(value), label(CONFLICT_TYPE_LABELS, value)) for value in ConflictType
        ]
        self.risk.choices = [("", _l("Pilih risiko"))] + [(str(value), label(RISK_LABELS, value)) for value in Risk]
        return self

    @classmethod
    def of(cls, row: ConflictMapping) -> MappingForm:
        """A form filled from a stored row (not from the request)."""
        return cls(
            formdata=None,
            data={
                "task": row.task,
                "layanan": row.layanan.code if row.layanan else "",
                "bidang": row.bidang.code if row.bidang else "",
                "conflict_type": str(row.conflict_type),
                "description": row.description,
                "risk": str(row.risk),
                "control": row.control,
                "version": mapping.row_version(row),
            },
        )

    def to_input(self) -> MappingInput:
        return MappingInput(
            task=_text(self.task),
            layanan=_text(self.layanan),
            bidang=_text(self.bidang),
            conflict_type=_text(self.conflict_type),
            description=_text(self.description),
            risk=_text(self.risk),
            control=_text(self.control),
        )

    def show_errors(self, errors: Mapping[str, object]) -> None:
        """Put the service's messages on the fields they concern (the others at the form's top)."""
        for key, message in errors.items():
            field = self._fields.get(key) or self.task
            field.errors = [*field.errors, str(message)]


class CopyForm(FlaskForm):
    """The January copy: the year it copies into, so a bare POST (or one for another year) does nothing."""

    year = HiddenField()
    submit = SubmitField(_l("Salin pemetaan tahun lalu"))

    def names(self, year: int) -> bool:
        value = _text(self.year).strip()
        if value != str(year):
            self.year.errors = [*self.year.errors, str(INCOMPLETE)]
            return False
        return True


class RetireForm(FlaskForm):
    """The retirement's confirmation: the row's version when the page was opened (a bare POST does nothing)."""

    version = HiddenField()
    submit = SubmitField(_l("Ya, hentikan baris ini"))

    def opened_version(self) -> str | None:
        value = _text(self.version)
        if not value or len(value) > 40:
            self.version.errors = [*self.version.errors, str(INCOMPLETE)]
            return None
        return value


def _text(field: Field) -> str:
    return field.data if isinstance(field.data, str) else ""
