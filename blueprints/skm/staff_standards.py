"""The Tim SKM's editing of each layanan's standar pelayanan and of the maklumat (the pimpinan reads them).

Versions follow services/skm/standards.py: one in force is never changed (a change is a new version), a
scheduled one may be corrected or withdrawn before it takes effect.

The forms carry long texts, so a stale page must not lose them: these POST views are exempt from the CSRF
check that runs before every view and check the token themselves (`csrf.protect()`, the same check), so an
expired or forged token re-renders the page with everything typed and a message, and saves nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.skm import staff_bp as bp
from blueprints.skm.staff import READERS
from blueprints.skm.staff_standards_forms import MaklumatForm, StandardForm
from zi_public.extensions import csrf, db
from zi_public.forms import EmptyForm, token_valid
from zi_public.i18n import format_long_date
from zi_public.ids import parse_id
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, MaklumatPelayanan, Role, StandarPelayanan
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import roles_required
from zi_public.services import reference
from zi_public.services.skm import standards
from zi_public.services.skm.standards import COMPONENT_LABELS, COMPONENTS, InvalidVersion, VersionInForce


@bp.route("/standar", endpoint="standards")
@roles_required(*READERS)
def standards_list():
    """Every layanan with the version of its standard in force today and the next one scheduled."""
    today = today_jakarta()
    return render_template(
        "skm/staff/standards.html",
        rows=reference.every_row(Layanan),
        in_force=standards.standards_in_force(today),
        scheduled=standards.scheduled_standards(today),
        can_write=current_user.role == Role.SKM,
    )


@bp.route("/standar/<code>", endpoint="standard")
@roles_required(*READERS)
def standard_page(code: str):
    """One layanan: its versions, newest first; for the Tim SKM the form for a new version (pre-filled with
    the one in force) or, with ?versi=, the correction of a scheduled one."""
    layanan = _layanan_or_404(code)
    correcting = _scheduled_version(StandarPelayanan, request.args.get("versi"), layanan_id=layanan.id)
    if correcting is not None:
        form = StandardForm.of(correcting, with_date=True)
    else:
        form = StandardForm.of(standards.current_standard(layanan, today_jakarta()), with_date=False)
    return _render_standard(layanan, form, correcting)


@bp.route("/standar/<code>/versi-baru", methods=["POST"], endpoint="standard_create")
@csrf.exempt
@roles_required(Role.SKM)
@checks_every_field
def standard_create(code: str):
    """Save a new version of the layanan's standard."""
    layanan = _layanan_or_404(code)
    form = StandardForm()
    if not token_valid(form):
        return _render_standard(layanan, form, None, status=400)
    try:
        version = standards.create_standard(current_user, layanan, form.to_input())
    except InvalidVersion as exc:
        form.show_errors(exc.errors)
        return _render_standard(layanan, form, None)
    flash(_("Versi standar pelayanan yang berlaku mulai %(day)s disimpan.", day=_day(version)), "success")
    return redirect(url_for("internal.skm.standard", code=layanan.code))


@bp.route("/standar/versi/<int:version_id>", methods=["POST"], endpoint="standard_update")
@csrf.exempt
@roles_required(Role.SKM)
@checks_every_field
def standard_update(version_id: int):
    """Correct a version that has not taken effect yet."""
    version = _version_or_404(StandarPelayanan, version_id)
    form = StandardForm()
    if not token_valid(form):
        return _render_standard(version.layanan, form, version, status=400)
    try:
        standards.update_standard(current_user, version, form.to_input())
    except VersionInForce:
        return _now_in_force(url_for("internal.skm.standard", code=version.layanan.code))
    except InvalidVersion as exc:
        form.show_errors(exc.errors)
        return _render_standard(version.layanan, form, version)
    flash(_("Versi terjadwal yang berlaku mulai %(day)s diperbaiki.", day=_day(version)), "success")
    return redirect(url_for("internal.skm.standard", code=version.layanan.code))


@bp.route("/standar/versi/<int:version_id>/tarik", methods=["POST"], endpoint="standard_withdraw")
@roles_required(Role.SKM)
def standard_withdraw(version_id: int):
    """Withdraw a version that has not taken effect yet."""
    version = _version_or_404(StandarPelayanan, version_id)
    code = version.layanan.code
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        standards.withdraw_standard(current_user, version)
    except VersionInForce:
        return _now_in_force(url_for("internal.skm.standard", code=code))
    flash(_("Versi terjadwal ditarik; versi itu tidak akan berlaku."), "success")
    return redirect(url_for("internal.skm.standard", code=code))


@bp.route("/maklumat", endpoint="maklumat")
@roles_required(*READERS)
def maklumat_page():
    """The maklumat's versions, newest first; for the Tim SKM the form for a new version or a correction."""
    correcting = _scheduled_version(MaklumatPelayanan, request.args.get("versi"))
    if correcting is not None:
        form = MaklumatForm.of(correcting, with_date=True)
    else:
        form = MaklumatForm.of(standards.current_maklumat(today_jakarta()), with_date=False)
    return _render_maklumat(form, correcting)


@bp.route("/maklumat", methods=["POST"], endpoint="maklumat_create")
@csrf.exempt
@roles_required(Role.SKM)
@checks_every_field
def maklumat_create():
    """Save a new version of the maklumat."""
    form = MaklumatForm()
    if not token_valid(form):
        return _render_maklumat(form, None, status=400)
    try:
        version = standards.create_maklumat(current_user, form.to_input())
    except InvalidVersion as exc:
        form.show_errors(exc.errors)
        return _render_maklumat(form, None)
    flash(_("Versi maklumat pelayanan yang berlaku mulai %(day)s disimpan.", day=_day(version)), "success")
    return redirect(url_for("internal.skm.maklumat"))


@bp.route("/maklumat/<int:version_id>", methods=["POST"], endpoint="maklumat_update")
@csrf.exempt
@roles_required(Role.SKM)
@checks_every_field
def maklumat_update(version_id: int):
    """Correct a maklumat that has not taken effect yet."""
    version = _version_or_404(MaklumatPelayanan, version_id)
    form = MaklumatForm()
    if not token_valid(form):
        return _render_maklumat(form, version, status=400)
    try:
        standards.update_maklumat(current_user, version, form.to_input())
    except VersionInForce:
        return _now_in_force(url_for("internal.skm.maklumat"))
    except InvalidVersion as exc:
        form.show_errors(exc.errors)
        return _render_maklumat(form, version)
    flash(_("Versi terjadwal yang berlaku mulai %(day)s diperbaiki.", day=_day(version)), "success")
    return redirect(url_for("internal.skm.maklumat"))


@bp.route("/maklumat/<int:version_id>/tarik", methods=["POST"], endpoint="maklumat_withdraw")
@roles_required(Role.SKM)
def maklumat_withdraw(version_id: int):
    """Withdraw a maklumat that has not taken effect yet."""
    version = _version_or_404(MaklumatPelayanan, version_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        standards.withdraw_maklumat(current_user, version)
    except VersionInForce:
        return _now_in_force(url_for("internal.skm.maklumat"))
    flash(_("Versi terjadwal ditarik; versi itu tidak akan berlaku."), "success")
    return redirect(url_for("internal.skm.maklumat"))


# --- helpers ------------------------------------------------------------------------------------------


def _layanan_or_404(code: str) -> Layanan:
    """Any layanan by code, retired ones too (their standards stay on record)."""
    if len(code) > 40:  # the column's length: a longer code names nothing
        abort(404)
    layanan = db.session.scalar(sa.select(Layanan).where(Layanan.code == code))
    if layanan is None:
        abort(404)
    return layanan


def _version_or_404(model: type, version_id: int):  # noqa: ANN202 - a StandarPelayanan or MaklumatPelayanan
    version = db.session.get(model, version_id)  # <int:> is range-checked (zi_public.ids.IdConverter)
    if version is None:
        abort(404)
    return version


def _scheduled_version(model: type, raw_id: str | None, *, layanan_id: int | None = None):  # noqa: ANN202
    """The scheduled version ?versi= names (of this layanan), or None: a stale or foreign link shows the
    form for a new version instead."""
    version_id = parse_id(raw_id)
    version = db.session.get(model, version_id) if version_id is not None else None
    if version is None or not standards.is_scheduled(version):
        return None
    if layanan_id is not None and version.layanan_id != layanan_id:
        return None
    return version


def _now_in_force(target: str):  # noqa: ANN202
    flash(_("Versi ini sudah berlaku sehingga tidak dapat diubah atau ditarik. Buat versi baru."), "error")
    return redirect(target)


def _day(version: StandarPelayanan | MaklumatPelayanan) -> str:
    return format_long_date(version.effective_on)


def _render_standard(layanan: Layanan, form: StandardForm, correcting: StandarPelayanan | None, status: int = 200):  # noqa: ANN202
    today = today_jakarta()
    versions = standards.history(layanan)
    html = render_template(
        "skm/staff/standard.html",
        layanan=layanan,
        versions=versions,
        in_force=standards.current_standard(layanan, today),
        today=today,
        form=form,
        correcting=correcting,
        can_write=current_user.role == Role.SKM,
        withdraw_form=EmptyForm(formdata=None),
        components=COMPONENTS,
        component_labels=COMPONENT_LABELS,
    )
    return html, status


def _render_maklumat(form: MaklumatForm, correcting: MaklumatPelayanan | None, status: int = 200):  # noqa: ANN202
    today = today_jakarta()
    html = render_template(
        "skm/staff/maklumat.html",
        versions=standards.maklumat_history(),
        in_force=standards.current_maklumat(today),
        today=today,
        form=form,
        correcting=correcting,
        can_write=current_user.role == Role.SKM,
        withdraw_form=EmptyForm(formdata=None),
    )
    return html, status
