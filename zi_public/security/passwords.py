"""Staff passwords: argon2id hashes and the strength rule."""

from __future__ import annotations

import secrets
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import Flask, current_app
from flask_babel import gettext as _

#: Longer is refused: a password field has to end somewhere, and argon2 would hash a megabyte.
MAX_LENGTH = 256
#: Fewer different characters is refused: "aaaaaaaaaaaa" or "abababababab" is long, not strong.
MIN_DISTINCT_CHARACTERS = 6


class _Hashing:
    """The app's argon2id hasher, and a hash to verify against when the user does not exist."""

    def __init__(self, params: dict[str, int]) -> None:
        self.hasher = PasswordHasher(**params)

    @cached_property
    def dummy_hash(self) -> str:
        """Verifying unknown usernames against a real hash makes "no such user" as slow as "wrong
        password", so response time does not reveal which usernames exist.

        Made on first use, not at start-up: one argon2id hash costs the production profile's 64 MiB and
        a second of CPU, which every CLI command (a report from cron, `mail send`) would pay for nothing.
        """
        return self.hasher.hash(secrets.token_urlsafe(16))


def init_passwords(app: Flask) -> None:
    app.extensions["zi_passwords"] = _Hashing(app.config["PASSWORD_HASH_PARAMS"])


def _hashing() -> _Hashing:
    return current_app.extensions["zi_passwords"]


def hash_password(password: str) -> str:
    return _hashing().hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an unknown user (None) costs the same time and fails."""
    hashing = _hashing()
    dummy_hash = hashing.dummy_hash  # made by the first sign-in of either kind, so neither is the slower one
    try:
        return hashing.hasher.verify(password_hash or dummy_hash, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than the current ones."""
    return _hashing().hasher.check_needs_rehash(password_hash)


def password_problems(password: str, *, username: str, min_length: int) -> list[str]:
    """Why a new password is not acceptable (keys of password_rules, empty when it is fine)."""
    problems = []
    if len(password) < min_length:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    if username and username.lower() in password.lower():
        problems.append("contains_username")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append("too_simple")
    return problems


def password_rules(*, min_length: int) -> dict[str, str]:
    """Each rule password_problems checks, as a sentence in the current language, keyed by the problem it
    reports: said before a password is asked for, and the broken ones when it is refused."""
    return {
        "too_short": _("Minimal %(n)d karakter.", n=min_length),
        "too_long": _("Maksimal %(n)d karakter.", n=MAX_LENGTH),
        "contains_username": _("Tidak memuat nama pengguna."),
        "too_simple": _("Sedikitnya %(n)d karakter yang berbeda.", n=MIN_DISTINCT_CHARACTERS),
    }


def broken_rules(password: str, *, username: str, min_length: int) -> list[str]:
    """The rules `password` breaks, worded as password_rules says them (empty when it is fine)."""
    rules = password_rules(min_length=min_length)
    return [rules[problem] for problem in password_problems(password, username=username, min_length=min_length)]


def generate_password() -> str:
    """A temporary password an admin hands over; the user must change it at first login."""
    return secrets.token_urlsafe(12)
