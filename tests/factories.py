"""Model factories: valid objects with sensible defaults, overridable per test."""

from __future__ import annotations

import itertools

from zi_public.extensions import db
from zi_public.models import Role, User
from zi_public.services import accounts

TEST_PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(
    role: Role = Role.PENGADUAN,
    username: str | None = None,
    password: str = TEST_PASSWORD,
    must_change_password: bool = False,
    **fields: object,
) -> User:
    """A staff account created through the real service (so it is audit-logged too)."""
    username = username or f"{role.value}{next(_counter)}"
    user = accounts.create_user(
        "test",
        username,
        role,
        password,
        must_change_password=must_change_password,
        full_name=str(fields.pop("full_name", username.title())),
        email=fields.pop("email", None),  # type: ignore[arg-type]
    )
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.flush()
    return user
