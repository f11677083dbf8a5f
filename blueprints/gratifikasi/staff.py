"""The UPG's gratifikasi inbox, case page, attachment downloads and flow actions (part C of issue 10).

Only the UPG and the pimpinan get in, and the pimpinan only reads (restrict_area): the pimpinan's case page has no
forms. Every rendering of a case page that shows the reporter's data is an audited read (inbox.open_case).
A refused action answers 400 and so rolls the request back, audit entries included: its page therefore
shows the forms with their messages and the case's facts, but none of the encrypted personal data (no read
happened that could be recorded); a link opens the full page.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.case_files import send_case_file
from blueprints.gratifikasi import staff_bp as bp
from blueprints.gratifikasi.staff_forms import ACTION_FORMS, ActionForm, InboxFilterForm
from zi_public.i18n import format_long_date
from zi_public.labels import CLOCK_STATE_LABELS
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.paging import Page, keyset_page, parse_cursor
from zi_public.rules import gratifikasi as rules
from zi_public.rules.gratifikasi import Action
from zi_public.rules.gratifikasi_regulations import assess
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import get_case_or_404
from zi_public.services import attachments
from zi_public.services.gratifikasi import clocks, flow, inbox
from zi_public.services.gratifikasi.labels import (
    ACTION_BUTTON_LABELS,
    ACTION_LABELS,
    CHANNEL_LABELS,
    CLOCK_NAME_LABELS,
    DECISION_LABELS,
    DISPOSITION_LABELS,
    GIFT_LOCATION_LABELS,
    GIFT_TYPE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
)

KIND = "gratifikasi"
_LABELS = {
    "status_labels": STATUS_LABELS,
    "kind_labels": KIND_LABELS,
    "gift_type_labels": GIFT_TYPE_LABELS,
    "gift_location_labels": GIFT_LOCATION_LABELS,
    "decision_labels": DECISION_LABELS,
    "disposition_labels": DISPOSITION_LABELS,
    "channel_labels": CHANNEL_LABELS,
    "action_labels": ACTION_LABELS,
    "button_labels": ACTION_BUTTON_LABELS,
    "clock_name_labels": CLOCK_NAME_LABELS,
    "clock_state_labels": CLOCK_STATE_LABELS,
}
#: Shown behind a confirmation and styled as such.
DESTRUCTIVE = frozenset({Action.CLOSE_INCOMPLETE})
#: The order of the forms on the page: the usual next step first (verifying a complete report comes before
#: asking for more), closing and the note last.
FORM_ORDER = (
    Action.COMPLETE,
    Action.VERIFY,
    Action.FORWARD,
    Action.DECIDE,
    Action.FINISH,
    Action.REQUEST_COMPLETION,
    Action.CLOSE_INCOMPLETE,
    Action.NOTE,
)


@bp.route("/", endpoint="inbox")
def inbox_page():
    """Every report, newest first, filtered; the open clock's due date coloured by how close it is."""
    form = InboxFilterForm(formdata=request.args)
    today = today_jakarta()
    if not form.validate():
        # A broken filter shows nothing rather than everything: no one mistakes it for a filtered list.
        return render_template("gratifikasi/staff/inbox.html", form=form, page=Page(items=[]), due={}, **_LABELS)
    args = form.paging_args()
    for key in ("before", "after"):
        if parse_cursor(request.args.get(key)) is not None:
            args[key] = request.args[key]
    stmt = inbox.inbox_query(form.to_filter(), today)
    page = keyset_page(stmt, GratifikasiReport.id, args=args, size=current_app.config["PAGE_SIZE"])
    return render_template(
        "gratifikasi/staff/inbox.html",
        form=form,
        page=page,
        due=inbox.open_clocks([r.id for r in page.items], today),
        filtered=bool(form.paging_args()),
        **_LABELS,
    )


@bp.route("/<int:report_id>", endpoint="case")
def case(report_id: int):
    """Everything about one report (an audited read); the UPG also gets the actions the flow allows now."""
    return _render_case(get_case_or_404(KIND, report_id))


@bp.route("/<int:report_id>/lampiran/<int:attachment_id>", endpoint="attachment")
def attachment(report_id: int, attachment_id: int):
    """One file of the report as a download: an image without its metadata, a PDF as sent (audit-logged)."""
    return _send_attachment(report_id, attachment_id, original=False)


@bp.route("/<int:report_id>/lampiran/<int:attachment_id>/asli", endpoint="attachment_original")
def attachment_original(report_id: int, attachment_id: int):
    """One file exactly as the reporter sent it (metadata included), audit-logged as such."""
    return _send_attachment(report_id, attachment_id, original=True)


def _send_attachment(report_id: int, attachment_id: int, *, original: bool):  # noqa: ANN202
    report = get_case_or_404(KIND, report_id)
    return send_case_file(
        lambda: attachments.download(current_user, report, attachment_id, original=original),
        url_for("internal.gratifikasi.case", report_id=report.id),
    )


@bp.route("/<int:report_id>/aksi", methods=["POST"], endpoint="action")
@checks_every_field  # every field is checked for unreadable text (NUL included) before anything is stored
def action(report_id: int):
    """One step of the flow (the form's `action` names it); refused: 400 with the forms and their messages."""
    report = get_case_or_404(KIND, report_id, for_write=True)
    chosen = _chosen_action(request.form.get("action"))
    if chosen is None or chosen not in _open_actions(report):
        flash(_("Tindakan ini tidak dapat dilakukan pada status laporan saat ini. Muat ulang halaman."), "error")
        return _render_case(report, redacted=True, status=400)
    form = ACTION_FORMS[chosen](prefix=chosen.value)
    if not form.validate_on_submit():
        flash(_("Periksa kembali isian formulir '%(form)s'.", form=ACTION_BUTTON_LABELS[chosen]), "error")
        return _render_case(report, failed=(chosen, form), redacted=True, status=400)
    try:
        flow.act(current_user, report, form.to_input(chosen))
    except flow.FlowRefused as refused:
        for field, message in refused.errors.items():
            if field != flow.FORM and field in form:
                form[field].errors = [*form[field].errors, str(message)]
        general = refused.errors.get(flow.FORM)
        flash(str(general) if general else _("Periksa kembali isian formulir."), "error")
        return _render_case(report, failed=(chosen, form), redacted=True, status=400)
    except PermissionError:
        abort(403)
    flash(_success_message(chosen, report), "success")
    return redirect(url_for("internal.gratifikasi.case", report_id=report.id))


def _chosen_action(value: object) -> Action | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return Action(value)
    except ValueError:
        return None


def _open_actions(report: GratifikasiReport) -> list[Action]:
    """The actions the UPG may take now, the usual next step first, the note last."""
    allowed = set(rules.actions_for(report.status, report.kind))
    return [a for a in FORM_ORDER if a in allowed]


def _render_case(
    report: GratifikasiReport,
    *,
    failed: tuple[Action, ActionForm] | None = None,
    redacted: bool = False,
    status: int = 200,
):  # noqa: ANN202
    """The case page. Unless `redacted` (an error page, rolled back), it shows the personal data and is an
    audited read."""
    today = today_jakarta()
    if not redacted:
        inbox.open_case(current_user, report)
    forms: dict[Action, ActionForm] = {}
    if current_user.role == Role.UPG:
        seen = {"seen_status": report.status.value, "seen_event": flow.last_event_id(report) or ""}
        for name in _open_actions(report):
            forms[name] = ACTION_FORMS[name](prefix=name.value, formdata=None, data=seen)
        if failed is not None and failed[0] in forms:
            # The page now shows the case as it is: a resend of this form is measured against that.
            failed[1].seen_status.data, failed[1].seen_event.data = seen["seen_status"], str(seen["seen_event"])
            forms[failed[0]] = failed[1]
    locale = str(get_locale())
    regulation_facts = assess(report.received_on, report.exemption_code, report.gift_type.value, report.value_idr)
    html = render_template(
        "gratifikasi/staff/case.html",
        report=report,
        redacted=redacted,
        forms=forms,
        destructive=DESTRUCTIVE,
        clocks=clocks.clocks_of(report, today),
        closed=report.status in rules.FINAL,
        open_clock=inbox.open_clocks([report.id], today).get(report.id),
        assessment=regulation_facts,
        locale=locale,
        actor_names=inbox.actor_names(report.events),
        files=inbox.case_files(report),
        is_stripped_for_staff=attachments.is_stripped_for_staff,
        office_days=current_app.config["GRATIFIKASI_OFFICE_DAYS"],
        report_days=rules.REPORT_DAYS,
        **_LABELS,
    )
    return html, status


def _success_message(action: Action, report: GratifikasiReport) -> str:
    messages = {
        Action.REQUEST_COMPLETION: _(
            "Permintaan kelengkapan dicatat dan ditampilkan kepada pelapor. Batas kelengkapan: %(date)s.",
            date=format_long_date(report.completion_by),
        ),
        Action.COMPLETE: _("Kelengkapan dicatat; laporan terverifikasi."),
        Action.VERIFY: _("Laporan diverifikasi."),
        Action.FORWARD: _("Penerusan ke KPK dicatat."),
        Action.DECIDE: _("Penetapan KPK dicatat."),
        Action.FINISH: _("Laporan diselesaikan."),
        Action.CLOSE_INCOMPLETE: _("Laporan ditutup karena tidak dilengkapi."),
        Action.NOTE: _("Catatan internal disimpan (tidak terlihat pelapor)."),
    }
    return messages[action]
