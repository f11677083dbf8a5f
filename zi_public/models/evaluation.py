"""A team's written evaluation of a period and its follow-up items, for any evaluation that has them.

`scope` names whose evaluation it is ("benturan": the UPG's quarterly evaluation of conflict-of-interest
handling; "pengaduan_monev": the Tim Pengaduan's semester monev; the WBS evaluation may move here). An item
still open at a period's end is carried into the next period's evaluation until it is done
(services/evaluations.py).

An evaluation has versions: the one in PeriodEvaluation is the current one (`version_no`); once marked final
(`finalized_at`) its text and its items' wording, owner and due date are locked. A new version keeps the final
one as it was in PeriodEvaluationVersion and opens a draft.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db
from zi_public.models.base import utcnow


class PeriodEvaluation(db.Model):
    """The team's written evaluation of one period (`2026-Q2`) in one scope: its current version."""

    __tablename__ = "period_evaluation"

    scope: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    version_no: Mapped[int] = mapped_column(default=1, server_default="1")
    finalized_at: Mapped[datetime | None]  # set: this version is final (locked)
    finalized_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    __table_args__ = (sa.CheckConstraint("version_no >= 1", name="version_no_positive"),)

    @property
    def is_final(self) -> bool:
        return self.finalized_at is not None


class PeriodEvaluationVersion(db.Model):
    """A final version of a period's evaluation, kept as it was when the next version was opened."""

    __tablename__ = "period_evaluation_version"

    scope: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    version_no: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)
    # The follow-up items the period had set, as they were: canonical JSON, a list of objects with id, item,
    # owner, due_on, status, done_on, evidence (dates as ISO text).
    items: Mapped[str] = mapped_column(sa.Text)
    finalized_at: Mapped[datetime]
    finalized_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    archived_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    __table_args__ = (
        sa.ForeignKeyConstraint(["scope", "period"], ["period_evaluation.scope", "period_evaluation.period"]),
        sa.CheckConstraint("version_no >= 1", name="version_no_positive"),
    )


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
