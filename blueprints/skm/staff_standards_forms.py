"""The Tim SKM's forms for a version of a standar pelayanan and of the maklumat.

The fields only carry what was typed: services/skm/standards.py checks every one of them (readable text,
visible content, lengths, the effective date's rules) and its messages are put back on the fields, so the
page shows the same words whichever rule refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField

from zi_public.models import MaklumatPelayanan, StandarPelayanan
from zi_public.services.skm.standards import COMPONENT_LABELS, COMPONENTS, LIMITS, MaklumatInput, StandardInput


def _effective_on() -> StringField:
    # Text, not a DateField: the service reads the date, so a wrong one comes back as typed with its message.
    return StringField(_l("Berlaku mulai"), render_kw={"type": "date", "required": True})


def _text(label: object, name: str) -> TextAreaField:
    return TextAreaField(label, render_kw={"rows": 6, "maxlength": LIMITS[name], "required": True})


class _VersionForm(FlaskForm):
    def show_errors(self, errors: Mapping[str, object]) -> None:
        """Put the service's messages on the fields they concern."""
        for name, message in errors.items():
            self[name].errors = [*self[name].errors, str(message)]


class StandardForm(_VersionForm):
    effective_on = _effective_on()
    persyaratan = _text(COMPONENT_LABELS["persyaratan"], "persyaratan")
    prosedur = _text(COMPONENT_LABELS["prosedur"], "prosedur")
    jangka_waktu = _text(COMPONENT_LABELS["jangka_waktu"], "jangka_waktu")
    biaya = _text(COMPONENT_LABELS["biaya"], "biaya")
    produk = _text(COMPONENT_LABELS["produk"], "produk")
    pengaduan = _text(COMPONENT_LABELS["pengaduan"], "pengaduan")
    submit = SubmitField(_l("Simpan versi"))

    @classmethod
    def of(cls, version: StandarPelayanan | None, *, with_date: bool) -> StandardForm:
        """A form filled from a stored version (its date too when correcting it), not from the request."""
        data = {name: getattr(version, name) for name in COMPONENTS} if version is not None else {}
        if version is not None and with_date:
            data["effective_on"] = version.effective_on.isoformat()
        return cls(formdata=None, data=data)

    def to_input(self) -> StandardInput:
        return StandardInput(effective_on=self.effective_on.data, **{name: self[name].data for name in COMPONENTS})


class MaklumatForm(_VersionForm):
    effective_on = _effective_on()
    text = TextAreaField(_l("Isi maklumat"), render_kw={"rows": 10, "maxlength": LIMITS["text"], "required": True})
    signer_name = StringField(
        _l("Nama pejabat penanda tangan"), render_kw={"maxlength": LIMITS["signer_name"], "required": True}
    )
    signer_position = StringField(
        _l("Jabatan penanda tangan"), render_kw={"maxlength": LIMITS["signer_position"], "required": True}
    )
    submit = SubmitField(_l("Simpan versi"))

    @classmethod
    def of(cls, version: MaklumatPelayanan | None, *, with_date: bool) -> MaklumatForm:
        data: dict[str, object] = {}
        if version is not None:
            data = {
                "text": version.text,
                "signer_name": version.signer_name,
                "signer_position": version.signer_position,
            }
            if with_date:
                data["effective_on"] = version.effective_on.isoformat()
        return cls(formdata=None, data=data)

    def to_input(self) -> MaklumatInput:
        return MaklumatInput(
            effective_on=self.effective_on.data,
            text=self.text.data,
            signer_name=self.signer_name.data,
            signer_position=self.signer_position.data,
        )
