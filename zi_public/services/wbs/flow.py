"""Moving a WBS report through its flow (rules/wbs.py FLOW) as a member of the Tim WBS.

telaah       diterima -> ditelaah: the team records the SE's three criteria (names a party, describes the
             deviation, carries initial evidence); telaah_on stops the telaah clock. While ditelaah the
             criteria may be revised (more evidence came in the conversation): the status and telaah_on stay.
follow_up    ditelaah -> ditindaklanjuti, only for a report that meets the criteria (the SE's "selective"):
             investigated by the team (tim) or dilimpahkan to the Inspektorat (apip) or law enforcement (aph)
             with the day it was handed on and the reference of the letter (encrypted at rest).
finish       ditindaklanjuti -> selesai with the outcome (terbukti / tidak terbukti); closed_on set.
reject       diterima/ditelaah -> ditolak (not a WBS matter): the reason goes to the reporter as a team
             message (the only way to reach them); closed_on set, and telaah_on if the telaah was never done.
move_to_pengaduan  a rejected report whose reporter agreed in the conversation becomes an ANONIM complaint.

Every change is one step (a savepoint): a refusal leaves the report as it was. The status moves by a
conditional UPDATE, so two members acting at once cannot both move it. Each action is audit-logged with
the member; the audit data carries no report text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Pengaduan, Role, User, WbsMessage, WbsReport
from zi_public.rules.pengaduan import Channel, Identity
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.rules.wbs import CLOSED, Action, Handling, Outcome, Sender, Status, meets_criteria, next_status
from zi_public.services import audit
from zi_public.services.pengaduan.filing import InvalidPengaduan, PengaduanInput, file_pengaduan
from zi_public.services.wbs import messages
from zi_public.unit_of_work import savepoint

NOTE_MAX = messages.BODY_MAX
REFERENCE_MAX = 200


class ActionRefused(ValueError):
    """The action cannot be done now; `code` names why (the view words it for the member)."""

    def __init__(self, code: str, errors: dict[str, object] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.errors = errors or {}  # move_to_pengaduan: the complaint's own validation messages


@dataclass(frozen=True)
class ActionInput:
    """What a member sends with an action; each action reads its own fields."""

    names_party: bool = False  # telaah
    describes_deviation: bool = False
    has_evidence: bool = False
    handling: str = ""  # follow_up: a Handling value
    referred_on: date | None = None  # follow_up to apip/aph
    referral_reference: str = ""
    outcome: str = ""  # finish: an Outcome value
    body: str = ""  # reject: the reason (to the reporter); otherwise an optional internal note


def require_team(actor: User) -> None:
    """Only an active member of the Tim WBS works on reports (the views check too: this is the service's own)."""
    if not isinstance(actor, User) or actor.role != Role.WBS or not actor.is_active:
        raise ActionRefused("not_team")


def act(actor: User, report: WbsReport, action: Action, data: ActionInput, *, today: date | None = None) -> None:
    """Apply one flow action to `report` as `actor`; ActionRefused when the rules or the input do not allow it."""
    require_team(actor)
    today = today or today_jakarta()
    old = report.status
    new = next_status(old, action)
    if new is None:
        raise ActionRefused("flow")
    body = (data.body or "").strip()
    _check_body(body, required=action == Action.REJECT)
    changes = _validated_changes(report, action, data, today)
    with savepoint():  # a refusal inside (the status moved meanwhile) undoes the columns set here
        for column, value in changes.items():
            setattr(report, column, value)
        if new in CLOSED:  # the retention period counts from here
            report.closed_on = today
        db.session.flush()  # before the status: the CHECKs want an outcome with selesai
        _move_status(report, old, new)
        if action == Action.REJECT:
            messages.send_to_reporter(actor, report, body, today=today)  # stops the first-answer clock too
        elif body:
            messages.add_note(actor, report, body, today=today)
        audit.record(actor, f"wbs.{action.value}", report, data=_audit_data(report, old, new, action))


def revise_telaah(actor: User, report: WbsReport, data: ActionInput, *, today: date | None = None) -> None:
    """Record the criteria again while the report is ditelaah (the status and the telaah day stay)."""
    require_team(actor)
    today = today or today_jakarta()
    if report.status != Status.DITELAAH:
        raise ActionRefused("flow")
    body = (data.body or "").strip()
    _check_body(body, required=False)
    with savepoint():
        _lock_status(report, Status.DITELAAH)
        report.names_party = bool(data.names_party)
        report.describes_deviation = bool(data.describes_deviation)
        report.has_evidence = bool(data.has_evidence)
        db.session.flush()
        if body:
            messages.add_note(actor, report, body, today=today)
        audit.record(actor, "wbs.telaah_revise", report, data={**_criteria(report), "meets": _meets(report)})


def _check_body(body: str, *, required: bool) -> None:
    if required and not has_visible_content(body):
        raise ActionRefused("body_required")
    if len(body) > NOTE_MAX:
        raise ActionRefused("body_too_long")
    if not is_readable(body, multiline=True):
        raise ActionRefused("body_unreadable")


def _validated_changes(report: WbsReport, action: Action, data: ActionInput, today: date) -> dict[str, object]:
    """The columns `action` sets, after checking its input (nothing is changed here)."""
    if action == Action.TELAAH:
        return {
            "names_party": bool(data.names_party),
            "describes_deviation": bool(data.describes_deviation),
            "has_evidence": bool(data.has_evidence),
            "telaah_on": today,
        }
    if action == Action.FOLLOW_UP:
        if not _meets(report):
            raise ActionRefused("criteria_not_met")
        return _handling_changes(report, data, today)
    if action == Action.FINISH:
        if data.outcome not in {o.value for o in Outcome}:
            raise ActionRefused("outcome_required")
        return {"outcome": Outcome(data.outcome)}
    # REJECT: a rejection is the team's decision on the report, so it also ends the telaah clock.
    return {"telaah_on": report.telaah_on or today}


def _handling_changes(report: WbsReport, data: ActionInput, today: date) -> dict[str, object]:
    if data.handling not in {h.value for h in Handling}:
        raise ActionRefused("handling_required")
    handling = Handling(data.handling)
    if handling == Handling.TIM:  # investigated in the office: nothing handed on
        return {"handling": handling, "referred_on": None, "referral_reference": None}
    if data.referred_on is None:
        raise ActionRefused("referred_on_required")
    if data.referred_on > today:
        raise ActionRefused("referred_on_future")
    if data.referred_on < report.received_on:
        raise ActionRefused("referred_on_before_received")
    reference = (data.referral_reference or "").strip()
    if not has_visible_content(reference):
        raise ActionRefused("reference_required")
    if len(reference) > REFERENCE_MAX:
        raise ActionRefused("reference_too_long")
    if not is_readable(reference, multiline=False):
        raise ActionRefused("reference_unreadable")
    return {"handling": handling, "referred_on": data.referred_on, "referral_reference": reference}


def _move_status(report: WbsReport, old: Status, new: Status) -> None:
    """UPDATE … WHERE status = old: the second of two members acting at once finds it moved and is refused."""
    result = db.session.execute(
        sa.update(WbsReport)
        .where(WbsReport.id == report.id, WbsReport.status == old)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ActionRefused("flow")
    set_committed_value(report, "status", new)


def _lock_status(report: WbsReport, status: Status) -> None:
    """The report is still in `status` (and, on PostgreSQL, its row stays locked until the request ends)."""
    _move_status(report, status, status)


def _criteria(report: WbsReport) -> dict[str, bool | None]:
    return {
        "names_party": report.names_party,
        "describes_deviation": report.describes_deviation,
        "has_evidence": report.has_evidence,
    }


def _meets(report: WbsReport) -> bool:
    return meets_criteria(bool(report.names_party), bool(report.describes_deviation), bool(report.has_evidence))


def _audit_data(report: WbsReport, old: Status, new: Status, action: Action) -> dict[str, object]:
    data: dict[str, object] = {"from": old.value, "to": new.value}
    if action == Action.TELAAH:
        data.update(_criteria(report), meets=_meets(report))
    elif action == Action.FOLLOW_UP:
        data.update(handling=report.handling.value, referred_on=report.referred_on)
    elif action == Action.FINISH:
        data["outcome"] = report.outcome.value
    return data


# -- ditolak, then moved to pengaduan with the reporter's consent -------------------------------------


@dataclass(frozen=True)
class MoveInput:
    """The complaint the team files for the reporter: edited by the team, never the identity."""

    consent_message_id: int | None  # the reporter's message that says yes
    category: str  # a pengaduan Category code
    title: str
    description: str
    note_to_reporter: str = ""  # sent with the complaint's number and access code


def consent_messages(report: WbsReport) -> list[WbsMessage]:
    """The reporter's messages, newest first: one of them must carry the consent to move the report."""
    return list(
        db.session.scalars(
            sa.select(WbsMessage)
            .where(WbsMessage.report_id == report.id, WbsMessage.sender == Sender.REPORTER)
            .order_by(WbsMessage.id.desc())
        )
    )


def pengaduan_draft(report: WbsReport) -> tuple[str, str]:
    """A first title and description for the complaint, from the report's what/when/where/how (the team edits it).

    Who is involved is left out: a complaint is about a service, and the named person may point back to the
    reporter; the team adds what the complaint needs.
    """
    parts = [report.what or ""]
    for text in (report.when_text, report.where_text, report.how):
        if text:
            parts.append(text)
    description = "\n\n".join(p.strip() for p in parts if p and p.strip())
    first_line = (report.what or "").strip().splitlines()[0] if (report.what or "").strip() else ""
    return first_line[:120], description


def move_to_pengaduan(actor: User, report: WbsReport, data: MoveInput, *, today: date | None = None) -> Pengaduan:
    """File a rejected report, with its reporter's consent, as an ANONIM complaint (channel web: the reporter
    wrote it on the website); its number and access code go to the reporter through the conversation.

    The identity, the receipt and the files are never copied; the team's wording of the complaint is
    what the Tim Pengaduan sees. ActionRefused: not rejected, already moved, no consent message of this
    report's reporter, or the complaint invalid (`errors` per field, as pengaduan's filing words them).
    """
    require_team(actor)
    today = today or today_jakarta()
    if report.status != Status.DITOLAK:
        raise ActionRefused("move_not_rejected")
    if report.moved_to_pengaduan_id is not None:
        raise ActionRefused("move_done")
    consent = next((m for m in consent_messages(report) if m.id == data.consent_message_id), None)
    if consent is None:
        raise ActionRefused("consent_required")
    note = (data.note_to_reporter or "").strip()
    _check_body(note, required=False)
    complaint = PengaduanInput(
        category=data.category or "",
        title=data.title or "",
        description=data.description or "",
        identity=Identity.ANONIM.value,
    )
    try:
        with savepoint():
            _lock_status(report, Status.DITOLAK)
            filed = file_pengaduan(complaint, channel=Channel.WEB)
            report.moved_to_pengaduan_id = filed.pengaduan.id
            db.session.flush()
            messages.send_to_reporter(
                actor, report, _move_message(note, filed.pengaduan.number, filed.access_code), today=today
            )
            audit.record(
                actor,
                "wbs.move_to_pengaduan",
                report,
                data={"number": filed.pengaduan.number, "consent_message": consent.id},
            )
    except InvalidPengaduan as invalid:
        raise ActionRefused("pengaduan_invalid", invalid.errors) from invalid
    return filed.pengaduan


def _move_message(note: str, number: str, access_code: str) -> str:
    """The reporter's only way to follow the complaint: its number and access code, in both languages."""
    lines = [note] if note else []
    lines += [
        f"Nomor pengaduan / Complaint number: {number}",
        f"Kode akses / Access code: {access_code}",
        "Simpan keduanya untuk melihat perkembangan di halaman pengaduan. / "
        "Keep both to follow the complaint on the complaints page.",
    ]
    return "\n".join(lines)
