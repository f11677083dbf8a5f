"""Staff accounts: create and change (signing in is services/sign_in.py); every change leaves an audit entry."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import Role, User
from zi_public.models.base import utcnow
from zi_public.models.user import new_session_token
from zi_public.security import totp
from zi_public.security.passwords import hash_password
from zi_public.services import audit, login_throttle
from zi_public.unit_of_work import add_unique


class AccountError(ValueError):
    """An account operation that the rules forbid; the message is for the admin."""


#: A username, once normalised: 3 to 64 (the column's length) letters, digits, dots, underscores or hyphens.
USERNAME_MIN = 3
USERNAME_MAX: int = User.__table__.c.username.type.length
# [a-z0-9], not \w: \w also matches letters and digits of other scripts.
_USERNAME_CHARACTERS = re.compile(r"[a-z0-9._-]*")


def normalize_username(username: str) -> str:
    return username.strip().lower()


def username_problem(username: str) -> str | None:
    """Why `username` (normalised first) cannot name an account ("characters", "length"), or None: the one rule
    the admin's account form and `flask user create` both apply."""
    normalized = normalize_username(username)
    if not _USERNAME_CHARACTERS.fullmatch(normalized):
        return "characters"
    if not USERNAME_MIN <= len(normalized) <= USERNAME_MAX:
        return "length"
    return None


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == normalize_username(username)))


def create_user(
    actor: User | str,
    username: str,
    role: Role,
    password: str,
    *,
    full_name: str = "",
    email: str | None = None,
    must_change_password: bool = True,
    role_pending: bool = False,
) -> User:
    """A new account; with `role_pending` it has no role until a second person approves `role`
    (services/role_approval.py records the request)."""
    # The forms and `user create` say what is wrong first, in their own words; this keeps every other caller
    # (a script, a later page) from writing a name those would have refused.
    problem = username_problem(username)
    if problem is not None:
        raise AccountError(f"username {username!r} is not allowed ({problem})")
    username = normalize_username(username)
    if find_user(username) is not None:
        raise AccountError(f"username {username!r} is taken")
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=(email or "").strip() or None,
        role=None if role_pending else Role(role),
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        password_changed_at=utcnow(),
    )
    # another admin may have created the same name between our check and now
    add_unique(user, AccountError(f"username {username!r} is taken"))
    data = {"username": username, "role": Role(role).value, "pending": role_pending}
    audit.record(actor, "user.create", user, data=data)
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record(user, "user.login", user)


def record_logout(user: User) -> None:
    """Sign out: the account's session token changes, so every session of it ends, on every device.

    One token per account (DESIGN: sessions are revocable on the server) makes a copied cookie worthless
    after the owner signs out; the price is that signing out on one device signs out the others too.
    """
    user.session_token = new_session_token()
    audit.record(user, "user.logout", user)


def sign_out_everywhere(actor: User, user: User) -> None:
    """An admin ends every session of an account (a lost laptop, a suspected stolen cookie)."""
    user.session_token = new_session_token()
    audit.record(actor, "user.sign_out_everywhere", user)


def change_password(actor: User, user: User, new_password: str) -> None:
    """Set a new password; every other session of the account is signed out."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = actor.id != user.id  # an admin reset must be changed by the owner
    user.session_token = new_session_token()
    audit.record(actor, "user.password_change" if actor.id == user.id else "user.password_reset", user)


def set_role(actor: User, user: User, role: Role) -> None:
    role = Role(role)
    if user.role == role:
        return
    if user.role == Role.ADMIN and _is_last_active_admin(user):
        raise AccountError("the last active admin cannot lose the admin role")
    old = user.role
    user.role = role
    user.session_token = new_session_token()
    audit.record(actor, "user.role_change", user, data={"from": old.value if old else None, "to": role.value})


def set_active(actor: User, user: User, active: bool) -> None:
    if user.is_active == active:
        return
    if not active and user.id == actor.id:
        raise AccountError("you cannot disable your own account")
    if not active and user.role == Role.ADMIN and _is_last_active_admin(user):
        raise AccountError("the last active admin cannot be disabled")
    user.is_active = active
    user.session_token = new_session_token()
    if active:
        user.failed_logins = 0
        user.locked_until = None
        login_throttle.forget_failures(user.username)
    audit.record(actor, "user.enable" if active else "user.disable", user)


def unlock(actor: User, user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
    login_throttle.forget_failures(user.username)
    audit.record(actor, "user.unlock", user)


def enable_totp(actor: User, user: User, secret: str) -> None:
    user.totp_secret = secret
    user.totp_pending_secret = None
    user.totp_last_step = None
    audit.record(actor, "user.totp_enable", user)


def pending_totp_secret(user: User) -> str:
    """The secret an officer is enrolling, kept on the server (encrypted) until a code proves it."""
    if user.totp_pending_secret is None:
        user.totp_pending_secret = totp.new_secret()
        audit.record(user, "user.totp_enrolment_start", user)
        db.session.flush()
    return user.totp_pending_secret


def confirm_totp_enrolment(user: User, code: str, now: datetime | None = None) -> bool:
    """Turn TOTP on when `code` matches the pending secret (the authenticator app has it)."""
    secret = user.totp_pending_secret
    if secret is None or totp.matching_step(secret, code, now) is None:
        return False
    enable_totp(user, user, secret)
    return True


def reset_totp(actor: User, user: User) -> None:
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None
    user.session_token = new_session_token()
    audit.record(actor, "user.totp_reset", user)


def _is_last_active_admin(user: User) -> bool:
    others = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(User.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id)
    )
    return others == 0


def count_admins() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(User.role == Role.ADMIN)) or 0
