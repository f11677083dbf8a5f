"""Staff sign-in: the password step, the TOTP step and completion, with the back-off of rules/lockout.py.

No answer tells whether a username exists or is locked (DESIGN: "one message for unknown and locked
accounts"): an unknown name, a wrong password, a disabled account and a locked one all give the same
refusal after the same argon2id verification. A wrong TOTP code counts like a wrong password, so the
second step cannot be guessed either.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from zi_public.extensions import db
from zi_public.models import User
from zi_public.models.base import utcnow
from zi_public.rules.lockout import LockoutPolicy, account_lock, sign_in_refused
from zi_public.security import totp
from zi_public.security.passwords import hash_password, needs_rehash, verify_password
from zi_public.services import accounts, audit, login_throttle


@dataclass(frozen=True)
class LoginResult:
    user: User | None

    @property
    def ok(self) -> bool:
        return self.user is not None


class TotpOutcome(enum.Enum):
    ACCEPTED = "accepted"
    REFUSED = "refused"  # wrong, malformed or replayed code
    LOCKED = "locked"  # too many failures from this address: even the right code is refused for now


def authenticate(
    username: str, password: str, address: str, policy: LockoutPolicy, now: datetime | None = None
) -> LoginResult:
    """Check a password; count a failure per (name, address) and per account. The same work every time."""
    now = now or utcnow()
    name = accounts.normalize_username(username)[:64]
    user = accounts.find_user(name)
    refused = _refused(name, user, address, now)
    # Always verify (against a dummy hash for an unknown name): a locked or unknown account answers as
    # slowly as a wrong password, so timing reveals neither.
    password_ok = verify_password(user.password_hash if user else None, password)
    if refused or not password_ok or user is None or not user.is_active:
        if not refused:  # waiting out a lock is not punished with a longer one
            _count_failure(name, user, address, policy, now)
        return LoginResult(None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return LoginResult(user)


def verify_totp(user: User, code: str, address: str, policy: LockoutPolicy, now: datetime | None = None) -> TotpOutcome:
    """Accept a current code once (a replayed code is refused); wrong codes count like wrong passwords."""
    now = now or utcnow()
    if _refused(user.username, user, address, now):
        return TotpOutcome.LOCKED
    step = totp.matching_step(user.totp_secret, code, now) if user.totp_secret else None
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        _count_failure(user.username, user, address, policy, now)
        return TotpOutcome.LOCKED if _refused(user.username, user, address, now) else TotpOutcome.REFUSED
    user.totp_last_step = step
    db.session.flush()
    return TotpOutcome.ACCEPTED


def complete(user: User, address: str, now: datetime | None = None) -> None:
    """Both steps passed: the failures are forgotten, `address` becomes one the account signs in from."""
    login_throttle.count_success(user.username, address, now or utcnow())
    user.failed_logins = 0
    user.locked_until = None
    accounts.record_login(user)
    db.session.flush()


def _refused(name: str, user: User | None, address: str, now: datetime) -> bool:
    state = login_throttle.address_state(name, address)
    return sign_in_refused(
        now,
        address_locked_until=state.locked_until,
        account_locked_until=user.locked_until if user is not None else None,
        address_known=state.is_known,
    )


def _count_failure(name: str, user: User | None, address: str, policy: LockoutPolicy, now: datetime) -> None:
    address_lock = login_throttle.count_failure(name, address, policy, now)
    login_throttle.prune(now, policy.forget_after)
    if user is None:
        return
    user.failed_logins = User.failed_logins + 1  # in SQL: concurrent failures all count
    db.session.flush()
    lock = account_lock(user.failed_logins, policy)
    if lock is not None:
        user.locked_until = now + lock
    if address_lock is not None or lock is not None:
        audit.record(
            name,
            "user.locked",
            user,
            data={
                "failures": user.failed_logins,
                "address": address[: login_throttle.ADDRESS_LENGTH],
                "address_minutes": address_lock.total_seconds() / 60 if address_lock else 0,
                "account_minutes": lock.total_seconds() / 60 if lock else 0,
            },
        )
    db.session.flush()
