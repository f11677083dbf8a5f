"""Reporter-side WBS events waiting for the audit chain: the day only, never the moment.

An audit entry written when the reporter files, writes or opens a report would carry the moment it
happened, and its place between the staff's timestamped entries would give that moment away even without
one. So the event is queued here (its day, its action, its report) and `flask --app wsgi wbs audit-flush`
appends the queue of past days to the chain, dated the day only, in a fixed order (services/wbs/reporter_audit.py).

No surrogate id either: a sequence would order the events of a day. Repeated events of one report on one
day (several look-ups) are one row with a count.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db


class WbsAuditQueue(db.Model):
    """One reporter-side event kind of one report on one day, not yet in the audit chain."""

    __tablename__ = "wbs_audit_queue"

    day: Mapped[date] = mapped_column(primary_key=True)  # Asia/Jakarta
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("wbs_report.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    times: Mapped[int] = mapped_column(default=1)

    __table_args__ = (sa.CheckConstraint("times > 0", name="times_positive"),)

    def __repr__(self) -> str:
        return f"<WbsAuditQueue {self.day} {self.report_id} {self.action} x{self.times}>"
