"""Two-person rules for staff accounts (DESIGN.md, security model; issue 7, point 6).

An admin manages accounts but reads no case contents, so nothing an admin does alone may turn an
account into a case reader or let the admin sign in as somebody else:

- a role that reads cases (pengaduan, wbs, upg, pimpinan) takes effect only when a second person
  approves it; so does the admin role, because a second admin account made by one person alone would
  be that person's own "second approver";
- a request (a role, or a set-password link for a member without an address) waits at most
  APPROVAL_WAIT_DAYS for its second person: one asked weeks later no longer knows why it was made, so an
  older request can only be refused (and asked again);
- a set-password link reaches the member through their own address; when there is none, a second admin
  approves and the link is split in two: the approver gets the link, the requester a code, and the
  member needs both (neither of the two officers can use it alone).

Pure functions over plain values (role names as strings), no database and no Flask.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

#: Roles granted only after a second person approves: every case-reading role, and admin (see above).
ROLES_NEEDING_APPROVAL = frozenset({"pengaduan", "wbs", "upg", "pimpinan", "admin"})
#: Who may approve a role: another admin, or the pimpinan.
ROLE_APPROVERS = frozenset({"admin", "pimpinan"})
#: Who may approve a set-password link for a member without an address: another admin.
LINK_APPROVERS = frozenset({"admin"})
#: Wrong codes accepted on a split link before it stops working (the link holder cannot guess the code).
MAX_CODE_ATTEMPTS = 5
#: How long a request (a role, a set-password link) may wait for its second person.
APPROVAL_WAIT_DAYS = 14


class Refusal(enum.StrEnum):
    """Why an approval is refused."""

    OWN_REQUEST = "own_request"  # the requester cannot be the second person
    OWN_ACCOUNT = "own_account"  # nobody approves a grant or a link for their own account
    NOT_AN_APPROVER = "not_an_approver"
    NOTHING_PENDING = "nothing_pending"
    EXPIRED = "expired"  # the request waited APPROVAL_WAIT_DAYS or longer


class LinkState(enum.StrEnum):
    """Where a set-password link stands."""

    AWAITING_APPROVAL = "awaiting_approval"
    USABLE = "usable"
    USED = "used"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


def role_needs_approval(current: str | None, requested: str) -> bool:
    """True when giving `requested` to an account that has `current` needs a second person."""
    return requested != current and requested in ROLES_NEEDING_APPROVAL


def request_expired(requested_at: datetime | None, now: datetime) -> bool:
    """True when a request made at `requested_at` may no longer be approved at `now` (both naive UTC)."""
    return requested_at is not None and now - requested_at >= timedelta(days=APPROVAL_WAIT_DAYS)


def approval_refusal(
    *,
    approver_id: int,
    approver_role: str | None,
    requester_id: int | None,
    target_id: int,
    approvers: frozenset[str],
    pending: bool = True,
    expired: bool = False,
) -> Refusal | None:
    """Why `approver_id` may not approve the request of `requester_id` about account `target_id` (None: may)."""
    if not pending:
        return Refusal.NOTHING_PENDING
    if expired:
        return Refusal.EXPIRED
    if approver_role not in approvers:
        return Refusal.NOT_AN_APPROVER
    if requester_id is None or approver_id == requester_id:
        return Refusal.OWN_REQUEST
    if approver_id == target_id:
        return Refusal.OWN_ACCOUNT
    return None


def link_state(
    *,
    approved: bool,
    expires_at: datetime | None,
    used_at: datetime | None,
    cancelled_at: datetime | None,
    now: datetime,
) -> LinkState:
    """The state of a link at `now`: used and cancelled win over expiry, expiry over usable."""
    if used_at is not None:
        return LinkState.USED
    if cancelled_at is not None:
        return LinkState.CANCELLED
    if not approved or expires_at is None:
        return LinkState.AWAITING_APPROVAL
    if now >= expires_at:
        return LinkState.EXPIRED
    return LinkState.USABLE
