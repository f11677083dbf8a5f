"""The mail outbox: a mail is a row written with the change that causes it, delivered later by `mail send`."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db
from zi_public.models.base import enum_column_type, utcnow
from zi_public.security.keyring import EncryptedText


class MailStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt (next_attempt_at)
    SENT = "sent"  # delivered; the content is gone
    FAILED = "failed"  # gave up after the configured attempts; an admin may retry it


class OutboxMail(db.Model):
    """One mail. The content is encrypted like case data and dropped (NULL) once delivered."""

    __tablename__ = "outbox_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # e.g. "pengaduan.receipt"
    case_number: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    # Content: what the mail needs and no more. Deferred: the admin list never decrypts it.
    recipients: Mapped[str | None] = mapped_column(EncryptedText("outbox_mail.recipients"), deferred=True)
    subject: Mapped[str | None] = mapped_column(EncryptedText("outbox_mail.subject"), deferred=True)
    body: Mapped[str | None] = mapped_column(EncryptedText("outbox_mail.body"), deferred=True)

    status: Mapped[MailStatus] = mapped_column(enum_column_type(MailStatus, 10), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # When a sender may (next) take it: a claim moves it forward by a lease, a failure by the back-off.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(200))  # the error's kind, never the content
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint(
            "status = 'sent' OR (recipients IS NOT NULL AND subject IS NOT NULL AND body IS NOT NULL)",
            name="undelivered_keeps_content",
        ),
        sa.CheckConstraint(
            "status <> 'sent' OR (recipients IS NULL AND subject IS NULL AND body IS NULL AND sent_at IS NOT NULL)",
            name="sent_drops_content",
        ),
        # The sender's query: due pending mails, oldest first.
        sa.Index("ix_outbox_mail_status_next_attempt_at", "status", "next_attempt_at"),
    )

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.kind} {self.status}>"
