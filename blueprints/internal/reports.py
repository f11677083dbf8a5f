"""Reports page: xlsx downloads for a chosen period; the semester monev's own pages are blueprints/internal/monev.py."""

from __future__ import annotations

import io

from flask import abort, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.internal import bp
from zi_public.exports import REPORT_ROLES, REPORTS, XLSX_MIMETYPE, report_filename
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.rules.periods import MONTH, QUARTER, SEMESTER, latest, parse_period, period_of, previous
from zi_public.security.permissions import roles_required
from zi_public.services import evaluations
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


def _render_reports(errors: dict[str, str] | None = None, typed: dict[str, str] | None = None) -> str:
    today = today_jakarta()
    this_month = period_of(MONTH, today)
    semesters = latest(SEMESTER, today, SEMESTERS_SHOWN)
    quarters = latest(QUARTER, today, QUARTERS_SHOWN)
    written = {s.code: evaluations.get_evaluation("pengaduan_monev", s) for s in semesters}
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
