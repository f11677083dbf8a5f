"""The complaint form (shared by the web page and the kiosk) and the status page's forms.

The forms check only what a browser sends: lengths, the date's format, readable text. Whether a
category exists, which identity fields are required, whether a date lies in the future: those are
the service's rules (zi_public.services.pengaduan.validate), so every channel applies the same ones.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import date

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
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from zi_public.forms import readable_line, readable_text
from zi_public.models import Category, Layanan
from zi_public.rules import case_numbers
from zi_public.security import codes
from zi_public.services.pengaduan.filing import LIMITS, PengaduanInput
from zi_public.services.pengaduan.flow import BODY_MAX
from zi_public.services.pengaduan.labels import RATING_LABELS
from zi_public.services.reference import localized_name

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
RATING_CHOICES = [SelectChoice(n, _l("%(n)d — %(label)s", n=n, label=label)) for n, label in RATING_LABELS.items()]
# What the form itself renders; anything else in the hidden field is replaced by a fresh key.
_SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_\-]{16,64}")


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Paling banyak %(n)d karakter.", n=n))


class PengaduanForm(FlaskForm):
    identity = RadioField(
        _l("Identitas pelapor"),
        choices=IDENTITY_CHOICES,
        default="terbuka",
        validate_choice=False,  # the service names the three choices in its message
        # Without InputRequired a request that leaves the choice out would silently mean "terbuka".
        validators=[InputRequired(message=_l("Pilih salah satu: terbuka, rahasia, atau anonim."))],
    )
    name = StringField(_l("Nama lengkap"), validators=[Optional(), _max(LIMITS["name"]), readable_line])
    email = EmailField(_l("Email"), validators=[Optional(), _max(LIMITS["email"]), readable_line])
    phone = StringField(
        _l("Nomor telepon/WhatsApp"),
        validators=[Optional(), _max(LIMITS["phone"]), readable_line],
        render_kw={"type": "tel", "autocomplete": "tel"},
    )
    nik = StringField(
        _l("NIK (tidak wajib)"),
        validators=[Optional(), _max(LIMITS["nik"]), readable_line],
        render_kw={"inputmode": "numeric"},
    )
    # Choices are checked by the service against the active catalogue (one message for every channel).
    category = SelectField(
        _l("Kategori"),
        validate_choice=False,
        validators=[DataRequired(message=_l("Pilih kategori pengaduan dari daftar."))],
    )
    layanan = SelectField(_l("Layanan yang diadukan"), validate_choice=False)
    title = StringField(
        _l("Judul pengaduan"),
        validators=[DataRequired(message=_l("Judul wajib diisi.")), _max(LIMITS["title"]), readable_line],
    )
    description = TextAreaField(
        _l("Apa yang terjadi dan kerugian yang Anda alami"),
        validators=[
            DataRequired(message=_l("Uraian kejadian wajib diisi.")),
            _max(LIMITS["description"]),
            readable_text,
        ],
    )
    requested_resolution = TextAreaField(
        _l("Penyelesaian yang Anda harapkan"), validators=[_max(LIMITS["requested_resolution"]), readable_text]
    )
    location = StringField(_l("Tempat kejadian"), validators=[_max(LIMITS["location"]), readable_line])
    incident_date = DateField(
        _l("Tanggal kejadian"),
        validators=[Optional()],
        invalid_value_message=_l("Tanggal tidak dikenali; isi dengan format hari/bulan/tahun."),
    )
    attachments = MultipleFileField(
        _l("Lampiran (foto atau PDF, paling banyak 5 berkas, masing-masing 10 MB)"),
        render_kw={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"},
    )
    submission_key = HiddenField()
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
        if not _SUBMISSION_KEY.fullmatch(self.submission_key.data or ""):
            # One key per rendered form: a double click or a resubmitted page files one complaint.
            self.submission_key.data = secrets.token_urlsafe(24)

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


class LookupForm(FlaskForm):
    """Number and access code: the reporter's only key to their complaint."""

    number = StringField(
        _l("Nomor pengaduan"),
        validators=[
            DataRequired(message=_l("Isi nomor pengaduan.")),
            Length(max=case_numbers.MAX_LENGTH, message=_l("Nomor terlalu panjang.")),
        ],
        render_kw={"placeholder": case_numbers.example("pengaduan"), "autocomplete": "off", "spellcheck": "false"},
    )
    access_code = StringField(
        _l("Kode akses"),
        validators=[DataRequired(message=_l("Isi kode akses."))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    submit = SubmitField(_l("Lihat status"))

    def validate_number(self, field: StringField) -> None:
        # Format only: says nothing about whether such a complaint exists.
        if not case_numbers.is_number(field.data, "pengaduan"):
            raise ValidationError(_l("Nomor pengaduan berbentuk PGD-tahun-6 angka, misalnya PGD-2026-000123."))

    def validate_access_code(self, field: StringField) -> None:
        try:
            codes.parse_access_code(field.data or "")
        except codes.InvalidCode as exc:
            raise ValidationError(exc.message) from exc


class RatingForm(FlaskForm):
    """The reporter's 1–4 rating of how the complaint was handled."""

    rating = RadioField(
        _l("Penilaian Anda atas penanganan pengaduan"),
        choices=RATING_CHOICES,
        coerce=int,
        invalid_value_message=_l("Pilih nilai 1 sampai 4."),
        invalid_choice_message=_l("Pilih nilai 1 sampai 4."),
    )
    comment = TextAreaField(_l("Komentar (tidak wajib)"), validators=[_max(2000), readable_text])
    submit = SubmitField(_l("Kirim penilaian"))


class ReplyForm(FlaskForm):
    """The reporter's reply to a finished complaint; it reopens the case."""

    body = TextAreaField(
        _l("Balasan Anda"),
        validators=[DataRequired(message=_l("Tulis balasan Anda.")), _max(BODY_MAX), readable_text],
    )
    submit = SubmitField(_l("Kirim balasan dan buka kembali pengaduan"))


class EndForm(FlaskForm):
    """A bare button, still CSRF-protected: forget the complaint on this browser."""

    submit = SubmitField(_l("Selesai, tutup halaman status"))
