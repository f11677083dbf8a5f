"""Per-kind, per-year sequence numbers (PGD-2026-000123), unique under concurrent writers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db


class CaseCounter(db.Model):
    __tablename__ = "case_counter"

    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
