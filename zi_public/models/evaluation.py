"""A team's written evaluation of a period and its follow-up items, for any evaluation that has them.

`scope` names whose evaluation it is ("benturan": the UPG's quarterly evaluation of conflict-of-interest
handling; the WBS evaluation and the pengaduan monev may move here). An item still open at a period's end is
carried into the next period's evaluation until it is done (services/evaluations.py).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db
from zi_public.models.base import utcnow


class PeriodEvaluation(db.Model):
    """The team's written evaluation of one period (`2026-Q2`) in one scope."""

    __tablename__ = "period_evaluation"

    scope: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class FollowUpItem(db.Model):
    """A follow-up item set by a period's evaluation: owner, due date, status, evidence."""

    __tablename__ = "follow_up_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(20))
    period: Mapped[str] = mapped_column(sa.String(8))  # the period that set it
    item: Mapped[str] = mapped_column(sa.Text)
    owner: Mapped[str] = mapped_column(sa.String(160))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="terbuka")  # terbuka / selesai
    done_on: Mapped[date | None]
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.Index("ix_follow_up_item_scope_period", "scope", "period"),)
