"""The unit's working-day calendar: national holidays plus the overrides an admin manages."""

from __future__ import annotations

import time
from datetime import date

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from zi_public.extensions import db
from zi_public.models import User, WorkdayOverride
from zi_public.rules.working_days import NationalHolidays, WorkCalendar
from zi_public.services import audit
from zi_public.unit_of_work import savepoint

#: The column is String(200); checked here so that a long reason is a clear error, not a DB one.
REASON_MAX_LENGTH = 200


class CalendarError(ValueError):
    """An override the rules refuse; the message is for the admin's logs, the view words it."""


class InvalidReason(CalendarError):
    """The reason is empty or longer than REASON_MAX_LENGTH."""


class DuplicateOverride(CalendarError):
    """The day already has an override: remove it first (one override per day)."""


#: How long a process keeps its copy of the calendar. A change made in this process (any ORM write of an
#: override) drops the copy at once, when it is committed or rolled back; other processes (workers on other
#: hosts) see it within this many seconds.
CACHE_SECONDS = 60.0
_CACHE = "zi_public.work_calendar"  # current_app.extensions key: (loaded at, calendar)
_CHANGED = "zi_public.calendar_changed"  # session.info key: this transaction changed an override


def work_calendar(connection: sa.Connection | None = None) -> WorkCalendar:
    """The calendar every clock uses: national holidays, cuti bersama and local overrides.

    Read once a minute per process rather than once a request (filing and every case action need it).
    A transaction that changed an override reads its own uncommitted calendar and caches nothing.
    `connection`: read through it, uncached (ORM flush events may not use the session).
    """
    if connection is not None:
        return _read(connection)
    session = db.session()
    if session.info.get(_CHANGED):
        return _read(session)
    cached = current_app.extensions.get(_CACHE)
    now = time.monotonic()
    if cached is None or now - cached[0] > CACHE_SECONDS:
        cached = current_app.extensions[_CACHE] = (now, _read(session))
    return cached[1]


def _read(source: sa.Connection | Session) -> WorkCalendar:
    rows = source.execute(sa.select(WorkdayOverride.day, WorkdayOverride.is_working_day)).all()
    return WorkCalendar(
        holidays=NationalHolidays(),
        extra_off=frozenset(day for day, working in rows if not working),
        extra_on=frozenset(day for day, working in rows if working),
    )


def _override_written(_mapper: object, _connection: sa.Connection, target: WorkdayOverride) -> None:
    session = object_session(target)
    if session is None:
        return
    current_app.extensions.pop(_CACHE, None)
    if not session.info.get(_CHANGED):
        session.info[_CHANGED] = True
        sa.event.listen(session, "after_commit", _forget, once=True)
        sa.event.listen(session, "after_rollback", _forget, once=True)


def _forget(session: Session) -> None:
    """The transaction that changed the calendar ended: the next request reads it afresh."""
    session.info.pop(_CHANGED, None)
    if has_app_context():
        current_app.extensions.pop(_CACHE, None)


for _event in ("after_insert", "after_update", "after_delete"):
    sa.event.listen(WorkdayOverride, _event, _override_written)


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
    try:
        with savepoint():
            db.session.add(override)
            db.session.flush()
    except IntegrityError as exc:  # another admin added the same day between our check and now
        raise DuplicateOverride(f"{day.isoformat()} already has an override") from exc
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
