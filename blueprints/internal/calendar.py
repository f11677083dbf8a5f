"""Admin page for working-day overrides."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.internal import bp
from blueprints.internal.calendar_forms import MAX_YEAR, MIN_YEAR, OverrideForm
from zi_public.extensions import db
from zi_public.forms import EmptyForm
from zi_public.models import Role, WorkdayOverride
from zi_public.rules.working_days import national_holidays
from zi_public.security.permissions import roles_required
from zi_public.services import calendar as calendar_service


@bp.route("/hari-kerja")
@roles_required(Role.ADMIN)
def calendar():
    """National holidays and cuti bersama of a year, plus the unit's own overrides."""
    year, notice = _requested_year()
    return _render_page(year, OverrideForm(), notice)


@bp.route("/hari-kerja/tambah", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_add():
    """Declare one day off or working for the unit."""
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            override = calendar_service.add_override(current_user, form.day.data, form.is_working_day, form.reason.data)
        except calendar_service.DuplicateOverride:
            form.day.errors.append(_("Tanggal ini sudah punya pengecualian. Hapus yang lama lebih dulu."))
        else:
            flash(_("Pengecualian hari kerja disimpan."), "success")
            return redirect(url_for("internal.calendar", year=override.day.year))
    year, _notice = _requested_year()
    if form.day.data is not None and MIN_YEAR <= form.day.data.year <= MAX_YEAR:
        year = form.day.data.year  # the year of the typed day, where a duplicate is listed
    return _render_page(year, form)


@bp.route("/hari-kerja/<int:override_id>/hapus", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_remove(override_id: int):
    """Remove one override; the day falls back to the national calendar."""
    override = db.session.get(WorkdayOverride, override_id)
    if override is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    year = override.day.year
    calendar_service.remove_override(current_user, override)
    flash(_("Pengecualian hari kerja dihapus."), "success")
    return redirect(url_for("internal.calendar", year=year))


def _requested_year() -> tuple[int, str | None]:
    """`?year=` when it is a sensible year, else this year in Jakarta and a notice why."""
    this_year = datetime.now(get_timezone()).year
    raw = request.args.get("year", "").strip()
    if not raw:
        return this_year, None
    year = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return this_year, _(
            "Tahun tidak valid (pilih %(min)d–%(max)d); ditampilkan tahun %(year)d.",
            min=MIN_YEAR,
            max=MAX_YEAR,
            year=this_year,
        )
    return year, None


def _render_page(year: int, form: OverrideForm, notice: str | None = None) -> str:
    overrides = calendar_service.overrides_in_year(year)
    return render_template(
        "internal/calendar.html",
        year=year,
        min_year=MIN_YEAR,
        max_year=MAX_YEAR,
        holidays=national_holidays(year, str(get_locale())),
        overrides=overrides,
        override_by_day={override.day: override for override in overrides},
        form=form,
        delete_form=EmptyForm(formdata=None),
        notice=notice,
    )
