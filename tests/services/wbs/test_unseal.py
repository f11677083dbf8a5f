"""The sealed identity: four eyes, the requester alone reads it for a while, every step in the audit log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.factories import make_user
from tests.services.wbs.staff_factories import make_report
from zi_public.extensions import db
from zi_public.localtime import now_utc
from zi_public.models import AuditEntry, Role, WbsUnsealRequest
from zi_public.services.wbs import unseal
from zi_public.services.wbs.unseal import UnsealRefused

IDENTITY = "Siti Aminah, staf loket, 0812-3456-7890"


@pytest.fixture
def team(seeded, db):
    return make_user(role=Role.WBS, username="asker"), make_user(role=Role.WBS, username="checker")


def audit_log() -> list[tuple[str, str, dict]]:
    rows = db.session.execute(
        sa.select(AuditEntry.action, AuditEntry.actor, AuditEntry.data)
        .where(AuditEntry.action.startswith("wbs."))
        .order_by(AuditEntry.id)
    )
    return [(a, actor, json.loads(d)) for a, actor, d in rows]


def test_request_approve_reveal(team):
    asker, checker = team
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "Pelapor perlu dihubungi sebagai saksi untuk APIP.")
    with pytest.raises(UnsealRefused, match="not_approved"):
        unseal.reveal(asker, report)
    unseal.decide(checker, report, request.id, approve=True)
    revealed = unseal.reveal(asker, report)
    assert revealed.identity == IDENTITY
    # The approver checked the reason; they do not read the name.
    with pytest.raises(UnsealRefused, match="not_approved"):
        unseal.reveal(checker, report)
    unseal.reveal(asker, report)  # every view is logged
    log = audit_log()
    assert [(a, actor) for a, actor, _d in log] == [
        ("wbs.unseal_request", "asker"),
        ("wbs.unseal_approve", "checker"),
        ("wbs.identity_view", "asker"),
        ("wbs.identity_view", "asker"),
    ]
    assert log[1][2] == {"request": request.id, "requested_by": asker.id}
    assert IDENTITY not in json.dumps(log) and "saksi" not in json.dumps(log)


def test_the_requester_cannot_approve_their_own_request(team):
    asker, _checker = team
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "perlu")
    with pytest.raises(UnsealRefused, match="own_request"):
        unseal.decide(asker, report, request.id, approve=True)
    assert request.decided_by_id is None


def test_the_database_refuses_the_requester_as_decider_too(team):
    asker, _checker = team
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "perlu")
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.execute(
                sa.update(WbsUnsealRequest).where(WbsUnsealRequest.id == request.id).values(decided_by_id=asker.id)
            )


def test_a_refusal_opens_nothing_and_a_decision_is_final(team):
    asker, checker = team
    third = make_user(role=Role.WBS, username="third")
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "perlu")
    unseal.decide(checker, report, request.id, approve=False)
    with pytest.raises(UnsealRefused, match="not_approved"):
        unseal.reveal(asker, report)
    with pytest.raises(UnsealRefused, match="decided"):
        unseal.decide(third, report, request.id, approve=True)
    assert [a for a, _actor, _d in audit_log()] == ["wbs.unseal_request", "wbs.unseal_refuse"]


def test_the_approval_expires(team, app):
    asker, checker = team
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "perlu")
    unseal.decide(checker, report, request.id, approve=True)
    later = now_utc() + timedelta(hours=app.config["WBS_UNSEAL_VALID_HOURS"], minutes=1)
    with pytest.raises(UnsealRefused, match="not_approved"):
        unseal.reveal(asker, report, now=later)
    unseal.request_unseal(asker, report, "perlu lagi", now=later)  # a new request may follow


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("", "reason_required"),
        ("\u200b ", "reason_required"),
        ("x" * 2001, "reason_too_long"),
        ("a\x00", "reason_unreadable"),
    ],
)
def test_a_request_needs_a_readable_reason(team, reason, code):
    asker, _checker = team
    with pytest.raises(UnsealRefused, match=code):
        unseal.request_unseal(asker, make_report(identity=IDENTITY), reason)
    assert db.session.scalar(sa.select(sa.func.count(WbsUnsealRequest.id))) == 0


def test_no_request_without_an_identity_nor_twice(team):
    asker, checker = team
    with pytest.raises(UnsealRefused, match="no_identity"):
        unseal.request_unseal(asker, make_report(), "perlu")
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "perlu")
    with pytest.raises(UnsealRefused, match="already_pending"):
        unseal.request_unseal(asker, report, "perlu")
    unseal.decide(checker, report, request.id, approve=True)
    with pytest.raises(UnsealRefused, match="already_open"):
        unseal.request_unseal(asker, report, "perlu")


def test_a_forged_request_id_or_one_of_another_report_is_not_found(team):
    asker, checker = team
    report, other = make_report(identity=IDENTITY), make_report(identity="lain")
    request = unseal.request_unseal(asker, other, "perlu")
    for request_id in (request.id + 1000, request.id):
        with pytest.raises(UnsealRefused, match="not_found"):
            unseal.decide(checker, report, request_id, approve=True)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.WBS])
def test_other_roles_take_no_step(seeded, db, role):
    outsider = make_user(role=role)
    member = make_user(role=Role.WBS)
    report = make_report(identity=IDENTITY)
    with pytest.raises(UnsealRefused, match="not_team"):
        unseal.request_unseal(outsider, report, "perlu")
    request = unseal.request_unseal(member, report, "perlu")
    with pytest.raises(UnsealRefused, match="not_team"):
        unseal.decide(outsider, report, request.id, approve=True)
    with pytest.raises(UnsealRefused, match="not_team"):
        unseal.reveal(outsider, report)


def test_pending_for_lists_the_others_requests(team):
    asker, checker = team
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "perlu")
    assert unseal.pending_for(asker) == []
    assert unseal.pending_for(checker) == [request]


def test_a_decision_taken_meanwhile_by_another_member_wins(team):
    asker, checker = team
    third = make_user(role=Role.WBS, username="third")
    report = make_report(identity=IDENTITY)
    request = unseal.request_unseal(asker, report, "perlu")
    # `third` refused it in another request since `checker` loaded it (the loaded object still says pending).
    db.session.execute(
        sa.update(WbsUnsealRequest)
        .where(WbsUnsealRequest.id == request.id)
        .values(decided_by_id=third.id, approved=False, decided_at=sa.func.now())
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(UnsealRefused, match="decided"):
        unseal.decide(checker, report, request.id, approve=True)
    db.session.expire_all()
    assert db.session.get(WbsUnsealRequest, request.id).decided_by_id == third.id
    with pytest.raises(UnsealRefused, match="not_approved"):
        unseal.reveal(asker, report)
