"""Forms of the Tim SKM's pages: a quarter's population (one field per layanan), its import, the weighting
switch, and a follow-up item.

The fields carry what was typed; the services check it (services/skm/population.py, follow_up.py) and their
messages are put back on the fields, so the page shows the same words whichever rule refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import Field, HiddenField, RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField

from zi_public.exports import XLSX_MIMETYPE
from zi_public.i18n import catalogue_name
from zi_public.labels import label
from zi_public.models import Layanan, SkmFollowUpItem
from zi_public.rules.skm import UNSUR
from zi_public.services.skm import follow_up
from zi_public.services.skm.follow_up import ItemInput
from zi_public.services.skm.labels import EXACT_WEIGHT_LABEL, LEGACY_WEIGHT_LABEL, UNSUR_NAMES

#: The form's value for each weighting (the setting is a bool).
EXACT, LEGACY = "exact", "legacy"
#: A date field's longest meaningful text (2026-12-31); anything longer is not a date.
_DATE_MAX = 10


class _ServiceErrors(FlaskForm):
    def show_errors(self, errors: Mapping[str, object], fields: Mapping[str, str] | None = None) -> None:
        """Put a service's messages on the fields they concern (`fields` maps a service key to a field name)."""
        for key, message in errors.items():
            name = (fields or {}).get(key, key)
            field = self._fields.get(name)
            if field is not None:
                field.errors = [*field.errors, str(message)]


def population_form(layanan: Sequence[Layanan], entered: Mapping[int, int], *, from_request: bool) -> FlaskForm:
    """One text field per layanan (`n<id>`): what the request typed (`from_request`), else the numbers
    entered so far."""

    class PopulationForm(_ServiceErrors):
        submit = SubmitField(_l("Simpan jumlah layanan"))

    for item in layanan:
        field = StringField(
            catalogue_name(item), render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20}
        )
        setattr(PopulationForm, field_name(item), field)
    data = {field_name(item): ("" if entered.get(item.id) is None else str(entered[item.id])) for item in layanan}
    return PopulationForm(data=data) if from_request else PopulationForm(formdata=None, data=data)


def field_name(item: Layanan) -> str:
    return f"n{item.id}"


def typed_numbers(form: FlaskForm, layanan: Sequence[Layanan]) -> dict[Layanan, object]:
    """What was typed for each layanan ("" for an empty field: not entered)."""
    return {item: _text(form[field_name(item)]) for item in layanan}


class ImportForm(FlaskForm):
    """A filled-in xlsx of paper forms: the SKM's and a perception questionnaire's."""

    file = FileField(
        _l("Berkas xlsx yang sudah diisi"),
        validators=[FileRequired(_l("Pilih berkas xlsx yang akan diimpor."))],
        render_kw={"accept": f".xlsx,{XLSX_MIMETYPE}"},
    )
    submit = SubmitField(_l("Periksa dan impor"))


class PopulationImportForm(FlaskForm):
    file = FileField(_l("Berkas jumlah layanan (xlsx atau CSV)"), render_kw={"accept": ".xlsx,.csv,text/csv"})
    submit = SubmitField(_l("Impor"))


class WeightingForm(FlaskForm):
    weighting = RadioField(
        _l("Pembobotan NRR"),
        choices=[SelectChoice(EXACT, EXACT_WEIGHT_LABEL), SelectChoice(LEGACY, LEGACY_WEIGHT_LABEL)],
        validate_choice=True,
    )
    submit = SubmitField(_l("Simpan pembobotan"))


def _date_field(text: object) -> StringField:
    # Text, not a DateField: the form reads the date itself, so a wrong one comes back as typed with its message.
    return StringField(text, render_kw={"type": "date", "maxlength": _DATE_MAX})


def parse_day(value: str | None) -> date | None | Exception:
    """An ISO date from a date field: the date, None when empty, or a ValueError to show."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if len(text) != _DATE_MAX:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        return ValueError(_l("Tulis tanggal seperti 2026-12-31."))


class FollowUpForm(_ServiceErrors):
    unsur = SelectField(_l("Unsur"), choices=[], validate_choice=False)
    layanan = SelectField(_l("Layanan"), choices=[], validate_choice=False)
    action = TextAreaField(
        _l("Rencana perbaikan"), render_kw={"rows": 4, "maxlength": follow_up.ACTION_MAX, "required": True}
    )
    owner = StringField(_l("Penanggung jawab"), render_kw={"maxlength": follow_up.OWNER_MAX, "required": True})
    due_on = _date_field(_l("Batas waktu"))
    progress = TextAreaField(_l("Progres"), render_kw={"rows": 3, "maxlength": follow_up.PROGRESS_MAX})
    evidence = TextAreaField(_l("Bukti (uraian)"), render_kw={"rows": 3, "maxlength": follow_up.EVIDENCE_MAX})
    done_on = _date_field(_l("Tanggal selesai"))
    files = MultipleFileField(_l("Berkas bukti (foto, PDF atau dokumen; opsional)"))
    version = HiddenField()
    submit = SubmitField(_l("Simpan tindak lanjut"))

    def offer(self, layanan: Sequence[Layanan]) -> FollowUpForm:
        """Fill the choices: the nine unsur, the whole office or one layanan."""
        self.unsur.choices = [("", _l("Pilih unsur"))] + [
            (code, f"{code} {label(UNSUR_NAMES, code)}") for code in UNSUR
        ]
        self.layanan.choices = [("", _l("Seluruh layanan (kantor)"))] + [(i.code, catalogue_name(i)) for i in layanan]
        return self

    @classmethod
    def of(cls, item: SkmFollowUpItem) -> FollowUpForm:
        """A form filled from a stored item (not from the request)."""
        return cls(
            formdata=None,
            data={
                "unsur": item.unsur,
                "layanan": item.layanan.code if item.layanan else "",
                "action": item.action,
                "owner": item.owner,
                "due_on": item.due_on.isoformat() if item.due_on else "",
                "progress": item.progress,
                "evidence": item.evidence,
                "done_on": item.done_on.isoformat() if item.done_on else "",
                "version": follow_up.item_version(item),
            },
        )

    def to_input(self) -> ItemInput | None:
        """What was typed, for the service; None (with the messages on the date fields) for a date that is none."""
        days: dict[str, date | None] = {}
        for name in ("due_on", "done_on"):
            value = parse_day(self[name].data)
            if isinstance(value, Exception):
                self[name].errors = [*self[name].errors, str(value.args[0])]
            else:
                days[name] = value
        if len(days) < 2:
            return None
        return ItemInput(
            unsur=_text(self.unsur),
            action=_text(self.action),
            owner=_text(self.owner),
            due_on=days["due_on"],
            layanan=_text(self.layanan) or None,
            progress=_text(self.progress),
            evidence=_text(self.evidence),
            done_on=days["done_on"],
        )

    def chosen_files(self) -> list:
        return [f for f in self.files.data or [] if getattr(f, "filename", "")]


def _text(field: Field) -> str:
    return field.data if isinstance(field.data, str) else ""
