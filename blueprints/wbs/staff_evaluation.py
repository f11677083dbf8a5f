"""The Tim WBS's quarterly evaluation and socialisation pages (issue 8, points 12 and 13), and the
`wbs-evaluasi` download, which the pimpinan may take too (aggregates only: no case contents)."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from blueprints.wbs import staff_bp as bp
from zi_public.exports import XLSX_MIMETYPE, report_filename
from zi_public.i18n import period_name
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.rules.periods import QUARTER, Period, parse_period, period_of, previous
from zi_public.security.permissions import get_case_or_404, roles_required
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments
from zi_public.services.reports import export_report
from zi_public.services.wbs import evaluation, socialisation
from zi_public.services.wbs.evaluation import EvaluationConflict, EvaluationRefused, ItemInput
from zi_public.services.wbs.socialisation import ActivityInput, SocialisationRefused

QUARTERS_SHOWN = 8
REPORT = "wbs-evaluasi"


class EvaluationForm(FlaskForm):
    text = TextAreaField(_l("Evaluasi triwulan"), validators=[Length(max=evaluation.TEXT_MAX)])
    submit = SubmitField(_l("Simpan evaluasi"))


class ItemForm(FlaskForm):
    item = TextAreaField(
        _l("Tindak lanjut"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=evaluation.ITEM_MAX)]
    )
    owner = StringField(
        _l("Penanggung jawab"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=evaluation.OWNER_MAX)]
    )
    due_on = DateField(_l("Batas waktu"), validators=[Optional()])
    submit = SubmitField(_l("Tambah tindak lanjut"))


class ItemStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in evaluation.STATUS_LABELS.items()])
    submit = SubmitField(_l("Ubah status"))


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
    quarters = [period_of(QUARTER, today_jakarta())]
    while len(quarters) < QUARTERS_SHOWN:
        quarters.append(previous(quarters[-1]))
    return quarters


@bp.route("/evaluasi", endpoint="evaluation_index")
@roles_required(Role.WBS)
def evaluation_index():
    """The current quarter's evaluation."""
    quarter = period_of(QUARTER, today_jakarta())
    written = evaluation.get_evaluation(quarter)
    return _render_evaluation(
        quarter, form=EvaluationForm(formdata=None, obj=written), item_form=ItemForm(formdata=None)
    )


@bp.route("/evaluasi/<period>", methods=["GET", "POST"], endpoint="evaluation")
@roles_required(Role.WBS)
def evaluation_page(period: str):
    """A quarter's written evaluation, its follow-up items and its socialisation activities."""
    quarter = _quarter_or_404(period)
    written = evaluation.get_evaluation(quarter)
    form = EvaluationForm(obj=written)
    if form.validate_on_submit():
        try:
            evaluation.save_evaluation(current_user, quarter, form.text.data or "")
        except EvaluationRefused as exc:
            form.text.errors = [str(m) for m in exc.errors.values()]
        except EvaluationConflict:
            form.text.errors = [_("Petugas lain baru saja menyimpan evaluasi ini. Kirim ulang.")]
        else:
            flash(_("Evaluasi %(period)s disimpan.", period=period_name(quarter)), "success")
            return redirect(url_for("internal.wbs.evaluation", period=quarter.code))
    return _render_evaluation(quarter, form=form, item_form=ItemForm(formdata=None))


@bp.route("/evaluasi/<period>/tindak-lanjut", methods=["POST"], endpoint="evaluation_item_add")
@roles_required(Role.WBS)
def evaluation_item_add(period: str):
    """Add a follow-up item to a quarter's evaluation."""
    quarter = _quarter_or_404(period)
    item_form = ItemForm()
    if item_form.validate_on_submit():
        data = ItemInput(item_form.item.data or "", item_form.owner.data or "", item_form.due_on.data)
        try:
            evaluation.add_item(current_user, quarter, data)
        except EvaluationRefused as exc:
            for name, message in exc.errors.items():
                getattr(item_form, name, item_form.item).errors = [str(message)]
        else:
            flash(_("Tindak lanjut ditambahkan."), "success")
            return redirect(url_for("internal.wbs.evaluation", period=quarter.code))
    written = evaluation.get_evaluation(quarter)
    return _render_evaluation(quarter, form=EvaluationForm(formdata=None, obj=written), item_form=item_form)


@bp.route("/evaluasi/tindak-lanjut/<int:item_id>", methods=["POST"], endpoint="evaluation_item_status")
@roles_required(Role.WBS)
def evaluation_item_status(item_id: int):
    """Mark a follow-up item done, or open again."""
    item = evaluation.get_item(item_id) or abort(404)
    form = ItemStatusForm()
    if form.validate_on_submit():
        evaluation.set_item_status(current_user, item, form.status.data, today=today_jakarta())
        flash(_("Status tindak lanjut diubah."), "success")
    back = request.args.get("period", item.period)
    return redirect(url_for("internal.wbs.evaluation", period=_quarter_or_404(back).code))


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


def _render_evaluation(quarter: Period, *, form: EvaluationForm, item_form: ItemForm) -> str:
    items = evaluation.items_for(quarter)
    return render_template(
        "wbs/staff/evaluation.html",
        quarter=quarter,
        quarters=_quarters(),
        form=form,
        item_form=item_form,
        items=items,
        status_form=ItemStatusForm(formdata=None),
        status_labels=evaluation.STATUS_LABELS,
        written=evaluation.get_evaluation(quarter),
        activities=socialisation.activities_in(quarter),
    )
