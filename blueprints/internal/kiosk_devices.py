"""Admin pages for the service hall's kiosk devices: register, activate on a browser, revoke."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from blueprints.internal import bp
from zi_public.extensions import db
from zi_public.forms import EmptyForm
from zi_public.models import KioskDevice, Role
from zi_public.paging import keyset_page
from zi_public.security.permissions import roles_required
from zi_public.services import accounts
from zi_public.services import kiosk as kiosk_service


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class DeviceForm(FlaskForm):
    name = StringField(
        _l("Nama perangkat"),
        validators=[DataRequired(message=_l("Isi nama perangkat.")), Length(max=kiosk_service.NAME_MAX)],
        filters=[_strip],
    )
    location = StringField(_l("Lokasi"), validators=[Length(max=kiosk_service.LOCATION_MAX)], filters=[_strip])
    submit = SubmitField(_l("Daftarkan perangkat"))


def _get_device_or_404(device_id: int) -> KioskDevice:
    device = db.session.get(KioskDevice, device_id)
    if device is None:
        abort(404)
    return device


def _render_list(form: DeviceForm) -> str:
    page = keyset_page(
        kiosk_service.list_devices_stmt(), KioskDevice.id, args=request.args, size=current_app.config["PAGE_SIZE"]
    )
    return render_template("internal/kiosk_devices.html", page=page, form=form)


@bp.route("/perangkat-kiosk")
@roles_required(Role.ADMIN)
def kiosk_devices():
    """Registered kiosks, newest first, and the form to register one."""
    return _render_list(DeviceForm(formdata=None))


@bp.route("/perangkat-kiosk", methods=["POST"])
@roles_required(Role.ADMIN)
def kiosk_device_register():
    """Register a kiosk by name and place; it works once activated on its own browser."""
    form = DeviceForm()
    if not form.validate_on_submit():
        return _render_list(form)
    device = kiosk_service.register_device(current_user, form.name.data, form.location.data or "")
    flash(_("Perangkat didaftarkan. Aktifkan di browser kiosk itu sendiri."), "success")
    return redirect(url_for("internal.kiosk_device_detail", device_id=device.id))


@bp.route("/perangkat-kiosk/<int:device_id>")
@roles_required(Role.ADMIN)
def kiosk_device_detail(device_id: int):
    """One kiosk: its state, and the buttons to activate it here or revoke it."""
    device = _get_device_or_404(device_id)
    return render_template("internal/kiosk_device.html", device=device, action_form=EmptyForm())


@bp.route("/perangkat-kiosk/<int:device_id>/aktifkan", methods=["POST"])
@roles_required(Role.ADMIN)
def kiosk_device_activate(device_id: int):
    """Make this browser the kiosk: set the signed device cookie, then sign the admin out."""
    device = _get_device_or_404(device_id)
    EmptyForm().validate_on_submit()  # CSRF already checked globally; the form keeps the shape uniform
    try:
        value = kiosk_service.activate_device(current_user, device)
    except kiosk_service.DeviceRevoked:
        flash(_("Perangkat ini sudah dicabut. Daftarkan perangkat baru."), "error")
        return redirect(url_for("internal.kiosk_device_detail", device_id=device.id))
    accounts.record_logout(current_user)
    # The browser now belongs to the public: no staff session may stay behind on it.
    logout_user()
    session.clear()
    response = redirect(url_for("kiosk.index"))
    response.set_cookie(
        kiosk_service.COOKIE_NAME,
        value,
        max_age=int(kiosk_service.COOKIE_MAX_AGE.total_seconds()),
        path=url_for("kiosk.index"),
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/perangkat-kiosk/<int:device_id>/cabut", methods=["POST"])
@roles_required(Role.ADMIN)
def kiosk_device_revoke(device_id: int):
    """Switch a kiosk off for good; its cookie stops working at once."""
    device = _get_device_or_404(device_id)
    EmptyForm().validate_on_submit()
    kiosk_service.revoke_device(current_user, device)
    flash(_("Perangkat dicabut. Kiosk itu kini menampilkan halaman belum diaktifkan."), "success")
    return redirect(url_for("internal.kiosk_device_detail", device_id=device.id))
