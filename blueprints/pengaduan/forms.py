"""The status page's forms: look a complaint up, rate it, reply to it, forget it on this browser.

The complaint form itself is shared with the kiosk: zi_public.forms.pengaduan.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from zi_public.forms import OneTimeForm, max_length, readable_text
from zi_public.rules import case_numbers
from zi_public.security import codes
from zi_public.services.pengaduan.flow import BODY_MAX
from zi_public.services.pengaduan.labels import RATING_LABELS

RATING_CHOICES = [SelectChoice(n, _l("%(n)d — %(label)s", n=n, label=label)) for n, label in RATING_LABELS.items()]


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


class RatingForm(OneTimeForm):
    """The reporter's 1–4 rating of how the complaint was handled; its one-time key makes a resend record nothing."""

    rating = RadioField(
        _l("Penilaian Anda atas penanganan pengaduan"),
        choices=RATING_CHOICES,
        coerce=int,
        invalid_value_message=_l("Pilih nilai 1 sampai 4."),
        invalid_choice_message=_l("Pilih nilai 1 sampai 4."),
    )
    comment = TextAreaField(_l("Komentar (tidak wajib)"), validators=[max_length(2000), readable_text])
    submit = SubmitField(_l("Kirim penilaian"))


class ReplyForm(OneTimeForm):
    """The reporter's reply to a finished complaint; it reopens the case. Its one-time key makes a resend (a double
    click, the browser's back-and-resend) record nothing."""

    body = TextAreaField(
        _l("Balasan Anda"),
        validators=[DataRequired(message=_l("Tulis balasan Anda.")), max_length(BODY_MAX), readable_text],
    )
    submit = SubmitField(_l("Kirim balasan dan buka kembali pengaduan"))


class EndForm(FlaskForm):
    """A bare button, still CSRF-protected: forget the complaint on this browser."""

    submit = SubmitField(_l("Selesai, tutup halaman status"))
