"""The complaint form, shared by the web page and the kiosk."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from zi_public.services.pengaduan import LIMITS, PengaduanInput

IDENTITY_CHOICES = [
    SelectChoice("terbuka", _l("Terbuka — nama Anda diketahui tim dan isi pengaduan dapat dipublikasikan tanpa data pribadi.")),
    SelectChoice("rahasia", _l("Rahasia — nama Anda hanya diketahui Tim Pengaduan dan isi pengaduan tidak dipublikasikan.")),
    SelectChoice("anonim", _l("Anonim — identitas Anda tidak disimpan sama sekali; pantau dengan nomor dan kode akses.")),
]


class PengaduanForm(FlaskForm):
    identity = RadioField(_l("Identitas pelapor"), choices=IDENTITY_CHOICES, default="terbuka", validators=[DataRequired()])
    name = StringField(_l("Nama lengkap"), validators=[Optional(), Length(max=LIMITS["name"])])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=LIMITS["email"])])
    phone = StringField(_l("Nomor telepon/WhatsApp"), validators=[Optional(), Length(max=LIMITS["phone"])])
    nik = StringField(_l("NIK (tidak wajib)"), validators=[Optional(), Length(max=LIMITS["nik"])])
    category = SelectField(_l("Kategori"), validators=[DataRequired()])
    layanan = SelectField(_l("Layanan yang diadukan"), validators=[Optional()])
    title = StringField(_l("Judul pengaduan"), validators=[DataRequired(), Length(max=LIMITS["title"])])
    description = TextAreaField(
        _l("Apa yang terjadi dan kerugian yang Anda alami"),
        validators=[DataRequired(), Length(max=LIMITS["description"])],
    )
    requested_resolution = TextAreaField(
        _l("Penyelesaian yang Anda harapkan"), validators=[Optional(), Length(max=LIMITS["requested_resolution"])]
    )
    location = StringField(_l("Tempat kejadian"), validators=[Optional(), Length(max=LIMITS["location"])])
    incident_date = DateField(_l("Tanggal kejadian"), validators=[Optional()])
    attachments = MultipleFileField(_l("Lampiran (foto atau PDF, paling banyak 5 berkas, masing-masing 10 MB)"))
    submission_key = HiddenField()
    submit = SubmitField(_l("Kirim pengaduan"))

    def __init__(self, *args, categories=(), layanan=(), **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("— pilih kategori —"))] + [
            SelectChoice(c.code, c.name) for c in categories
        ]
        self.layanan.choices = [SelectChoice("", _l("— pilih layanan (jika ada) —"))] + [
            SelectChoice(item.code, item.name) for item in layanan
        ]
        if not self.submission_key.data:
            # One key per rendered form: a double click or a resubmitted page files one complaint.
            self.submission_key.data = secrets.token_urlsafe(24)

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
