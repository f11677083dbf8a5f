"""Reports page: xlsx downloads for a chosen period, and the monev evaluation text the team writes."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from blueprints.internal import bp
from zi_public.exports import REPORT_ROLES, REPORTS, XLSX_MIMETYPE, report_filename
from zi_public.exports.pengaduan_monev import TEXT_MAX, MonevConflict, get_monev, save_monev
from zi_public.extensions import db
from zi_public.i18n import period_name
from zi_public.localtime import today_jakarta
from zi_public.models import PengaduanMonev, Role
from zi_public.rules.periods import MONTH, QUARTER, SEMESTER, Period, parse_period, period_of, previous
from zi_public.security.permissions import roles_required
from zi_public.services.reports import export_report

#: How many semesters the page offers (the current one and those before it).
SEMESTERS_SHOWN = 6
BAD_PERIOD = {
    "pengaduan-bulanan": _l("Periode tidak valid. Pilih bulan, misalnya 2026-11, atau tahun, misalnya 2026."),
    "pengaduan-monev": _l("Periode tidak valid. Pilih semester, misalnya 2026-S2, atau tahun, misalnya 2026."),
    "wbs-evaluasi": _l("Periode tidak valid. Pilih triwulan, misalnya 2026-Q2, atau tahun, misalnya 2026."),
    "skm-triwulan": _l("Periode tidak valid. Pilih triwulan (2026-Q3), semester (2026-S2) atau tahun (2026)."),
    "skm-persepsi": _l("Periode tidak valid. Pilih triwulan (2026-Q3), semester (2026-S2) atau tahun (2026)."),
    "gratifikasi-rekap": _l(
        "Periode tidak valid. Pilih bulan (2026-11), triwulan (2026-Q3), semester (2026-S2) atau tahun (2026)."
    ),
    "benturan-pemetaan": _l("Periode tidak valid. Pilih tahun, misalnya 2026."),
    "benturan-evaluasi": _l("Periode tidak valid. Pilih triwulan, misalnya 2026-Q2, atau tahun, misalnya 2026."),
}
#: How many quarters the SKM report offers (the current one and those before it).
QUARTERS_SHOWN = 8


class MonevForm(FlaskForm):
    evaluation = TextAreaField(
        _l("Evaluasi"),
        validators=[Length(max=TEXT_MAX, message=_l("Paling banyak %(max)d karakter."))],
    )
    recommendations = TextAreaField(
        _l("Rekomendasi"),
        validators=[Length(max=TEXT_MAX, message=_l("Paling banyak %(max)d karakter."))],
    )
    submit = SubmitField(_l("Simpan evaluasi"))


@bp.route("/laporan")
@roles_required(Role.PENGADUAN, Role.PIMPINAN, Role.SKM, Role.UPG)
def reports():
    """The reports the team can download, each for a period chosen in a GET form."""
    return _render_reports()


@bp.route("/laporan/<name>.xlsx")
@roles_required(Role.PENGADUAN, Role.PIMPINAN, Role.SKM, Role.UPG)
def report_download(name: str):
    """Build one report for ?period= and send it as an attachment; every export is audit-logged."""
    if name not in REPORTS or current_user.role not in REPORT_ROLES.get(name, ()):
        abort(404)  # e.g. wbs-evaluasi: the Tim WBS's page serves it (blueprints/wbs/staff_evaluation.py)
    raw = request.args.get("period", "")
    try:
        period = parse_period(raw)
    except ValueError:
        period = None
    if period is None or period.kind not in REPORTS[name][1]:
        return _render_reports(errors={name: BAD_PERIOD[name]}, typed={name: raw[:20]}), 400
    export = export_report(current_user, name, period, lang=str(get_locale()))  # the UI's language
    response = send_file(
        io.BytesIO(export.content),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=report_filename(name, period),
    )
    response.headers["Cache-Control"] = "no-store"  # case data: no copies in shared caches
    return response


@bp.route("/laporan/monev/<period>", methods=["GET", "POST"])
@roles_required(Role.PENGADUAN)
def monev_edit(period: str):
    """The team's evaluation and recommendations of a semester, exported with the monev report."""
    semester = _semester_or_404(period)
    monev = get_monev(semester)
    form = MonevForm(obj=monev)
    if form.validate_on_submit():
        try:
            save_monev(current_user, semester, form.evaluation.data, form.recommendations.data)
        except MonevConflict:  # a colleague saved the first version of this semester just now
            form.evaluation.errors.append(_("Petugas lain baru saja menyimpan evaluasi ini. Kirim ulang."))
        else:
            flash(_("Evaluasi %(period)s disimpan.", period=period_name(semester)), "success")
            return redirect(url_for("internal.reports"))
    return render_template("internal/monev_form.html", form=form, period=semester, monev=monev, text_max=TEXT_MAX)


def _semester_or_404(text: str) -> Period:
    try:
        period = parse_period(text)
    except ValueError:
        abort(404)
    if period.kind != SEMESTER:
        abort(404)
    return period


def _render_reports(errors: dict[str, str] | None = None, typed: dict[str, str] | None = None) -> str:
    today = today_jakarta()
    this_month = period_of(MONTH, today)
    semesters = [period_of(SEMESTER, today)]
    while len(semesters) < SEMESTERS_SHOWN:
        semesters.append(previous(semesters[-1]))
    quarters = [period_of(QUARTER, today)]
    while len(quarters) < QUARTERS_SHOWN:
        quarters.append(previous(quarters[-1]))
    written = {
        monev.period: monev
        for monev in db.session.scalars(
            sa.select(PengaduanMonev).where(PengaduanMonev.period.in_([s.code for s in semesters]))
        )
    }
    return render_template(
        "internal/reports.html",
        errors=errors or {},
        typed=typed or {},
        month_value=this_month.code,
        last_month=previous(this_month),
        semesters=semesters,
        written=written,
        can_write=current_user.role == Role.PENGADUAN,
        allowed={name for name, roles in REPORT_ROLES.items() if current_user.role in roles},
        quarters=quarters,
    )
