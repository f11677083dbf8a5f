"""The two-person rules for staff accounts, exhaustively."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from zi_public.rules.account_approval import (
    APPROVAL_WAIT_DAYS,
    LINK_APPROVERS,
    ROLE_APPROVERS,
    LinkState,
    Refusal,
    approval_refusal,
    link_state,
    request_expired,
    role_needs_approval,
)

ROLES = ["admin", "pengaduan", "wbs", "upg", "skm", "pimpinan"]


@pytest.mark.parametrize("current", [None, *ROLES])
@pytest.mark.parametrize("requested", ROLES)
def test_only_granting_a_case_reading_or_admin_role_needs_approval(current, requested):
    expected = requested != current and requested in {"pengaduan", "wbs", "upg", "pimpinan", "admin"}
    assert role_needs_approval(current, requested) is expected


def test_skm_and_taking_a_role_away_apply_at_once():
    assert not role_needs_approval("pengaduan", "skm")
    assert not role_needs_approval(None, "skm")


@pytest.mark.parametrize(
    ("approver_id", "approver_role", "requester_id", "target_id", "approvers", "pending", "expected"),
    [
        (2, "admin", 1, 3, ROLE_APPROVERS, True, None),
        (2, "pimpinan", 1, 3, ROLE_APPROVERS, True, None),
        (1, "admin", 1, 3, ROLE_APPROVERS, True, Refusal.OWN_REQUEST),
        (3, "admin", 1, 3, ROLE_APPROVERS, True, Refusal.OWN_ACCOUNT),
        (2, "pengaduan", 1, 3, ROLE_APPROVERS, True, Refusal.NOT_AN_APPROVER),
        (2, None, 1, 3, ROLE_APPROVERS, True, Refusal.NOT_AN_APPROVER),
        (2, "pimpinan", 1, 3, LINK_APPROVERS, True, Refusal.NOT_AN_APPROVER),
        (2, "admin", None, 3, ROLE_APPROVERS, True, Refusal.OWN_REQUEST),
        (2, "admin", 1, 3, ROLE_APPROVERS, False, Refusal.NOTHING_PENDING),
        (1, "admin", 1, 1, LINK_APPROVERS, True, Refusal.OWN_REQUEST),
    ],
)
def test_who_may_approve(approver_id, approver_role, requester_id, target_id, approvers, pending, expected):
    assert (
        approval_refusal(
            approver_id=approver_id,
            approver_role=approver_role,
            requester_id=requester_id,
            target_id=target_id,
            approvers=approvers,
            pending=pending,
        )
        == expected
    )


NOW = datetime(2026, 11, 30, 8)


@pytest.mark.parametrize(
    ("age", "expired"),
    [
        (timedelta(0), False),
        (timedelta(days=APPROVAL_WAIT_DAYS) - timedelta(seconds=1), False),
        (timedelta(days=APPROVAL_WAIT_DAYS), True),  # the moment it turns 14 days old is too late
        (timedelta(days=400), True),
    ],
)
def test_a_role_request_expires_after_its_days(age, expired):
    assert request_expired(NOW - age, NOW) is expired
    assert request_expired(None, NOW) is False  # nothing was requested


def test_an_expired_request_is_refused_after_the_checks_that_say_it_is_gone():
    who = {"approver_id": 2, "approver_role": "admin", "requester_id": 1, "target_id": 3, "approvers": ROLE_APPROVERS}
    assert approval_refusal(**who, expired=True) == Refusal.EXPIRED
    assert approval_refusal(**who, pending=False, expired=True) == Refusal.NOTHING_PENDING


@pytest.mark.parametrize(
    ("approved", "expires_at", "used_at", "cancelled_at", "expected"),
    [
        (True, NOW + timedelta(seconds=1), None, None, LinkState.USABLE),
        (True, NOW, None, None, LinkState.EXPIRED),  # the expiry moment itself is too late
        (True, NOW - timedelta(hours=1), None, None, LinkState.EXPIRED),
        (True, NOW + timedelta(hours=1), NOW, None, LinkState.USED),
        (True, NOW - timedelta(hours=1), NOW, None, LinkState.USED),
        (True, NOW + timedelta(hours=1), None, NOW, LinkState.CANCELLED),
        (True, NOW + timedelta(hours=1), NOW, NOW, LinkState.USED),
        (False, None, None, None, LinkState.AWAITING_APPROVAL),
        (True, None, None, None, LinkState.AWAITING_APPROVAL),
        (False, None, None, NOW, LinkState.CANCELLED),
    ],
)
def test_link_states(approved, expires_at, used_at, cancelled_at, expected):
    state = link_state(approved=approved, expires_at=expires_at, used_at=used_at, cancelled_at=cancelled_at, now=NOW)
    assert state == expected
