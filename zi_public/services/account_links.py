"""One-time set-password links: a new account's invitation and an admin's password reset.

An admin never sees, chooses or hands over a usable password (DESIGN.md: "an admin's reset never lets
the admin sign in as the member"). A member with an address gets the link by mail through the outbox;
nobody in the internal area sees it. Without an address the request waits for a second admin and the
secret is split (rules/account_approval.py): the requester is shown a code once, the approver the link
once, and the member needs both, so neither officer can set the password alone. The token and the code
are stored only as keyed hashes; a link works once, until it expires, and only if no newer one replaced it.
The member's next sign-in after a reset says who reset the password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from zi_public import links
from zi_public.extensions import db
from zi_public.models import AccountLink, LinkPurpose, User
from zi_public.models.base import utcnow
from zi_public.models.user import new_session_token
from zi_public.rules.account_approval import (
    LINK_APPROVERS,
    MAX_CODE_ATTEMPTS,
    LinkState,
    Refusal,
    approval_refusal,
    link_state,
    request_expired,
)
from zi_public.security.codes import InvalidCode, new_access_code, parse_access_code
from zi_public.security.keyring import hashes_match, keyed_hash
from zi_public.security.passwords import hash_password
from zi_public.services import audit, outbox

TOKEN_PURPOSE = "account-link"  # noqa: S105 - a hashing purpose, not a secret
CODE_PURPOSE = "account-link-code"
TOKEN_MAX = 100  # a token is 43 characters; anything much longer is not one


class LinkError(ValueError):
    """A link cannot be used or approved; `state` or `refusal` says why."""

    def __init__(self, state: LinkState | None = None, refusal: Refusal | None = None, attempts_left: int = 0) -> None:
        super().__init__(str(state or refusal))
        self.state = state
        self.refusal = refusal
        self.attempts_left = attempts_left


@dataclass(frozen=True)
class Issued:
    """What issuing a link gave: mailed to the member, or a request waiting for a second admin."""

    link: AccountLink
    mailed: bool
    requester_code: str | None = None  # shown once to the requester, who hands it to the member in person


@dataclass(frozen=True)
class Lookup:
    """A link found by its token (None: no such link) and its state now."""

    link: AccountLink | None
    state: LinkState | None


@dataclass(frozen=True)
class LoginNotice:
    """Told at the member's next sign-in: who reset the password (and who approved), and when."""

    requested_by: str
    approved_by: str | None
    at: datetime


def _token_hash(token: str) -> str:
    return keyed_hash(token, TOKEN_PURPOSE)


def _code_hash(code: str) -> str:
    return keyed_hash(parse_access_code(code), CODE_PURPOSE)


def invite(actor: User, user: User) -> Issued:
    """Send a new account its first set-password link (or ask a second admin when it has no address)."""
    return _issue(actor, user, LinkPurpose.INVITE)


def request_reset(actor: User, user: User) -> Issued:
    """An admin's password reset: a link to the member's own address, or a request for a second admin."""
    return _issue(actor, user, LinkPurpose.RESET)


def _issue(actor: User, user: User, purpose: LinkPurpose) -> Issued:
    _cancel_open_links(user)
    if user.email:
        token = secrets.token_urlsafe(32)
        link = _add_link(user, purpose, actor, token_hash=_token_hash(token), expires_at=utcnow() + _ttl())
        if purpose == LinkPurpose.RESET:
            _disable_password(user)
        _mail_link(user, purpose, token, actor)
        audit.record(actor, f"user.{purpose.value}", user, data={"link": link.id, "delivery": "mail"})
        return Issued(link, mailed=True)
    code = new_access_code()
    link = _add_link(user, purpose, actor, code_hash=_code_hash(code))
    audit.record(actor, f"user.{purpose.value}", user, data={"link": link.id, "delivery": "second_approver"})
    return Issued(link, mailed=False, requester_code=code)


def _add_link(user: User, purpose: LinkPurpose, actor: User, **columns: object) -> AccountLink:
    link = AccountLink(user_id=user.id, purpose=purpose, requested_by_id=actor.id, failed_codes=0, **columns)
    db.session.add(link)
    db.session.flush()
    return link


def _ttl():  # noqa: ANN202 - a timedelta from the configuration
    return current_app.config["ACCOUNT_LINK_TTL"]


def _cancel_open_links(user: User) -> None:
    """A newer link replaces every older one that was not used yet (including unapproved requests)."""
    db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None), AccountLink.cancelled_at.is_(None))
        .values(cancelled_at=utcnow())
    )


def _disable_password(user: User) -> None:
    """After a reset the old password no longer works, and every session of the account ends."""
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # nobody knows it
    user.session_token = new_session_token()
    db.session.flush()


def _mail_link(user: User, purpose: LinkPurpose, token: str, actor: User) -> None:
    url = links.set_password(token)
    hours = int(_ttl().total_seconds() // 3600)
    site = current_app.config["SITE_NAME"]
    if purpose == LinkPurpose.RESET:
        subject = f"{site}: atur ulang kata sandi / reset your password"
        opening = (
            f"Kata sandi akun {user.username} direset oleh admin {actor.username}. "
            "Kata sandi lama tidak berlaku lagi.\n"
            f"The password of account {user.username} was reset by admin {actor.username}; the old one no longer works."
        )
    else:
        subject = f"{site}: akun baru / your new account"
        opening = (
            f"Admin {actor.username} membuat akun {user.username} untuk Anda.\n"
            f"Admin {actor.username} created the account {user.username} for you."
        )
    body = (
        f"{opening}\n\n"
        f"Buat kata sandi Anda melalui tautan berikut (berlaku {hours} jam, sekali pakai):\n"
        f"Choose your password with this link (valid for {hours} hours, once):\n\n{url}\n\n"
        "Jika Anda tidak mengharapkan surel ini, abaikan dan beri tahu pimpinan.\n"
        "If you did not expect this mail, ignore it and tell the head of office.\n"
    )
    outbox.enqueue(f"account.{purpose.value}", [user.email or ""], subject, body)


# -- the second admin ---------------------------------------------------------------------------


def is_expired(link: AccountLink) -> bool:
    """Whether a request waiting for a second admin is too old to approve (it can still be refused)."""
    return request_expired(link.created_at, utcnow())


def pending_approvals() -> list[AccountLink]:
    """Requests for a member without an address that wait for a second admin, oldest first (expired ones too:
    see is_expired)."""
    return list(
        db.session.scalars(
            sa.select(AccountLink)
            .where(
                AccountLink.code_hash.is_not(None),
                AccountLink.approved_at.is_(None),
                AccountLink.cancelled_at.is_(None),
                AccountLink.used_at.is_(None),
            )
            .order_by(AccountLink.id)
        )
    )


def approve(approver: User, link: AccountLink) -> str:
    """A second admin approves: the link becomes usable and its address is returned, to be shown once."""
    refusal = approval_refusal(
        approver_id=approver.id,
        approver_role=approver.role,
        requester_id=link.requested_by_id,
        target_id=link.user_id,
        approvers=LINK_APPROVERS,
        pending=link.needs_approval and link.approved_at is None and link.cancelled_at is None,
        expired=is_expired(link),
    )
    if refusal is not None:
        raise LinkError(refusal=refusal)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # Compare-and-set: of two approvals at once, one wins; the other is told nothing is pending.
    claimed = db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.approved_at.is_(None), AccountLink.cancelled_at.is_(None))
        .values(approved_by_id=approver.id, approved_at=now, token_hash=_token_hash(token), expires_at=now + _ttl())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LinkError(refusal=Refusal.NOTHING_PENDING)
    db.session.refresh(link)
    if link.purpose == LinkPurpose.RESET:
        _disable_password(link.user)
    audit.record(approver, f"user.{link.purpose.value}_approve", link.user, data={"link": link.id})
    return links.set_password(token)


def reject(actor: User, link: AccountLink) -> None:
    """Another admin refuses the request, or the requester withdraws it."""
    if link.approved_at is not None or link.cancelled_at is not None or link.used_at is not None:
        raise LinkError(refusal=Refusal.NOTHING_PENDING)
    if actor.id != link.requested_by_id and actor.role not in LINK_APPROVERS:
        raise LinkError(refusal=Refusal.NOT_AN_APPROVER)
    link.cancelled_at = utcnow()
    audit.record(actor, f"user.{link.purpose.value}_reject", link.user, data={"link": link.id})


# -- the member ---------------------------------------------------------------------------------


def lookup(token: str, now: datetime | None = None) -> Lookup:
    """The link with this token, and its state; a forged or malformed token finds nothing."""
    if not token or len(token) > TOKEN_MAX:
        return Lookup(None, None)
    link = db.session.scalar(sa.select(AccountLink).where(AccountLink.token_hash == _token_hash(token)))
    if link is None:
        return Lookup(None, None)
    state = link_state(
        approved=link.token_hash is not None,
        expires_at=link.expires_at,
        used_at=link.used_at,
        cancelled_at=link.cancelled_at,
        now=now or utcnow(),
    )
    if state == LinkState.USABLE and not link.user.is_active:
        state = LinkState.CANCELLED  # a disabled account is not re-opened by a link
    return Lookup(link, state)


def use(token: str, new_password: str, code: str | None = None, now: datetime | None = None) -> User:
    """Set the member's password with the link (and the requester's code, for a split link); once only.

    A wrong code counts; after MAX_CODE_ATTEMPTS the link stops working, so whoever holds the link alone
    cannot guess the code. The caller checks the password rules first (as for a password change).
    """
    now = now or utcnow()
    found = lookup(token, now)
    link = found.link
    if link is None or found.state != LinkState.USABLE:
        raise LinkError(state=found.state)
    if link.code_hash is not None and not _code_matches(code, link.code_hash):
        link.failed_codes += 1
        left = MAX_CODE_ATTEMPTS - link.failed_codes
        if left <= 0:
            link.cancelled_at = now
            audit.record(link.user.username, "user.link_code_exhausted", link.user, data={"link": link.id})
        db.session.flush()
        # USABLE even for the last try: the caller answers with the form (status 200), so the count commits
        raise LinkError(state=LinkState.USABLE, attempts_left=max(left, 0))
    # Compare-and-set: a link replayed at the same moment is used once.
    claimed = db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None), AccountLink.cancelled_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LinkError(state=LinkState.USED)
    db.session.refresh(link)
    user = link.user
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    user.must_change_password = False
    user.session_token = new_session_token()
    audit.record(user, "user.password_set", user, data={"link": link.id, "purpose": link.purpose.value})
    return user


def _code_matches(code: str | None, stored_hash: str) -> bool:
    try:
        return code is not None and hashes_match(_code_hash(code), stored_hash)
    except InvalidCode:
        return False


def take_login_notice(user: User, now: datetime | None = None) -> LoginNotice | None:
    """The newest reset the member has not been told about (marked told); None when there is none."""
    link = db.session.scalar(
        sa.select(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == LinkPurpose.RESET,
            AccountLink.used_at.is_not(None),
            AccountLink.notified_at.is_(None),
        )
        .order_by(AccountLink.id.desc())
        .limit(1)
    )
    if link is None:
        return None
    db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.notified_at.is_(None), AccountLink.used_at.is_not(None))
        .values(notified_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return LoginNotice(
        requested_by=link.requested_by.username,
        approved_by=link.approved_by.username if link.approved_by else None,
        at=link.created_at,
    )


def open_link(user: User) -> AccountLink | None:
    """The account's newest link not yet used, cancelled or expired (what the admin's page reports)."""
    link = db.session.scalar(
        sa.select(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None), AccountLink.cancelled_at.is_(None))
        .order_by(AccountLink.id.desc())
        .limit(1)
    )
    if link is not None and link.expires_at is not None and link.expires_at <= utcnow():
        return None
    return link
