"""Staff accounts."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zi_public.extensions import db
from zi_public.models.base import enum_column_type, utcnow
from zi_public.security.keyring import EncryptedText


class Role(enum.StrEnum):
    ADMIN = "admin"
    PENGADUAN = "pengaduan"
    WBS = "wbs"
    UPG = "upg"
    SKM = "skm"
    PIMPINAN = "pimpinan"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str | None] = mapped_column(EncryptedText("user_account.email"))
    # The role in effect; None while a new account's first role waits for a second person's approval.
    role: Mapped[Role | None] = mapped_column(enum_column_type(Role, 16))
    # A role an admin asked for that needs a second person (rules/account_approval.py); no effect until approved.
    pending_role: Mapped[Role | None] = mapped_column(enum_column_type(Role, 16, name="pending_role"))
    pending_role_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    pending_role_at: Mapped[datetime | None]
    pending_role_by: Mapped[User | None] = relationship(remote_side=[id], foreign_keys=[pending_role_by_id])
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: changing it signs the account out everywhere.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText("user_account.totp_secret"))
    # The secret being enrolled, until a code proves the authenticator has it: kept here (encrypted), never
    # in the session cookie, which the browser can read.
    totp_pending_secret: Mapped[str | None] = mapped_column(EncryptedText("user_account.totp_pending_secret"))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
        sa.CheckConstraint("username = lower(username)", name="username_lowercase"),
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
