"""Perception surveys (issue 9, point 11): questionnaires defined as data, their responses and answers.

A questionnaire keeps its checked definition (rules/perception.py) as JSON, and one row per item so that
each answer points at its item and results are SQL aggregates per item. The definition never changes once
loaded (results stay comparable over the periods); the Tim SKM only switches it on or off and publishes
its results. A response is anonymous, as an SKM response is: no name, no address; `submitted_on` is the
Asia/Jakarta day it was given (for a paper form the day written on it).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.base import enum_column_type, utcnow
from zi_public.models.reference import Layanan
from zi_public.rules.perception import SCALE_HIGHEST, SCALE_LOWEST, Questionnaire, parse_definition
from zi_public.rules.skm import Channel


class PerceptionQuestionnaire(db.Model):
    """One questionnaire, offered on the web, the kiosk, the API and paper while `is_active`."""

    __tablename__ = "perception_questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")
    definition_json: Mapped[str] = mapped_column(sa.Text)  # rules/perception.py schema, as loaded
    is_active: Mapped[bool] = mapped_column(default=False)
    is_published: Mapped[bool] = mapped_column(default=False)  # results on the public site
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    items: Mapped[list[PerceptionItem]] = relationship(
        back_populates="questionnaire", order_by="PerceptionItem.position", cascade="all, delete-orphan"
    )

    @property
    def definition(self) -> Questionnaire:
        """The checked definition (parsed once per loaded row)."""
        cached = self.__dict__.get("_definition")
        if cached is None or cached[0] != self.definition_json:
            cached = (self.definition_json, parse_definition(json.loads(self.definition_json)))
            self.__dict__["_definition"] = cached
        return cached[1]


class PerceptionItem(db.Model):
    """One item of a questionnaire, in its place; the words are in the questionnaire's definition."""

    __tablename__ = "perception_item"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "position", name="uq_perception_item_position"),
        sa.UniqueConstraint("questionnaire_id", "code", name="uq_perception_item_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("perception_questionnaire.id"))
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    code: Mapped[str] = mapped_column(sa.String(16))

    questionnaire: Mapped[PerceptionQuestionnaire] = relationship(back_populates="items")


class PerceptionImport(db.Model):
    """One paper-form file imported by the Tim SKM; its SHA-256 makes a second upload import nothing."""

    __tablename__ = "perception_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("perception_questionnaire.id"))
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    rows: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class PerceptionResponse(db.Model):
    """One respondent's answers to a questionnaire (the answers: PerceptionAnswer, one row per item)."""

    __tablename__ = "perception_response"
    __table_args__ = (
        sa.Index("ix_perception_response_period", "questionnaire_id", "submitted_on"),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("perception_questionnaire.id"))
    layanan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("layanan.id"))  # optional
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel, 8, name="perception_channel"))
    submitted_on: Mapped[date]
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    quarter: Mapped[int] = mapped_column(sa.SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The web form's one-time key (or the API's Idempotency-Key): a resend files nothing.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("perception_import.id"), index=True)
    import_row: Mapped[int | None]  # the row of the paper file it came from
    kiosk_device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kiosk_device.id"))

    questionnaire: Mapped[PerceptionQuestionnaire] = relationship()
    layanan: Mapped[Layanan | None] = relationship()


class PerceptionAnswer(db.Model):
    """One answer, as given (a reverse-scored item is reversed when counted, never when stored)."""

    __tablename__ = "perception_answer"
    __table_args__ = (sa.CheckConstraint(f"value BETWEEN {SCALE_LOWEST} AND {SCALE_HIGHEST}", name="value_range"),)

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("perception_response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("perception_item.id"), primary_key=True)
    value: Mapped[int] = mapped_column(sa.SmallInteger)
