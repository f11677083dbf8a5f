"""Public complaints (pengaduan) and their history (the semester monev is a period evaluation: models/evaluation.py)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.attachment import HasAttachments
from zi_public.models.base import enum_column_type, utcnow
from zi_public.models.reference import Bidang, Category, Layanan
from zi_public.rules.pengaduan import Action, Channel, Identity, Status
from zi_public.security.keyring import EncryptedText
from zi_public.security.permissions import register_case_model


@register_case_model("pengaduan")
class Pengaduan(HasAttachments, db.Model):
    __tablename__ = "pengaduan"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    access_code_hash: Mapped[str] = mapped_column(sa.String(64))
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel, 8), index=True)
    # SP4N-LAPOR!'s tracking number of a complaint it forwarded (channel lapor): one complaint per number.
    lapor_number: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    # The team member who recorded a complaint that came by box, telephone, letter, LAPOR!...; NULL when
    # the reporter filed it themself (web, kiosk, API).
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    identity: Mapped[Identity] = mapped_column(enum_column_type(Identity, 10))
    # Personal data, encrypted at rest; always NULL for anonim. Deferred: decrypted only when shown.
    reporter_name: Mapped[str | None] = mapped_column(EncryptedText("pengaduan.reporter_name"), deferred=True)
    reporter_email: Mapped[str | None] = mapped_column(EncryptedText("pengaduan.reporter_email"), deferred=True)
    reporter_phone: Mapped[str | None] = mapped_column(EncryptedText("pengaduan.reporter_phone"), deferred=True)
    reporter_nik: Mapped[str | None] = mapped_column(EncryptedText("pengaduan.reporter_nik"), deferred=True)

    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    layanan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("layanan.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    requested_resolution: Mapped[str] = mapped_column(sa.Text, default="")
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    incident_date: Mapped[date | None]

    status: Mapped[Status] = mapped_column(enum_column_type(Status, 16), default=Status.BARU, index=True)
    bidang_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bidang.id"), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    forwarded_to: Mapped[str | None] = mapped_column(sa.String(200))

    # Clock dates are Asia/Jakarta calendar dates; *_at are UTC timestamps. received_at is when the complaint
    # entered this system; received_on is the day the office received it, which the clocks count from: for a
    # complaint the team records later (a letter, the box, LAPOR!) it may be days before received_at.
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_on: Mapped[date] = mapped_column(index=True)
    verify_by: Mapped[date]
    settle_by: Mapped[date]
    triaged_on: Mapped[date | None]  # verified, rejected or forwarded: stops the verify clock
    followup_by: Mapped[date | None]
    followed_up_on: Mapped[date | None]  # reporter first informed (answer, or reject/forward once verified)
    finished_on: Mapped[date | None]  # selesai/ditolak/dialihkan: stops the settle clock
    reply_until: Mapped[date | None]
    closed_at: Mapped[datetime | None]  # the reply window passed: no more replies or reopening
    reopen_count: Mapped[int] = mapped_column(default=0)

    rating: Mapped[int | None]
    rating_comment: Mapped[str | None] = mapped_column(sa.Text)
    rated_at: Mapped[datetime | None]

    # Double submission of one form (or one API Idempotency-Key) creates one complaint.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    kiosk_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kiosk_device.id"))

    category: Mapped[Category] = relationship()
    layanan: Mapped[Layanan | None] = relationship()
    bidang: Mapped[Bidang | None] = relationship()
    events: Mapped[list[PengaduanEvent]] = relationship(
        back_populates="pengaduan", order_by="PengaduanEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 4)", name="rating_1_to_4"),
        sa.CheckConstraint(
            "identity <> 'anonim' OR (reporter_name IS NULL AND reporter_email IS NULL "
            "AND reporter_phone IS NULL AND reporter_nik IS NULL)",
            name="anonim_keeps_no_identity",
        ),
        sa.CheckConstraint("status <> 'ditolak' OR rejection_reason IS NOT NULL", name="rejection_has_reason"),
        sa.CheckConstraint("status <> 'dialihkan' OR forwarded_to IS NOT NULL", name="forward_has_target"),
        sa.Index("ix_pengaduan_status_id", "status", "id"),
    )

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def __repr__(self) -> str:
        return f"<Pengaduan {self.number} {self.status}>"


class PengaduanEvent(db.Model):
    """One step in a complaint's history; `is_public` ones are shown to the reporter."""

    __tablename__ = "pengaduan_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    pengaduan_id: Mapped[int] = mapped_column(sa.ForeignKey("pengaduan.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[Action] = mapped_column(enum_column_type(Action, 16))
    from_status: Mapped[Status] = mapped_column(enum_column_type(Status, 16, name="from_status"))
    to_status: Mapped[Status] = mapped_column(enum_column_type(Status, 16, name="to_status"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    is_public: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    bidang_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bidang.id"))
    # The staff form's one-time key: the same form sent twice (a double click, a resend) records one event.
    # NULL for the filing, the reporter's steps and the system's.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64))

    pengaduan: Mapped[Pengaduan] = relationship(back_populates="events")
    bidang: Mapped[Bidang | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("pengaduan_id", "action", "submission_key", name="uq_pengaduan_event_submission_key"),
    )
