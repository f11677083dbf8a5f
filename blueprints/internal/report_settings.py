"""Admin page: what every report document carries besides its data (unit, place, signing officers)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, FormField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, Regexp

from blueprints.internal import bp
from zi_public.forms import max_length, readable_line, readable_text
from zi_public.labels import ROLE_LABELS
from zi_public.models import Role
from zi_public.security.permissions import roles_required
from zi_public.services.settings import REPORT_SIGNERS, ReportSettings, Signer, report_settings, save_report_settings


class SignerForm(Form):
    """One signing officer (a sub-form: the page's form carries the CSRF token)."""

    position = TextAreaField(
        _l("Jabatan"), validators=[DataRequired(), max_length(200), readable_text], render_kw={"rows": 2}
    )
    name = StringField(_l("Nama lengkap dan gelar"), validators=[Optional(), max_length(120), readable_line])
    nip = StringField(
        _l("NIP"),
        validators=[
            Optional(),
            max_length(30),
            readable_line,  # before the pattern: its "$" also matches before a final line break
            Regexp(r"^[0-9 ]*$", message=_l("NIP hanya berisi angka dan spasi.")),
        ],
    )


class ReportSettingsForm(FlaskForm):
    unit = StringField(_l("Nama unit kerja"), validators=[DataRequired(), max_length(200), readable_line])
    place = StringField(_l("Tempat penandatanganan"), validators=[Optional(), max_length(60), readable_line])
    # One sub-form per key of REPORT_SIGNERS (a test keeps the two equal).
    pimpinan = FormField(SignerForm, label=ROLE_LABELS[Role.PIMPINAN])
    pengaduan = FormField(SignerForm, label=ROLE_LABELS[Role.PENGADUAN])
    wbs = FormField(SignerForm, label=ROLE_LABELS[Role.WBS])
    upg = FormField(SignerForm, label=ROLE_LABELS[Role.UPG])
    skm = FormField(SignerForm, label=ROLE_LABELS[Role.SKM])
    submit = SubmitField(_l("Simpan pengaturan laporan"))


def _form_data(settings: ReportSettings) -> dict[str, object]:
    data: dict[str, object] = {"unit": settings.unit, "place": settings.place}
    for key, signer in settings.signers.items():
        data[key] = {"position": signer.position, "name": signer.name, "nip": signer.nip}
    return data


@bp.route("/pengaturan/laporan", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def report_settings_page():
    """The unit name, place of signing and signing officers printed on every report."""
    form = ReportSettingsForm(data=_form_data(report_settings()))
    if form.validate_on_submit():
        signers = {key: Signer(**getattr(form, key).data) for key in REPORT_SIGNERS}
        save_report_settings(current_user, form.unit.data, form.place.data, signers)
        flash(_("Pengaturan laporan disimpan."), "success")
        return redirect(url_for("internal.report_settings_page"))
    return render_template("internal/report_settings.html", form=form, signer_keys=list(REPORT_SIGNERS))
