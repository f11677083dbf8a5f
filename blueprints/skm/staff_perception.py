"""The Tim SKM's perception-survey pages (issue 9, point 11): the questionnaires (load a shipped one, or one
pasted or uploaded as JSON; switch each on or off for respondents, publish its results), each one's
definition and results per period, its paper template and import, and the `skm-persepsi` export.

The Tim SKM writes; the pimpinan reads the questionnaires and results and downloads the export (anonymous
aggregates and answers only). Every change is audit-logged by the services.
"""

from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SubmitField, TextAreaField

from blueprints.skm import staff_bp as bp
from blueprints.skm.staff_forms import ImportForm
from zi_public.exports import XLSX_MIMETYPE, report_filename
from zi_public.forms import readable_text
from zi_public.localtime import today_jakarta
from zi_public.models import PerceptionQuestionnaire, Role
from zi_public.rules.periods import QUARTER, SEMESTER, YEAR, Period, parse_period, period_of
from zi_public.security.permissions import roles_required
from zi_public.services.reports import export_report
from zi_public.services.skm import perception, perception_paper, perception_results
from zi_public.services.skm.labels import CHANNEL_LABELS

REPORT = "skm-persepsi"
KINDS = (QUARTER, SEMESTER, YEAR)
STATUS_ACTIONS = {
    "activate": (perception.set_active, True, _l("Kuesioner dibuka untuk responden.")),
    "deactivate": (perception.set_active, False, _l("Kuesioner ditutup untuk responden.")),
    "publish": (perception.set_published, True, _l("Hasil kuesioner ditampilkan di situs publik.")),
    "unpublish": (perception.set_published, False, _l("Hasil kuesioner tidak lagi ditampilkan di situs publik.")),
}


class LoadShippedForm(FlaskForm):
    code = HiddenField()
    submit = SubmitField(_l("Muat"))


class LoadJsonForm(FlaskForm):
    definition = TextAreaField(_l("Definisi kuesioner (JSON)"), validators=[readable_text], render_kw={"rows": 12})
    file = FileField(_l("atau unggah berkas JSON"), render_kw={"accept": ".json,application/json"})
    submit = SubmitField(_l("Periksa dan muat"))


class StatusForm(FlaskForm):
    action = HiddenField()
    submit = SubmitField(_l("Ubah"))


def _questionnaire_or_404(code: str) -> PerceptionQuestionnaire:
    return perception.by_code(code) or abort(404)


def _period_or_404(text: str) -> Period:
    try:
        return parse_period(text, KINDS)
    except ValueError:
        abort(404)


@bp.route("/persepsi", endpoint="perception_list")
@roles_required(Role.SKM, Role.PIMPINAN)
def perception_list():
    """The questionnaires, the shipped ones not loaded yet, and the JSON form (Tim SKM)."""
    return _render_list(LoadJsonForm(formdata=None))


def _render_list(json_form: LoadJsonForm, problems: list | None = None, status: int = 200):  # noqa: ANN202
    page = render_template(
        "skm/staff/perception_list.html",
        questionnaires=perception.all_questionnaires(),
        shipped=perception.shipped_not_loaded(),
        load_form=LoadShippedForm(formdata=None),
        json_form=json_form,
        status_form=StatusForm(formdata=None),
        problems=problems or [],
        can_write=current_user.role == Role.SKM,
        locale=str(get_locale()),
        this_quarter=period_of(QUARTER, today_jakarta()),
    )
    return page, status


@bp.route("/persepsi/muat", methods=["POST"], endpoint="perception_load_shipped")
@roles_required(Role.SKM)
def perception_load_shipped():
    """Load a questionnaire shipped with the application (inactive until switched on)."""
    form = LoadShippedForm()
    if not form.validate_on_submit():
        abort(400)  # only the CSRF token can fail here
    try:
        loaded = perception.load_shipped(current_user, form.code.data or "")
    except perception.DefinitionRefused as exc:
        return _render_list(LoadJsonForm(formdata=None), exc.problems, status=400)
    _flash_loaded(loaded)
    return redirect(url_for("internal.skm.perception_detail", code=loaded.code))


@bp.route("/persepsi/unggah", methods=["POST"], endpoint="perception_load_json")
@roles_required(Role.SKM)
def perception_load_json():
    """Load a questionnaire from pasted or uploaded JSON, checked against the schema; the problems listed."""
    form = LoadJsonForm()
    if not form.validate_on_submit():
        return _render_list(form, status=400)
    file = form.file.data
    if getattr(file, "filename", ""):
        text: str | bytes = file.stream.read(perception.MAX_DEFINITION_BYTES + 1)
    else:
        text = form.definition.data or ""
    if not text.strip():
        form.definition.errors = [_("Tempel definisi JSON atau pilih berkasnya.")]
        return _render_list(form, status=400)
    try:
        loaded = perception.load_json(current_user, text)
    except perception.DefinitionRefused as exc:
        return _render_list(form, exc.problems, status=400)
    _flash_loaded(loaded)
    return redirect(url_for("internal.skm.perception_detail", code=loaded.code))


def _flash_loaded(loaded: PerceptionQuestionnaire) -> None:
    """Name the loaded questionnaire by its title in the page's language (its code means nothing to the team)."""
    title = loaded.definition.title.get(str(get_locale()))
    flash(_("Kuesioner “%(title)s” dimuat; buka untuk responden bila sudah siap.", title=title), "success")


@bp.route("/persepsi/<code>/status", methods=["POST"], endpoint="perception_status")
@roles_required(Role.SKM)
def perception_status(code: str):
    """Open or close the questionnaire for respondents; publish its results or take them down."""
    questionnaire = _questionnaire_or_404(code)
    form = StatusForm()
    if not form.validate_on_submit() or form.action.data not in STATUS_ACTIONS:
        abort(400)
    change, on, message = STATUS_ACTIONS[form.action.data]
    change(current_user, questionnaire, on)
    flash(str(message), "success")
    return redirect(url_for("internal.skm.perception_detail", code=questionnaire.code))


@bp.route("/persepsi/<code>", endpoint="perception_detail")
@roles_required(Role.SKM, Role.PIMPINAN)
def perception_detail(code: str):
    """The definition with its source, and the results of a period (?periode=; default this quarter)."""
    questionnaire = _questionnaire_or_404(code)
    today = today_jakarta()
    period = _period_or_404(request.args["periode"]) if request.args.get("periode") else period_of(QUARTER, today)
    shown = perception_results.result(questionnaire, period, as_of=min(period.end, today))
    return render_template(
        "skm/staff/perception_detail.html",
        questionnaire=questionnaire,
        definition=questionnaire.definition,
        shown=shown,
        periods=_periods(today),
        status_form=StatusForm(formdata=None),
        can_write=current_user.role == Role.SKM,
        channel_labels=CHANNEL_LABELS,
        locale=str(get_locale()),
    )


def _periods(today: date) -> list[Period]:
    quarters = perception_results.quarter_list(today, 4)
    return [*quarters, period_of(SEMESTER, today), period_of(YEAR, today)]


@bp.route("/persepsi/<code>/templat.xlsx", endpoint="perception_template")
@roles_required(Role.SKM)
def perception_template(code: str):
    """The paper template: one row a form, one column per item headed by its code."""
    questionnaire = _questionnaire_or_404(code)
    content = perception_paper.template(questionnaire, str(get_locale()))
    return _xlsx(content, f"templat-{questionnaire.code}.xlsx")


@bp.route("/persepsi/<code>/impor", methods=["GET", "POST"], endpoint="perception_import")
@roles_required(Role.SKM)
def perception_import(code: str):
    """Upload filled paper forms: every row checked, all imported or none, the problems by row and column."""
    questionnaire = _questionnaire_or_404(code)
    form = ImportForm()
    errors: list = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            file = form.file.data
            data = file.stream.read(perception_paper.MAX_IMPORT_BYTES + 1)
            try:
                outcome = perception_paper.import_file(current_user, questionnaire, data, file.filename or "")
            except perception_paper.PaperImportRefused as exc:
                errors = exc.errors
            else:
                if outcome.already:
                    flash(
                        _(
                            "Berkas ini sudah pernah diimpor (%(n)d baris); tidak ada yang diimpor lagi.",
                            n=outcome.rows,
                        ),
                        "warning",
                    )
                else:
                    flash(_("%(n)d formulir kertas diimpor.", n=outcome.rows), "success")
                return redirect(url_for("internal.skm.perception_detail", code=questionnaire.code))
    page = render_template(
        "skm/staff/perception_import.html",
        questionnaire=questionnaire,
        definition=questionnaire.definition,
        form=form,
        errors=errors,
        max_rows=perception_paper.MAX_IMPORT_ROWS,
        locale=str(get_locale()),
    )
    return page, status


@bp.route("/persepsi/ekspor/<period>.xlsx", endpoint="perception_export")
@roles_required(Role.SKM, Role.PIMPINAN)
def perception_export(period: str):
    """The `skm-persepsi` report of a quarter, semester or year, audit-logged."""
    chosen = _period_or_404(period)
    if chosen.start > today_jakarta():
        abort(404)
    export = export_report(current_user, REPORT, chosen, lang=str(get_locale()))
    return _xlsx(export.content, report_filename(REPORT, chosen))


def _xlsx(content: bytes, name: str):  # noqa: ANN202
    response = send_file(io.BytesIO(content), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response
