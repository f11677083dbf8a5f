"""Model factories: valid objects with sensible defaults, overridable per test."""

from __future__ import annotations

import io
import itertools
from typing import Any

from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.models import Attachment, Role, User
from zi_public.security.permissions import case_kind_of
from zi_public.services import accounts, attachments

TEST_PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
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


def make_attachment(case: Any, data: bytes = PDF, filename: str = "bukti.pdf") -> Attachment:
    """A file stored (encrypted, in UPLOAD_DIR) through the real service and attached to `case`."""
    file = FileStorage(io.BytesIO(data), filename=filename)
    stored = attachments.store_file(case_kind_of(case), file, allowed={"image", "pdf"})
    (row,) = attachments.attach(case, [stored])
    db.session.flush()
    return row
