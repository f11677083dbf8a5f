"""Shared column helpers for models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """Naive UTC: what every *_at column stores (shown in Asia/Jakarta)."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column_type(enum_cls: type[enum.Enum], length: int = 32, name: str | None = None) -> sa.Enum:
    """A portable enum: VARCHAR plus CHECK constraint on both SQLite and PostgreSQL.

    `name` names the CHECK constraint; give one when a table has two columns of the same enum.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        name=name or enum_cls.__name__.lower(),
    )
