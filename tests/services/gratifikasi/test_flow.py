"""The UPG's flow on a gratifikasi report (services/gratifikasi/flow.py): every transition allowed and refused
per state and kind, the completion deadline of the regulation in force on the report's date, the forwarding
clock across holidays and cuti bersama, stale forms, hostile input, the history and the audit trail."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_gratifikasi, make_user
from zi_public.models import AuditEntry, Role
from zi_public.models.gratifikasi import GratifikasiEvent, GratifikasiReport
from zi_public.rules.gratifikasi import FLOW, Action, Decision, Disposition, Kind, Status, can
from zi_public.services.calendar import work_calendar
from zi_public.services.due_dates import Urgency
from zi_public.services.gratifikasi import flow, inbox
from zi_public.services.gratifikasi.flow import ActionInput, FlowRefused

#: Monday 30 November 2026, 10:00 WIB.
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)
FORWARD = ActionInput("forward", forwarded_on=TODAY, kpk_reference="B/123/GTF.00/2026")
DECIDE = ActionInput("decide", decision="milik_negara", decision_number="SK-456/KPK/2026", decision_date=TODAY)
FINISH = ActionInput("finish", disposition="diserahkan_kpk", text="Diserahkan ke KPK.")
#: The input that makes each action valid on a report filed on TODAY (CLOSE_INCOMPLETE also needs time).
VALID = {
    Action.REQUEST_COMPLETION: ActionInput("request_completion", text="Lampirkan foto barang."),
    Action.COMPLETE: ActionInput("complete"),
    Action.VERIFY: ActionInput("verify"),
    Action.FORWARD: FORWARD,
    Action.DECIDE: DECIDE,
    Action.FINISH: FINISH,
    Action.CLOSE_INCOMPLETE: ActionInput("close_incomplete"),
    Action.NOTE: ActionInput("note", text="Ditelepon pelapor."),
}
#: Actions that reach each status from baru.
PATHS = {
    Status.BARU: [],
    Status.PERLU_KELENGKAPAN: [Action.REQUEST_COMPLETION],
    Status.DIVERIFIKASI: [Action.VERIFY],
    Status.DITERUSKAN: [Action.VERIFY, Action.FORWARD],
    Status.DITETAPKAN: [Action.VERIFY, Action.FORWARD, Action.DECIDE],
    Status.SELESAI: [Action.VERIFY, Action.FORWARD, Action.FINISH],
    Status.TIDAK_LENGKAP: [Action.REQUEST_COMPLETION, Action.CLOSE_INCOMPLETE],
}


@pytest.fixture
def upg(db):
    return make_user(role=Role.UPG)


def new_report(kind: str = "diterima", **overrides) -> GratifikasiReport:
    if kind == "ditolak":
        overrides.setdefault("gift_location", "")
    return make_gratifikasi(now=NOW, kind=kind, **overrides).report


def bring_to(upg, report: GratifikasiReport, status: Status) -> None:
    path = list(PATHS[status])
    if status == Status.SELESAI and report.kind == Kind.DITERIMA:
        path = [Action.VERIFY, Action.FORWARD, Action.DECIDE, Action.FINISH]
    for action in path:
        day = TODAY
        if action == Action.CLOSE_INCOMPLETE:
            day = report.completion_by + timedelta(days=1)
        flow.act(upg, report, VALID[action], today=day)
    assert report.status == status


def audit_rows(prefix: str = "gratifikasi.") -> list[tuple[str, str, dict]]:
    rows = flow.db.session.execute(
        sa.select(AuditEntry.action, AuditEntry.actor, AuditEntry.data)
        .where(AuditEntry.action.startswith(prefix))
        .order_by(AuditEntry.id)
    )
    return [(action, actor, json.loads(data)) for action, actor, data in rows]


def test_received_gift_forwarded_decided_and_finished(upg):
    report = new_report()
    flow.act(upg, report, VALID[Action.VERIFY], today=TODAY)
    flow.act(upg, report, FORWARD, today=TODAY)
    flow.act(upg, report, DECIDE, today=TODAY)
    flow.act(upg, report, FINISH, today=TODAY)
    flow.db.session.expire_all()
    report = flow.db.session.get(GratifikasiReport, report.id)
    assert report.status == Status.SELESAI
    assert (report.verified_on, report.forwarded_on, report.kpk_reference) == (TODAY, TODAY, "B/123/GTF.00/2026")
    assert (report.decision, report.decision_number, report.decision_date) == (
        Decision.MILIK_NEGARA,
        "SK-456/KPK/2026",
        TODAY,
    )
    assert (report.disposition, report.disposition_note, report.finished_on) == (
        Disposition.DISERAHKAN_KPK,
        "Diserahkan ke KPK.",
        TODAY,
    )
    events = [(e.action, e.is_public, e.actor_id) for e in report.events]
    assert events == [
        (Action.SUBMIT, True, None),
        (Action.VERIFY, False, upg.id),
        (Action.FORWARD, True, upg.id),
        (Action.DECIDE, True, upg.id),
        (Action.FINISH, True, upg.id),
    ]
    rows = audit_rows()
    assert [a for a, _actor, _d in rows] == [
        "gratifikasi.create",
        "gratifikasi.verify",
        "gratifikasi.forward",
        "gratifikasi.decide",
        "gratifikasi.finish",
    ]
    assert all(actor == upg.username for _a, actor, _d in rows[1:])
    assert rows[3][2] == {
        "number": report.number,
        "from": "diteruskan",
        "to": "ditetapkan",
        "decision": "milik_negara",
        "decision_date": "2026-11-30",
    }
    # No personal data nor any text in the audit trail.
    dumped = json.dumps([d for _a, _actor, d in rows])
    for secret in ("Budi", "3371010101900001", "Andi", "Diserahkan ke KPK.", "B/123"):
        assert secret not in dumped


def test_refused_gift_is_finished_after_forwarding_without_a_decision(upg):
    report = new_report("ditolak")
    bring_to(upg, report, Status.DITERUSKAN)
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, DECIDE, today=TODAY)
    assert set(refused.value.errors) == {flow.FORM}
    assert report.status == Status.DITERUSKAN and report.decision is None
    flow.act(upg, report, ActionInput("finish", disposition="ditolak_pelapor"), today=TODAY)
    assert report.status == Status.SELESAI and report.disposition == Disposition.DITOLAK_PELAPOR


@pytest.mark.parametrize("kind", ["diterima", "ditolak"])
@pytest.mark.parametrize("status", list(Status))
def test_every_action_allowed_and_refused_per_state_and_kind(upg, kind, status):
    for action in FLOW:
        if action == Action.SUBMIT:
            continue
        report = new_report(kind)
        if status == Status.SELESAI or (status == Status.DITETAPKAN and kind == "ditolak"):
            if status == Status.DITETAPKAN:
                continue  # a refused gift never reaches ditetapkan
        bring_to(upg, report, status)
        before = (report.status, len(report.events))
        day = TODAY
        if action == Action.CLOSE_INCOMPLETE and report.completion_by is not None:
            day = report.completion_by + timedelta(days=1)
        if can(action, status, Kind(kind)):
            flow.act(upg, report, VALID[action], today=day)
            _sources, target = FLOW[action]
            assert report.status == (target or status)
        else:
            with pytest.raises(FlowRefused) as refused:
                flow.act(upg, report, VALID[action], today=day)
            assert refused.value.errors == {flow.FORM: flow.MESSAGES["flow"]}
            assert (report.status, len(report.events)) == before


def test_only_an_active_upg_member_acts(db):
    report = new_report()
    for role in (Role.ADMIN, Role.PIMPINAN, Role.PENGADUAN, Role.WBS, Role.SKM):
        with pytest.raises(PermissionError):
            flow.act(make_user(role=role), report, VALID[Action.VERIFY], today=TODAY)
    inactive = make_user(role=Role.UPG)
    inactive.is_active = False
    with pytest.raises(PermissionError):
        flow.act(inactive, report, VALID[Action.VERIFY], today=TODAY)
    with pytest.raises(PermissionError):
        flow.act("system", report, VALID[Action.VERIFY], today=TODAY)
    assert report.status == Status.BARU and report.verified_on is None


@pytest.mark.parametrize(
    ("reported", "days"),
    [
        (datetime(2026, 1, 19, 3, 0, tzinfo=UTC), 30),  # PerKPK 2/2019 still in force on the report's date
        (datetime(2026, 1, 20, 3, 0, tzinfo=UTC), 20),  # PerKPK 1/2026 from 20 January 2026
    ],
)
def test_completion_deadline_is_that_of_the_regulation_in_force_on_the_report_date(upg, reported, days):
    report = make_gratifikasi(now=reported, received_on=date(2026, 1, 12)).report
    asked_on = date(2026, 11, 30)
    flow.act(upg, report, VALID[Action.REQUEST_COMPLETION], today=asked_on)
    assert report.status == Status.PERLU_KELENGKAPAN
    assert report.completion_requested_on == asked_on
    assert report.completion_by == work_calendar().add_working_days(asked_on, days)
    event = report.events[-1]
    assert (event.action, event.is_public, event.body) == (Action.REQUEST_COMPLETION, True, "Lampirkan foto barang.")


def test_completion_clock_across_idul_fitri_cuti_bersama(upg):
    # Reported Tuesday 17 March 2026, asked to complete the same day: 18-24 March are Idul Fitri holidays and
    # cuti bersama, 3 April is Good Friday. PerKPK 1/2026: 20 working days.
    report = make_gratifikasi(now=datetime(2026, 3, 17, 3, 0, tzinfo=UTC), received_on=date(2026, 3, 10)).report
    flow.act(upg, report, VALID[Action.REQUEST_COMPLETION], today=date(2026, 3, 17))
    assert report.completion_by == date(2026, 4, 22)


def test_forward_clock_across_idul_fitri_cuti_bersama(db):
    # Reported Tuesday 17 March 2026, the day before the Idul Fitri holidays and cuti bersama (18-24 March):
    # 10 working days are 25, 26, 27, 30, 31 March, 1, 2, 6, 7, 8 April (3 April is Good Friday).
    report = make_gratifikasi(now=datetime(2026, 3, 17, 3, 0, tzinfo=UTC), received_on=date(2026, 3, 10)).report
    assert report.forward_by == date(2026, 4, 8)
    assert inbox.open_clocks([report.id], date(2026, 4, 8))[report.id].urgency == Urgency.SOON
    assert inbox.open_clocks([report.id], date(2026, 4, 9))[report.id].urgency == Urgency.OVERDUE
    assert inbox.open_clocks([report.id], date(2026, 3, 17))[report.id].urgency == Urgency.LATER


def test_complete_stops_the_completion_clock_and_verifies(upg):
    report = new_report()
    bring_to(upg, report, Status.PERLU_KELENGKAPAN)
    flow.act(upg, report, ActionInput("complete", text="Foto diterima lewat email."), today=TODAY + timedelta(1))
    assert report.status == Status.DIVERIFIKASI
    assert report.completed_on == report.verified_on == TODAY + timedelta(1)
    assert report.events[-1].body == "Foto diterima lewat email." and not report.events[-1].is_public


def test_close_incomplete_only_after_the_completion_deadline(upg):
    report = new_report()
    bring_to(upg, report, Status.PERLU_KELENGKAPAN)
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, VALID[Action.CLOSE_INCOMPLETE], today=report.completion_by)
    assert refused.value.errors == {flow.FORM: flow.MESSAGES["completion_running"]}
    assert report.status == Status.PERLU_KELENGKAPAN
    day = report.completion_by + timedelta(days=1)
    flow.act(upg, report, VALID[Action.CLOSE_INCOMPLETE], today=day)
    assert report.status == Status.TIDAK_LENGKAP and report.finished_on == day
    assert report.events[-1].is_public


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (ActionInput("forward"), {"forwarded_on", "kpk_reference"}),
        (ActionInput("forward", forwarded_on=TODAY + timedelta(1), kpk_reference="x"), {"forwarded_on"}),
        (ActionInput("forward", forwarded_on=TODAY - timedelta(1), kpk_reference="x"), {"forwarded_on"}),
        (ActionInput("forward", forwarded_on=TODAY, kpk_reference="x" * 121), {"kpk_reference"}),
        (ActionInput("forward", forwarded_on=TODAY, kpk_reference="a\x00b"), {"kpk_reference"}),
        (ActionInput("forward", forwarded_on=TODAY, kpk_reference="\u200b "), {"kpk_reference"}),
        (ActionInput("forward", forwarded_on=TODAY, kpk_reference="x", text="y" * 10_001), {"text"}),
    ],
)
def test_forward_input_refused_per_field_and_nothing_changes(upg, data, fields):
    report = new_report()
    bring_to(upg, report, Status.DIVERIFIKASI)
    events = len(report.events)
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, data, today=TODAY)
    assert set(refused.value.errors) == fields
    assert report.status == Status.DIVERIFIKASI and report.forwarded_on is None and len(report.events) == events


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (ActionInput("decide"), {"decision", "decision_number", "decision_date"}),
        (ActionInput("decide", decision="milik_kita", decision_number="1", decision_date=TODAY), {"decision"}),
        (
            ActionInput("decide", decision="milik_negara", decision_number="1", decision_date=TODAY + timedelta(1)),
            {"decision_date"},
        ),
        (
            ActionInput("decide", decision="milik_negara", decision_number="1", decision_date=TODAY - timedelta(1)),
            {"decision_date"},  # before it was forwarded
        ),
    ],
)
def test_decide_input_refused_per_field(upg, data, fields):
    report = new_report()
    bring_to(upg, report, Status.DITERUSKAN)
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, data, today=TODAY)
    assert set(refused.value.errors) == fields
    assert report.status == Status.DITERUSKAN and report.decision is None


def test_finish_needs_a_disposition_and_a_note_for_lainnya(upg):
    report = new_report()
    bring_to(upg, report, Status.DITETAPKAN)
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, ActionInput("finish", disposition="dibakar"), today=TODAY)
    assert set(refused.value.errors) == {"disposition"}
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, ActionInput("finish", disposition="lainnya"), today=TODAY)
    assert set(refused.value.errors) == {"text"}
    assert report.status == Status.DITETAPKAN


@pytest.mark.parametrize("action", ["request_completion", "note"])
def test_text_required_for_the_request_and_the_note(upg, action):
    report = new_report()
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, ActionInput(action, text="  \u200b "), today=TODAY)
    assert set(refused.value.errors) == {"text"}


def test_a_note_keeps_the_status_and_stays_internal(upg):
    report = new_report()
    flow.act(upg, report, VALID[Action.NOTE], today=TODAY)
    assert report.status == Status.BARU
    event = report.events[-1]
    assert (event.action, event.is_public, event.body) == (Action.NOTE, False, "Ditelepon pelapor.")


def test_a_note_sent_with_a_public_step_stays_internal(upg):
    report = new_report()
    bring_to(upg, report, Status.DIVERIFIKASI)
    flow.act(upg, report, ActionInput("forward", forwarded_on=TODAY, kpk_reference="R-1", text="via GOL"), today=TODAY)
    forward, note = report.events[-2:]
    assert (forward.action, forward.is_public, forward.body) == (Action.FORWARD, True, "")
    assert (note.action, note.is_public, note.body) == (Action.NOTE, False, "via GOL")


def test_a_stale_form_is_refused(upg):
    report = new_report()
    seen_event = flow.last_event_id(report)
    flow.act(upg, report, VALID[Action.NOTE], today=TODAY)  # another member wrote a note meanwhile
    with pytest.raises(FlowRefused) as refused:
        flow.act(upg, report, ActionInput("verify", seen_status="baru", seen_event_id=seen_event), today=TODAY)
    assert refused.value.errors == {flow.FORM: flow.MESSAGES["stale"]}
    assert report.status == Status.BARU
    with pytest.raises(FlowRefused):
        flow.act(upg, report, ActionInput("note", text="x", seen_status="diverifikasi"), today=TODAY)
    fresh = ActionInput("verify", seen_status="baru", seen_event_id=flow.last_event_id(report))
    flow.act(upg, report, fresh, today=TODAY)
    assert report.status == Status.DIVERIFIKASI


def test_the_status_moved_by_another_request_is_refused(upg):
    report = new_report()
    flow.db.session.execute(
        sa.update(GratifikasiReport).where(GratifikasiReport.id == report.id).values(status=Status.DIVERIFIKASI)
    )
    with pytest.raises(FlowRefused):
        flow.act(upg, report, VALID[Action.VERIFY], today=TODAY)
    count = flow.db.session.scalar(
        sa.select(sa.func.count(GratifikasiEvent.id)).where(GratifikasiEvent.report_id == report.id)
    )
    assert count == 1


def test_an_unknown_action_is_refused(upg):
    report = new_report()
    for name in ("submit", "hapus", ""):
        with pytest.raises(FlowRefused):
            flow.act(upg, report, ActionInput(name), today=TODAY)


def test_a_status_change_mails_the_reporter_the_number_and_link_never_the_code(upg, app):
    from zi_public.models import OutboxMail

    filed = make_gratifikasi(now=NOW, email="budi@example.id")
    report = filed.report
    flow.act(upg, report, VALID[Action.NOTE], today=TODAY)  # no status change: no mail
    assert flow.db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0
    flow.act(upg, report, VALID[Action.VERIFY], today=TODAY)
    (mail,) = flow.db.session.scalars(sa.select(OutboxMail)).all()
    assert (mail.kind, mail.recipients, mail.case_number) == ("gratifikasi.status", "budi@example.id", report.number)
    assert report.number in mail.subject and "http://localhost/gratifikasi/status" in mail.body
    assert filed.access_code not in mail.body and filed.access_code not in mail.subject
    assert "Budi" not in mail.body and "Ditelepon" not in mail.body
    with app.test_request_context():
        assert app.url_map.bind("localhost").match("/gratifikasi/status")[0] == "gratifikasi.status"


def test_no_email_no_mail(upg):
    from zi_public.models import OutboxMail

    report = new_report()
    flow.act(upg, report, VALID[Action.VERIFY], today=TODAY)
    assert flow.db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0
