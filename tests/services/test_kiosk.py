"""Kiosk devices: registration, the signed device cookie, revocation, last seen."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from tests.factories import make_user
from zi_public.models import AuditEntry, KioskDevice, Role
from zi_public.services import kiosk


@pytest.fixture
def admin(db):
    user = make_user(role=Role.ADMIN, username="admin1")
    db.session.commit()
    return user


@pytest.fixture
def device(db, admin):
    device = kiosk.register_device(admin, "  Kiosk ruang tunggu  ", "Lantai 1")
    db.session.commit()
    return device


def actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_type == "kiosk_device")))


def test_register_activate_and_recognise(db, admin, device):
    assert device.name == "Kiosk ruang tunggu" and device.location == "Lantai 1"
    assert device.is_active and device.created_by_id == admin.id
    value = kiosk.activate_device(admin, device)
    assert kiosk.device_from_cookie(value) == device
    assert kiosk.device_from_cookie(device.device_key) is None  # the bare key is no cookie: it must be signed
    assert actions(db) == ["kiosk.register", "kiosk.activate"]


def test_revoked_device_cookie_dies_and_cannot_be_reactivated(db, admin, device):
    value = kiosk.activate_device(admin, device)
    old_key = device.device_key
    kiosk.revoke_device(admin, device)
    db.session.commit()
    assert not device.is_active and device.device_key != old_key
    assert kiosk.device_from_cookie(value) is None
    with pytest.raises(kiosk.DeviceRevoked):
        kiosk.activate_device(admin, device)
    kiosk.revoke_device(admin, device)  # twice: no second entry, no error
    assert actions(db) == ["kiosk.register", "kiosk.activate", "kiosk.revoke"]


def test_revoking_one_device_leaves_the_others_working(db, admin, device):
    other = kiosk.register_device(admin, "Kiosk 2")
    other_cookie = kiosk.activate_device(admin, other)
    kiosk.revoke_device(admin, device)
    assert kiosk.device_from_cookie(other_cookie) == other


def test_forged_tampered_and_malformed_cookies_are_rejected(app, db, admin, device):
    good = kiosk.activate_device(admin, device)
    wrong_secret = URLSafeTimedSerializer("not-our-secret", salt=kiosk.COOKIE_SALT).dumps(device.device_key)
    wrong_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps(device.device_key)
    payload, rest = good.split(".", 1)
    signed, signature = good.rsplit(".", 1)
    # Change a character whose every bit counts: the last base64 character of a value carries
    # bits the decoder ignores, so swapping it for a neighbour can leave the bytes unchanged.
    tampered = [
        signed + "." + ("A" if signature[0] != "A" else "B") + signature[1:],
        ("x" if payload[0] != "x" else "y") + payload[1:] + "." + rest,
        good + "x",
        good.replace(".", "", 1),
    ]
    unknown_key = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=kiosk.COOKIE_SALT).dumps("no-such-key")
    not_a_string = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=kiosk.COOKIE_SALT).dumps({"id": device.id})
    for value in [
        None, "", "garbage", "...", "a.b.c", "\x00", "é☃.𝔘", "%00", good * 20, wrong_secret, wrong_salt,
        unknown_key, not_a_string, *tampered,
    ]:
        assert kiosk.device_from_cookie(value) is None, repr(value)
    assert kiosk.device_from_cookie(good) == device


def test_expired_signature_is_rejected(app, db, admin, device, monkeypatch):
    long_ago = int(time.time() - kiosk.COOKIE_MAX_AGE.total_seconds() - 60)
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: long_ago)
        old = kiosk.activate_device(admin, device)
    assert kiosk.device_from_cookie(old) is None
    assert kiosk.device_from_cookie(kiosk.activate_device(admin, device)) == device


def test_last_seen_is_written_at_most_once_a_minute(db, admin, device):
    value = kiosk.activate_device(admin, device)
    start = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    assert device.last_seen_at is None
    kiosk.device_from_cookie(value, now=start)
    assert device.last_seen_at == start.replace(tzinfo=None)
    kiosk.device_from_cookie(value, now=start + timedelta(seconds=59))
    assert device.last_seen_at == start.replace(tzinfo=None)
    kiosk.device_from_cookie(value, now=start + timedelta(seconds=61))
    assert device.last_seen_at == (start + timedelta(seconds=61)).replace(tzinfo=None)
    db.session.commit()
    stored = db.session.scalar(sa.select(KioskDevice.last_seen_at).where(KioskDevice.id == device.id))
    assert stored == (start + timedelta(seconds=61)).replace(tzinfo=None)
