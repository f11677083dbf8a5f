"""Read side of the audit log: filter entries for the admin page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import AuditEntry

#: Staff think in office days; the log stores naive UTC.
DEFAULT_TIMEZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class AuditFilter:
    """What the admin asked for; empty values mean "no restriction"."""

    actor: str = ""
    action: str = ""  # an exact action, or a prefix ending in "." (e.g. "user.")
    date_from: date | None = None
    date_to: date | None = None  # inclusive: the whole local day


def local_day_start_utc(day: date, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """The naive-UTC instant at which `day` begins in `timezone`."""
    start = datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))
    return start.astimezone(UTC).replace(tzinfo=None)


def audit_entries(filters: AuditFilter, timezone: str = DEFAULT_TIMEZONE) -> sa.Select:
    """A SELECT of the entries matching `filters` (unordered: the pager orders by id)."""
    stmt = sa.select(AuditEntry)
    if filters.actor:
        stmt = stmt.where(sa.func.lower(AuditEntry.actor) == filters.actor.lower())
    if filters.action.endswith("."):
        stmt = stmt.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    elif filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.date_from is not None:
        stmt = stmt.where(AuditEntry.created_at >= local_day_start_utc(filters.date_from, timezone))
    if filters.date_to is not None:
        # Half-open upper bound: everything before the next local midnight, microseconds included.
        next_day = filters.date_to + timedelta(days=1)
        stmt = stmt.where(AuditEntry.created_at < local_day_start_utc(next_day, timezone))
    return stmt


def distinct_actions() -> list[str]:
    """Every action that occurs in the log, sorted (walks the index on action)."""
    stmt = sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return list(db.session.scalars(stmt))


def action_prefixes(actions: list[str]) -> list[str]:
    """The groups of `actions`, e.g. "user." for "user.login" and "user.create"."""
    return sorted({action.split(".", 1)[0] + "." for action in actions if "." in action})
