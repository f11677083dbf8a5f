"""The admin's form for working-day overrides."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from zi_public.services.calendar import REASON_MAX_LENGTH

#: Years the calendar page shows and accepts; beyond them the holiday data means nothing.
MIN_YEAR, MAX_YEAR = 2000, 2100

KIND_OFF, KIND_WORKING = "libur", "kerja"


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class _DateField(DateField):
    """A blank date is 'missing' (InputRequired's message), not 'invalid' as well."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata([value.strip() for value in valuelist])


class OverrideForm(FlaskForm):
    day = _DateField(
        _l("Tanggal"),
        validators=[InputRequired(message=_l("Isi tanggal."))],
        invalid_value_message=_l("Tanggal tidak valid. Gunakan format TTTT-BB-HH, misalnya 2026-12-31."),
    )
    kind = RadioField(
        _l("Jadikan tanggal ini"),
        choices=[
            SelectChoice(KIND_OFF, _l("Hari libur")),
            SelectChoice(KIND_WORKING, _l("Hari kerja")),
        ],
        default=KIND_OFF,
        validators=[InputRequired(message=_l("Pilih hari libur atau hari kerja."))],
        invalid_choice_message=_l("Pilih hari libur atau hari kerja."),
    )
    reason = StringField(
        _l("Alasan"),
        validators=[
            DataRequired(message=_l("Isi alasannya, misalnya nomor SKB atau surat edaran.")),
            Length(max=REASON_MAX_LENGTH, message=_l("Alasan paling banyak %(max)d karakter.")),
        ],
        filters=[_strip],
    )
    submit = SubmitField(_l("Simpan pengecualian"))

    def validate_day(self, field: _DateField) -> None:
        if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
            raise ValidationError(_l("Tahun harus antara %(min)d dan %(max)d.", min=MIN_YEAR, max=MAX_YEAR))

    @property
    def is_working_day(self) -> bool:
        return self.kind.data == KIND_WORKING
