"""Staff passwords: argon2id hashes and the strength rule."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory profile

# A valid hash of a random password: verifying against it for unknown usernames makes
# "no such user" take as long as "wrong password".
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an unknown user (None) costs the same time and fails."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, *, username: str, min_length: int) -> list[str]:
    """Why a new password is not acceptable (message keys, empty when it is fine)."""
    problems = []
    if len(password) < min_length:
        problems.append("too_short")
    if len(password) > 256:
        problems.append("too_long")
    if username and username.lower() in password.lower():
        problems.append("contains_username")
    if len(set(password)) < 6:
        problems.append("too_simple")
    return problems


def generate_password() -> str:
    """A temporary password an admin hands over; the user must change it at first login."""
    return secrets.token_urlsafe(12)
