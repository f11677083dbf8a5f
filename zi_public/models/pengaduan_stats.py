"""The public statistics' figures kept per month received and category (services/pengaduan/stats_aggregates).

They change in the same transaction as every change of a complaint, so the public page reads a few hundred
rows instead of every complaint. Counts carry no check constraints on purpose: a wrong figure must never
refuse a complaint or a case action (a consistency test and `rebuild` keep them right).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db


class PengaduanStatMonth(db.Model):
    """How many complaints received in `month` (its first day) in one category exist, are finished, on time."""

    __tablename__ = "pengaduan_stat_month"

    month: Mapped[date] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    finished: Mapped[int] = mapped_column(default=0)  # selesai, ditolak or dialihkan
    finished_on_time: Mapped[int] = mapped_column(default=0)  # finished and no clock missed


class PengaduanStatDays(db.Model):
    """A histogram: how many complaints of one month and category took `days` working days from receipt
    to the stop of `clock` (verify or settle); exact medians over any months come from summing these."""

    __tablename__ = "pengaduan_stat_days"

    month: Mapped[date] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), primary_key=True)
    clock: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
