"""Attachments of every case kind in one table: files stored by zi_public.security.uploads.

A row names its case by kind and id (``case_kind`` is a key of the case-kind registry in
zi_public.security.permissions), so downloads and key rotation work the same for pengaduan, WBS,
gratifikasi and whatever comes next. A case model gets its ``attachments`` with ``HasAttachments``.

A derived copy (WBS: the metadata-stripped image staff look at) is a row of its own whose
``derived_from_id`` names the original it was made from; the original stays as evidence.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, declared_attr, foreign, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.base import enum_column_type, utcnow
from zi_public.security.permissions import case_kind_of


class AttachmentVariant(enum.StrEnum):
    ORIGINAL = "original"  # the file as it was sent
    STRIPPED = "stripped"  # a copy without metadata (EXIF/GPS), derived from an original


class Attachment(db.Model):
    """One stored file of one case; served only to the case kind's team."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_kind: Mapped[str] = mapped_column(sa.String(20))
    case_id: Mapped[int]
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))  # of the plaintext
    is_encrypted: Mapped[bool] = mapped_column(default=True)
    variant: Mapped[AttachmentVariant] = mapped_column(
        enum_column_type(AttachmentVariant, 10), default=AttachmentVariant.ORIGINAL
    )
    derived_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("attachment.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    derived_from: Mapped[Attachment | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.Index("ix_attachment_case_kind_case_id", "case_kind", "case_id"),
        sa.CheckConstraint(
            "(variant = 'original' AND derived_from_id IS NULL) "
            "OR (variant <> 'original' AND derived_from_id IS NOT NULL)",
            name="derived_copy_names_its_original",
        ),
    )

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.case_kind}:{self.case_id} {self.variant}>"


class HasAttachments:
    """Mixin for a registered case model: ``attachments``, its Attachment rows, oldest first.

    Appending to the list sets the row's case kind; the flush sets its case id. The kind comes
    from ``register_case_model``, so it is written in one place.
    """

    @declared_attr
    def attachments(cls) -> Mapped[list[Attachment]]:  # noqa: N805 - declared_attr receives the class
        return relationship(
            Attachment,
            primaryjoin=lambda: sa.and_(
                foreign(Attachment.case_id) == cls.id, Attachment.case_kind == case_kind_of(cls)
            ),
            order_by=Attachment.id,
            cascade="all, delete-orphan",
            # Every case model writes attachment.case_id through its own `attachments`; the
            # case kind in each join keeps them apart.
            overlaps="attachments",
        )


@event.listens_for(HasAttachments, "mapper_configured", propagate=True)
def _set_case_kind_on_append(mapper: Any, cls: type) -> None:
    kind = case_kind_of(cls)

    @event.listens_for(cls.attachments, "append")
    def set_kind(target: object, value: Attachment, initiator: object) -> None:
        value.case_kind = kind
