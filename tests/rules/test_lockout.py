"""The sign-in back-off rule: free attempts, doubling locks, the per-account ceiling and known addresses."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from zi_public.rules.lockout import (
    LockoutPolicy,
    account_lock,
    address_lock,
    lockout_after_failure,
    sign_in_refused,
)

POLICY = LockoutPolicy(5, timedelta(minutes=1), timedelta(hours=1), account_free_attempts=20)
NOW = datetime(2026, 11, 30, 8, 0)
LATER = NOW + timedelta(minutes=5)
EARLIER = NOW - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(0, None), (1, None), (4, None), (5, 1), (6, 2), (7, 4), (10, 32), (11, 60), (12, 60), (10_000, 60)],
)
def test_address_lock_doubles_after_the_free_attempts_up_to_the_maximum(failures, minutes):
    lock = address_lock(failures, POLICY)
    assert lock == (None if minutes is None else timedelta(minutes=minutes))


@pytest.mark.parametrize(("failures", "minutes"), [(19, None), (20, 1), (21, 2), (30, 60)])
def test_the_account_ceiling_has_its_own_free_attempts(failures, minutes):
    lock = account_lock(failures, POLICY)
    assert lock == (None if minutes is None else timedelta(minutes=minutes))


def test_lockout_after_failure_never_overflows():
    assert lockout_after_failure(10**9, free_attempts=5, base=timedelta(minutes=1), maximum=timedelta(hours=1)) == (
        timedelta(hours=1)
    )


@pytest.mark.parametrize(
    ("address_locked_until", "account_locked_until", "address_known", "refused"),
    [
        (None, None, False, False),
        (None, None, True, False),
        (LATER, None, True, True),  # an address locked for the account: known or not
        (LATER, None, False, True),
        (EARLIER, None, False, False),  # a lock that has run out
        (NOW, None, False, False),  # ... ends at its instant
        (None, LATER, False, True),  # the ceiling holds unknown addresses back
        (None, LATER, True, False),  # ... never the officer's own
        (None, EARLIER, False, False),
        (EARLIER, LATER, True, False),
        (LATER, LATER, True, True),
    ],
)
def test_sign_in_refused(address_locked_until, account_locked_until, address_known, refused):
    assert (
        sign_in_refused(
            NOW,
            address_locked_until=address_locked_until,
            account_locked_until=account_locked_until,
            address_known=address_known,
        )
        is refused
    )
