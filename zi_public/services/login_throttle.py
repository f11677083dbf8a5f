"""The per-(username, address) counters of failed sign-ins, in the login_throttle table.

Every statement is a single atomic one (an upsert with RETURNING), so two failures racing from the same
address both count, on SQLite and PostgreSQL alike. The rule deciding what a count means is in
zi_public/rules/lockout.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import LoginThrottle
from zi_public.rules.lockout import LockoutPolicy, address_lock

#: Longest address stored; longer strings (never a real IPv4/IPv6 address) are cut, not refused.
ADDRESS_LENGTH = 64


@dataclass(frozen=True)
class AddressState:
    locked_until: datetime | None
    is_known: bool  # the account has signed in from this address before


def address_state(username: str, address: str) -> AddressState:
    """Whether `address` is locked for `username`, and whether the account signed in from it before."""
    row = db.session.execute(
        sa.select(LoginThrottle.locked_until, LoginThrottle.last_success_at).where(
            LoginThrottle.username == username, LoginThrottle.address == address[:ADDRESS_LENGTH]
        )
    ).first()
    if row is None:
        return AddressState(None, False)
    return AddressState(row.locked_until, row.last_success_at is not None)


_COUNT_FAILURE = sa.text(
    "INSERT INTO login_throttle (username, address, failures, last_failure_at)"
    " VALUES (:username, :address, 1, :now)"
    " ON CONFLICT (username, address) DO UPDATE SET"
    " failures = login_throttle.failures + 1, last_failure_at = excluded.last_failure_at"
    " RETURNING failures"
).bindparams(sa.bindparam("now", type_=sa.DateTime))

_COUNT_SUCCESS = sa.text(
    "INSERT INTO login_throttle (username, address, failures, last_success_at)"
    " VALUES (:username, :address, 0, :now)"
    " ON CONFLICT (username, address) DO UPDATE SET"
    " failures = 0, locked_until = NULL, last_success_at = excluded.last_success_at"
).bindparams(sa.bindparam("now", type_=sa.DateTime))


def count_failure(username: str, address: str, policy: LockoutPolicy, now: datetime) -> timedelta | None:
    """Count one failure of `username` from `address`; lock the address per the rule. Returns the lock."""
    address = address[:ADDRESS_LENGTH]
    failures = db.session.execute(_COUNT_FAILURE, {"username": username, "address": address, "now": now}).scalar_one()
    lock = address_lock(failures, policy)
    if lock is not None:
        db.session.execute(
            sa.update(LoginThrottle.__table__)
            .where(LoginThrottle.username == username, LoginThrottle.address == address)
            .values(locked_until=now + lock)
        )
    return lock


def count_success(username: str, address: str, now: datetime) -> None:
    """The account signed in from `address`: its failures there are forgotten and the address is known."""
    db.session.execute(_COUNT_SUCCESS, {"username": username, "address": address[:ADDRESS_LENGTH], "now": now})


def forget_failures(username: str) -> None:
    """An admin's unlock: every address may try again (known addresses stay known)."""
    db.session.execute(
        sa.update(LoginThrottle.__table__)
        .where(LoginThrottle.username == username)
        .values(failures=0, locked_until=None)
    )


def prune(now: datetime, keep: timedelta) -> None:
    """Forget addresses that never signed in and have been quiet for `keep` (names tried by attackers)."""
    db.session.execute(
        sa.delete(LoginThrottle.__table__).where(
            LoginThrottle.last_success_at.is_(None), LoginThrottle.last_failure_at < now - keep
        )
    )
