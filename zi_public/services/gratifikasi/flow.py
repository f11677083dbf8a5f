"""Moving a gratifikasi report through its flow (rules/gratifikasi.py FLOW) as a member of the UPG.

request_completion  baru -> perlu_kelengkapan: what is missing, told to the reporter (a public event); the
                    completion clock starts today with the days of the regulation in force on the report's
                    date (30 working days before 20 January 2026, 20 from then).
complete            perlu_kelengkapan -> diverifikasi: the reporter's completion recorded (stops that clock).
verify              baru -> diverifikasi: the report is complete as sent.
forward             diverifikasi -> diteruskan: to KPK on a day (not before the report, not after today) with
                    KPK's reference; stops the forwarding clock.
decide              diteruskan -> ditetapkan: KPK's decision (milik negara / milik penerima), SK number and
                    date. Never for a refused gift (rules.can).
finish              ditetapkan (or diteruskan, refused gift) -> selesai: what happened to the gift.
close_incomplete    perlu_kelengkapan -> tidak_lengkap, only once the completion deadline has passed.
note                an internal note; the status stays.

A reporter who left an email gets one mail (through the outbox, in the same transaction) when the status
changes: the number, the new status and the status page's address, never the access code.

Every change is one step (a savepoint): a refusal leaves the report as it was. The status moves by a
conditional UPDATE, so two members acting at once cannot both move it; a form loaded before the case last
changed (its status or its newest event) is refused as stale. Each action adds a history event and an audit
entry with the member; the audit data carries no personal data nor report text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from zi_public import links
from zi_public.extensions import db
from zi_public.labels import label
from zi_public.localtime import today_jakarta
from zi_public.models import Role, User
from zi_public.models.gratifikasi import GratifikasiEvent, GratifikasiReport
from zi_public.rules import gratifikasi as rules
from zi_public.rules.gratifikasi import Action, Decision, Disposition, Status
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import audit, outbox
from zi_public.services.calendar import work_calendar
from zi_public.services.gratifikasi.clocks import COMPLETION, clock_policy, due_on
from zi_public.services.gratifikasi.labels import STATUS_SENTENCES
from zi_public.unit_of_work import savepoint

TEXT_MAX = 10_000
REFERENCE_MAX = 120  # kpk_reference, decision_number columns
#: Actions the reporter sees on the status page (the rest stay in the UPG's history).
PUBLIC_ACTIONS = frozenset(
    {Action.REQUEST_COMPLETION, Action.FORWARD, Action.DECIDE, Action.FINISH, Action.CLOSE_INCOMPLETE}
)
#: Actions whose text is required (what is missing; the note itself).
NEEDS_TEXT = frozenset({Action.REQUEST_COMPLETION, Action.NOTE})
#: The field of the form a general refusal is shown on.
FORM = "form"

MESSAGES = {
    "not_upg": _l("Hanya anggota UPG yang aktif yang dapat menangani laporan gratifikasi."),
    "flow": _l("Tindakan ini tidak dapat dilakukan pada status laporan saat ini."),
    "stale": _l(
        "Laporan ini sudah berubah sejak halaman dibuka (oleh Anda atau anggota UPG lain). "
        "Periksa keadaannya sekarang, lalu ulangi bila masih perlu."
    ),
    "text_required": _l("Isian ini wajib diisi."),
    "text_too_long": _l("Paling banyak %(n)d karakter.", n=TEXT_MAX),
    "unreadable": _l("Teks berisi karakter yang tidak dapat dibaca; ketik ulang bagian ini."),
    "reference_required": _l("Isian ini wajib diisi."),
    "reference_too_long": _l("Paling banyak %(n)d karakter.", n=REFERENCE_MAX),
    "date_required": _l("Isi tanggal."),
    "date_future": _l("Tanggal tidak boleh setelah hari ini."),
    "forwarded_before_report": _l("Tanggal penerusan tidak boleh sebelum laporan diterima UPG."),
    "decided_before_forward": _l("Tanggal SK tidak boleh sebelum laporan diteruskan ke KPK."),
    "decision_required": _l("Pilih penetapan KPK dari daftar."),
    "disposition_required": _l("Pilih tindak lanjut atas barang dari daftar."),
    "disposition_note_required": _l("Jelaskan apa yang terjadi dengan gratifikasi (pilihan 'Lainnya')."),
    "completion_running": _l("Batas waktu kelengkapan belum lewat: laporan belum dapat ditutup."),
}


class FlowRefused(ValueError):
    """The action cannot be done now or with this input; `errors` maps form fields to messages
    (FORM for what concerns the whole form: the flow, a stale form, the actor)."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


@dataclass(frozen=True)
class ActionInput:
    """What a member sends with an action; each action reads its own fields.

    `seen_status` and `seen_event_id`: the status and the newest history event the form was rendered with
    (a stale form is refused); None / "" skip that check (a caller that did not render a form).
    """

    action: str
    seen_status: str = ""
    seen_event_id: int | None = None
    text: str = ""  # what is missing (request_completion), the note, the disposition note, an optional note
    forwarded_on: date | None = None
    kpk_reference: str = ""
    decision: str = ""
    decision_number: str = ""
    decision_date: date | None = None
    disposition: str = ""


def require_upg(actor: object) -> None:
    """Only an active UPG member handles reports (the guard checks too: this is the service's own)."""
    if not isinstance(actor, User) or actor.role != Role.UPG or not actor.is_active:
        raise PermissionError("not_upg")


def last_event_id(report: GratifikasiReport) -> int | None:
    """The newest history event of `report` (read from the database: what another member added counts)."""
    return db.session.scalar(sa.select(sa.func.max(GratifikasiEvent.id)).where(GratifikasiEvent.report_id == report.id))


def act(
    actor: User,
    report: GratifikasiReport,
    data: ActionInput,
    *,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> GratifikasiEvent:
    """Apply one action to `report` as `actor`: FlowRefused when the rules or the input do not allow it,
    PermissionError when `actor` is not an active UPG member. All or nothing."""
    require_upg(actor)
    today = today or today_jakarta()
    try:
        action = Action(data.action)
    except ValueError:
        raise FlowRefused({FORM: MESSAGES["flow"]}) from None
    if action == Action.SUBMIT or not rules.can(action, report.status, report.kind):
        raise FlowRefused({FORM: MESSAGES["flow"]})
    _check_fresh(report, data)
    old = report.status
    _sources, target = rules.FLOW[action]
    new = target or old
    text = (data.text or "").strip()
    changes = _validated_changes(report, action, data, text, today, calendar)
    with savepoint():  # a refusal inside (the status moved meanwhile) undoes the columns set here
        for column, value in changes.items():
            setattr(report, column, value)
        db.session.flush()  # before the status: the CHECKs want a decision with ditetapkan
        _move_status(report, old, new)
        public = action in PUBLIC_ACTIONS
        body = text if action in (Action.REQUEST_COMPLETION, Action.NOTE) or not public else ""
        event = GratifikasiEvent(
            action=action, from_status=old, to_status=new, actor_id=actor.id, is_public=public, body=body
        )
        report.events.append(event)
        if public and text and action not in (Action.REQUEST_COMPLETION, Action.FINISH):
            # A note sent with a public step stays internal: the reporter sees the step, not the note.
            report.events.append(
                GratifikasiEvent(action=Action.NOTE, from_status=new, to_status=new, actor_id=actor.id, body=text)
            )
        db.session.flush()
        audit.record(actor, f"gratifikasi.{action.value}", report, data=_audit_data(report, old, new, action))
        if new != old:
            notify_status_change(report)
    return event


MAIL_LOCALE = "id"  # mail goes out in Indonesian with an English line, whatever the page language was


def notify_status_change(report: GratifikasiReport) -> bool:
    """Queue one mail to the reporter, if they left an email: the number, the status in words and the status
    page's address (the access code never goes by mail). False when there is nobody to write to."""
    if not report.reporter_email:
        return False
    status_url = links.absolute("/gratifikasi/status")
    status = label(STATUS_SENTENCES, report.status, MAIL_LOCALE)
    signature = f"UPG {current_app.config.get('SITE_NAME', '')}".strip()
    subject = f"Perkembangan laporan gratifikasi {report.number}"
    body = "\n".join(
        [
            "Yth. Pelapor,",
            "",
            f"Status laporan gratifikasi Anda nomor {report.number} berubah: {status}",
            "",
            f"Rinciannya dapat dilihat di {status_url} dengan nomor laporan dan kode akses yang ditampilkan "
            "saat Anda mengirim laporan. Demi keamanan, kode akses tidak pernah kami kirim lewat email.",
            "",
            f"(English) The status of your gratification report {report.number} changed. See the details at "
            f"{status_url} with the number and the access code shown when you filed it "
            "(we never send the access code by email).",
            "",
            signature,
        ]
    )
    return (
        outbox.enqueue("gratifikasi.status", [report.reporter_email], subject, body, number=report.number) is not None
    )


def _check_fresh(report: GratifikasiReport, data: ActionInput) -> None:
    stale = bool(data.seen_status) and data.seen_status != report.status.value
    if data.seen_event_id is not None and data.seen_event_id != last_event_id(report):
        stale = True
    if stale:
        raise FlowRefused({FORM: MESSAGES["stale"]})


def _check_text(text: str, *, required: bool, field: str = "text") -> None:
    if required and not has_visible_content(text):
        raise FlowRefused({field: MESSAGES["text_required"]})
    if len(text) > TEXT_MAX:
        raise FlowRefused({field: MESSAGES["text_too_long"]})
    if not is_readable(text, multiline=True):
        raise FlowRefused({field: MESSAGES["unreadable"]})


def _reference(value: str, field: str) -> str:
    value = (value or "").strip()
    if not has_visible_content(value):
        raise FlowRefused({field: MESSAGES["reference_required"]})
    if len(value) > REFERENCE_MAX:
        raise FlowRefused({field: MESSAGES["reference_too_long"]})
    if not is_readable(value, multiline=False):
        raise FlowRefused({field: MESSAGES["unreadable"]})
    return value


def _validated_changes(
    report: GratifikasiReport,
    action: Action,
    data: ActionInput,
    text: str,
    today: date,
    calendar: WorkCalendar | None,
) -> dict[str, object]:
    """The columns `action` sets, after checking its input (nothing is changed here). Every problem of the
    input is gathered, so the form shows all of them at once."""
    errors: dict[str, object] = {}

    def check(call, *args, **kwargs) -> object:  # noqa: ANN001, ANN002, ANN003
        try:
            return call(*args, **kwargs)
        except FlowRefused as refused:
            errors.update(refused.errors)
            return None

    required = action in NEEDS_TEXT or (action == Action.FINISH and data.disposition == Disposition.LAINNYA.value)
    if action == Action.FINISH and required and not has_visible_content(text):
        errors["text"] = MESSAGES["disposition_note_required"]
    else:
        check(_check_text, text, required=required)
    changes: dict[str, object] = {}
    if action == Action.REQUEST_COMPLETION:
        policy = clock_policy(report.reported_on)
        changes = {
            "completion_requested_on": today,
            "completion_by": due_on(COMPLETION, today, calendar or work_calendar(), policy),
            "completed_on": None,
        }
    elif action == Action.COMPLETE:
        changes = {"completed_on": today, "verified_on": today}
    elif action == Action.VERIFY:
        changes = {"verified_on": today}
    elif action == Action.FORWARD:
        if data.forwarded_on is None:
            errors["forwarded_on"] = MESSAGES["date_required"]
        elif data.forwarded_on > today:
            errors["forwarded_on"] = MESSAGES["date_future"]
        elif data.forwarded_on < report.reported_on:
            errors["forwarded_on"] = MESSAGES["forwarded_before_report"]
        reference = check(_reference, data.kpk_reference, "kpk_reference")
        changes = {"forwarded_on": data.forwarded_on, "kpk_reference": reference}
    elif action == Action.DECIDE:
        if data.decision not in {d.value for d in Decision}:
            errors["decision"] = MESSAGES["decision_required"]
        number = check(_reference, data.decision_number, "decision_number")
        if data.decision_date is None:
            errors["decision_date"] = MESSAGES["date_required"]
        elif data.decision_date > today:
            errors["decision_date"] = MESSAGES["date_future"]
        elif report.forwarded_on is not None and data.decision_date < report.forwarded_on:
            errors["decision_date"] = MESSAGES["decided_before_forward"]
        if not errors:
            changes = {
                "decision": Decision(data.decision),
                "decision_number": number,
                "decision_date": data.decision_date,
            }
    elif action == Action.FINISH:
        if data.disposition not in {d.value for d in Disposition}:
            errors["disposition"] = MESSAGES["disposition_required"]
        else:
            changes = {"disposition": Disposition(data.disposition), "disposition_note": text, "finished_on": today}
    elif action == Action.CLOSE_INCOMPLETE:
        if report.completion_by is None or today <= report.completion_by:
            errors[FORM] = MESSAGES["completion_running"]
        changes = {"finished_on": today}
    if errors:
        raise FlowRefused(errors)
    return changes


def _move_status(report: GratifikasiReport, old: Status, new: Status) -> None:
    """UPDATE … WHERE status = old: the second of two members acting at once finds it moved and is refused."""
    result = db.session.execute(
        sa.update(GratifikasiReport)
        .where(GratifikasiReport.id == report.id, GratifikasiReport.status == old)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise FlowRefused({FORM: MESSAGES["stale"]})
    set_committed_value(report, "status", new)


def _audit_data(report: GratifikasiReport, old: Status, new: Status, action: Action) -> dict[str, object]:
    """The step, its dates and choices: never the reporter's data nor any text."""
    data: dict[str, object] = {"number": report.number, "from": old.value, "to": new.value}
    if action == Action.REQUEST_COMPLETION:
        data["completion_by"] = report.completion_by
    elif action == Action.FORWARD:
        data["forwarded_on"] = report.forwarded_on
    elif action == Action.DECIDE:
        data.update(decision=report.decision.value, decision_date=report.decision_date)
    elif action == Action.FINISH:
        data["disposition"] = report.disposition.value
    return data
