"""The reporter's forms at /gratifikasi: the report, the look-up of a report, the guide's date, and the query
behind the live deadline panel (GET /gratifikasi/tenggat).

The forms check what a browser sends (lengths, readable text, a real date); what a report must hold is the
service's rule (zi_public.services.gratifikasi.filing.validate), the same for the API. A report is never
refused for being late or for an exempt category: the panel only tells the reporter.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from zi_public.forms import OneTimeForm, max_length, place_refusal, readable_line, readable_text
from zi_public.i18n import format_size
from zi_public.rules import case_numbers
from zi_public.rules.gratifikasi import GiftLocation, GiftType, Kind, parse_rupiah
from zi_public.rules.gratifikasi_regulations import category_codes, regulation_on, regulations
from zi_public.rules.periods import MIN_YEAR
from zi_public.security import codes, office
from zi_public.security.uploads import UploadRejected
from zi_public.services.gratifikasi.filing import LIMITS, GratifikasiInput, InvalidGratifikasi, validate
from zi_public.services.gratifikasi.labels import GIFT_LOCATION_LABELS, GIFT_TYPE_LABELS

ACCEPT = ",".join(
    ["image/jpeg,image/png,image/gif,image/webp,application/pdf", ".docx,.xlsx,.pptx,.odt,.ods,.odp"]
    + sorted(office.CONTENT_TYPES)
)
#: The reporter's choice between a gift received and a gift refused, said as a whole sentence.
KIND_CHOICES = [
    SelectChoice(Kind.DITERIMA.value, _l("Saya menerima pemberian ini")),
    SelectChoice(Kind.DITOLAK.value, _l("Saya menolak pemberian ini")),
]
BAD_DATE = _l("Tanggal tidak dikenali; isi dengan format hari/bulan/tahun.")


def _line(label: object, field: str, *, required: str | None = None, **render_kw: str) -> StringField:
    validators = [max_length(LIMITS[field]), readable_line]
    if required:
        validators.insert(0, DataRequired(message=required))
    return StringField(label, validators=validators, render_kw=render_kw or None)


class GratifikasiForm(OneTimeForm):
    nik = _line(_l("NIK"), "nik", required=_l("Wajib diisi."), inputmode="numeric", autocomplete="off")
    name = _line(_l("Nama lengkap"), "name", required=_l("Wajib diisi."), autocomplete="name")
    position = _line(_l("Jabatan"), "position", required=_l("Wajib diisi."))
    unit = _line(_l("Unit kerja"), "unit", required=_l("Wajib diisi."))
    phone = _line(_l("Nomor telepon/WhatsApp"), "phone", required=_l("Wajib diisi."), type="tel", autocomplete="tel")
    email = EmailField(_l("Email (tidak wajib)"), validators=[Optional(), max_length(LIMITS["email"]), readable_line])
    address = TextAreaField(
        _l("Alamat rumah"),
        validators=[DataRequired(message=_l("Wajib diisi.")), max_length(LIMITS["address"]), readable_text],
        render_kw={"rows": 2},
    )
    kind = RadioField(
        _l("Pemberian ini Anda terima atau tolak?"),
        choices=KIND_CHOICES,
        default=Kind.DITERIMA.value,
        validate_choice=False,  # the service names the two choices in its message
        validators=[InputRequired(message=_l("Pilih: diterima atau ditolak.")), readable_line],
    )
    giver_name = _line(_l("Nama lengkap pemberi"), "giver_name", required=_l("Wajib diisi."))
    giver_institution = _line(_l("Instansi atau perusahaan pemberi (tidak wajib)"), "giver_institution")
    giver_relationship = _line(_l("Hubungan Anda dengan pemberi"), "giver_relationship", required=_l("Wajib diisi."))
    gift_type = SelectField(_l("Jenis gratifikasi"), validate_choice=False, validators=[readable_line])
    gift_description = _line(_l("Uraian pemberian (tidak wajib)"), "gift_description")
    value_idr = StringField(
        _l("Perkiraan nilai (Rupiah)"),
        validators=[Length(max=40, message=_l("Paling banyak %(n)d karakter.", n=40)), readable_line],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    received_on = DateField(
        _l("Tanggal diterima atau ditolak"), validators=[Optional()], invalid_value_message=BAD_DATE
    )
    place = _line(_l("Tempat"), "place", required=_l("Wajib diisi."))
    occasion = _line(_l("Dalam rangka (tidak wajib)"), "occasion")
    chronology = TextAreaField(
        _l("Kronologi kejadian"),
        validators=[DataRequired(message=_l("Wajib diisi.")), max_length(LIMITS["chronology"]), readable_text],
        render_kw={"rows": 6},
    )
    gift_location = RadioField(
        _l("Di mana pemberian itu sekarang?"), validate_choice=False, validators=[Optional(), readable_line]
    )
    exemption_code = SelectField(
        _l("Kategori yang menurut Anda mungkin dikecualikan (tidak wajib)"),
        validate_choice=False,
        validators=[readable_line],
    )
    attachments = MultipleFileField(_l("Bukti"), render_kw={"accept": ACCEPT})
    preview = SubmitField(_l("Hitung tenggat"))
    submit = SubmitField(_l("Kirim laporan"))

    def __init__(self, *args, today: date, locale: str = "id", **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        self.gift_type.choices = [SelectChoice("", _l("— pilih jenis gratifikasi —"))] + [
            SelectChoice(gift.value, GIFT_TYPE_LABELS[gift]) for gift in GiftType
        ]
        self.gift_location.choices = [SelectChoice(place.value, GIFT_LOCATION_LABELS[place]) for place in GiftLocation]
        self.exemption_code.choices = exemption_choices(today, locale)
        self.received_on.render_kw = {"max": today.isoformat(), "min": f"{MIN_YEAR}-01-01"}

    def chosen_files(self) -> list:
        """The files actually chosen: a browser sends an empty part for an unused file input."""
        return [f for f in (self.attachments.data or []) if getattr(f, "filename", "")]

    def is_refused(self) -> bool:
        return self.kind.data == Kind.DITOLAK

    def to_input(self) -> GratifikasiInput:
        """The form's values as the service's input (where a refused gift is now means nothing: it was never held)."""
        return GratifikasiInput(
            kind=self.kind.data or "",
            nik=self.nik.data or "",
            name=self.name.data or "",
            position=self.position.data or "",
            unit=self.unit.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            address=self.address.data or "",
            giver_name=self.giver_name.data or "",
            giver_institution=self.giver_institution.data or "",
            giver_relationship=self.giver_relationship.data or "",
            gift_type=self.gift_type.data or "",
            gift_description=self.gift_description.data or "",
            value_idr=self.value_idr.data or "",
            received_on=self.received_on.data,
            place=self.place.data or "",
            occasion=self.occasion.data or "",
            chronology=self.chronology.data or "",
            gift_location="" if self.is_refused() else (self.gift_location.data or ""),
            exemption_code=self.exemption_code.data or "",
        )


def exemption_choices(today: date, locale: str) -> list[SelectChoice]:
    """The exempt categories of the regulation in force `today`, then those removed by then (marked as such)."""
    regulation = regulation_on(today)
    choices = [SelectChoice("", _l("— tidak ada / tidak tahu —"))]
    choices += [SelectChoice(item.code, item.title.get(locale)) for item in regulation.exemptions]
    current = {item.code for item in regulation.exemptions}
    for later in regulations():
        if later.in_force_from is None or later.in_force_from > today:
            continue
        for item in later.removed:
            if item.code not in current:
                words = _(
                    "%(title)s (dihapus oleh %(regulation)s)",
                    title=item.title.get(locale),
                    regulation=later.short.get(locale),
                )
                choices.append(SelectChoice(item.code, words))
    return choices


def report_form(today: date, locale: str) -> GratifikasiForm:
    """The report form with today's categories in the visitor's language and the upload limits."""
    form = GratifikasiForm(today=today, locale=locale)
    cfg = current_app.config
    form.attachments.label.text = _(
        "Bukti (foto, PDF atau dokumen kantor, paling banyak %(n)d berkas, masing-masing %(size)s)",
        n=int(cfg["GRATIFIKASI_MAX_ATTACHMENTS"]),
        size=format_size(int(cfg["UPLOAD_MAX_BYTES"])),
    )
    return form


def checked(form: GratifikasiForm, today: date) -> bool:
    """Validate the form; when it fails, add the service's findings too, so one round shows all."""
    if form.validate():
        return True
    if "csrf_token" not in form.errors:
        data = form.to_input()
        if form.exemption_code.errors:  # never a code the form found unreadable
            data = dataclasses.replace(data, exemption_code="")
        show_errors(form, InvalidGratifikasi(validate(data, today)))
    return False


def show_errors(form: GratifikasiForm, exc: InvalidGratifikasi | UploadRejected) -> None:
    """Put the service's or the upload check's messages on the fields they concern (the rest on the chronology)."""
    place_refusal(form, exc, "chronology")


class StatusForm(FlaskForm):
    """Number and access code: the reporter's only key to their report (posted, never in a URL)."""

    number = StringField(
        _l("Nomor laporan"),
        validators=[
            DataRequired(message=_l("Isi nomor laporan.")),
            Length(max=case_numbers.MAX_LENGTH, message=_l("Nomor terlalu panjang.")),
            readable_line,
        ],
        render_kw={"placeholder": case_numbers.example("gratifikasi"), "autocomplete": "off", "spellcheck": "false"},
    )
    access_code = StringField(
        _l("Kode akses"),
        validators=[DataRequired(message=_l("Isi kode akses.")), Length(max=100), readable_line],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    submit = SubmitField(_l("Lihat status"))

    def validate_number(self, field: StringField) -> None:
        # Format only: says nothing about whether such a report exists.
        if not case_numbers.is_number(field.data, "gratifikasi"):
            raise ValidationError(_l("Nomor laporan berbentuk GRT-tahun-6 angka, misalnya GRT-2026-000123."))

    def validate_access_code(self, field: StringField) -> None:
        try:
            codes.parse_access_code(field.data or "")
        except codes.InvalidCode as exc:
            raise ValidationError(exc.message) from exc


class _QueryForm(FlaskForm):
    """A GET form read from the query string: no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False


class GuideDateForm(_QueryForm):
    """The guide's "rules in force on" date (?tanggal=)."""

    tanggal = DateField(_l("Tanggal pemberian"), validators=[Optional()], invalid_value_message=BAD_DATE)

    def __init__(self, *args, today: date, **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_tanggal(self, field: DateField) -> None:
        if field.data is not None and not MIN_YEAR <= field.data.year <= self.today.year + 1:
            raise ValidationError(_l("Tanggal di luar jangkauan."))


@dataclasses.dataclass(frozen=True)
class DeadlineQuery:
    """The parameters of GET /gratifikasi/tenggat, checked."""

    kind: Kind
    received_on: date
    gift_type: str  # "" or a GiftType value
    value_idr: int | None
    exemption: str  # "" or a category code


class BadQuery(ValueError):
    """A parameter of /gratifikasi/tenggat that cannot be used: `field` and a message for the reporter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field)
        self.field = field
        self.message = message


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_received_on(text: str, today: date) -> date:
    """A date typed as YYYY-MM-DD, not after `today` and not before MIN_YEAR; ValueError with the message."""
    if not text:
        raise ValueError(_("Isi tanggal penerimaan (atau penolakan)."))
    try:
        day = date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(str(BAD_DATE))
    if day > today:
        raise ValueError(_("Tanggal tidak boleh setelah hari ini."))
    if day.year < MIN_YEAR:
        raise ValueError(_("Tanggal terlalu lama."))
    return day


def parse_deadline_query(args: Mapping[str, str], today: date) -> DeadlineQuery:
    """The query of /gratifikasi/tenggat; BadQuery names the first parameter that cannot be used."""
    values = {name: args.get(name, "") for name in ("kind", "received_on", "gift_type", "value", "exemption")}
    for name, text in values.items():
        if len(text) > 40:
            raise BadQuery(name, _("Isian terlalu panjang."))
    if values["kind"] not in {kind.value for kind in Kind}:
        raise BadQuery("kind", _("Pilih: diterima atau ditolak."))
    try:
        received_on = parse_received_on(values["received_on"], today)
    except ValueError as exc:
        raise BadQuery("received_on", str(exc)) from None
    if values["gift_type"] and values["gift_type"] not in {gift.value for gift in GiftType}:
        raise BadQuery("gift_type", _("Pilih jenis gratifikasi dari daftar."))
    value = parse_rupiah(values["value"]) if values["value"].strip() else None
    if values["value"].strip() and value is None:
        raise BadQuery("value", _("Tulis nilai dalam Rupiah dengan angka, misalnya 1.500.000."))
    if values["exemption"] and values["exemption"] not in category_codes():
        raise BadQuery("exemption", _("Pilih kategori dari daftar."))
    return DeadlineQuery(Kind(values["kind"]), received_on, values["gift_type"], value, values["exemption"])


def query_of_form(form: GratifikasiForm, today: date) -> DeadlineQuery | None:
    """The deadline panel's input from what the reporter typed in the form (None: no usable date yet)."""
    kind = form.kind.data if form.kind.data in {k.value for k in Kind} else Kind.DITERIMA.value
    received_on = form.received_on.data
    if received_on is None or received_on > today or received_on.year < MIN_YEAR:
        return None
    gift_type = form.gift_type.data if form.gift_type.data in {g.value for g in GiftType} else ""
    exemption = form.exemption_code.data if form.exemption_code.data in category_codes() else ""
    return DeadlineQuery(Kind(kind), received_on, gift_type, parse_rupiah(form.value_idr.data or ""), exemption)
