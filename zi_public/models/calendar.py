"""Admin-managed changes to the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db
from zi_public.models.base import utcnow


class WorkdayOverride(db.Model):
    """One day declared off (a regional holiday) or working (a cancelled cuti bersama)."""

    __tablename__ = "workday_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    is_working_day: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.String(200))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.CheckConstraint("length(reason) > 0", name="reason_not_empty"),)
