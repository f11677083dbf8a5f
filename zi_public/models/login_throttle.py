"""Failed sign-ins per (username, client address): the back-off that locks an address, not an officer."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db


class LoginThrottle(db.Model):
    """One row per username tried from one address.

    Keyed on the name as typed (normalised), whether or not an account has it, so that an unknown name
    costs the same work and follows the same rule as a real one. A row with `last_success_at` marks an
    address the account has signed in from: the per-account ceiling never applies there.
    """

    __tablename__ = "login_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str] = mapped_column(sa.String(64))
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None] = mapped_column(index=True)
    last_success_at: Mapped[datetime | None]

    __table_args__ = (
        sa.UniqueConstraint("username", "address"),
        sa.CheckConstraint("failures >= 0", name="failures_not_negative"),
    )
