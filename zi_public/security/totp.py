"""Time-based one-time passwords (RFC 6238) for staff, via pyotp."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp

ISSUER = "ZI Public"
INTERVAL = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The time step (counter) `code` belongs to, allowing one step of clock drift; else None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    timestamp = int(moment.timestamp())
    totp = pyotp.TOTP(secret, interval=INTERVAL)
    for drift in (0, -1, 1):
        at = timestamp + drift * INTERVAL
        if totp.verify(code, for_time=at, valid_window=0):
            return at // INTERVAL
    return None
