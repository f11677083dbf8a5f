"""The filter form of the audit-log page (GET, no CSRF: it changes nothing)."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError
from wtforms.widgets import DateInput

from zi_public.services.audit_query import AuditFilter

# ASCII digits only: \d would also accept other scripts' digits.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Far from date.min/date.max, so the day after and the time-zone shift cannot overflow.
_MIN_YEAR, _MAX_YEAR = 2000, 2999

_BAD_DATE = _l("Tanggal tidak valid: gunakan format TTTT-BB-HH, tahun 2000–2999.")
_BAD_USERNAME = _l("Nama pengguna hanya berisi huruf, angka, titik, garis bawah dan tanda hubung.")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _parse_date(value: str | None) -> date | None:
    if not value or not _ISO_DATE.fullmatch(value):
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if _MIN_YEAR <= parsed.year <= _MAX_YEAR else None


def _valid_date(form: FlaskForm, field: Field) -> None:
    if field.data and _parse_date(field.data) is None:
        raise ValidationError(_BAD_DATE)


def _date_field(label: str) -> StringField:
    # A text field with a date widget: the browser offers a picker, and the message on bad
    # input is ours (WTForms has no Indonesian catalogue).
    return StringField(label, widget=DateInput(), filters=[_strip], validators=[Optional(), _valid_date])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField(
        _l("Pelaku (nama pengguna)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=80, message=_l("Nama pengguna terlalu panjang.")),
            Regexp(r"^[A-Za-z0-9._@-]+$", message=_BAD_USERNAME),
        ],
    )
    action = SelectField(_l("Tindakan"), validate_choice=False)
    date_from = _date_field(_l("Dari tanggal"))
    date_to = _date_field(_l("Sampai tanggal"))

    def __init__(self, *args: object, actions: list[str], prefixes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = (
            [("", _l("Semua tindakan"))]
            + [(prefix, _l("%(group)s* (semua)", group=prefix)) for prefix in prefixes]
            + [(action, action) for action in actions]
        )

    def validate_action(self, field: Field) -> None:
        # A hand-made URL may name an action that is not in the list; say so rather than
        # show a select that silently reads "all".
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Pilih tindakan dari daftar."))

    def validate_date_to(self, field: Field) -> None:
        start, end = _parse_date(self.date_from.data), _parse_date(field.data)
        if start and end and start > end:
            raise ValidationError(_l("Tanggal akhir tidak boleh sebelum tanggal awal."))

    def to_filter(self) -> AuditFilter:
        """The validated values as a service filter."""
        return AuditFilter(
            actor=self.actor.data or "",
            action=self.action.data or "",
            date_from=_parse_date(self.date_from.data),
            date_to=_parse_date(self.date_to.data),
        )
