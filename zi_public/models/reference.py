"""Reference data the forms use: complaint categories, internal divisions, the service catalogue."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.base import BilingualCatalogueMixin


class Category(BilingualCatalogueMixin, db.Model):
    """A pengaduan category (`category` in the API is its code)."""

    __tablename__ = "category"
    name_length = 120


class Bidang(BilingualCatalogueMixin, db.Model):
    """An internal division cases are routed to (disposisi); its English name is for the English internal area."""

    __tablename__ = "bidang"
    name_length = 160


class Layanan(BilingualCatalogueMixin, db.Model):
    """A service in the unit's catalogue (`layanan` in the API is its code)."""

    __tablename__ = "layanan"
    name_length = 200

    bidang_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bidang.id"))

    bidang: Mapped[Bidang | None] = relationship()
