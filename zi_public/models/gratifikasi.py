"""Gratifikasi reports to the UPG, their history, the custody register of entrusted gifts and the campaign.

Personal data — the reporter's NIK, name, phone, email and address, the giver's name — and the chronology are
encrypted at rest (EncryptedText, deferred: decrypted only when shown). The access code is kept only as a
keyed hash (zi_public.security.codes). Dates the law counts from (`received_on`, `reported_on`, the clocks)
are Asia/Jakarta calendar dates; `*_at` are UTC timestamps.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.attachment import HasAttachments
from zi_public.models.base import enum_column_type, utcnow
from zi_public.rules.gratifikasi import (
    Action,
    Channel,
    CustodyExit,
    Decision,
    Disposition,
    GiftLocation,
    GiftType,
    Kind,
    Status,
)
from zi_public.security.keyring import EncryptedText
from zi_public.security.permissions import register_case_model


def _secret(column: str) -> Mapped[str | None]:
    return mapped_column(EncryptedText(f"gratifikasi_report.{column}"), deferred=True)


@register_case_model("gratifikasi")
class GratifikasiReport(HasAttachments, db.Model):
    """One report of a gift received or refused, as the reporter sent it and as the UPG handles it."""

    __tablename__ = "gratifikasi_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    access_code_hash: Mapped[str] = mapped_column(sa.String(64))
    # The web form's one-time key or the API's Idempotency-Key: a resend files nothing new.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel, 8, name="gratifikasi_channel"))
    kind: Mapped[Kind] = mapped_column(enum_column_type(Kind, 10, name="gratifikasi_kind"), index=True)
    status: Mapped[Status] = mapped_column(
        enum_column_type(Status, 20, name="gratifikasi_status"), default=Status.BARU, index=True
    )

    # The reporter. Position and unit are kept in clear: the recap groups by them.
    reporter_nik: Mapped[str | None] = _secret("reporter_nik")
    reporter_name: Mapped[str | None] = _secret("reporter_name")
    reporter_phone: Mapped[str | None] = _secret("reporter_phone")
    reporter_email: Mapped[str | None] = _secret("reporter_email")
    reporter_address: Mapped[str | None] = _secret("reporter_address")
    reporter_position: Mapped[str] = mapped_column(sa.String(200))
    reporter_unit: Mapped[str] = mapped_column(sa.String(200))

    # The giver.
    giver_name: Mapped[str | None] = _secret("giver_name")
    giver_institution: Mapped[str] = mapped_column(sa.String(200), default="")
    giver_relationship: Mapped[str] = mapped_column(sa.String(200))

    # The gift.
    gift_type: Mapped[GiftType] = mapped_column(enum_column_type(GiftType, 16, name="gratifikasi_gift_type"))
    gift_description: Mapped[str] = mapped_column(sa.String(500), default="")
    value_idr: Mapped[int] = mapped_column(sa.BigInteger)
    received_on: Mapped[date] = mapped_column(index=True)  # the day the gift was received (or refused)
    place: Mapped[str] = mapped_column(sa.String(200))
    occasion: Mapped[str] = mapped_column(sa.String(200), default="")
    chronology: Mapped[str | None] = _secret("chronology")
    gift_location: Mapped[GiftLocation] = mapped_column(
        enum_column_type(GiftLocation, 12, name="gratifikasi_gift_location")
    )
    # The exempt category the reporter thought might apply (a code of rules/gratifikasi_regulations), and the
    # regulation in force on received_on: kept so the case shows which rule the reporter was told about.
    exemption_code: Mapped[str | None] = mapped_column(sa.String(40))
    regulation_code: Mapped[str] = mapped_column(sa.String(40))

    # Reporting: facts fixed when the report arrives (Pasal 12C; the office's own deadline).
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    reported_on: Mapped[date] = mapped_column(index=True)
    report_due: Mapped[date | None]  # Pasal 12C's last day; None for a refused gift
    office_due: Mapped[date | None]  # the office's own deadline for reporting to the UPG; None when refused
    working_days_since_received: Mapped[int]
    is_late: Mapped[bool] = mapped_column(default=False, index=True)

    # The UPG's handling and its clocks (services/gratifikasi/clocks.py).
    verified_on: Mapped[date | None]
    completion_requested_on: Mapped[date | None]
    completion_by: Mapped[date | None]
    completed_on: Mapped[date | None]
    forward_by: Mapped[date]
    forwarded_on: Mapped[date | None]
    kpk_reference: Mapped[str | None] = mapped_column(sa.String(120))
    decision: Mapped[Decision | None] = mapped_column(enum_column_type(Decision, 16, name="gratifikasi_decision"))
    decision_number: Mapped[str | None] = mapped_column(sa.String(120))  # KPK's SK number
    decision_date: Mapped[date | None]  # the SK's date
    disposition: Mapped[Disposition | None] = mapped_column(
        enum_column_type(Disposition, 16, name="gratifikasi_disposition")
    )
    disposition_note: Mapped[str] = mapped_column(sa.Text, default="")
    finished_on: Mapped[date | None]  # selesai or tidak_lengkap

    events: Mapped[list[GratifikasiEvent]] = relationship(
        back_populates="report", order_by="GratifikasiEvent.id", cascade="all, delete-orphan"
    )
    custody_items: Mapped[list[GratifikasiCustody]] = relationship(back_populates="report")

    __table_args__ = (
        sa.CheckConstraint("value_idr >= 0", name="value_not_negative"),
        sa.CheckConstraint("kind <> 'ditolak' OR NOT is_late", name="refused_never_late"),
        sa.CheckConstraint(
            "status <> 'ditetapkan' OR (decision IS NOT NULL AND decision_date IS NOT NULL)",
            name="decided_has_decision",
        ),
        sa.CheckConstraint("status <> 'diteruskan' OR forwarded_on IS NOT NULL", name="forwarded_has_date"),
        sa.Index("ix_gratifikasi_report_status_id", "status", "id"),
    )

    def __repr__(self) -> str:
        return f"<GratifikasiReport {self.number} {self.status}>"


class GratifikasiEvent(db.Model):
    """One step in a report's history; `is_public` ones are shown to the reporter on the status page."""

    __tablename__ = "gratifikasi_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("gratifikasi_report.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[Action] = mapped_column(enum_column_type(Action, 20, name="gratifikasi_action"))
    from_status: Mapped[Status] = mapped_column(enum_column_type(Status, 20, name="gratifikasi_from_status"))
    to_status: Mapped[Status] = mapped_column(enum_column_type(Status, 20, name="gratifikasi_to_status"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    is_public: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text, default="")

    report: Mapped[GratifikasiReport] = relationship(back_populates="events")


@register_case_model("gratifikasi_custody")
class GratifikasiCustody(HasAttachments, db.Model):
    """One gift entrusted to the UPG (barang titipan) until KPK decides; photos are its attachments."""

    __tablename__ = "gratifikasi_custody"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gratifikasi_report.id"), index=True)
    received_from: Mapped[str] = mapped_column(sa.String(200))
    received_on: Mapped[date] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    condition: Mapped[str] = mapped_column(sa.String(200), default="")
    storage_location: Mapped[str] = mapped_column(sa.String(200), default="")
    value_idr: Mapped[int | None] = mapped_column(sa.BigInteger)
    left_on: Mapped[date | None] = mapped_column(index=True)
    left_how: Mapped[CustodyExit | None] = mapped_column(enum_column_type(CustodyExit, 16, name="custody_exit"))
    left_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    report: Mapped[GratifikasiReport | None] = relationship(back_populates="custody_items")

    __table_args__ = (
        sa.CheckConstraint("(left_on IS NULL) = (left_how IS NULL)", name="left_has_how"),
        sa.CheckConstraint("value_idr IS NULL OR value_idr >= 0", name="custody_value_not_negative"),
    )


@register_case_model("upg_campaign")
class UpgCampaignActivity(HasAttachments, db.Model):
    """One campaign or socialisation activity of the UPG ("No Calo, No Pungli", gratifikasi, benturan
    kepentingan): when, through which medium, for whom; evidence files are its attachments."""

    __tablename__ = "upg_campaign_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    topic: Mapped[str] = mapped_column(sa.String(40))  # a key of services/gratifikasi/campaign.TOPICS
    medium: Mapped[str] = mapped_column(sa.String(120))
    audience: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
