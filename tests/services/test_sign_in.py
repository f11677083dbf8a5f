"""The sign-in service: counters per (name, address), the per-account ceiling, TOTP failures, unlock, pruning."""

from __future__ import annotations

import json
from datetime import timedelta

import pyotp
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_user
from zi_public.models import AuditEntry, LoginThrottle, Role
from zi_public.models.base import utcnow
from zi_public.rules.lockout import LockoutPolicy
from zi_public.services import accounts, login_throttle, sign_in

POLICY = LockoutPolicy(5, timedelta(minutes=1), timedelta(hours=1), account_free_attempts=20)
HOME, ELSEWHERE = "10.0.0.7", "203.0.113.9"


def rows(db) -> dict[tuple[str, str], LoginThrottle]:
    return {(r.username, r.address): r for r in db.session.scalars(sa.select(LoginThrottle))}


def fail(username: str, address: str, times: int, password: str = "wrong password!!") -> None:
    for _ in range(times):
        assert not sign_in.authenticate(username, password, address, POLICY).ok


def test_an_unknown_name_is_counted_and_locked_like_a_real_one(db):
    fail("Nobody ", ELSEWHERE, 5)
    row = rows(db)[("nobody", ELSEWHERE)]
    assert row.failures == 5 and row.locked_until > utcnow()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "user.locked")) == 0


def test_a_lock_at_one_address_leaves_the_others_open_and_is_audited_with_the_address(db):
    user = make_user(username="siti")
    fail("siti", ELSEWHERE, 5)
    assert not sign_in.authenticate("siti", TEST_PASSWORD, ELSEWHERE, POLICY).ok
    assert sign_in.authenticate("siti", TEST_PASSWORD, HOME, POLICY).user is user
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.locked"))
    data = json.loads(entry.data)
    assert data["address"] == ELSEWHERE and data["address_minutes"] == 1


def test_waiting_out_a_lock_does_not_lengthen_it(db):
    make_user(username="siti")
    fail("siti", ELSEWHERE, 5)
    locked_until = rows(db)[("siti", ELSEWHERE)].locked_until
    fail("siti", ELSEWHERE, 10)
    row = rows(db)[("siti", ELSEWHERE)]
    assert row.failures == 5 and row.locked_until == locked_until


def test_the_ceiling_spares_known_addresses_and_a_success_resets_it(db):
    user = make_user(username="siti")
    sign_in.complete(user, HOME)
    for i in range(20):
        fail("siti", f"198.51.100.{i}", 1)
    assert user.failed_logins == 20 and user.locked_until > utcnow()
    assert not sign_in.authenticate("siti", TEST_PASSWORD, "192.0.2.1", POLICY).ok
    assert sign_in.authenticate("siti", TEST_PASSWORD, HOME, POLICY).ok
    sign_in.complete(user, HOME)
    assert user.failed_logins == 0 and user.locked_until is None
    assert sign_in.authenticate("siti", TEST_PASSWORD, "192.0.2.1", POLICY).ok


def test_wrong_and_replayed_totp_codes_count_like_wrong_passwords(db):
    secret = pyotp.random_base32()
    user = make_user(username="siti", totp_secret=secret)
    code = pyotp.TOTP(secret).now()
    assert sign_in.verify_totp(user, code, HOME, POLICY) is sign_in.TotpOutcome.ACCEPTED
    assert sign_in.verify_totp(user, code, HOME, POLICY) is sign_in.TotpOutcome.REFUSED  # replayed
    assert rows(db)[("siti", HOME)].failures == 1
    outcomes = [sign_in.verify_totp(user, "12345x", HOME, POLICY) for _ in range(4)]
    assert outcomes == [sign_in.TotpOutcome.REFUSED] * 3 + [sign_in.TotpOutcome.LOCKED]
    assert sign_in.verify_totp(user, pyotp.TOTP(secret).now(), ELSEWHERE, POLICY) is not sign_in.TotpOutcome.LOCKED


def test_unlock_and_enable_clear_every_address_but_keep_known_ones(db):
    admin = make_user(role=Role.ADMIN, username="adm")
    user = make_user(username="siti")
    sign_in.complete(user, HOME)
    fail("siti", HOME, 5)
    fail("siti", ELSEWHERE, 5)
    accounts.unlock(admin, user)
    assert all(r.failures == 0 and r.locked_until is None for r in rows(db).values())
    assert login_throttle.address_state("siti", HOME).is_known
    fail("siti", ELSEWHERE, 5)
    accounts.set_active(admin, user, False)
    accounts.set_active(admin, user, True)
    assert rows(db)[("siti", ELSEWHERE)].locked_until is None


def test_quiet_unknown_addresses_are_forgotten_known_ones_kept(db):
    user = make_user(username="siti")
    sign_in.complete(user, HOME)
    fail("siti", ELSEWHERE, 2)
    fail("nobody", ELSEWHERE, 2)
    login_throttle.prune(utcnow() + timedelta(days=2), POLICY.forget_after)
    assert set(rows(db)) == {("siti", HOME)}


def test_an_overlong_address_is_cut_not_refused(db):
    fail("siti", "x" * 500, 1)
    assert rows(db)[("siti", "x" * login_throttle.ADDRESS_LENGTH)].failures == 1
