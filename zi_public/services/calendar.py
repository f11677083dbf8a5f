"""The unit's working-day calendar: national holidays plus the overrides an admin manages."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zi_public.extensions import db
from zi_public.models import User, WorkdayOverride
from zi_public.rules.working_days import NationalHolidays, WorkCalendar
from zi_public.services import audit
from zi_public.services.process_cache import ProcessCache
from zi_public.unit_of_work import add_unique

#: The column is String(200); checked here so that a long reason is a clear error, not a DB one.
REASON_MAX_LENGTH = 200


class CalendarError(ValueError):
    """An override the rules refuse; the message is for the admin's logs, the view words it."""


class InvalidReason(CalendarError):
    """The reason is empty or longer than REASON_MAX_LENGTH."""


class DuplicateOverride(CalendarError):
    """The day already has an override: remove it first (one override per day)."""


#: The calendar changes a few times a year: a process reads it once a minute, not on every filing or case
#: action. A change made in this process is seen at once, one made by another process within 60 seconds.
_CALENDAR = ProcessCache("zi_public.work_calendar", WorkdayOverride)


def work_calendar(connection: sa.Connection | None = None) -> WorkCalendar:
    """The calendar every clock uses: national holidays, cuti bersama and local overrides.

    `connection`: read through it, uncached (ORM flush events may not use the session).
    """
    if connection is not None:
        return _read(connection)
    return _CALENDAR.get("calendar", lambda: _read(db.session()))


def _read(source: sa.Connection | Session) -> WorkCalendar:
    rows = source.execute(sa.select(WorkdayOverride.day, WorkdayOverride.is_working_day)).all()
    return WorkCalendar(
        holidays=NationalHolidays(),
        extra_off=frozenset(day for day, working in rows if not working),
        extra_on=frozenset(day for day, working in rows if working),
    )


def overrides_in_year(year: int) -> list[WorkdayOverride]:
    """The overrides of one calendar year, in date order."""
    stmt = (
        sa.select(WorkdayOverride)
        .where(WorkdayOverride.day >= date(year, 1, 1), WorkdayOverride.day <= date(year, 12, 31))
        .order_by(WorkdayOverride.day)
    )
    return list(db.session.scalars(stmt))


def add_override(actor: User | str, day: date, is_working_day: bool, reason: str) -> WorkdayOverride:
    """Declare `day` off or working for the unit; one override per day (DuplicateOverride otherwise).

    A concurrent insert of the same day is caught by the unique constraint inside a savepoint, so the
    request goes on and can show the refusal.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidReason("a reason is required")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidReason(f"reason longer than {REASON_MAX_LENGTH} characters")
    if db.session.scalar(sa.select(WorkdayOverride.id).where(WorkdayOverride.day == day)):
        raise DuplicateOverride(f"{day.isoformat()} already has an override")
    override = WorkdayOverride(
        day=day,
        is_working_day=is_working_day,
        reason=reason,
        created_by_id=actor.id if isinstance(actor, User) else None,
    )
    # another admin may have added the same day between our check and now
    add_unique(override, DuplicateOverride(f"{day.isoformat()} already has an override"))
    _audit(actor, "calendar.override_add", override)
    return override


def remove_override(actor: User | str, override: WorkdayOverride) -> None:
    """Delete an override (admin configuration, not a report: the audit log keeps the trace)."""
    _audit(actor, "calendar.override_remove", override)
    db.session.delete(override)
    db.session.flush()


def _audit(actor: User | str, action: str, override: WorkdayOverride) -> None:
    audit.record(
        actor,
        action,
        override,
        data={
            "day": override.day.isoformat(),
            "is_working_day": override.is_working_day,
            "reason": override.reason,
        },
    )
