from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from zi_public.security.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH
from zi_public.services.accounts import USERNAME_MAX


class LoginForm(FlaskForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[DataRequired(), Length(max=USERNAME_MAX)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Masuk"))


class TotpForm(FlaskForm):
    code = StringField(
        _l("Kode 6 digit dari aplikasi autentikator"),
        validators=[DataRequired(), Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("Masukkan 6 angka."))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    submit = SubmitField(_l("Verifikasi"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Kata sandi saat ini"),
        validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    # Its length and the other rules are checked by the view with broken_password_rules, in the rules' own words.
    new_password = PasswordField(
        _l("Kata sandi baru"), validators=[DataRequired()], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Kedua kata sandi baru tidak sama."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Simpan kata sandi"))


class LinkPasswordForm(FlaskForm):
    """Choose a password with a one-time link; `code` only for a link split between two admins."""

    code = StringField(
        _l("Kode dari admin yang meminta reset"),
        validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    # Its length and the other rules are checked by the view with broken_password_rules, in the rules' own words.
    new_password = PasswordField(
        _l("Kata sandi baru"), validators=[DataRequired()], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Kedua kata sandi baru tidak sama."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Simpan kata sandi"))
