"""WBS figures that outlive the reports: counts per quarter, kept with every change and surviving a purge.

Only quarters ('2026-Q2'), never days: a purged report must not stay recognisable through its figures
(category + day received + day closed would be nearly one report). `is_purged` tells the share of reports
already deleted by retention (frozen: nothing can recount it) from the share of reports still stored
(recounted by `rebuild`); every figure is the sum of both.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db


class WbsStatQuarter(db.Model):
    """How many reports received in `quarter` in one category closed in `closed_quarter` ('' while open)
    with `result`: '' while open, 'ditolak', or the outcome of a finished one ('terbukti', 'tidak_terbukti')."""

    __tablename__ = "wbs_stat_quarter"

    quarter: Mapped[str] = mapped_column(sa.String(7), primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("wbs_category.id"), primary_key=True)
    result: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    closed_quarter: Mapped[str] = mapped_column(sa.String(7), primary_key=True)  # '' while open
    is_purged: Mapped[bool] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class WbsStatDays(db.Model):
    """A histogram: how many reports of one category reached `measure` (first_answer, closing) in `quarter`
    after `days` working days from receipt; exact medians over any quarters come from summing these."""

    __tablename__ = "wbs_stat_days"

    quarter: Mapped[str] = mapped_column(sa.String(7), primary_key=True)  # the quarter the measure was reached
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("wbs_category.id"), primary_key=True)
    measure: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True)
    is_purged: Mapped[bool] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
