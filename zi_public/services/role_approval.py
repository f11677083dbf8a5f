"""Roles that read cases (and the admin role) take effect only when a second person approves them.

The role an account has is `User.role`, and every permission check reads only that column, so a role
that waits for approval (`User.pending_role`) grants nothing anywhere. A new account whose first role
waits has no role at all (None). A second person (another admin, or the pimpinan; never the one who
asked, never the account itself) approves or rejects; both steps are audited. Roles that read no
cases (skm), and taking a role away, apply at once.

The CLI (`flask user create`) still creates accounts with their role at once: it is run by the operator
of the server, who holds the database and the keys anyway.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import Role, User
from zi_public.models.base import utcnow
from zi_public.models.user import new_session_token
from zi_public.rules.account_approval import (
    ROLE_APPROVERS,
    Refusal,
    approval_refusal,
    request_expired,
    role_needs_approval,
)
from zi_public.services import account_links, accounts, audit


class RoleApprovalError(ValueError):
    """An approval the two-person rule refuses; `refusal` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


@dataclass(frozen=True)
class Created:
    """A new account: whether its role waits for approval, and how its set-password link went out."""

    user: User
    role_pending: bool
    issued: account_links.Issued


def create_account(
    actor: User, username: str, role: Role, *, full_name: str | None = "", email: str | None = None
) -> Created:
    """An admin creates an account: no usable password, a set-password link, the role approved by a second person."""
    role = Role(role)
    pending = role_needs_approval(None, role.value)
    user = accounts.create_user(
        actor,
        username,
        role,
        secrets.token_urlsafe(32),  # nobody knows it: the member chooses the password with the link
        full_name=full_name or "",
        email=email,
        must_change_password=False,
        role_pending=pending,
    )
    if pending:
        _set_pending(actor, user, role)
    return Created(user, pending, account_links.invite(actor, user))


def request_role(actor: User, user: User, role: Role) -> bool:
    """Change an account's role; True when the change waits for a second person's approval."""
    role = Role(role)
    if role == user.role:
        if user.pending_role is not None:
            _clear_pending(user)
            audit.record(
                actor, "user.role_request_withdrawn", user, data={"role": user.role.value if user.role else None}
            )
        return False
    if not role_needs_approval(user.role.value if user.role else None, role.value):
        accounts.set_role(actor, user, role)  # refuses to demote the last admin
        _clear_pending(user)
        return False
    _set_pending(actor, user, role)
    return True


def _set_pending(actor: User, user: User, role: Role) -> None:
    user.pending_role = role
    user.pending_role_by_id = actor.id
    user.pending_role_at = utcnow()
    db.session.flush()
    audit.record(
        actor, "user.role_request", user, data={"from": user.role.value if user.role else None, "to": role.value}
    )


def _clear_pending(user: User) -> None:
    user.pending_role = None
    user.pending_role_by_id = None
    user.pending_role_at = None
    db.session.flush()


def approve(approver: User, user: User, expected_role: Role | str) -> None:
    """A second person grants the pending role; `expected_role` is the role the approver was shown."""
    refusal = approval_refusal(
        approver_id=approver.id,
        approver_role=approver.role.value if approver.role else None,
        requester_id=user.pending_role_by_id,
        target_id=user.id,
        approvers=ROLE_APPROVERS,
        pending=user.pending_role is not None and user.pending_role == expected_role,
        expired=is_expired(user),
    )
    if refusal is not None:
        raise RoleApprovalError(refusal)
    old, new, requested_by = user.role, user.pending_role, user.pending_role_by_id
    if old == Role.ADMIN and new != Role.ADMIN and accounts._is_last_active_admin(user):
        raise accounts.AccountError("the last active admin cannot lose the admin role")
    user.role = new
    user.session_token = new_session_token()  # a role change signs the account out everywhere
    _clear_pending(user)
    audit.record(
        approver,
        "user.role_approve",
        user,
        data={"from": old.value if old else None, "to": new.value if new else None, "requested_by": requested_by},
    )


def reject(actor: User, user: User) -> None:
    """A second person refuses the pending role, or the requester withdraws it; the role stays as it was."""
    if user.pending_role is None:
        raise RoleApprovalError(Refusal.NOTHING_PENDING)
    if actor.id != user.pending_role_by_id and (actor.role is None or actor.role.value not in ROLE_APPROVERS):
        raise RoleApprovalError(Refusal.NOT_AN_APPROVER)
    if actor.id == user.id:
        raise RoleApprovalError(Refusal.OWN_ACCOUNT)
    requested = user.pending_role
    _clear_pending(user)
    audit.record(actor, "user.role_reject", user, data={"role": requested.value})


def is_expired(user: User) -> bool:
    """Whether `user`'s pending role request is too old to approve (it can still be refused)."""
    return request_expired(user.pending_role_at, utcnow())


def pending_requests() -> list[User]:
    """Accounts with a role waiting for approval, oldest request first (expired ones too: see is_expired)."""
    return list(
        db.session.scalars(
            sa.select(User).where(User.pending_role.is_not(None)).order_by(User.pending_role_at, User.id)
        )
    )
