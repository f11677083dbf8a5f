"""Back-off for staff sign-ins: free attempts, then a lock that doubles with each failure.

Two counters (DESIGN: "back-off on failures per account and address"):
- per (account, address): after `free_attempts` failures that address is locked for that account, so an
  attacker elsewhere can never lock the officer out;
- per account, a ceiling: after `account_free_attempts` failures from anywhere, addresses the account has
  never signed in from are locked too. It slows guessing from many addresses, while the officer's own
  addresses (where the account signed in before) stay open.
A failure is a wrong password or a wrong TOTP code; unknown names follow the same rule as real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    free_attempts: int
    base: timedelta
    maximum: timedelta
    account_free_attempts: int = 20
    forget_after: timedelta = timedelta(days=1)  # quiet time after which an unknown address's failures go


def lockout_after_failure(
    failures: int, *, free_attempts: int, base: timedelta, maximum: timedelta
) -> timedelta | None:
    """How long to lock after the `failures`-th consecutive failure (None: no lock).

    With 5 free attempts and a 1-minute base: failures 1-4 lock nothing, the 5th locks 1 min,
    the 6th 2 min, the 7th 4 min ... never more than `maximum`.
    """
    if failures < free_attempts:
        return None
    exponent = min(failures - free_attempts, 20)  # 2**20 minutes is far past any sane maximum
    return min(base * (2**exponent), maximum)


def address_lock(failures: int, policy: LockoutPolicy) -> timedelta | None:
    """The lock of one address for one account after its `failures`-th consecutive failure there."""
    return lockout_after_failure(failures, free_attempts=policy.free_attempts, base=policy.base, maximum=policy.maximum)


def account_lock(failures: int, policy: LockoutPolicy) -> timedelta | None:
    """The ceiling's lock (for addresses the account never signed in from) after `failures` from anywhere."""
    return lockout_after_failure(
        failures, free_attempts=policy.account_free_attempts, base=policy.base, maximum=policy.maximum
    )


def sign_in_refused(
    now: datetime,
    *,
    address_locked_until: datetime | None,
    account_locked_until: datetime | None,
    address_known: bool,
) -> bool:
    """True while this address may not sign in to the account, even with the right password and code."""
    if address_locked_until is not None and address_locked_until > now:
        return True
    return not address_known and account_locked_until is not None and account_locked_until > now
