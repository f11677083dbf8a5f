"""The whistle-blower's forms: the 4W1H report, the receipt's confirmation, the status look-up, the reply.

The forms check what a browser sends (lengths, readable text); whether the category exists and what a
report must hold are the service's rules (zi_public.services.wbs.filing.validate), the same for the API.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from zi_public.forms import OneTimeForm, max_length, place_refusal, readable_line, readable_text
from zi_public.i18n import format_size
from zi_public.models.wbs import WbsCategory
from zi_public.security import office
from zi_public.security.uploads import UploadRejected
from zi_public.services import reference
from zi_public.services.wbs.filing import LIMITS, InvalidWbs, WbsInput, validate
from zi_public.services.wbs.reporter import BODY_LIMIT

ACCEPT = ",".join(
    [
        "image/jpeg,image/png,image/gif,image/webp,application/pdf",
        ".docx,.xlsx,.pptx,.odt,.ods,.odp",
        *sorted(office.CONTENT_TYPES),
    ]
)


class WbsForm(OneTimeForm):
    category = SelectField(
        _l("Jenis pelanggaran"),
        validate_choice=False,  # the service checks the code against the active catalogue
        validators=[DataRequired(message=_l("Pilih kategori dari daftar.")), readable_line],
    )
    what = TextAreaField(
        _l("Apa yang terjadi"),
        validators=[DataRequired(message=_l("Ceritakan apa yang terjadi.")), max_length(LIMITS["what"]), readable_text],
    )
    who_name = StringField(_l("Nama pihak yang terlibat"), validators=[max_length(LIMITS["who_name"]), readable_line])
    who_position = StringField(_l("Jabatan"), validators=[max_length(LIMITS["who_position"]), readable_line])
    who_unit = StringField(_l("Unit kerja"), validators=[max_length(LIMITS["who_unit"]), readable_line])
    when = StringField(_l("Kapan terjadi"), validators=[max_length(LIMITS["when"]), readable_line])
    where = StringField(_l("Di mana terjadi"), validators=[max_length(LIMITS["where"]), readable_text])
    how = TextAreaField(_l("Bagaimana kejadiannya"), validators=[max_length(LIMITS["how"]), readable_text])
    how_known = TextAreaField(
        _l("Bagaimana Anda mengetahuinya"), validators=[max_length(LIMITS["how_known"]), readable_text]
    )
    attachments = MultipleFileField(_l("Bukti awal"), render_kw={"accept": ACCEPT})
    identity = TextAreaField(
        _l("Identitas Anda (tidak wajib, disegel)"),
        validators=[max_length(LIMITS["identity"]), readable_text],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Kirim laporan"))

    def __init__(self, *args, categories: Iterable[WbsCategory] = (), locale: str = "id", **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("— pilih jenis pelanggaran —"))] + [
            SelectChoice(c.code, reference.localized_name(c, locale)) for c in categories
        ]

    def chosen_files(self) -> list:
        """The files actually chosen: a browser sends an empty part for an unused file input."""
        return [f for f in (self.attachments.data or []) if getattr(f, "filename", "")]

    def to_input(self) -> WbsInput:
        return WbsInput(
            category=self.category.data or "",
            what=self.what.data or "",
            who_name=self.who_name.data or "",
            who_position=self.who_position.data or "",
            who_unit=self.who_unit.data or "",
            when=self.when.data or "",
            where=self.where.data or "",
            how=self.how.data or "",
            how_known=self.how_known.data or "",
            identity=self.identity.data or None,
        )


def report_form() -> WbsForm:
    """The report form with the active categories in the visitor's language and the upload limits."""
    form = WbsForm(categories=reference.active(WbsCategory), locale=str(get_locale()))
    cfg = current_app.config
    form.attachments.label.text = _(
        "Bukti awal (foto, PDF atau dokumen kantor, paling banyak %(n)d berkas, masing-masing %(size)s)",
        n=int(cfg["WBS_MAX_ATTACHMENTS"]),
        size=format_size(int(cfg["UPLOAD_MAX_BYTES"])),
    )
    return form


def checked(form: WbsForm) -> bool:
    """Validate the form; when it fails, add the service's findings too, so one round shows all."""
    if form.validate():
        return True
    if "csrf_token" not in form.errors:
        data = form.to_input()
        # Never look up a code the form found unreadable (a NUL breaks PostgreSQL's text parameters).
        if form.category.errors:
            data = dataclasses.replace(data, category="")
        errors, _category = validate(data)
        show_errors(form, InvalidWbs(errors))
    return False


def show_errors(form: FlaskForm, exc: InvalidWbs | UploadRejected) -> None:
    """Put the service's or the upload check's messages on the fields they concern."""
    place_refusal(form, exc)


class ConfirmForm(FlaskForm):
    """The "I wrote it down" step after the receipt."""

    noted = BooleanField(
        _l("Saya sudah mencatat nomor tanda terima ini di tempat yang aman."),
        validators=[DataRequired(message=_l("Centang setelah Anda mencatat nomor tanda terima."))],
    )
    submit = SubmitField(_l("Selesai"))


class StatusForm(FlaskForm):
    receipt = StringField(
        _l("Nomor tanda terima"),
        validators=[DataRequired(message=_l("Isi nomor tanda terima.")), max_length(100), readable_line],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Buka laporan"))


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Pesan Anda"),
        validators=[DataRequired(message=_l("Tulis pesan Anda.")), max_length(BODY_LIMIT), readable_text],
    )
    attachments = MultipleFileField(_l("Lampiran (foto, PDF atau dokumen kantor)"), render_kw={"accept": ACCEPT})
    submit = SubmitField(_l("Kirim pesan"))

    def chosen_files(self) -> list:
        return [f for f in (self.attachments.data or []) if getattr(f, "filename", "")]


class EndForm(FlaskForm):
    submit = SubmitField(_l("Tutup laporan di perangkat ini"))
