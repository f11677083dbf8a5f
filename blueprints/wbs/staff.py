"""The Tim WBS's inbox, case page, files, actions, conversation and sealed identity (role wbs only).

Nobody else reads a WBS case: not admin, not pimpinan (security/permissions.py CASE_READERS["wbs"]). Every
rendering of a case page is an audited read (services/wbs/inbox.open_case); a refused action re-renders the
page with status 200 so that the read's audit entry is committed with the request.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.case_files import send_case_file
from blueprints.wbs import staff_bp as bp
from blueprints.wbs.staff_forms import (
    ACTION_FORMS,
    REFUSAL_FIELDS,
    InboxFilterForm,
    MessageForm,
    MoveForm,
    NoteForm,
    ReviseTelaahForm,
    SettingsForm,
    UnsealDecisionForm,
    UnsealRequestForm,
)
from blueprints.wbs.staff_messages import refusal_message, success_message, unseal_message
from zi_public.i18n import catalogue_name, format_long_date
from zi_public.labels import CLOCK_STATE_LABELS
from zi_public.localtime import today_jakarta
from zi_public.models import Category, Role, WbsCategory, WbsReport
from zi_public.paging import Page, keyset_page, parse_cursor
from zi_public.rules.wbs import FLOW, Action, Status
from zi_public.security.permissions import get_case_or_404, roles_required
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments, reference
from zi_public.services.wbs import clocks, flow, inbox, messages, unseal
from zi_public.services.wbs import settings as wbs_settings_service
from zi_public.services.wbs.labels import (
    ACTION_LABELS,
    CRITERIA_LABELS,
    HANDLING_LABELS,
    OUTCOME_LABELS,
    SENDER_LABELS,
    STATUS_LABELS,
)

_ACTIONS_URL = "/<int:case_id>/<any(" + ", ".join(a.value for a in FLOW) + "):action>"
_LABELS = {
    "status_labels": STATUS_LABELS,
    "action_labels": ACTION_LABELS,
    "handling_labels": HANDLING_LABELS,
    "outcome_labels": OUTCOME_LABELS,
    "sender_labels": SENDER_LABELS,
    "criteria_labels": CRITERIA_LABELS,
    "clock_state_labels": CLOCK_STATE_LABELS,
}


@bp.route("", endpoint="inbox")
@roles_required(Role.WBS)
def wbs_inbox():
    """Every report, newest first, filtered by status and category; overdue ones stand out."""
    form = InboxFilterForm(formdata=request.args, categories=_choices(WbsCategory))
    today = today_jakarta()
    pending = unseal.pending_for(current_user)
    if not form.validate():
        # A broken filter shows nothing rather than everything: no one mistakes it for a filtered list.
        return render_template("wbs/staff/inbox.html", form=form, page=Page(items=[]), pending=pending, **_LABELS)
    args = form.paging_args()
    for key in ("before", "after"):
        if parse_cursor(request.args.get(key)) is not None:
            args[key] = request.args[key]
    page = keyset_page(
        inbox.inbox_query(form.to_filter(), today), WbsReport.id, args=args, size=current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "wbs/staff/inbox.html",
        form=form,
        page=page,
        overdue={r.id for r in page.items if clocks.is_overdue(r, today)},
        awaiting={*inbox.unread_reporter_messages([r.id for r in page.items])},
        pending=pending,
        filtered=bool(form.paging_args()),
        **_LABELS,
    )


@bp.route("/<int:case_id>", endpoint="case")
@roles_required(Role.WBS)
def wbs_case(case_id: int):
    """Everything about one report (an audited read), with the actions the flow allows now."""
    return _render_case(get_case_or_404("wbs", case_id))


@bp.route(_ACTIONS_URL, methods=["POST"], endpoint="action")
@roles_required(Role.WBS)
def wbs_action(case_id: int, action: str):
    """Telaah, follow up (or hand on), finish or reject a report."""
    report = get_case_or_404("wbs", case_id, for_write=True)
    action = Action(action)
    form = ACTION_FORMS[action](prefix=action.value)
    if not form.validate_on_submit():
        return _render_case(report, failed=(action.value, form))
    try:
        flow.act(current_user, report, action, form.to_input())
    except flow.ActionRefused as refused:
        return _refused(report, action.value, form, refused.code)
    flash(success_message(action, report), "success")
    return redirect(url_for("internal.wbs.case", case_id=report.id))


@bp.route("/<int:case_id>/telaah-ulang", methods=["POST"], endpoint="telaah_revise")
@roles_required(Role.WBS)
def wbs_telaah_revise(case_id: int):
    """Record the SE's criteria again while the report is ditelaah (more evidence arrived)."""
    report = get_case_or_404("wbs", case_id, for_write=True)
    form = ReviseTelaahForm(prefix="revise")
    if not form.validate_on_submit():
        return _render_case(report, failed=("revise", form))
    try:
        flow.revise_telaah(current_user, report, form.to_input())
    except flow.ActionRefused as refused:
        return _refused(report, "revise", form, refused.code)
    flash(_("Hasil telaah diperbarui."), "success")
    return redirect(url_for("internal.wbs.case", case_id=report.id))


@bp.route("/<int:case_id>/pesan", methods=["POST"], endpoint="message")
@roles_required(Role.WBS)
def wbs_message(case_id: int):
    """A message to the reporter (read with their receipt), with files."""
    return _write(
        case_id,
        MessageForm(prefix="message"),
        "message",
        messages.send_to_reporter,
        _("Pesan terkirim; pelapor membacanya dengan kode tanda terimanya."),
    )


@bp.route("/<int:case_id>/catatan", methods=["POST"], endpoint="note")
@roles_required(Role.WBS)
def wbs_note(case_id: int):
    """An internal note (never shown to the reporter), with files."""
    return _write(
        case_id,
        NoteForm(prefix="note"),
        "note",
        messages.add_note,
        _("Catatan internal disimpan (tidak terlihat pelapor)."),
    )


def _write(case_id: int, form: MessageForm | NoteForm, name: str, service, done: str):  # noqa: ANN001, ANN202
    report = get_case_or_404("wbs", case_id, for_write=True)
    if not form.validate_on_submit():
        return _render_case(report, failed=(name, form))
    try:
        service(current_user, report, form.body.data, form.chosen_files())
    except messages.MessageRefused as refused:
        return _refused(report, name, form, refused.code)
    except UploadRejected as rejected:
        form.files.errors = [str(rejected)]
        flash(str(rejected), "error")
        return _render_case(report, failed=(name, form))
    flash(done, "success")
    return redirect(url_for("internal.wbs.case", case_id=report.id))


@bp.route("/<int:case_id>/pindah-ke-pengaduan", methods=["POST"], endpoint="move")
@roles_required(Role.WBS)
def wbs_move(case_id: int):
    """File a rejected report, with its reporter's consent, as an anonymous complaint."""
    report = get_case_or_404("wbs", case_id, for_write=True)
    form = _move_form(report)
    if not form.validate_on_submit():
        return _render_case(report, failed=("move", form))
    try:
        complaint = flow.move_to_pengaduan(current_user, report, form.to_input())
    except flow.ActionRefused as refused:
        for field, message in refused.errors.items():
            if field in form:
                form[field].errors = [str(message)]
        return _refused(report, "move", form, refused.code)
    flash(
        _(
            "Laporan dipindahkan ke pengaduan %(number)s (anonim); nomor dan kode aksesnya dikirim kepada pelapor.",
            number=complaint.number,
        ),
        "success",
    )
    return redirect(url_for("internal.wbs.case", case_id=report.id))


@bp.route("/<int:case_id>/identitas/minta", methods=["POST"], endpoint="unseal_request")
@roles_required(Role.WBS)
def wbs_unseal_request(case_id: int):
    """Ask to open the sealed identity; another member of the team decides."""
    report = get_case_or_404("wbs", case_id, for_write=True)
    form = UnsealRequestForm(prefix="unseal")
    if not form.validate_on_submit():
        return _render_case(report, failed=("unseal", form))
    try:
        unseal.request_unseal(current_user, report, form.reason.data)
    except unseal.UnsealRefused as refused:
        return _refused(report, "unseal", form, refused.code)
    flash(_("Permintaan dicatat. Anggota Tim WBS lain perlu menyetujuinya."), "success")
    return redirect(url_for("internal.wbs.case", case_id=report.id))


@bp.route("/<int:case_id>/identitas/<int:request_id>", methods=["POST"], endpoint="unseal_decide")
@roles_required(Role.WBS)
def wbs_unseal_decide(case_id: int, request_id: int):
    """Approve or refuse another member's request to open the identity."""
    report = get_case_or_404("wbs", case_id, for_write=True)
    form = UnsealDecisionForm(prefix=f"decide-{request_id}")
    if not form.validate_on_submit() or form.approve.data == form.refuse.data:
        abort(400)  # the CSRF token, or a hand-made request that pressed neither button (or both)
    try:
        unseal.decide(current_user, report, request_id, approve=bool(form.approve.data))
    except unseal.UnsealRefused as refused:
        flash(unseal_message(refused.code), "error")
        return _render_case(report)
    flash(_("Permintaan disetujui.") if form.approve.data else _("Permintaan ditolak."), "success")
    return redirect(url_for("internal.wbs.case", case_id=report.id))


@bp.route("/<int:case_id>/identitas", endpoint="identity")
@roles_required(Role.WBS)
def wbs_identity(case_id: int):
    """The sealed identity, for the member whose request was approved; every view is audit-logged."""
    report = get_case_or_404("wbs", case_id)
    try:
        revealed = unseal.reveal(current_user, report)
    except unseal.UnsealRefused as refused:
        flash(unseal_message(refused.code), "error")
        return redirect(url_for("internal.wbs.case", case_id=report.id))
    response = current_app.make_response(render_template("wbs/staff/identity.html", report=report, revealed=revealed))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:case_id>/lampiran/<int:attachment_id>", endpoint="attachment")
@roles_required(Role.WBS)
def wbs_attachment(case_id: int, attachment_id: int):
    """A file of the report or its conversation as a download: an image without its metadata, a PDF as sent."""
    return _send_attachment(case_id, attachment_id, original=False)


@bp.route("/<int:case_id>/lampiran/<int:attachment_id>/asli", endpoint="attachment_original")
@roles_required(Role.WBS)
def wbs_attachment_original(case_id: int, attachment_id: int):
    """A file exactly as sent (the evidence, metadata included), audit-logged as such."""
    return _send_attachment(case_id, attachment_id, original=True)


def _send_attachment(case_id: int, attachment_id: int, *, original: bool):  # noqa: ANN202
    report = get_case_or_404("wbs", case_id, for_write=True)
    return send_case_file(
        lambda: inbox.download(current_user, report, attachment_id, original=original),
        url_for("internal.wbs.case", case_id=report.id),
    )


@bp.route("/pengaturan", methods=["GET", "POST"], endpoint="settings")
@roles_required(Role.WBS)
def wbs_settings():
    """The regulation and the SOP shown on the public WBS pages, as the team words them."""
    form = SettingsForm(data=asdict(wbs_settings_service.public_texts()))
    if form.validate_on_submit():
        changed = wbs_settings_service.save_texts(current_user, form.to_texts())
        flash(_("Teks WBS disimpan.") if changed else _("Tidak ada perubahan."), "success")
        return redirect(url_for("internal.wbs.settings"))
    return render_template("wbs/staff/settings.html", form=form)


def _refused(report: WbsReport, name: str, form: object, code: str):  # noqa: ANN202
    message = refusal_message(code, name)
    flash(message, "error")
    field = REFUSAL_FIELDS.get(code) or ("reason" if code.startswith("reason_") else None)
    if field and field in form:  # type: ignore[operator]
        form[field].errors = [*form[field].errors, message]  # type: ignore[index]
    # 200 like every form that re-renders with its errors: an error status would roll back the request,
    # and with it the audit entry of this read of the case.
    return _render_case(report, failed=(name, form))


def _render_case(report: WbsReport, *, failed: tuple[str, object] | None = None):  # noqa: ANN202
    """The case page; every rendering shows the report's words, so it is audit-logged."""
    inbox.open_case(current_user, report)
    forms: dict[str, object] = {
        action.value: ACTION_FORMS[action](prefix=action.value, formdata=None)
        for action, (sources, _target) in FLOW.items()
        if report.status in sources
    }
    if report.status == Status.DITELAAH:
        forms["revise"] = ReviseTelaahForm(prefix="revise", formdata=None, obj=report)
    if report.status == Status.DITOLAK and report.moved_to_pengaduan_id is None:
        forms["move"] = _move_form(report, formdata=None)
    forms["message"] = MessageForm(prefix="message", formdata=None)
    forms["note"] = NoteForm(prefix="note", formdata=None)
    if report.has_identity:
        forms["unseal"] = UnsealRequestForm(prefix="unseal", formdata=None)
    if failed is not None:
        forms[failed[0]] = failed[1]
    requests = unseal.requests_of(report) if report.has_identity else []
    html = render_template(
        "wbs/staff/case.html",
        report=report,
        clocks=clocks.clocks_of(report, today_jakarta()),
        names=inbox.member_names(report, requests),
        files=inbox.case_files(report),
        is_stripped_for_staff=attachments.is_stripped_for_staff,
        forms=forms,
        requests=requests,
        decision_form=UnsealDecisionForm,
        my_approval=unseal.open_approval(current_user, report) if report.has_identity else None,
        moved_to=inbox.moved_to_number(report),
        **_LABELS,
    )
    return html, 200


def _move_form(report: WbsReport, **kwargs: object) -> MoveForm:
    consent_choices = [
        (m.id, f"{format_long_date(m.sent_on)} — {(m.body or '')[:80]}") for m in flow.consent_messages(report)
    ]
    categories = [(c.code, catalogue_name(c)) for c in reference.active(Category)]
    form = MoveForm(prefix="move", consent_choices=consent_choices, categories=categories, **kwargs)
    if kwargs.get("formdata", True) is None:
        form.title.data, form.description.data = flow.pengaduan_draft(report)
    return form


def _choices(model: type) -> list[tuple[str, str]]:
    """Filter choices: every row, inactive ones too (old reports still carry them)."""
    return [(row.code, catalogue_name(row)) for row in reference.every_row(model)]
