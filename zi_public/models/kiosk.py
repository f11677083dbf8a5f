"""Kiosk devices registered by an admin (the service hall's touch screens)."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from zi_public.extensions import db
from zi_public.models.base import utcnow


def new_device_key() -> str:
    return secrets.token_urlsafe(24)


class KioskDevice(db.Model):
    __tablename__ = "kiosk_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    location: Mapped[str] = mapped_column(sa.String(120), default="")
    # Inside the signed cookie; replacing it revokes the device without touching the secret key.
    device_key: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_device_key)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
