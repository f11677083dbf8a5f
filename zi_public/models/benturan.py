"""Benturan kepentingan: the mapping of potential conflicts and its change log, declarations with their
history. The quarterly evaluation's text and follow-up items are models/evaluation.py (scope "benturan").

The declarant's NIK, name, phone and email and the related party's name are encrypted at rest; the access
code is kept only as a keyed hash.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.attachment import HasAttachments
from zi_public.models.base import enum_column_type, utcnow
from zi_public.models.reference import Bidang, Layanan
from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus, Risk
from zi_public.rules.gratifikasi import Channel
from zi_public.security.keyring import EncryptedText
from zi_public.security.permissions import register_case_model


class ConflictMapping(db.Model):
    """One potential conflict of one task (or layanan) in one bidang: its risk and the control in place.

    Mapped each January, reviewed any time; a row is never deleted, only retired (retired_on), and every
    change is logged in ConflictMappingChange (the quarterly evaluation lists them).
    """

    __tablename__ = "conflict_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.SmallInteger, index=True)  # the January mapping it belongs to
    task: Mapped[str] = mapped_column(sa.String(300))  # tugas / jabatan / proses
    layanan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("layanan.id"))
    bidang_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bidang.id"))
    conflict_type: Mapped[ConflictType] = mapped_column(enum_column_type(ConflictType, 20, name="conflict_type"))
    description: Mapped[str] = mapped_column(sa.Text)  # the potential conflict
    risk: Mapped[Risk] = mapped_column(enum_column_type(Risk, 8, name="conflict_risk"))
    control: Mapped[str] = mapped_column(sa.Text, default="")  # the control in place
    retired_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    layanan: Mapped[Layanan | None] = relationship()
    bidang: Mapped[Bidang | None] = relationship()


class ConflictMappingChange(db.Model):
    """One change to the mapping: added, changed (with the fields) or retired, by whom, on which day."""

    __tablename__ = "conflict_mapping_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    mapping_id: Mapped[int] = mapped_column(sa.ForeignKey("conflict_mapping.id"), index=True)
    changed_on: Mapped[date] = mapped_column(index=True)  # Asia/Jakarta
    change: Mapped[str] = mapped_column(sa.String(10))  # added / changed / retired
    fields: Mapped[str] = mapped_column(sa.String(300), default="")  # the changed fields, comma-separated
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    mapping: Mapped[ConflictMapping] = relationship()


def _secret(column: str) -> Mapped[str | None]:
    return mapped_column(EncryptedText(f"conflict_declaration.{column}"), deferred=True)


@register_case_model("benturan")
class ConflictDeclaration(HasAttachments, db.Model):
    """An employee's declaration of a conflict for a specific matter, or the yearly declaration of none."""

    __tablename__ = "conflict_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    access_code_hash: Mapped[str] = mapped_column(sa.String(64))
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel, 8, name="declaration_channel"))
    kind: Mapped[DeclarationKind] = mapped_column(enum_column_type(DeclarationKind, 16, name="declaration_kind"))
    status: Mapped[DeclarationStatus] = mapped_column(
        enum_column_type(DeclarationStatus, 16, name="declaration_status"), index=True
    )
    year: Mapped[int] = mapped_column(sa.SmallInteger, index=True)  # the year declared for (yearly) or of declared_on

    declarant_nik: Mapped[str | None] = _secret("declarant_nik")
    declarant_name: Mapped[str | None] = _secret("declarant_name")
    declarant_phone: Mapped[str | None] = _secret("declarant_phone")
    declarant_email: Mapped[str | None] = _secret("declarant_email")
    declarant_position: Mapped[str] = mapped_column(sa.String(200))
    declarant_unit: Mapped[str] = mapped_column(sa.String(200))

    # The matter (specific declarations only).
    conflict_type: Mapped[ConflictType | None] = mapped_column(
        enum_column_type(ConflictType, 20, name="declaration_conflict_type")
    )
    layanan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("layanan.id"))
    matter: Mapped[str] = mapped_column(sa.String(300), default="")  # e.g. "permit application X"
    related_party: Mapped[str | None] = _secret("related_party")  # who the conflict is with
    relationship_text: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. "cousin"
    description: Mapped[str] = mapped_column(sa.Text, default="")

    declared_on: Mapped[date] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The superior's decision, recorded by the UPG.
    superior: Mapped[str] = mapped_column(sa.String(200), default="")  # name / position of who decided
    decision: Mapped[Decision | None] = mapped_column(enum_column_type(Decision, 24, name="declaration_decision"))
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    decided_on: Mapped[date | None]
    carried_out_on: Mapped[date | None]
    carried_out_note: Mapped[str] = mapped_column(sa.Text, default="")

    layanan: Mapped[Layanan | None] = relationship()
    events: Mapped[list[ConflictDeclarationEvent]] = relationship(
        back_populates="declaration", order_by="ConflictDeclarationEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("kind <> 'khusus' OR conflict_type IS NOT NULL", name="specific_has_type"),
        sa.CheckConstraint("decided_on IS NULL OR decision IS NOT NULL", name="decided_has_decision"),
        sa.Index("ix_conflict_declaration_status_id", "status", "id"),
    )


class ConflictDeclarationEvent(db.Model):
    """One step in a declaration's history; `is_public` ones are shown to the declarant."""

    __tablename__ = "conflict_declaration_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(sa.ForeignKey("conflict_declaration.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(sa.String(20))  # submit / decide / carry_out / note
    to_status: Mapped[DeclarationStatus] = mapped_column(
        enum_column_type(DeclarationStatus, 16, name="declaration_event_status")
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    is_public: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text, default="")

    declaration: Mapped[ConflictDeclaration] = relationship(back_populates="events")
