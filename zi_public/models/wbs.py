"""WBS reports, their conversation and the sealed identity; socialisation activities (the quarterly evaluation
itself is a period evaluation of scope wbs: models/evaluation.py).

Anonymity by construction: nothing here stores an IP address, a user agent or a time finer than the day
for anything the reporter did (`*_on` are Asia/Jakarta dates). Report text, messages, the identity and the
referral reference are encrypted at rest with the keyring (EncryptedText, deferred: decrypted only when
shown). The receipt is kept only as a keyed hash (zi_public.security.codes). Staff-side records (unseal
requests, evaluations) may carry timestamps: they describe the team, not the reporter.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.attachment import HasAttachments
from zi_public.models.base import BilingualCatalogueMixin, enum_column_type, utcnow
from zi_public.rules.wbs import Handling, Outcome, Sender, Status
from zi_public.security.keyring import EncryptedText
from zi_public.security.permissions import register_case_model


class WbsCategory(BilingualCatalogueMixin, db.Model):
    """A kind of wrongdoing (korupsi, pungli/calo, …): `category` in the API is its code."""

    __tablename__ = "wbs_category"
    name_length = 120


def _secret(column: str) -> Mapped[str | None]:
    return mapped_column(EncryptedText(f"wbs_report.{column}"), deferred=True)


@register_case_model("wbs")
class WbsReport(HasAttachments, db.Model):
    """One whistle-blowing report (4W1H), as the reporter sent it and as the team handles it."""

    __tablename__ = "wbs_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Keyed hash of the web form's one-time key: a resend of the same form files nothing (never the key).
    submission_key_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True, index=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("wbs_category.id"), index=True)
    status: Mapped[Status] = mapped_column(enum_column_type(Status, 16, name="wbs_status"), default=Status.DITERIMA)

    # 4W1H, encrypted: what happened, who (name, position, unit), when, where, how, and how the reporter knows.
    what: Mapped[str | None] = _secret("what")
    who_name: Mapped[str | None] = _secret("who_name")
    who_position: Mapped[str | None] = _secret("who_position")
    who_unit: Mapped[str | None] = _secret("who_unit")
    when_text: Mapped[str | None] = _secret("when_text")
    where_text: Mapped[str | None] = _secret("where_text")
    how: Mapped[str | None] = _secret("how")
    how_known: Mapped[str | None] = _secret("how_known")
    # The reporter's identity, if given: sealed. The team sees only `has_identity`; opening it needs a
    # second WBS member's approval (WbsUnsealRequest).
    has_identity: Mapped[bool] = mapped_column(default=False)
    identity: Mapped[str | None] = _secret("identity")

    received_on: Mapped[date] = mapped_column(index=True)  # the day only
    answer_by: Mapped[date]  # the team's first message to the reporter is due
    telaah_by: Mapped[date]  # the telaah is due
    first_answer_on: Mapped[date | None]
    telaah_on: Mapped[date | None]
    names_party: Mapped[bool | None]
    describes_deviation: Mapped[bool | None]
    has_evidence: Mapped[bool | None]
    handling: Mapped[Handling | None] = mapped_column(enum_column_type(Handling, 8, name="wbs_handling"))
    referred_on: Mapped[date | None]
    referral_reference: Mapped[str | None] = _secret("referral_reference")
    outcome: Mapped[Outcome | None] = mapped_column(enum_column_type(Outcome, 16, name="wbs_outcome"))
    closed_on: Mapped[date | None] = mapped_column(index=True)  # selesai or ditolak: retention counts from here
    purge_warned_on: Mapped[date | None]
    # ditolak, then filed as an anonim complaint with the reporter's consent (services/wbs/flow.py): the
    # complaint it became. The link is the WBS team's alone: the complaint carries nothing back.
    moved_to_pengaduan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pengaduan.id"), unique=True)

    category: Mapped[WbsCategory] = relationship()
    messages: Mapped[list[WbsMessage]] = relationship(
        back_populates="report", order_by="WbsMessage.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("has_identity OR identity IS NULL", name="identity_only_when_given"),
        sa.CheckConstraint("status <> 'selesai' OR outcome IS NOT NULL", name="finished_has_outcome"),
        sa.Index("ix_wbs_report_status_id", "status", "id"),
    )

    def __repr__(self) -> str:
        return f"<WbsReport {self.id} {self.status}>"


@register_case_model("wbs_message")
class WbsMessage(HasAttachments, db.Model):
    """One message of a report's conversation (or an internal note), with its files."""

    __tablename__ = "wbs_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("wbs_report.id"), index=True)
    sender: Mapped[Sender] = mapped_column(enum_column_type(Sender, 8, name="wbs_sender"))
    body: Mapped[str] = mapped_column(EncryptedText("wbs_message.body"), deferred=True)
    sent_on: Mapped[date]  # the day only, for the reporter's and the team's alike
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))  # a team member

    report: Mapped[WbsReport] = relationship(back_populates="messages")


class WbsReporterSession(db.Model):
    """The reporter's short-lived look at one report after typing the receipt (no receipt in any URL).

    Only the keyed hash of a random token (the token itself sits in the reporter's session cookie, signed
    with the time it was issued, which is where its expiry is checked) and the day it was made.
    """

    __tablename__ = "wbs_reporter_session"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("wbs_report.id", ondelete="CASCADE"), index=True)
    created_on: Mapped[date] = mapped_column(index=True)


class WbsUnsealRequest(db.Model):
    """A WBS member asks to open a report's sealed identity; a second member decides."""

    __tablename__ = "wbs_unseal_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("wbs_report.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(EncryptedText("wbs_unseal_request.reason"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    approved: Mapped[bool | None]

    __table_args__ = (
        sa.CheckConstraint("decided_by_id IS NULL OR decided_by_id <> requested_by_id", name="second_person"),
    )


@register_case_model("wbs_socialisation")
class WbsSocialisation(HasAttachments, db.Model):
    """One internalisation activity (apel, WhatsApp group, banner, …) for the quarterly evaluation."""

    __tablename__ = "wbs_socialisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    medium: Mapped[str] = mapped_column(sa.String(120))
    audience: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
