"""The backup file's format: its members, how each column type is written as JSON, and the key checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.security.keyring import Keyring, KeyringError, keyed_hash

FORMAT = "zi-public-backup"
VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000
CHUNK = 1 << 20


class BackupError(Exception):
    """The backup cannot be written or restored; the message says why and what to do."""


# Values: how each column type is written to JSON and read back.

_Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
_SAME: _Codec = (lambda v: v, lambda v: v)
_CODECS: list[tuple[type, _Codec]] = [
    (sa.DateTime, (datetime.isoformat, datetime.fromisoformat)),
    (sa.Date, (date.isoformat, date.fromisoformat)),
    (sa.Time, (time.isoformat, time.fromisoformat)),
    (sa.Boolean, (bool, bool)),
    (sa.Float, (float, float)),
    (sa.Numeric, (str, Decimal)),
    (sa.LargeBinary, (lambda v: base64.b64encode(v).decode("ascii"), base64.b64decode)),
    (sa.Integer, (int, int)),
    (sa.String, (str, str)),  # Text and the enums' VARCHAR too
    (sa.JSON, _SAME),
]


def stored_type(column: sa.Column) -> sa.types.TypeEngine:
    """The column's type as stored: ciphertext for an encrypted column, the VARCHAR behind an enum."""
    kind = column.type
    if isinstance(kind, sa.Enum):
        return sa.String(kind.length)
    if isinstance(kind, sa.types.TypeDecorator):
        return kind.impl_instance
    return kind


def codec(column: sa.Column) -> _Codec:
    stored = stored_type(column)
    for kind, codec in _CODECS:
        if isinstance(stored, kind):
            return _keep_none(codec[0]), _keep_none(codec[1])
    raise BackupError(f"{column.table.name}.{column.name}: no backup format for {stored!r}; add one to _CODECS")


def _keep_none(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def stored_table(table: sa.Table) -> sa.Table:
    """`table` with its stored types and without defaults: rows go out and back in exactly as they are."""
    return sa.Table(
        table.name,
        sa.MetaData(),
        *(sa.Column(c.name, stored_type(c), primary_key=c.primary_key, autoincrement=False) for c in table.columns),
    )


def tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)  # parents before children


# Keys: ids and check values, never the keys.


def key_check(key: bytes) -> str:
    return hmac.new(key, b"zi-public backup key check", hashlib.sha256).hexdigest()[:16]


def hash_key_check() -> str:
    return keyed_hash("zi-public backup", "backup-key-check")[:16]


def token_key_id(value: str | bytes) -> str | None:
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    try:
        return Keyring.key_id_of(text)
    except KeyringError:
        return None


def schema_revision() -> str | None:
    connection = db.session.connection()
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
