"""The Tim Pengaduan's inbox, case page, attachment downloads and actions (pimpinan reads)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from blueprints.case_files import send_case_file
from blueprints.pengaduan import staff_bp as bp
from blueprints.pengaduan.staff_forms import (
    ACTION_FORMS,
    ACTION_HEADINGS,
    ACTION_HINTS,
    ACTION_ORDER,
    EXPIRED_FORM,
    REFUSAL_FIELDS,
    DisposeForm,
    InboxFilterForm,
)
from zi_public.extensions import csrf
from zi_public.forms import TEXT_PROBLEM_MESSAGES, token_valid
from zi_public.i18n import catalogue_name, format_long_date
from zi_public.labels import CLOCK_STATE_LABELS
from zi_public.localtime import today_jakarta
from zi_public.models import Bidang, Category, Pengaduan, Role
from zi_public.paging import Page, keyset_page, parse_cursor
from zi_public.rules.pengaduan import ENDING_ACTIONS, STAFF_ACTIONS, Action, allowed_actions
from zi_public.rules.text import TextProblem
from zi_public.security.permissions import get_case_or_404, roles_required
from zi_public.services import attachments, reference
from zi_public.services.pengaduan import clocks, inbox, visibility
from zi_public.services.pengaduan.filing import is_late
from zi_public.services.pengaduan.flow import BODY_MAX, ActionAlreadyRecorded, ActionRefused, act, has_answer
from zi_public.services.pengaduan.labels import ACTION_LABELS, CHANNEL_LABELS, CLOCK_NAME_LABELS, STATUS_LABELS

_ACTIONS_URL = "/<int:case_id>/<any(" + ", ".join(a.value for a in STAFF_ACTIONS) + "):action>"
_LABELS = {
    "status_labels": STATUS_LABELS,
    "channel_labels": CHANNEL_LABELS,
    "action_labels": ACTION_LABELS,
    "clock_state_labels": CLOCK_STATE_LABELS,
    "clock_name_labels": CLOCK_NAME_LABELS,
    "action_headings": ACTION_HEADINGS,
    "action_hints": ACTION_HINTS,
}


@bp.route("", endpoint="inbox")
@roles_required(Role.PENGADUAN, Role.PIMPINAN)
def pengaduan_inbox():
    """Every complaint, newest first, filtered; each open one's next due date coloured by how close it is."""
    form = InboxFilterForm(formdata=request.args, categories=_choices(Category), bidang=_choices(Bidang))
    today = today_jakarta()
    can_record = current_user.role == Role.PENGADUAN  # the intake form's roles (intake.pengaduan_intake)
    if not form.validate():
        # A broken filter shows nothing rather than everything: no one mistakes it for a filtered list.
        return render_template(
            "pengaduan/staff/inbox.html", form=form, page=Page(items=[]), due={}, can_record=can_record, **_LABELS
        )
    args = form.paging_args()
    for key in ("before", "after"):
        if parse_cursor(request.args.get(key)) is not None:
            args[key] = request.args[key]
    stmt = inbox.inbox_query(form.to_filter(), today)
    page = keyset_page(stmt, Pengaduan.id, args=args, size=current_app.config["PAGE_SIZE"])
    return render_template(
        "pengaduan/staff/inbox.html",
        form=form,
        page=page,
        due=inbox.next_dues([case.id for case in page.items], today),
        filtered=bool(form.paging_args()),
        can_record=can_record,
        **_LABELS,
    )


@bp.route("/<int:case_id>", endpoint="case")
@roles_required(Role.PENGADUAN, Role.PIMPINAN)
def pengaduan_case(case_id: int):
    """Everything about one complaint; the team also gets the actions the flow allows now."""
    case = get_case_or_404("pengaduan", case_id)
    return _render_case(case)


@bp.route("/<int:case_id>/lampiran/<int:attachment_id>", endpoint="attachment")
@roles_required(Role.PENGADUAN)
def pengaduan_attachment(case_id: int, attachment_id: int):
    """One attachment as a download: an image without its metadata (location, camera), a PDF as sent."""
    return _send_attachment(case_id, attachment_id, original=False)


@bp.route("/<int:case_id>/lampiran/<int:attachment_id>/asli", endpoint="attachment_original")
@roles_required(Role.PENGADUAN)
def pengaduan_attachment_original(case_id: int, attachment_id: int):
    """One attachment exactly as the reporter sent it (the evidence, metadata included), audit-logged as such."""
    return _send_attachment(case_id, attachment_id, original=True)


def _send_attachment(case_id: int, attachment_id: int, *, original: bool):  # noqa: ANN202
    case = get_case_or_404("pengaduan", case_id, for_write=True)
    return send_case_file(
        lambda: attachments.download(current_user, case, attachment_id, original=original),
        url_for("internal.pengaduan.case", case_id=case.id),
    )


@bp.route(_ACTIONS_URL, methods=["POST"], endpoint="action")
@csrf.exempt  # the view checks the token itself, so an expired form comes back with what was typed
@roles_required(Role.PENGADUAN)
def pengaduan_action(case_id: int, action: str):
    """Verify, reject, forward, dispose, follow up, answer, finish or reopen a complaint."""
    case = get_case_or_404("pengaduan", case_id, for_write=True)
    action = Action(action)
    form = _action_form(action)
    if not (token_valid(form) and form.validate()):  # the token, and the confirmation of an ending action
        return _refused(case, action, form, _form_problem(form))
    try:  # an answer is mailed to the reporter with it; the same form sent again records (and mails) nothing
        act(current_user, case, action, form.to_input(), submission_key=form.submission_key.data)
    except ActionAlreadyRecorded:
        flash(_("Tindakan ini sudah tercatat."), "info")
        return redirect(url_for("internal.pengaduan.case", case_id=case.id))
    except ActionRefused as refused:
        message = _refusal_message(refused.code, action)
        if refused.code in REFUSAL_FIELDS and REFUSAL_FIELDS[refused.code] in form:
            form[REFUSAL_FIELDS[refused.code]].errors.append(message)
        return _refused(case, action, form, message)
    flash(_success_message(action, case), "success")
    return redirect(url_for("internal.pengaduan.case", case_id=case.id))


def _refused(case: Pengaduan, action: Action, form: FlaskForm, message: str) -> str:
    """The case page again with the refused form as typed and why, at the top and in the action's block.

    200 like every form that re-renders with its errors: an error status would roll back the request, and with
    it the audit entry of this read of the case (which may show a rahasia identity). Nothing was changed.
    """
    flash(message, "error")
    return _render_case(case, failed=(action, form, message))


def _form_problem(form: FlaskForm) -> str:
    if "csrf_token" in form.errors:
        return str(EXPIRED_FORM)
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _render_case(case: Pengaduan, *, failed: tuple[Action, FlaskForm, str] | None = None) -> str:
    """The case page; every rendering is a read of the reporter's data, so it is audit-logged."""
    reporter = visibility.open_case(current_user, case)
    forms = {}
    if current_user.role == Role.PENGADUAN:
        allowed = allowed_actions(case.status, is_closed=case.is_closed)
        order = [action for action in ACTION_ORDER.get(case.status, ()) if action in allowed]
        forms = {action: _action_form(action, formdata=None) for action in order}
        if failed is not None and failed[0] in forms:
            forms[failed[0]] = failed[1]
    return render_template(
        "pengaduan/staff/case.html",
        case=case,
        reporter=reporter,
        clocks=clocks.clocks_of(case, today_jakarta()),
        is_late=is_late(case),
        actor_names=inbox.actor_names(case.events, also=(case.recorded_by_id,)),
        forms=forms,
        ending=ENDING_ACTIONS,
        failed_action=failed[0] if failed else None,
        failed_message=failed[2] if failed else "",
        has_answer=has_answer(case),
        reply_days=clocks.clock_policy().reply_days,  # the reporter's reply window after finishing
        can_download=current_user.role == Role.PENGADUAN,
        files=attachments.originals(case),
        is_stripped_for_staff=attachments.is_stripped_for_staff,
        reporter_sees=visibility.reporter_sees,
        reporter_reads_text=visibility.reporter_reads_text,
        **_LABELS,
    )


def _action_form(action: Action, **kwargs: object):  # noqa: ANN202
    form_class = ACTION_FORMS[action]
    if form_class is DisposeForm:
        kwargs["bidang_choices"] = [(b.id, catalogue_name(b)) for b in reference.active(Bidang)]
    return form_class(prefix=action.value, **kwargs)


def _choices(model: type) -> list[tuple[str, str]]:
    """Filter choices: every row, inactive ones too (old cases still carry them), named in the page's language."""
    return [(row.code, catalogue_name(row)) for row in reference.every_row(model)]


def _success_message(action: Action, case: Pengaduan) -> str:
    messages = {
        Action.VERIFY: _(
            "Pengaduan diverifikasi. Batas tindak lanjut: %(date)s.", date=format_long_date(case.followup_by)
        ),
        Action.REJECT: _("Pengaduan ditolak; alasan ditampilkan kepada pelapor."),
        Action.FORWARD: _("Pengaduan dialihkan ke %(target)s.", target=case.forwarded_to),
        Action.DISPOSE: _(
            "Pengaduan didisposisikan ke %(bidang)s.", bidang=catalogue_name(case.bidang) if case.bidang else ""
        ),
        Action.FOLLOW_UP: _("Tindak lanjut dicatat (internal, tidak terlihat pelapor)."),
        Action.ANSWER: _("Tanggapan disimpan dan ditampilkan kepada pelapor."),
        Action.FINISH: _(
            "Pengaduan diselesaikan. Pelapor dapat menanggapi sampai %(date)s.", date=format_long_date(case.reply_until)
        ),
        Action.REOPEN: _("Pengaduan dibuka kembali."),
    }
    return messages[action]


def _refusal_message(code: str, action: Action) -> str:
    body_required = {
        Action.REJECT: _("Tulis alasan penolakan."),
        Action.DISPOSE: _("Tulis instruksi disposisi untuk bidang."),
        Action.FOLLOW_UP: _("Tulis tindak lanjut yang dilakukan."),
        Action.ANSWER: _("Tulis isi tanggapan kepada pelapor."),
        Action.REOPEN: _("Tulis alasan membuka kembali pengaduan."),
    }
    messages = {
        "flow": _("Tindakan ini tidak dapat dilakukan pada status saat ini."),
        "body_required": body_required.get(action, _("Isian teks wajib diisi.")),
        "body_too_long": _("Teks terlalu panjang: paling banyak %(n)d karakter.", n=BODY_MAX),
        "bidang_required": _("Pilih bidang tujuan disposisi dari daftar."),
        "forward_target_required": _("Tulis nama instansi tujuan pengalihan."),
        "forward_target_too_long": _("Nama instansi tujuan paling banyak 200 karakter."),
        "body_unreadable": str(TEXT_PROBLEM_MESSAGES[TextProblem.UNREADABLE]),
        "forward_target_unreadable": str(TEXT_PROBLEM_MESSAGES[TextProblem.UNREADABLE]),
        "answer_required": _("Kirim tanggapan kepada pelapor sebelum menyelesaikan."),
    }
    return messages.get(code, _("Tindakan ini tidak dapat dilakukan."))
