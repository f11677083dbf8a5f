"""The Tim SKM's pages (the pimpinan reads them): a period's results with the quarter's population and the
weighting switch, the population (entered or imported); the follow-up items live in staff_follow_up.py.

Reading pages are open to the Tim SKM and the pimpinan; every write is a POST of its own endpoint, for the
Tim SKM only. A form with typed numbers or long texts must not lose them on a stale page: those POST views
are exempt from the CSRF check that runs before every view and check the token themselves (`csrf.protect()`,
the same check), so an expired or forged token re-renders the page with everything typed and a message, and
saves nothing.
"""

from __future__ import annotations

import io
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from blueprints.skm import staff_bp as bp
from blueprints.skm.staff_forms import (
    EXACT,
    LEGACY,
    PopulationImportForm,
    WeightingForm,
    field_name,
    parse_day,
    population_form,
    typed_numbers,
)
from zi_public.exports import REPORT_ROLES, REPORTS, XLSX_MIMETYPE
from zi_public.extensions import csrf
from zi_public.forms import token_valid
from zi_public.i18n import period_name
from zi_public.labels import label
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, Role
from zi_public.rules.ikm import round_half_up
from zi_public.rules.periods import QUARTER, SEMESTER, YEAR, Period, latest, parse_period, period_of
from zi_public.rules.skm import UNSUR
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import roles_required
from zi_public.services.skm import population, population_import, results, settings
from zi_public.services.skm.labels import EXACT_WEIGHT_LABEL, KINERJA_LABELS, LEGACY_WEIGHT_LABEL, UNSUR_NAMES
from zi_public.services.skm.population import PopulationRefused
from zi_public.services.skm.population_import import PopulationImportRefused

READERS = (Role.SKM, Role.PIMPINAN)
#: How many quarters the period choices offer (the current one and those before it).
QUARTERS_SHOWN = 8
EXPORT = "skm-triwulan"
BAD_PERIOD = _l("Periode tidak valid. Pilih triwulan (2026-Q3), semester (2026-S2) atau tahun (2026).")
BAD_QUARTER = _l("Periode tidak valid. Pilih triwulan, misalnya 2026-Q3.")
BAD_AS_OF = _l("Tanggal tidak valid. Tulis tanggal seperti 2026-03-20.")
#: Every SKM staff page the dashboard and the pages' own navigation link to, when it exists (other parts
#: of the SKM add theirs) and the member's role may open it.
STAFF_PAGES = (
    ("internal.skm.results", _l("Hasil SKM")),
    ("internal.skm.population", _l("Jumlah layanan (populasi)")),
    ("internal.skm.follow_up", _l("Tindak lanjut")),
    ("internal.skm.imports", _l("Impor formulir SKM kertas")),
    ("internal.skm.standards", _l("Standar pelayanan per layanan")),
    ("internal.skm.maklumat", _l("Maklumat pelayanan kantor")),
)


@bp.app_template_global("skm_can_open")
def can_open(endpoint: str) -> bool:
    """Whether `endpoint` exists and the signed-in member's role may open it (its roles_required roles)."""
    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, "allowed_roles", frozenset())
    return view is not None and current_user.is_authenticated and current_user.role in allowed


@bp.app_template_global("skm_staff_pages")
def skm_staff_pages() -> list[tuple[str, object]]:
    """(endpoint, label) of the SKM staff pages that exist and that the signed-in member's role may open."""
    return [(endpoint, text) for endpoint, text in STAFF_PAGES if can_open(endpoint)]


def recent_periods(today: date) -> dict[str, list[Period]]:
    """The period choices: the last quarters, semesters and years."""
    return {
        "quarters": latest(QUARTER, today, QUARTERS_SHOWN),
        "semesters": latest(SEMESTER, today, 2),
        "years": latest(YEAR, today, 2),
    }


def chosen_period(raw: str | None, kinds: tuple[str, ...]) -> tuple[Period, bool]:
    """The ?period= asked for, or the current quarter; and whether what was asked was refused."""
    if raw:
        try:
            period = parse_period(raw, kinds)
        except ValueError:
            return period_of(QUARTER, today_jakarta()), True
        return period, False
    return period_of(QUARTER, today_jakarta()), False


def quarter_or_404(text: str) -> Period:
    try:
        return parse_period(text, (QUARTER,))
    except ValueError:
        abort(404)


@bp.app_template_global("skm_number")
def _number(value: object, places: int) -> str:
    """An IKM or NRR with `places` decimals in the page's language (88,31 / 88.31)."""
    return format_decimal(value, format="0." + "0" * places)


# --- results ------------------------------------------------------------------------------------------


@bp.route("/hasil", endpoint="results")
@roles_required(*READERS)
def results_page():
    """A period's results up to a day: IKM, NRR per unsur, per layanan, sample sufficiency, population."""
    period, bad_period = chosen_period(request.args.get("period"), (QUARTER, SEMESTER, YEAR))
    as_of = parse_day(request.args.get("as_of", "")[:20])
    bad_as_of = isinstance(as_of, Exception)
    if bad_as_of:
        as_of = None
    form = None
    if period.kind == QUARTER and current_user.role == Role.SKM:
        layanan = population_layanan(period)
        form = population_form(layanan, population.quarter_entries(period.year, period.index), from_request=False)
    html = _render_results(period, as_of, form, bad_period=bad_period, bad_as_of=bad_as_of)
    return html, 400 if bad_period or bad_as_of else 200


def _render_results(period: Period, as_of: date | None, form: FlaskForm | None, **errors: bool) -> str:
    legacy = settings.legacy_weighting()
    cut_off = as_of or today_jakarta()  # so far: a response dated after today is not counted yet
    overall = results.result(period, as_of=cut_off, legacy=legacy)
    nrr_rows = []
    if overall.ikm is not None:
        rounded = overall.ikm.nrr_rounded(3)
        weighted = overall.ikm.weighted_nrr()  # × 1/9, or × 0.111 under the legacy weighting (rules/ikm.py)
        for code in UNSUR:
            nrr_rows.append(
                (
                    code,
                    label(UNSUR_NAMES, code),
                    _number(rounded[code], 3),
                    _number(round_half_up(weighted[code], 3), 3),
                )
            )
    return render_template(
        "skm/staff/results.html",
        period=period,
        as_of=as_of,
        overall=overall,
        by_layanan=results.results_by_layanan(period, as_of=cut_off, legacy=legacy),
        nrr_rows=nrr_rows,
        kinerja_labels=KINERJA_LABELS,
        legacy=legacy,
        weight_label=LEGACY_WEIGHT_LABEL if legacy else EXACT_WEIGHT_LABEL,
        weighting_form=WeightingForm(formdata=None, data={"weighting": LEGACY if legacy else EXACT}),
        population_form=form,
        population_layanan=population_layanan(period) if form is not None else [],
        field_name=field_name,
        export_url=_export_url(period),
        choices=recent_periods(today_jakarta()),
        can_write=current_user.role == Role.SKM,
        bad_period=BAD_PERIOD if errors.get("bad_period") else None,
        bad_as_of=BAD_AS_OF if errors.get("bad_as_of") else None,
    )


def _export_url(period: Period) -> str | None:
    """The skm-triwulan download of `period` through the reports page, when it exists and the role may take it."""
    if EXPORT not in REPORTS or current_user.role not in REPORT_ROLES.get(EXPORT, ()):
        return None
    if period.kind not in REPORTS[EXPORT][1]:
        return None
    return url_for("internal.report_download", name=EXPORT, period=period.code)


@bp.route("/pembobotan", methods=["POST"], endpoint="weighting")
@roles_required(Role.SKM)
def weighting():
    """Switch the NRR weighting between the exact 1/9 and the legacy 0.111 (audit-logged)."""
    form = WeightingForm()
    if not form.validate_on_submit():
        abort(400)  # the CSRF token, or a value no radio button sends
    legacy = form.weighting.data == LEGACY
    if settings.set_legacy_weighting(current_user, legacy):
        flash(
            _("Pembobotan diubah: %(label)s.", label=LEGACY_WEIGHT_LABEL if legacy else EXACT_WEIGHT_LABEL), "success"
        )
    period, _bad = chosen_period(request.args.get("period"), (QUARTER, SEMESTER, YEAR))
    return redirect(url_for("internal.skm.results", period=period.code))


# --- population ---------------------------------------------------------------------------------------


def population_layanan(quarter: Period) -> list[Layanan]:
    """The layanan a quarter's form lists (services/skm/population.quarter_layanan says which)."""
    return population.quarter_layanan(quarter.year, quarter.index)


@bp.route("/populasi", endpoint="population")
@roles_required(*READERS)
def population_page():
    """A quarter's population per layanan: the numbers, and for the Tim SKM the form and the import."""
    quarter, bad = chosen_period(request.args.get("period"), (QUARTER,))
    layanan = population_layanan(quarter)
    form = population_form(layanan, population.quarter_entries(quarter.year, quarter.index), from_request=False)
    return _render_population(quarter, layanan, form, PopulationImportForm(formdata=None), bad_period=bad)


@bp.route("/populasi/<period>", methods=["POST"], endpoint="population_save")
@csrf.exempt
@roles_required(Role.SKM)
@checks_every_field
def population_save(period: str):
    """Save a quarter's numbers, all or nothing; a refused form comes back as typed with its messages."""
    quarter = quarter_or_404(period)
    layanan = population_layanan(quarter)
    form = population_form(layanan, population.quarter_entries(quarter.year, quarter.index), from_request=True)
    if not token_valid(form):
        return _render_population(quarter, layanan, form, PopulationImportForm(formdata=None), status=400)
    try:
        changed = population.set_populations(current_user, quarter.year, quarter.index, typed_numbers(form, layanan))
    except PopulationRefused as exc:
        form.show_errors(exc.errors, {item.code: field_name(item) for item in layanan})
        return _render_population(quarter, layanan, form, PopulationImportForm(formdata=None), status=400)
    flash(_("Jumlah layanan %(period)s disimpan (%(n)d berubah).", period=period_name(quarter), n=changed), "success")
    back = "internal.skm.results" if request.args.get("from") == "results" else "internal.skm.population"
    return redirect(url_for(back, period=quarter.code))


@bp.route("/populasi/<period>/impor", methods=["POST"], endpoint="population_import")
@roles_required(Role.SKM)
def population_import_page(period: str):
    """Import a quarter's numbers from an xlsx or CSV file, all or nothing; the problems listed by row."""
    quarter = quarter_or_404(period)
    layanan = population_layanan(quarter)
    form = population_form(layanan, population.quarter_entries(quarter.year, quarter.index), from_request=False)
    upload = PopulationImportForm()
    if not upload.validate_on_submit():
        abort(400)  # only the CSRF token can fail here: the file is checked by the service
    file = upload.file.data
    if not getattr(file, "filename", ""):
        upload.file.errors = [_("Pilih berkas xlsx atau CSV.")]
        return _render_population(quarter, layanan, form, upload, status=400)
    data = file.stream.read(population_import.MAX_IMPORT_BYTES + 1)
    try:
        outcome = population_import.import_populations(current_user, quarter.year, quarter.index, data, file.filename)
    except PopulationImportRefused as exc:
        return _render_population(quarter, layanan, form, upload, import_errors=exc.errors, status=400)
    message = _(
        "Impor %(period)s selesai: %(rows)d baris, %(n)d jumlah berubah.",
        period=period_name(quarter),
        rows=outcome.rows,
        n=outcome.changed,
    )
    flash(message, "success")
    return redirect(url_for("internal.skm.population", period=quarter.code))


@bp.route("/populasi/<period>/templat.xlsx", endpoint="population_template")
@roles_required(Role.SKM)
def population_template(period: str):
    """An xlsx to fill in for the import: every active layanan with the quarter's numbers so far."""
    quarter = quarter_or_404(period)
    response = send_file(
        io.BytesIO(population_import.template_xlsx(quarter.year, quarter.index)),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"populasi-skm-{quarter.code}.xlsx",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_population(
    quarter: Period,
    layanan: list[Layanan],
    form: FlaskForm,
    upload: PopulationImportForm,
    *,
    import_errors: list | None = None,
    bad_period: bool = False,
    status: int | None = None,
):  # noqa: ANN202 - a (page, status) pair
    html = render_template(
        "skm/staff/population.html",
        quarter=quarter,
        layanan=layanan,
        form=form,
        upload=upload,
        import_errors=import_errors or [],
        field_name=field_name,
        total=population.population(quarter),
        choices=recent_periods(today_jakarta()),
        can_write=current_user.role == Role.SKM,
        bad_period=BAD_QUARTER if bad_period else None,
        headings=population_import.TEMPLATE_HEADINGS,
    )
    return html, status or (400 if bad_period else 200)


from blueprints.skm import staff_follow_up  # noqa: E402,F401 - the follow-up pages of the same area
