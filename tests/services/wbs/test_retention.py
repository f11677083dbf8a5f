"""Retention (`flask --app wsgi wbs purge`): the team warned once, 30 days before; closed reports purged with
everything of theirs (files on disk too); one audit entry each, without text; the quarterly figures kept."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tests.services.wbs.staff_factories import WORDS, add_reporter_message, make_report
from zi_public.extensions import db
from zi_public.models import (
    Attachment,
    AuditEntry,
    OutboxMail,
    Role,
    WbsAuditQueue,
    WbsMessage,
    WbsReport,
    WbsReporterSession,
    WbsUnsealRequest,
)
from zi_public.rules.wbs import Status
from zi_public.services import attachments
from zi_public.services.wbs import reporter_audit, retention, stats

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
CLOSED = date(2021, 6, 30)
PURGE_DAY = date(2026, 6, 30)


@pytest.fixture
def team(seeded, db):
    members = [
        make_user(role=Role.WBS, email="ketua.wbs@example.go.id"),
        make_user(role=Role.WBS, email="anggota.wbs@example.go.id"),
        make_user(role=Role.WBS, email="nonaktif@example.go.id", is_active=False),
        make_user(role=Role.PENGADUAN, email="pengaduan@example.go.id"),
    ]
    db.session.flush()
    return members


def upload_files(app) -> set[str]:
    return {str(p) for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()}


def closed_report(**columns):
    """A report closed long ago, whose filing event went into the audit chain long ago (the daily job)."""
    columns = {"received_on": CLOSED - timedelta(days=40), "closed_on": CLOSED, **columns}
    report = make_report(status=Status.SELESAI, **columns)
    reporter_audit.flush_days_before(CLOSED)
    return report


def test_warning_goes_once_to_the_active_team_30_days_before(team):
    due = closed_report()
    later = closed_report(closed_on=CLOSED + timedelta(days=31))
    open_report = make_report(status=Status.DITINDAKLANJUTI, received_on=CLOSED)
    today = PURGE_DAY - timedelta(days=30)
    outcome = retention.run(today)
    assert outcome.warned == [(due.id, PURGE_DAY)]
    assert outcome.purged == []
    mail = db.session.scalars(sa.select(OutboxMail)).one()
    assert mail.kind == retention.MAIL_KIND
    assert sorted(mail.recipients.split("\n")) == [
        "anggota.wbs@example.go.id",
        "ketua.wbs@example.go.id",
    ]
    assert f"#{due.id}" in mail.body and PURGE_DAY.isoformat() in mail.body
    assert not any(word in mail.body for word in WORDS.values())
    db.session.expire_all()
    assert db.session.get(WbsReport, due.id).purge_warned_on == today
    assert db.session.get(WbsReport, later.id).purge_warned_on is None
    assert db.session.get(WbsReport, open_report.id).purge_warned_on is None
    # The next day: nothing new to say, no second mail.
    assert retention.run(today + timedelta(days=1)).warned == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1


def test_purge_deletes_the_report_with_everything_and_keeps_the_figures(app, team):
    report = closed_report(attach=[(PNG, "foto.png")])
    add_reporter_message(report, "Ini bukti tambahan dari saya.", attach=[(PNG, "bukti2.png")])
    db.session.add(WbsReporterSession(token_hash="a" * 64, report_id=report.id, created_on=CLOSED))
    db.session.add(WbsUnsealRequest(report_id=report.id, requested_by_id=team[0].id, reason="Perlu klarifikasi"))
    kept = closed_report()  # closed the same day, but warned later: waits its own 30 days
    db.session.flush()
    # A member looked at the photo: its metadata-free copy is a file and a row of its own.
    attachments.download(team[0], report, attachments.originals(report)[0].id)
    db.session.flush()
    files_before = upload_files(app)
    assert len(files_before) == 3
    quarter = stats.quarter_of(report.received_on)
    figures_before = stats.quarter_figures(db.session.connection(), quarter)

    warned_on = PURGE_DAY - timedelta(days=30)
    retention.run(warned_on)
    db.session.execute(sa.update(WbsReport).where(WbsReport.id == kept.id).values(purge_warned_on=PURGE_DAY))
    outcome = retention.run(PURGE_DAY - timedelta(days=1))
    assert outcome.purged == []  # not yet
    outcome = retention.run(PURGE_DAY)
    assert outcome.purged == [report.id]
    assert len(outcome.files) == 3
    db.session.commit()
    assert retention.delete_files(outcome.files) == 3

    assert db.session.get(WbsReport, report.id) is None
    assert db.session.get(WbsReport, kept.id) is not None
    for model, column in (
        (WbsMessage, WbsMessage.report_id),
        (WbsReporterSession, WbsReporterSession.report_id),
        (WbsUnsealRequest, WbsUnsealRequest.report_id),
    ):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model).where(column == report.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert upload_files(app) == set()
    assert stats.quarter_figures(db.session.connection(), quarter) == figures_before

    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "wbs.purge")).one()
    assert entry.target_id == str(report.id)
    data = json.loads(entry.data)
    assert data == {"closed_quarter": "2021-Q2", "messages": 1, "files": 3}
    everything = json.dumps([e.data for e in db.session.scalars(sa.select(AuditEntry))])
    assert not any(word in everything for word in WORDS.values())


def test_dry_run_changes_nothing(app, team):
    report = closed_report(attach=[(PNG, "foto.png")], purge_warned_on=PURGE_DAY - timedelta(days=30))
    db.session.commit()
    outcome = retention.run(PURGE_DAY, dry_run=True)
    assert outcome.purged == [report.id] and len(outcome.files) == 1
    db.session.rollback()
    assert db.session.get(WbsReport, report.id) is not None
    assert len(upload_files(app)) == 1


def test_a_report_with_queued_reporter_events_waits_for_the_audit_flush(team):
    report = closed_report(purge_warned_on=PURGE_DAY - timedelta(days=30))
    db.session.add(WbsAuditQueue(day=PURGE_DAY, report_id=report.id, action="wbs.reporter_view"))
    db.session.flush()
    outcome = retention.run(PURGE_DAY)
    assert outcome.purged == [] and outcome.waiting_for_audit_flush == [report.id]


@pytest.mark.parametrize(
    ("config", "closed_on", "purged"),
    [
        ({"WBS_RETENTION_YEARS": 5}, CLOSED, True),
        ({"WBS_RETENTION_YEARS": 5}, CLOSED + timedelta(days=1), False),
        ({"WBS_RETENTION_YEARS": 6}, CLOSED, False),
        ({"WBS_RETENTION_DAYS": 100}, PURGE_DAY - timedelta(days=100), True),
        ({"WBS_RETENTION_DAYS": 100}, PURGE_DAY - timedelta(days=99), False),
    ],
)
def test_the_period_is_configurable(app, team, config, closed_on, purged):
    report = closed_report(closed_on=closed_on, purge_warned_on=date(2020, 1, 1))
    with mock.patch.dict(app.config, config):
        assert (retention.run(PURGE_DAY).purged == [report.id]) is purged


def test_cli_purge(app, team):
    report = closed_report(purge_warned_on=date(2020, 1, 1), closed_on=date(2020, 1, 1))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wbs", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"would purge: report {report.id}" in result.output
    db.session.expire_all()
    assert db.session.get(WbsReport, report.id) is not None
    result = runner.invoke(args=["wbs", "purge"])
    assert result.exit_code == 0, result.output
    assert "purged 1" in result.output
    db.session.expire_all()
    assert db.session.get(WbsReport, report.id) is None
