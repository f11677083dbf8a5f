from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from zi_public.labels import ROLE_LABELS
from zi_public.services import accounts

ROLE_CHOICES = [SelectChoice(role.value, text) for role, text in ROLE_LABELS.items()]


def _username_rule(form: FlaskForm, field: Field) -> None:
    """accounts.username_problem, the rule `flask user create` applies too, in the form's words."""
    problem = accounts.username_problem(field.data or "")
    if problem == "characters":
        raise ValidationError(_l("Hanya huruf, angka, titik, garis bawah dan tanda hubung."))
    if problem == "length":
        raise ValidationError(
            _l("Nama pengguna %(min)d sampai %(max)d karakter.", min=accounts.USERNAME_MIN, max=accounts.USERNAME_MAX)
        )


class UserCreateForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(), _username_rule])
    full_name = StringField(_l("Nama lengkap"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("Email dinas"), validators=[Optional(), Email(check_deliverability=False), Length(max=254)])
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES, validators=[DataRequired()])
    submit = SubmitField(_l("Buat akun"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES, validators=[DataRequired()])
    submit = SubmitField(_l("Ubah peran"))


class SettingsForm(FlaskForm):
    require_totp = BooleanField(_l("Wajibkan autentikasi dua langkah (TOTP) untuk semua petugas"))
    submit = SubmitField(_l("Simpan pengaturan"))


class RoleApprovalForm(FlaskForm):
    """Approve or reject a pending role; `role` is the role the approver was shown (a changed request is refused)."""

    role = HiddenField(validators=[DataRequired()])
