"""The complaint form, shared by the public page and the kiosk, and the helpers both views use.

The form checks only what a browser sends: lengths, the date's format, readable text. Whether a
category exists, which identity fields are required, whether a date lies in the future: those are the
service's rules (zi_public.services.pengaduan.filing.validate), so every channel applies the same ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from wtforms.validators import DataRequired, InputRequired, Optional

from zi_public.forms import OneTimeForm, max_length, place_refusal, readable_line, readable_text
from zi_public.i18n import format_size
from zi_public.localtime import today_jakarta
from zi_public.models import Category, Layanan
from zi_public.security.uploads import UploadRejected
from zi_public.services.pengaduan.filing import LIMITS, InvalidPengaduan, PengaduanInput, validate
from zi_public.services.reference import active_categories, active_layanan, localized_name

IDENTITY_CHOICES = [
    SelectChoice(
        "terbuka", _l("Terbuka — nama Anda diketahui tim dan isi pengaduan dapat dipublikasikan tanpa data pribadi.")
    ),
    SelectChoice(
        "rahasia", _l("Rahasia — nama Anda hanya diketahui Tim Pengaduan dan isi pengaduan tidak dipublikasikan.")
    ),
    SelectChoice(
        "anonim", _l("Anonim — identitas Anda tidak disimpan sama sekali; pantau dengan nomor dan kode akses.")
    ),
]


class PengaduanForm(OneTimeForm):
    identity = RadioField(
        _l("Identitas pelapor"),
        choices=IDENTITY_CHOICES,
        default="terbuka",
        validate_choice=False,  # the service names the three choices in its message
        # Without InputRequired a request that leaves the choice out would silently mean "terbuka".
        validators=[InputRequired(message=_l("Pilih salah satu: terbuka, rahasia, atau anonim."))],
    )
    name = StringField(_l("Nama lengkap"), validators=[Optional(), max_length(LIMITS["name"]), readable_line])
    email = EmailField(_l("Email"), validators=[Optional(), max_length(LIMITS["email"]), readable_line])
    phone = StringField(
        _l("Nomor telepon/WhatsApp"),
        validators=[Optional(), max_length(LIMITS["phone"]), readable_line],
        render_kw={"type": "tel", "autocomplete": "tel"},
    )
    nik = StringField(
        _l("NIK (tidak wajib)"),
        validators=[Optional(), max_length(LIMITS["nik"]), readable_line],
        render_kw={"inputmode": "numeric"},
    )
    # Choices are checked by the service against the active catalogue (one message for every channel).
    category = SelectField(
        _l("Kategori"),
        validate_choice=False,
        validators=[DataRequired(message=_l("Pilih kategori pengaduan dari daftar.")), readable_line],
    )
    layanan = SelectField(_l("Layanan yang diadukan"), validate_choice=False, validators=[readable_line])
    title = StringField(
        _l("Judul pengaduan"),
        validators=[DataRequired(message=_l("Judul wajib diisi.")), max_length(LIMITS["title"]), readable_line],
    )
    description = TextAreaField(
        _l("Apa yang terjadi dan kerugian yang Anda alami"),
        validators=[
            DataRequired(message=_l("Uraian kejadian wajib diisi.")),
            max_length(LIMITS["description"]),
            readable_text,
        ],
    )
    requested_resolution = TextAreaField(
        _l("Penyelesaian yang Anda harapkan"), validators=[max_length(LIMITS["requested_resolution"]), readable_text]
    )
    location = StringField(_l("Tempat kejadian"), validators=[max_length(LIMITS["location"]), readable_line])
    incident_date = DateField(
        _l("Tanggal kejadian"),
        validators=[Optional()],
        invalid_value_message=_l("Tanggal tidak dikenali; isi dengan format hari/bulan/tahun."),
    )
    attachments = MultipleFileField(
        _l("Lampiran (foto atau PDF, paling banyak 5 berkas, masing-masing 10 MB)"),
        render_kw={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"},
    )
    submit = SubmitField(_l("Kirim pengaduan"))

    def __init__(
        self,
        *args,  # noqa: ANN002
        categories: Iterable[Category] = (),
        layanan: Iterable[Layanan] = (),
        locale: str = "id",
        today: date | None = None,
        **kwargs,  # noqa: ANN003
    ) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("— pilih kategori —"))] + [
            SelectChoice(c.code, localized_name(c, locale)) for c in categories
        ]
        self.layanan.choices = [SelectChoice("", _l("— pilih layanan (jika ada) —"))] + [
            SelectChoice(item.code, localized_name(item, locale)) for item in layanan
        ]
        if today is not None:
            self.incident_date.render_kw = {"max": today.isoformat()}

    def chosen_files(self) -> list:
        """The files actually chosen: a browser sends an empty part for an unused file input."""
        field = getattr(self, "attachments", None)  # the kiosk's form has none
        return [f for f in (field.data or []) if getattr(f, "filename", "")] if field is not None else []

    def to_input(self) -> PengaduanInput:
        """The form's values as the service's input."""
        return PengaduanInput(
            category=self.category.data or "",
            layanan=self.layanan.data or None,
            title=self.title.data or "",
            description=self.description.data or "",
            requested_resolution=self.requested_resolution.data or "",
            location=self.location.data or "",
            incident_date=self.incident_date.data,
            identity=self.identity.data or "",
            name=self.name.data,
            email=self.email.data,
            phone=self.phone.data,
            nik=self.nik.data,
        )


def complaint_form(form_class: type[PengaduanForm] = PengaduanForm) -> PengaduanForm:
    """The complaint form (or the kiosk's variant) with the active catalogues in the visitor's language."""
    form = form_class(
        categories=active_categories(),
        layanan=active_layanan(),
        locale=str(get_locale()),
        today=today_jakarta(),
    )
    if getattr(form, "attachments", None) is not None:
        cfg = current_app.config
        form.attachments.label.text = _(
            "Lampiran (foto atau PDF, paling banyak %(n)d berkas, masing-masing %(size)s)",
            n=int(cfg["PENGADUAN_MAX_ATTACHMENTS"]),
            size=format_size(int(cfg["UPLOAD_MAX_BYTES"])),
        )
    return form


def checked(form: PengaduanForm) -> bool:
    """Validate the form; when it fails, add the service's findings too, so one round shows all."""
    if form.validate():
        return True
    if "csrf_token" not in form.errors:
        errors, _category, _layanan = validate(without_unreadable_codes(form, form.to_input()), today_jakarta())
        show_errors(form, InvalidPengaduan(errors))
    return False


def without_unreadable_codes(form: PengaduanForm, data: PengaduanInput) -> PengaduanInput:
    """`data` without the category or layanan code the form found unreadable: the service looks the codes up in
    the database, never with such a one (a NUL byte breaks PostgreSQL's text parameters); the form's own message
    stays on the field."""
    if form.category.errors:
        data = dataclasses.replace(data, category="")
    if form.layanan.errors:
        data = dataclasses.replace(data, layanan=None)
    return data


def show_errors(form: PengaduanForm, exc: InvalidPengaduan | UploadRejected) -> None:
    """Put the service's or the upload check's messages on the fields they concern (the rest on the title)."""
    place_refusal(form, exc, "title")
