"""Shared column helpers and mixins for models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


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


class CatalogueMixin:
    """The shape of every catalogue table: complaint categories, bidang, layanan; WBS and gratifikasi
    categories next. A row is chosen by `code` (what forms and the API send), shown by `name`, listed
    by `sort_order`, and offered only while `is_active` (cases keep the rows they were filed with).

    Set `name_length` for the name column; lookups for any catalogue live in services/reference.py.
    """

    name_length: ClassVar[int] = 120

    # `sort_order=` keeps the tables' column order (id, code, name, name_en, the model's own, flags).
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-40)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True, sort_order=-30)
    sort_order: Mapped[int] = mapped_column(default=0, sort_order=10)
    is_active: Mapped[bool] = mapped_column(default=True, sort_order=20)

    @declared_attr
    def name(cls) -> Mapped[str]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(sa.String(cls.name_length), sort_order=-20)


class BilingualCatalogueMixin(CatalogueMixin):
    """A catalogue the public sees: `name_en` is shown in the English UI ("" falls back to `name`)."""

    @declared_attr
    def name_en(cls) -> Mapped[str]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(sa.String(cls.name_length), default="", sort_order=-10)
