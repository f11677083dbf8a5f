"""The working-day calendar service: overrides change every clock, one per day, each audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.models import AuditEntry, Role, WorkdayOverride
from zi_public.services import calendar, process_cache
from zi_public.services.audit import verify_chain

CUTI_NATAL_2026 = date(2026, 12, 24)  # Thursday, cuti bersama
HARI_JADI = date(2026, 4, 6)  # an ordinary Monday, declared off locally in these tests


@pytest.fixture
def admin(db):
    return make_user(role=Role.ADMIN, username="admin1")


def audit_entries(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_without_overrides_the_national_calendar_applies(db):
    cal = calendar.work_calendar()
    assert not cal.is_working_day(CUTI_NATAL_2026)
    assert cal.is_working_day(HARI_JADI)
    assert cal.add_working_days(date(2026, 11, 27), 3) == date(2026, 12, 2)


def test_overrides_change_the_calendar_both_ways(db, admin):
    calendar.add_override(admin, HARI_JADI, False, "Hari Jadi Kota Magelang")
    calendar.add_override(admin, CUTI_NATAL_2026, True, "SKB cuti bersama diubah")
    cal = calendar.work_calendar()
    assert not cal.is_working_day(HARI_JADI)
    assert cal.is_working_day(CUTI_NATAL_2026)
    assert cal.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert cal.add_working_days(date(2026, 12, 23), 1) == CUTI_NATAL_2026


def test_add_stores_the_override_with_its_author_and_audits_it(db, admin):
    override = calendar.add_override(admin, HARI_JADI, False, "  Hari Jadi Kota  ")
    stored = db.session.get(WorkdayOverride, override.id)
    assert (stored.day, stored.is_working_day, stored.reason) == (
        HARI_JADI,
        False,
        "Hari Jadi Kota",
    )
    assert stored.created_by_id == admin.id
    [entry] = audit_entries(db, "calendar.override_add")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        "admin1",
        "workday_override",
        str(override.id),
    )
    assert json.loads(entry.data) == {
        "day": "2026-04-06",
        "is_working_day": False,
        "reason": "Hari Jadi Kota",
    }


@pytest.mark.parametrize("second_kind", [False, True])
def test_a_second_override_for_the_same_day_is_refused(db, admin, second_kind):
    calendar.add_override(admin, HARI_JADI, False, "Hari Jadi Kota")
    with pytest.raises(calendar.DuplicateOverride) as caught:
        calendar.add_override(admin, HARI_JADI, second_kind, "lagi")
    assert isinstance(caught.value, ValueError)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkdayOverride)) == 1
    assert len(audit_entries(db, "calendar.override_add")) == 1


def test_after_a_concurrent_duplicate_the_request_goes_on_and_commits(db, admin):
    # Another admin's insert lands between our check and our flush: the constraint decides inside a
    # savepoint, raises the same error as the check, and undoes only the refused insert.
    with db.session.no_autoflush:
        db.session.add(WorkdayOverride(day=HARI_JADI, is_working_day=False, reason="other admin"))
        with pytest.raises(calendar.DuplicateOverride):
            calendar.add_override(admin, HARI_JADI, False, "Hari Jadi Kota")
    db.session.commit()
    assert db.session.scalars(sa.select(WorkdayOverride.reason)).all() == ["other admin"]
    assert audit_entries(db, "calendar.override_add") == []


@pytest.mark.parametrize("reason", ["", "   \n\t", "x" * 201, "x" * 10_000])
def test_a_missing_or_too_long_reason_is_refused(db, admin, reason):
    with pytest.raises(calendar.InvalidReason):
        calendar.add_override(admin, HARI_JADI, False, reason)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkdayOverride)) == 0
    assert audit_entries(db, "calendar.override_add") == []


def test_a_reason_of_exactly_200_characters_is_kept(db, admin):
    override = calendar.add_override(admin, HARI_JADI, False, " " + "é" * 200 + " ")
    assert override.reason == "é" * 200


def test_remove_restores_the_national_calendar_and_audits_it(db, admin):
    override = calendar.add_override(admin, CUTI_NATAL_2026, True, "SKB diubah")
    override_id = override.id
    calendar.remove_override(admin, override)
    assert db.session.get(WorkdayOverride, override_id) is None
    assert not calendar.work_calendar().is_working_day(CUTI_NATAL_2026)
    [entry] = audit_entries(db, "calendar.override_remove")
    assert entry.target_id == str(override_id)
    assert json.loads(entry.data) == {
        "day": "2026-12-24",
        "is_working_day": True,
        "reason": "SKB diubah",
    }
    assert verify_chain().ok
    # the day is free again
    calendar.add_override(admin, CUTI_NATAL_2026, False, "kembali libur")


def test_overrides_in_year_covers_exactly_that_year_in_date_order(db, admin):
    for day in (
        date(2026, 12, 31),
        date(2026, 1, 1),
        date(2025, 12, 31),
        date(2027, 1, 1),
        HARI_JADI,
    ):
        calendar.add_override(admin, day, False, "uji")
    assert [o.day for o in calendar.overrides_in_year(2026)] == [
        date(2026, 1, 1),
        HARI_JADI,
        date(2026, 12, 31),
    ]
    assert calendar.overrides_in_year(2030) == []


def test_the_calendar_is_read_once_and_forgotten_when_this_process_changes_it(app, db, admin):
    db.session.commit()
    assert calendar.work_calendar() is calendar.work_calendar()  # one read serves the next requests
    assert calendar.work_calendar().is_working_day(HARI_JADI)
    override = calendar.add_override(admin, HARI_JADI, False, "Hari Jadi Kota")
    # The transaction that changed it sees its own change, and caches nothing until it ends.
    assert not calendar.work_calendar().is_working_day(HARI_JADI)
    db.session.rollback()
    assert calendar.work_calendar().is_working_day(HARI_JADI)
    calendar.add_override(admin, HARI_JADI, False, "Hari Jadi Kota")
    db.session.commit()
    assert not calendar.work_calendar().is_working_day(HARI_JADI)
    override = db.session.scalar(sa.select(WorkdayOverride))
    calendar.remove_override(admin, override)
    db.session.commit()
    assert calendar.work_calendar().is_working_day(HARI_JADI)


def test_a_change_made_by_another_process_is_seen_within_the_cache_time(app, db, monkeypatch):
    assert calendar.work_calendar().is_working_day(HARI_JADI)
    db.session.commit()
    with db.engine.begin() as other:  # another worker: no ORM event reaches this process
        other.execute(sa.insert(WorkdayOverride).values(day=HARI_JADI, is_working_day=False, reason="Hari Jadi Kota"))
    assert calendar.work_calendar().is_working_day(HARI_JADI)  # still the copy read before
    later = process_cache.time.monotonic() + 61
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    assert not calendar.work_calendar().is_working_day(HARI_JADI)
