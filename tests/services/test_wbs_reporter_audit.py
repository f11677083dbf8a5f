"""Reporter-side WBS events reach the audit chain with their day only (issue 8, point 5).

The rows here are made by `bare_report`, not by the filing service: what is tested is the queue and the
daily flush, whoever calls them. That the services call them is tested in tests/security/test_wbs_no_traces.py.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import start_of_day_utc, today_jakarta
from zi_public.models import AuditEntry, WbsAuditQueue, WbsCategory, WbsReport
from zi_public.services import audit, audit_anchor
from zi_public.services.wbs import reporter_audit as wbs_audit

DAY = date(2026, 11, 23)


def bare_report(day: date = DAY) -> WbsReport:
    """A WBS report row with only what the schema requires (a seeded category)."""
    category_id = db.session.scalar(sa.select(WbsCategory.id).order_by(WbsCategory.id).limit(1))
    report = WbsReport(
        receipt_hash=secrets.token_hex(32),
        category_id=category_id,
        what="x",
        received_on=day,
        answer_by=day + timedelta(days=3),
        telaah_by=day + timedelta(days=14),
    )
    db.session.add(report)
    db.session.flush()
    return report


def reporter_entries() -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.actor == wbs_audit.REPORTER_ACTOR).order_by(AuditEntry.id)
        )
    )


def test_an_event_is_queued_with_its_day_and_not_in_the_audit_log(seeded, db):
    report = bare_report()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    wbs_audit.reporter_event(report.id, wbs_audit.FILED, today=DAY)
    queued = db.session.execute(sa.select(WbsAuditQueue.day, WbsAuditQueue.report_id, WbsAuditQueue.action)).all()
    assert queued == [(DAY, report.id, wbs_audit.FILED)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_repeated_events_of_a_day_are_one_row_with_a_count(seeded, db):
    report = bare_report()
    for _ in range(3):
        wbs_audit.reporter_event(report.id, wbs_audit.SESSION_OPENED, today=DAY)
    wbs_audit.reporter_event(report.id, wbs_audit.SESSION_OPENED, today=DAY + timedelta(days=1))
    rows = db.session.execute(sa.select(WbsAuditQueue.day, WbsAuditQueue.times).order_by(WbsAuditQueue.day)).all()
    assert rows == [(DAY, 3), (DAY + timedelta(days=1), 1)]


def test_an_unknown_action_is_refused(seeded, db):
    report = bare_report()
    with pytest.raises(ValueError, match="not a reporter-side"):
        wbs_audit.reporter_event(report.id, "wbs.read")


def test_the_flush_appends_past_days_dated_the_start_of_the_day_sorted_and_keeps_today(seeded, db):
    first, second = bare_report(), bare_report()
    today = DAY + timedelta(days=2)
    # Queued out of order, over three days (the last one is "today").
    wbs_audit.reporter_event(second.id, wbs_audit.MESSAGE, today=DAY)
    wbs_audit.reporter_event(second.id, wbs_audit.FILED, today=DAY)
    wbs_audit.reporter_event(first.id, wbs_audit.SESSION_OPENED, today=DAY + timedelta(days=1))
    wbs_audit.reporter_event(first.id, wbs_audit.FILED, today=DAY)
    wbs_audit.reporter_event(first.id, wbs_audit.MESSAGE, today=today)
    db.session.commit()

    flushed = wbs_audit.flush_days_before(today)
    db.session.commit()

    assert (flushed.days, flushed.entries) == (2, 4)
    entries = reporter_entries()
    assert [(e.target_id, e.action, e.created_at) for e in entries] == [
        (str(first.id), wbs_audit.FILED, start_of_day_utc(DAY)),
        (str(second.id), wbs_audit.FILED, start_of_day_utc(DAY)),
        (str(second.id), wbs_audit.MESSAGE, start_of_day_utc(DAY)),
        (str(first.id), wbs_audit.SESSION_OPENED, start_of_day_utc(DAY + timedelta(days=1))),
    ]
    assert all(e.target_type == "wbs_report" and e.actor_id is None for e in entries)
    assert entries[0].data == '{"day":"2026-11-23","times":1}'
    # Today's event waits for tomorrow's run.
    assert db.session.execute(sa.select(WbsAuditQueue.day, WbsAuditQueue.action)).all() == [(today, wbs_audit.MESSAGE)]
    assert audit.verify_chain().ok


def test_the_entries_between_staff_entries_carry_no_moment(seeded, db):
    """A staff entry at 10:00 and one at 15:00: the reporter's entries appended later say only the day."""
    report = bare_report()
    audit.record("cli", "test.before", data={})
    wbs_audit.reporter_event(report.id, wbs_audit.FILED, today=DAY)
    audit.record("cli", "test.after", data={})
    db.session.commit()
    assert [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))][-2:] == [
        "test.before",
        "test.after",
    ]
    wbs_audit.flush_days_before(DAY + timedelta(days=1))
    db.session.commit()
    (entry,) = reporter_entries()
    assert entry.created_at.time() == start_of_day_utc(DAY).time()
    assert entry.created_at == datetime.combine(DAY, time.min) - timedelta(hours=7)  # Jakarta midnight, in UTC


def test_the_flush_commit_is_anchored_and_the_chain_verifies(seeded, app, db):
    report = bare_report()
    wbs_audit.reporter_event(report.id, wbs_audit.FILED, today=DAY)
    db.session.commit()
    wbs_audit.flush_days_before(DAY + timedelta(days=1))
    db.session.commit()
    (entry,) = reporter_entries()
    assert entry.id in audit_anchor.read_epoch(audit_anchor.anchor_path()).records
    assert audit.verify_chain().ok
    assert audit_anchor.check_anchor().ok


def test_a_rolled_back_filing_leaves_nothing_queued(seeded, db):
    report_id = bare_report().id
    wbs_audit.reporter_event(report_id, wbs_audit.FILED, today=DAY)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsAuditQueue)) == 0


def test_cli_audit_flush(seeded, app):
    with app.app_context():
        report = bare_report()
        yesterday = today_jakarta() - timedelta(days=1)
        wbs_audit.reporter_event(report.id, wbs_audit.FILED, today=yesterday)
        wbs_audit.reporter_event(report.id, wbs_audit.MESSAGE)  # today: stays queued
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wbs", "audit-flush"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 reporter-side WBS events of 1 days appended to the audit log"
    assert runner.invoke(args=["wbs", "audit-flush"]).output.startswith("0 reporter-side")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        assert [e.created_at for e in reporter_entries()] == [start_of_day_utc(yesterday)]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsAuditQueue)) == 1


def test_two_flushes_at_once_append_each_event_once(seeded, app):
    """Cron on two hosts: both runs start together; the events reach the chain once."""
    import threading

    with app.app_context():
        reports = [bare_report() for _ in range(5)]
        for report in reports:
            wbs_audit.reporter_event(report.id, wbs_audit.FILED, today=DAY)
        db.session.commit()
    start = threading.Barrier(2)
    results: list[object] = []

    def run() -> None:
        with app.app_context():
            start.wait()
            try:
                results.append(wbs_audit.flush_days_before(DAY + timedelta(days=1)).entries)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                db.session.rollback()
                results.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results, key=str) == [0, 5]
    with app.app_context():
        assert len(reporter_entries()) == 5
        assert audit.verify_chain().ok
