"""The Tim WBS's quarterly evaluation and socialisation pages (issue 8, points 12 and 13), and the
`wbs-evaluasi` download, which the pimpinan may take too (aggregates only: no case contents).

The evaluation is a period evaluation of scope wbs (services/evaluations.py), as the UPG's benturan evaluation
is: the team's text, its follow-up items with owner, due date, status and evidence (an open one is carried into
the next quarter), a version marked final locks the text and the items' wording, and a new version keeps the
final one readable (services/evaluation_versions.py). The pages' sections are templates/_evaluation_sections.html;
a refused write shows the page again with what was typed (blueprints/evaluation_pages.py): 400 for the input,
409 for a save over a colleague's newer one or a change a final version locks. Only the Tim WBS opens them.
"""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.evaluation_pages import QUARTER_WORDS, EvaluationWrites, quarter_page, render_archived
from blueprints.wbs import staff_bp as bp
from zi_public.exports import XLSX_MIMETYPE, report_filename
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.rules.periods import QUARTER, Period, latest, parse_period, period_of
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import get_case_or_404, roles_required
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments, evaluations
from zi_public.services.reports import export_report
from zi_public.services.wbs import EVALUATION_SCOPE, socialisation
from zi_public.services.wbs.socialisation import ActivityInput, SocialisationRefused

QUARTERS_SHOWN = 8
REPORT = "wbs-evaluasi"
SCOPE = EVALUATION_SCOPE


class ActivityForm(FlaskForm):
    held_on = DateField(_l("Tanggal kegiatan"), validators=[DataRequired(_l("Isi tanggal kegiatan."))])
    medium = StringField(
        _l("Media"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=socialisation.MEDIUM_MAX)]
    )
    audience = StringField(
        _l("Peserta / sasaran"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=socialisation.AUDIENCE_MAX)]
    )
    summary = TextAreaField(_l("Uraian singkat"), validators=[Length(max=socialisation.SUMMARY_MAX)])
    files = MultipleFileField(_l("Bukti (foto atau PDF, opsional)"))
    submit = SubmitField(_l("Simpan kegiatan"))


def _quarter_or_404(text: str) -> Period:
    try:
        return parse_period(text, (QUARTER,))
    except ValueError:
        abort(404)


@bp.app_template_global("wbs_evaluation_quarters")
def evaluation_quarters(count: int = 4) -> list[Period]:
    """The current quarter and those before it, for links to the evaluation (the dashboards')."""
    return _quarters()[:count]


def _quarters() -> list[Period]:
    return latest(QUARTER, today_jakarta(), QUARTERS_SHOWN)


def _page(quarter: Period, anchor: str | None = None) -> str:
    return url_for("internal.wbs.evaluation", period=quarter.code, _anchor=anchor)


@bp.route("/evaluasi", endpoint="evaluation_index")
@roles_required(Role.WBS)
def evaluation_index():
    """The current quarter's evaluation."""
    return _render_evaluation(period_of(QUARTER, today_jakarta()))


@bp.route("/evaluasi/<period>", methods=["GET", "POST"], endpoint="evaluation")
@roles_required(Role.WBS)
@checks_every_field
def evaluation_page(period: str):
    """A quarter's written evaluation, its follow-up items and its versions; a POST saves the text, refusing a
    save over a colleague's."""
    quarter = _quarter_or_404(period)
    if request.method == "GET":
        return _render_evaluation(quarter)
    return WRITES.save_text(quarter)


@bp.route("/evaluasi/<period>/tindak-lanjut", methods=["POST"], endpoint="evaluation_item_add")
@roles_required(Role.WBS)
@checks_every_field
def evaluation_item_add(period: str):
    """Add a follow-up item to a quarter's evaluation."""
    return WRITES.add_item(_quarter_or_404(period))


@bp.route("/evaluasi/tindak-lanjut/<int:item_id>", methods=["POST"], endpoint="evaluation_item_update")
@roles_required(Role.WBS)
@checks_every_field
def evaluation_item_update(item_id: int):
    """Record where a follow-up item stands (status, evidence); back to ?period= (default: the quarter that set
    it)."""
    item = evaluations.get_item(SCOPE, item_id) or abort(404)
    return WRITES.update_item(_quarter_or_404(request.args.get("period") or item.period), item)


@bp.route("/evaluasi/<period>/final", methods=["POST"], endpoint="evaluation_final")
@roles_required(Role.WBS)
def evaluation_final(period: str):
    """Mark the quarter's current version final (after the confirmation): its text and items are locked."""
    return WRITES.mark_final(_quarter_or_404(period))


@bp.route("/evaluasi/<period>/versi-baru", methods=["POST"], endpoint="evaluation_new_version")
@roles_required(Role.WBS)
def evaluation_new_version(period: str):
    """Keep the quarter's final version as it is and open the next one as a draft."""
    return WRITES.new_version(_quarter_or_404(period))


@bp.route("/evaluasi/<period>/versi/<int:number>", endpoint="evaluation_version")
@roles_required(Role.WBS)
def evaluation_version(period: str, number: int):
    """An earlier final version of the quarter's evaluation, as it was when the next one was opened."""
    quarter = _quarter_or_404(period)
    return render_archived("wbs/staff/evaluation_version.html", SCOPE, quarter, number, quarter=quarter)


@bp.route("/evaluasi/<period>.xlsx", endpoint="evaluation_export")
@roles_required(Role.WBS, Role.PIMPINAN)
def evaluation_export(period: str):
    """The quarter's evaluation as an xlsx document (aggregates only), audit-logged."""
    quarter = _quarter_or_404(period)
    export = export_report(current_user, REPORT, quarter, lang=str(get_locale()))
    response = send_file(
        io.BytesIO(export.content),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=report_filename(REPORT, quarter),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sosialisasi", methods=["GET", "POST"], endpoint="socialisation")
@roles_required(Role.WBS)
def socialisation_page():
    """Record a socialisation activity with its evidence; the activities of the chosen quarter."""
    quarter = _quarter_or_404(request.args.get("period") or period_of(QUARTER, today_jakarta()).code)
    form = ActivityForm()
    if form.validate_on_submit():
        data = ActivityInput(
            form.held_on.data, form.medium.data or "", form.audience.data or "", form.summary.data or ""
        )
        files = [f for f in form.files.data or [] if getattr(f, "filename", "")]
        try:
            activity = socialisation.record_activity(current_user, data, files, today=today_jakarta())
        except SocialisationRefused as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.medium).errors = [str(message)]
        except UploadRejected as exc:
            form.files.errors = [str(exc.message) if hasattr(exc, "message") else _("Berkas ditolak.")]
        else:
            flash(_("Kegiatan sosialisasi disimpan."), "success")
            return redirect(url_for("internal.wbs.socialisation", period=period_of(QUARTER, activity.held_on).code))
    return render_template(
        "wbs/staff/evaluation_socialisation.html",
        form=form,
        quarter=quarter,
        quarters=_quarters(),
        activities=socialisation.activities_in(quarter),
        media=[str(m) for m in socialisation.MEDIA],
    )


@bp.route("/sosialisasi/<int:activity_id>/bukti/<int:attachment_id>", endpoint="socialisation_file")
@roles_required(Role.WBS)
def socialisation_file(activity_id: int, attachment_id: int):
    """One evidence file of an activity, as a download (images without their metadata)."""
    activity = get_case_or_404(socialisation.KIND, activity_id)
    try:
        download = attachments.download(current_user, activity, attachment_id)
    except (attachments.AttachmentNotFound, attachments.CleanCopyFailed):
        abort(404)
    response = send_file(
        io.BytesIO(download.data),
        mimetype=download.attachment.content_type,
        as_attachment=True,
        download_name=download.attachment.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_evaluation(quarter: Period, *, status: int = 200, **posted: object) -> tuple[str, int]:
    """The quarter's page; `posted` is the refused form (blueprints.evaluation_pages.quarter_page's keywords)."""
    html = render_template(
        "wbs/staff/evaluation.html",
        page=quarter_page(SCOPE, quarter, **posted),
        quarter=quarter,
        quarters=_quarters(),
        activities=socialisation.activities_in(quarter),
    )
    return html, status


WRITES = EvaluationWrites(SCOPE, QUARTER_WORDS, _render_evaluation, _page)
