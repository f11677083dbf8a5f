"""The Tim Pengaduan's intake form: the public complaint form (zi_public.forms.pengaduan) with the channel, the
day received and SP4N-LAPOR!'s tracking number and flags; the intake service decides what they must hold."""

from __future__ import annotations

import dataclasses
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Optional, StopValidation

from zi_public.forms import max_length, readable_line
from zi_public.forms.pengaduan import PengaduanForm, show_errors, without_unreadable_codes
from zi_public.localtime import today_jakarta
from zi_public.rules.pengaduan import INTAKE_BACKDATE_DAYS, LAPOR_NUMBER_MAX, STAFF_CHANNELS, Channel
from zi_public.services.pengaduan import intake
from zi_public.services.pengaduan.filing import InvalidPengaduan
from zi_public.services.pengaduan.labels import CHANNEL_LABELS

#: The identity choices worded for the officer who records the complaint (the public form speaks to the reporter).
STAFF_IDENTITY_CHOICES = [
    SelectChoice(
        "terbuka", _l("Terbuka — nama pelapor diketahui tim; isi pengaduan dapat dipublikasikan tanpa data pribadi.")
    ),
    SelectChoice(
        "rahasia", _l("Rahasia — nama pelapor hanya diketahui Tim Pengaduan; isi pengaduan tidak dipublikasikan.")
    ),
    SelectChoice("anonim", _l("Anonim — identitas pelapor tidak disimpan sama sekali.")),
]


class IntakeForm(PengaduanForm):
    """A complaint received by box, telephone, WhatsApp, letter, walk-in, e-mail, social media or SP4N-LAPOR!."""

    channel = SelectField(
        _l("Kanal"),
        validate_choice=False,  # the service names the channels in its message (a forged "web" too)
        validators=[DataRequired(message=_l("Pilih kanal dari daftar.")), readable_line],
    )
    received_on = DateField(
        _l("Tanggal diterima"),
        default=today_jakarta,
        # A request without the field must not silently mean today.
        validators=[InputRequired(message=_l("Isi tanggal pengaduan diterima."))],
        invalid_value_message=_l("Tanggal tidak dikenali; isi dengan format hari/bulan/tahun."),
    )
    lapor_number = StringField(
        _l("Nomor pelacakan SP4N-LAPOR!"),
        validators=[Optional(), max_length(LAPOR_NUMBER_MAX), readable_line],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    lapor_anonim = BooleanField(_l("Anonim (ditandai di SP4N-LAPOR!)"))
    lapor_rahasia = BooleanField(_l("Rahasia (ditandai di SP4N-LAPOR!)"))
    # For LAPOR! its flags decide; the service checks the choice for the other channels.
    identity = RadioField(
        _l("Identitas pelapor"), choices=STAFF_IDENTITY_CHOICES, default="terbuka", validate_choice=False
    )
    submit = SubmitField(_l("Catat pengaduan"))

    def __init__(self, *args, today: date | None = None, **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, today=today, **kwargs)
        # The public form speaks to the reporter; here the officer writes about them.
        self.description.label.text = _l("Apa yang terjadi dan kerugian yang dialami pelapor")
        self.requested_resolution.label.text = _l("Penyelesaian yang diharapkan pelapor")
        self.channel.choices = [SelectChoice("", _l("— pilih kanal —"))] + [
            SelectChoice(channel.value, CHANNEL_LABELS[channel]) for channel in STAFF_CHANNELS
        ]
        if today is not None:
            self.received_on.render_kw = {
                "max": today.isoformat(),
                "min": date.fromordinal(today.toordinal() - INTAKE_BACKDATE_DAYS).isoformat(),
            }

    def validate_identity(self, field: RadioField) -> None:
        # A request that leaves the choice out must not silently mean "terbuka" (LAPOR!'s flags need none).
        if not field.raw_data and self.channel.data != Channel.LAPOR:
            raise StopValidation(_l("Pilih salah satu: terbuka, rahasia, atau anonim."))

    def to_intake(self) -> intake.IntakeInput:
        """The form's values as the intake service's input."""
        return intake.IntakeInput(
            complaint=self.to_input(),
            channel=self.channel.data or "",
            received_on=self.received_on.data,
            lapor_number=self.lapor_number.data or None,
            lapor_anonim=bool(self.lapor_anonim.data),
            lapor_rahasia=bool(self.lapor_rahasia.data),
        )


def checked(form: IntakeForm) -> bool:
    """Validate the form; when it fails, add the service's findings too, so one round shows all."""
    if form.validate():
        return True
    if "csrf_token" not in form.errors:
        data = form.to_intake()
        # Never look a value up in the database that the form found unreadable (as the public form's check).
        data = dataclasses.replace(
            data,
            complaint=without_unreadable_codes(form, data.complaint),
            channel="" if form.channel.errors else data.channel,
            lapor_number=None if form.lapor_number.errors else data.lapor_number,
        )
        show_errors(form, InvalidPengaduan(intake.check(data, today_jakarta())))
    return False
