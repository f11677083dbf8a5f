"""Set-password links for staff accounts: the invitation of a new account and an admin's password reset."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.base import enum_column_type, utcnow
from zi_public.models.user import User


class LinkPurpose(enum.StrEnum):
    INVITE = "invite"  # a new account: the member chooses the first password
    RESET = "reset"  # an admin's reset: the old password no longer works


class AccountLink(db.Model):
    """One link. The token and the requester's code are stored only as keyed hashes.

    A member with an address gets the link by mail (token at once, no code). Without an address the
    link waits for a second admin: the requester holds a code (code_hash, set at the request) and the
    approver the link (token_hash, set at the approval); the member needs both.
    """

    __tablename__ = "account_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column_type(LinkPurpose, 10))
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    notified_at: Mapped[datetime | None]  # the member's next sign-in said who reset the password
    failed_codes: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    __table_args__ = (
        sa.CheckConstraint("failed_codes >= 0", name="failed_codes_not_negative"),
        # the two-person rule, kept by the database too
        sa.CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> requested_by_id", name="approver_not_requester"
        ),
        sa.CheckConstraint("approved_by_id IS NULL OR approved_by_id <> user_id", name="approver_not_member"),
        sa.CheckConstraint("code_hash IS NOT NULL OR approved_by_id IS NULL", name="approved_links_are_split"),
    )

    @property
    def needs_approval(self) -> bool:
        return self.code_hash is not None
