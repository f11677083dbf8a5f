"""Kiosk devices: registered by an admin, recognised by a signed cookie, revoked by a new key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from zi_public.extensions import db
from zi_public.models import KioskDevice, User
from zi_public.models.kiosk import new_device_key
from zi_public.services import audit

COOKIE_NAME = "zi_kiosk"
COOKIE_SALT = "kiosk-device"
#: Browsers keep a cookie at most 400 days (RFC 6265bis); the signature stops counting then too.
COOKIE_MAX_AGE = timedelta(days=400)
#: A busy kiosk would otherwise write its row on every page view.
LAST_SEEN_EVERY = timedelta(minutes=1)
NAME_MAX, LOCATION_MAX = 80, 120
# A genuine cookie is about 100 characters; anything far longer is not worth verifying.
_COOKIE_MAX_CHARS = 512


class DeviceRevoked(ValueError):
    """The device was revoked; it cannot be activated again (register a new one)."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=COOKIE_SALT)


def _now(now: datetime | None) -> datetime:
    """Naive UTC, as the *_at columns store it."""
    return (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)


def register_device(actor: User, name: str, location: str = "") -> KioskDevice:
    """Record a new kiosk; it does nothing until an admin activates it on the kiosk's browser."""
    device = KioskDevice(
        name=name.strip()[:NAME_MAX],
        location=location.strip()[:LOCATION_MAX],
        device_key=new_device_key(),
        is_active=True,
        created_by_id=actor.id,
    )
    db.session.add(device)
    db.session.flush()
    audit.record(actor, "kiosk.register", device, data={"name": device.name, "location": device.location})
    return device


def activate_device(actor: User, device: KioskDevice) -> str:
    """The signed cookie value that makes the current browser this kiosk (audit-logged)."""
    if not device.is_active:
        raise DeviceRevoked(device.id)
    audit.record(actor, "kiosk.activate", device, data={"name": device.name})
    return _serializer().dumps(device.device_key)


def revoke_device(actor: User, device: KioskDevice) -> None:
    """Switch the kiosk off; the new key makes every cookie issued for it worthless."""
    if not device.is_active:
        return
    device.is_active = False
    device.device_key = new_device_key()
    db.session.flush()
    audit.record(actor, "kiosk.revoke", device, data={"name": device.name})


def device_from_cookie(value: str | None, now: datetime | None = None) -> KioskDevice | None:
    """The active device a cookie names; None for a missing, forged, tampered, expired or revoked one."""
    if not value or len(value) > _COOKIE_MAX_CHARS:
        return None
    try:
        device_key = _serializer().loads(value, max_age=int(COOKIE_MAX_AGE.total_seconds()))
    except (BadData, UnicodeError, ValueError):
        return None
    if not isinstance(device_key, str):
        return None
    device = db.session.scalar(
        sa.select(KioskDevice).where(KioskDevice.device_key == device_key, KioskDevice.is_active.is_(True))
    )
    if device is None:
        return None
    moment = _now(now)
    if device.last_seen_at is None or moment - device.last_seen_at >= LAST_SEEN_EVERY:
        device.last_seen_at = moment
        db.session.flush()
    return device


def list_devices_stmt() -> sa.Select:
    """Every registered device, for the admin's keyset-paged list."""
    return sa.select(KioskDevice)
