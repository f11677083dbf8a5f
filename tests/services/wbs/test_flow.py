"""The team's flow on a WBS report: every action, every refusal, and the step left whole on refusal."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tests.services.wbs.staff_factories import add_reporter_message, make_report
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Pengaduan, Role, WbsMessage, WbsReport
from zi_public.rules.pengaduan import Identity
from zi_public.rules.wbs import Action, Handling, Outcome, Sender, Status
from zi_public.services.wbs import flow
from zi_public.services.wbs.flow import ActionInput, ActionRefused, MoveInput

CRITERIA = {"names_party": True, "describes_deviation": True, "has_evidence": True}


@pytest.fixture
def member(seeded, db):
    return make_user(role=Role.WBS)


def audit_actions(prefix: str = "wbs.") -> list[tuple[str, str, dict]]:
    rows = db.session.execute(
        sa.select(AuditEntry.action, AuditEntry.actor, AuditEntry.data)
        .where(AuditEntry.action.startswith(prefix))
        .order_by(AuditEntry.id)
    )
    return [(action, actor, json.loads(data)) for action, actor, data in rows]


def test_the_whole_flow_to_selesai(member):
    report = make_report()
    flow.act(member, report, Action.TELAAH, ActionInput(**CRITERIA, body="Cukup jelas."))
    assert report.status == Status.DITELAAH and report.telaah_on == today_jakarta()
    assert report.first_answer_on is None  # a note is no answer to the reporter
    flow.act(
        member,
        report,
        Action.FOLLOW_UP,
        ActionInput(handling="apip", referred_on=today_jakarta(), referral_reference="700/123/Insp/2026"),
    )
    assert report.handling == Handling.APIP and report.referral_reference == "700/123/Insp/2026"
    flow.act(member, report, Action.FINISH, ActionInput(outcome="tidak_terbukti"))
    db.session.expire_all()
    report = db.session.get(WbsReport, report.id)
    assert report.status == Status.SELESAI and report.outcome == Outcome.TIDAK_TERBUKTI
    assert report.closed_on == today_jakarta()
    assert [m.sender for m in report.messages] == [Sender.NOTE]
    actions = audit_actions()
    assert [a for a, _actor, _d in actions] == ["wbs.note_add", "wbs.telaah", "wbs.follow_up", "wbs.finish"]
    assert all(actor == member.username for _a, actor, _d in actions)
    telaah = actions[1][2]
    assert telaah == {"from": "diterima", "to": "ditelaah", **CRITERIA, "meets": True}
    # No report text (nor the referral reference) in the audit log.
    assert "700/123" not in json.dumps([d for _a, _actor, d in actions])


def test_follow_up_by_the_team_keeps_no_referral(member):
    report = make_report(status=Status.DITELAAH)
    flow.act(
        member,
        report,
        Action.FOLLOW_UP,
        ActionInput(handling="tim", referred_on=today_jakarta(), referral_reference="x"),
    )
    assert report.handling == Handling.TIM and report.referred_on is None and report.referral_reference is None


@pytest.mark.parametrize(
    ("status", "action", "data", "code"),
    [
        (Status.DITERIMA, Action.FOLLOW_UP, ActionInput(handling="tim"), "flow"),
        (Status.DITERIMA, Action.FINISH, ActionInput(outcome="terbukti"), "flow"),
        (Status.DITELAAH, Action.TELAAH, ActionInput(**CRITERIA), "flow"),
        (Status.SELESAI, Action.REJECT, ActionInput(body="bukan WBS"), "flow"),
        (Status.DITOLAK, Action.TELAAH, ActionInput(**CRITERIA), "flow"),
        (Status.DITINDAKLANJUTI, Action.REJECT, ActionInput(body="x"), "flow"),
        (Status.DITELAAH, Action.FOLLOW_UP, ActionInput(handling=""), "handling_required"),
        (Status.DITELAAH, Action.FOLLOW_UP, ActionInput(handling="kpk"), "handling_required"),
        (Status.DITELAAH, Action.FOLLOW_UP, ActionInput(handling="aph"), "referred_on_required"),
        (
            Status.DITELAAH,
            Action.FOLLOW_UP,
            ActionInput(handling="aph", referred_on=today_jakarta()),
            "reference_required",
        ),
        (
            Status.DITELAAH,
            Action.FOLLOW_UP,
            ActionInput(handling="aph", referred_on=today_jakarta() + timedelta(days=1), referral_reference="a"),
            "referred_on_future",
        ),
        (
            Status.DITELAAH,
            Action.FOLLOW_UP,
            ActionInput(handling="aph", referred_on=today_jakarta() - timedelta(days=400), referral_reference="a"),
            "referred_on_before_received",
        ),
        (
            Status.DITELAAH,
            Action.FOLLOW_UP,
            ActionInput(handling="aph", referred_on=today_jakarta(), referral_reference="a" * 201),
            "reference_too_long",
        ),
        (
            Status.DITELAAH,
            Action.FOLLOW_UP,
            ActionInput(handling="aph", referred_on=today_jakarta(), referral_reference="a\x00b"),
            "reference_unreadable",
        ),
        (Status.DITINDAKLANJUTI, Action.FINISH, ActionInput(outcome=""), "outcome_required"),
        (Status.DITINDAKLANJUTI, Action.FINISH, ActionInput(outcome="mungkin"), "outcome_required"),
        (Status.DITERIMA, Action.REJECT, ActionInput(body="  \u200b "), "body_required"),
        (Status.DITERIMA, Action.REJECT, ActionInput(body="x" * 10_001), "body_too_long"),
        (Status.DITERIMA, Action.TELAAH, ActionInput(body="bad \x07 bell"), "body_unreadable"),
    ],
)
def test_refusals_change_nothing(member, status, action, data, code):
    report = make_report(status=status)
    before = (report.status, report.telaah_on, report.closed_on, report.handling, report.outcome)
    with pytest.raises(ActionRefused) as refused:
        flow.act(member, report, action, data)
    assert refused.value.code == code
    db.session.expire_all()
    report = db.session.get(WbsReport, report.id)
    assert (report.status, report.telaah_on, report.closed_on, report.handling, report.outcome) == before
    assert report.messages == [] and audit_actions() == []


def test_follow_up_needs_the_criteria_and_a_revised_telaah_allows_it(member):
    report = make_report()
    flow.act(member, report, Action.TELAAH, ActionInput(names_party=True, describes_deviation=True))
    with pytest.raises(ActionRefused, match="criteria_not_met"):
        flow.act(member, report, Action.FOLLOW_UP, ActionInput(handling="tim"))
    first_telaah = report.telaah_on
    flow.revise_telaah(member, report, ActionInput(**CRITERIA, body="Pelapor mengirim foto kuitansi."))
    assert report.has_evidence is True and report.telaah_on == first_telaah and report.status == Status.DITELAAH
    flow.act(member, report, Action.FOLLOW_UP, ActionInput(handling="tim"))
    assert report.status == Status.DITINDAKLANJUTI
    assert "wbs.telaah_revise" in [a for a, _actor, _d in audit_actions()]


def test_revise_telaah_only_while_ditelaah(member):
    report = make_report(status=Status.DITINDAKLANJUTI)
    with pytest.raises(ActionRefused, match="flow"):
        flow.revise_telaah(member, report, ActionInput(**CRITERIA))


def test_reject_tells_the_reporter_and_stops_both_clocks(member):
    report = make_report()
    flow.act(member, report, Action.REJECT, ActionInput(body="Ini keluhan layanan, bukan pelanggaran."))
    assert report.status == Status.DITOLAK
    assert report.closed_on == report.telaah_on == report.first_answer_on == today_jakarta()
    (message,) = report.messages
    assert message.sender == Sender.TEAM and message.author_id == member.id
    assert [a for a, _actor, _d in audit_actions()] == ["wbs.message_send", "wbs.reject"]


def test_a_stale_report_is_refused_when_another_member_moved_it(member):
    report = make_report()
    db.session.execute(sa.update(WbsReport).where(WbsReport.id == report.id).values(status=Status.DITOLAK))
    with pytest.raises(ActionRefused, match="flow"):  # the loaded object still says diterima
        flow.act(member, report, Action.TELAAH, ActionInput(**CRITERIA))
    assert audit_actions() == []


@pytest.mark.parametrize("role", [r for r in Role if r != Role.WBS])
def test_only_the_wbs_team_acts(seeded, db, role):
    outsider = make_user(role=role)
    report = make_report()
    with pytest.raises(ActionRefused, match="not_team"):
        flow.act(outsider, report, Action.TELAAH, ActionInput(**CRITERIA))


def test_an_inactive_member_does_not_act(member):
    member.is_active = False
    with pytest.raises(ActionRefused, match="not_team"):
        flow.act(member, make_report(), Action.TELAAH, ActionInput(**CRITERIA))


# -- moved to pengaduan


def move_input(consent, **overrides) -> MoveInput:
    values = {
        "consent_message_id": consent.id if consent else None,
        "category": "biaya",
        "title": "Pungutan di loket PBG",
        "description": "Diminta biaya tambahan di loket PBG.",
        "note_to_reporter": "Laporan Anda kami teruskan sebagai pengaduan.",
    }
    return MoveInput(**{**values, **overrides})


def test_a_rejected_report_moves_to_pengaduan_as_anonim_without_the_identity(member):
    report = make_report(identity="Siti, 0812-3456-7890, Jl. Pahlawan 5")
    consent = add_reporter_message(report, "Ya, silakan diteruskan sebagai pengaduan.")
    flow.act(member, report, Action.REJECT, ActionInput(body="Bukan WBS. Boleh kami jadikan pengaduan?"))
    complaint = flow.move_to_pengaduan(member, report, move_input(consent))
    assert complaint.identity == Identity.ANONIM
    assert complaint.reporter_name is None and complaint.reporter_phone is None and complaint.reporter_email is None
    assert report.moved_to_pengaduan_id == complaint.id
    texts = " ".join([complaint.title, complaint.description, complaint.requested_resolution, complaint.location])
    assert "Siti" not in texts and "0812" not in texts
    last = report.messages[-1]
    assert last.sender == Sender.TEAM and complaint.number in last.body and "Kode akses" in last.body
    move = [d for a, _actor, d in audit_actions() if a == "wbs.move_to_pengaduan"]
    assert move == [{"number": complaint.number, "consent_message": consent.id}]
    with pytest.raises(ActionRefused, match="move_done"):
        flow.move_to_pengaduan(member, report, move_input(consent))


def test_moving_needs_a_rejected_report_and_the_reporters_own_consent(member):
    report = make_report()
    consent = add_reporter_message(report, "Ya.")
    with pytest.raises(ActionRefused, match="move_not_rejected"):
        flow.move_to_pengaduan(member, report, move_input(consent))
    flow.act(member, report, Action.REJECT, ActionInput(body="Bukan WBS."))
    team_message = report.messages[-1]
    other = make_report()
    foreign = add_reporter_message(other, "Ya, dari laporan lain.")
    for message in (None, team_message, foreign):
        with pytest.raises(ActionRefused, match="consent_required"):
            flow.move_to_pengaduan(member, report, move_input(message))
    assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == 0


def test_an_invalid_complaint_is_refused_with_its_fields_and_nothing_saved(member):
    report = make_report(status=Status.DITOLAK)
    consent = add_reporter_message(report, "Ya.")
    with pytest.raises(ActionRefused) as refused:
        flow.move_to_pengaduan(member, report, move_input(consent, category="nope", title=" "))
    assert refused.value.code == "pengaduan_invalid" and {"category", "title"} <= set(refused.value.errors)
    assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == 0
    assert report.moved_to_pengaduan_id is None
    assert db.session.scalar(sa.select(sa.func.count(WbsMessage.id)).where(WbsMessage.sender == Sender.TEAM)) == 0


def test_the_draft_leaves_out_who_is_involved(member):
    report = make_report()
    title, description = flow.pengaduan_draft(report)
    assert title.startswith("Pak Budi meminta") and "Ruang layanan lantai 2" in description
    assert "Analis perizinan" not in description


def test_with_a_report_filed_by_the_public_service(member):
    """The team's side on a report filed through services/wbs/filing, as the reporter sees it (reporter.py)."""
    from tests.factories import make_wbs
    from zi_public.services.wbs import messages, reporter

    report = make_wbs(identity="Siti, Jl. Pahlawan 5")
    messages.add_note(member, report, "Catatan internal tim.")
    messages.send_to_reporter(member, report, "Apakah ini keluhan layanan?")
    reporter.reply(report, "Ya, dan boleh dijadikan pengaduan.")
    consent = flow.consent_messages(report)[0]
    flow.act(member, report, Action.REJECT, ActionInput(body="Bukan perkara WBS."))
    complaint = flow.move_to_pengaduan(member, report, move_input(consent))
    seen = reporter.reporter_view(report)
    bodies = [m.body for m in seen.messages]
    assert seen.status == Status.DITOLAK and "Catatan internal tim." not in bodies
    assert bodies[:3] == ["Apakah ini keluhan layanan?", "Ya, dan boleh dijadikan pengaduan.", "Bukan perkara WBS."]
    assert complaint.number in bodies[-1]
    assert "Pahlawan" not in complaint.description
