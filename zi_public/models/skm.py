"""SKM: survey responses, paper imports, the population served, follow-up items; and the service
standards the survey measures (standar pelayanan per layanan, versioned) with the office's maklumat.

A response is anonymous by design: no name, no IP, no user agent. `submitted_on` is the Asia/Jakarta day it
was given (for a paper form: the day written on it); `year`/`quarter` are derived from it once, so that
every period query and the one-response-per-permit rule use an index.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.attachment import HasAttachments
from zi_public.models.base import enum_column_type, utcnow
from zi_public.models.reference import Layanan
from zi_public.rules.periods import QUARTER, Period, make_period
from zi_public.rules.skm import UNSUR, Channel
from zi_public.security.permissions import register_case_model


def _answer() -> Mapped[int]:
    return mapped_column(sa.SmallInteger)


class SkmImport(db.Model):
    """One paper-form file imported by the Tim SKM; its SHA-256 makes a second upload import nothing."""

    __tablename__ = "skm_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    rows: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class SkmResponse(db.Model):
    """One respondent's answers to the nine unsur, with the profile and the layanan received."""

    __tablename__ = "skm_response"
    __table_args__ = (
        # One response per permit per quarter (NULLs — no permit number — never collide, on both backends).
        sa.UniqueConstraint("permit_number", "year", "quarter", name="uq_skm_response_permit_quarter"),
        sa.Index("ix_skm_response_period", "submitted_on", "layanan_id"),
        sa.Index("ix_skm_response_layanan_period", "layanan_id", "submitted_on"),
        *(sa.CheckConstraint(f"{code.lower()} BETWEEN 1 AND 4", name=f"{code.lower()}_range") for code in UNSUR),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        sa.CheckConstraint("age BETWEEN 10 AND 110", name="age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    layanan_id: Mapped[int] = mapped_column(sa.ForeignKey("layanan.id"))
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel, 8, name="skm_channel"))
    submitted_on: Mapped[date]
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    quarter: Mapped[int] = mapped_column(sa.SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    gender: Mapped[str] = mapped_column(sa.String(16))
    age: Mapped[int] = mapped_column(sa.SmallInteger)
    education: Mapped[str] = mapped_column(sa.String(24))
    occupation: Mapped[str] = mapped_column(sa.String(24))
    vulnerable_group: Mapped[str | None] = mapped_column(sa.String(24))  # kelompok rentan, optional

    u1: Mapped[int] = _answer()
    u2: Mapped[int] = _answer()
    u3: Mapped[int] = _answer()
    u4: Mapped[int] = _answer()
    u5: Mapped[int] = _answer()
    u6: Mapped[int] = _answer()
    u7: Mapped[int] = _answer()
    u8: Mapped[int] = _answer()
    u9: Mapped[int] = _answer()

    permit_number: Mapped[str | None] = mapped_column(sa.String(60))  # normalised (rules/skm.py)
    suggestion: Mapped[str] = mapped_column(sa.Text, default="")
    # The web form's one-time key (or the API's Idempotency-Key): a resend files nothing.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("skm_import.id"), index=True)
    import_row: Mapped[int | None]  # the row of the paper file it came from
    kiosk_device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kiosk_device.id"))

    layanan: Mapped[Layanan] = relationship()

    def answers(self) -> dict[str, int]:
        return {code: getattr(self, code.lower()) for code in UNSUR}


class SkmPopulation(db.Model):
    """How many services a layanan delivered in a quarter (the survey's population N), entered by the Tim SKM."""

    __tablename__ = "skm_population"

    year: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    quarter: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    layanan_id: Mapped[int] = mapped_column(sa.ForeignKey("layanan.id"), primary_key=True)
    served: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    __table_args__ = (sa.CheckConstraint("served >= 0", name="served_not_negative"),)


@register_case_model("skm")
class SkmFollowUpItem(HasAttachments, db.Model):
    """An improvement for a weak unsur, set in one quarter and carried into the next ones until done."""

    __tablename__ = "skm_follow_up_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    quarter: Mapped[int] = mapped_column(sa.SmallInteger)  # the quarter whose results set it
    unsur: Mapped[str] = mapped_column(sa.String(3))  # U1..U9
    layanan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("layanan.id"))  # None: the whole office
    action: Mapped[str] = mapped_column(sa.Text)
    owner: Mapped[str] = mapped_column(sa.String(160))
    due_on: Mapped[date | None]
    progress: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")  # what shows it was done (files: attachments)
    done_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    layanan: Mapped[Layanan | None] = relationship()

    @property
    def set_in(self) -> Period:
        """The quarter whose results set this item."""
        return make_period(QUARTER, self.year, self.quarter)

    def is_carried(self, period: Period) -> bool:
        """Whether the item is shown in `period` as carried forward from an earlier quarter."""
        return self.set_in.start < period.start

    __table_args__ = (
        sa.Index("ix_skm_follow_up_item_period", "year", "quarter"),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
    )


class StandarPelayanan(db.Model):
    """One version of a layanan's service standard (PermenPANRB 15/2014's service-delivery components);
    the version in force on a day is the latest whose `effective_on` is not after it."""

    __tablename__ = "standar_pelayanan"
    __table_args__ = (sa.UniqueConstraint("layanan_id", "effective_on", name="uq_standar_pelayanan_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    layanan_id: Mapped[int] = mapped_column(sa.ForeignKey("layanan.id"), index=True)
    effective_on: Mapped[date]
    persyaratan: Mapped[str] = mapped_column(sa.Text, default="")
    prosedur: Mapped[str] = mapped_column(sa.Text, default="")  # sistem, mekanisme dan prosedur
    jangka_waktu: Mapped[str] = mapped_column(sa.Text, default="")
    biaya: Mapped[str] = mapped_column(sa.Text, default="")
    produk: Mapped[str] = mapped_column(sa.Text, default="")
    pengaduan: Mapped[str] = mapped_column(sa.Text, default="")  # penanganan pengaduan, saran dan masukan
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    layanan: Mapped[Layanan] = relationship()


class MaklumatPelayanan(db.Model):
    """One version of the office's maklumat pelayanan (the head of office's service pledge)."""

    __tablename__ = "maklumat_pelayanan"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_on: Mapped[date] = mapped_column(unique=True)
    text: Mapped[str] = mapped_column(sa.Text)
    signer_name: Mapped[str] = mapped_column(sa.String(160))
    signer_position: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
