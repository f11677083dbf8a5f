"""`backup create` / `backup restore` carry WBS whole, both ways: reports, conversation, sealed identity,
files (keyed checksums), the reporter-side audit queue and the day-dated entries it became."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.security.test_wbs_at_rest import IDENTITY, WORDS, file_and_converse
from tests.test_cli_backup import every_row, invoke, postgresql_app, sqlite_app  # noqa: F401 - fixtures
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, WbsAuditQueue, WbsMessage, WbsReport
from zi_public.services import attachments
from zi_public.services.wbs import reporter_audit as wbs_audit

WBS_TABLES = ("wbs_report", "wbs_message", "wbs_reporter_session", "wbs_audit_queue", "attachment", "audit_entry")


def fill_wbs(app: Flask) -> None:
    file_and_converse(app)
    with app.app_context():
        report_id = db.session.scalar(sa.select(WbsReport.id))
        yesterday = today_jakarta() - timedelta(days=1)
        wbs_audit.reporter_event(report_id, wbs_audit.SESSION_OPENED, today=yesterday)
        db.session.commit()
        wbs_audit.flush_days_before(today_jakarta())  # yesterday's event becomes a day-dated entry
        db.session.commit()


@pytest.mark.parametrize("direction", ["sqlite->postgresql", "postgresql->sqlite"])
def test_wbs_round_trip_between_backends(request, direction, tmp_path):
    source_name, target_name = direction.split("->")
    source = request.getfixturevalue(f"{source_name}_app")
    target = request.getfixturevalue(f"{target_name}_app")
    fill_wbs(source)
    before = every_row(source)  # the backup's own audit entry comes after its snapshot
    backup_file = tmp_path / "wbs.backup"
    assert invoke(source, "backup", "create", "-o", str(backup_file)).exit_code == 0
    result = invoke(target, "backup", "restore", str(backup_file))
    assert result.exit_code == 0, result.output

    after = every_row(target)
    for table in WBS_TABLES[:-1]:
        assert after[table] == before[table], table
    # The audit log gets the restore's own entry; everything before it is the same, byte for byte.
    assert after["audit_entry"][: len(before["audit_entry"])] == before["audit_entry"]
    assert invoke(target, "audit", "verify").exit_code == 0
    with target.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        assert WORDS["what"] in report.what and report.identity == IDENTITY
        assert WORDS["reply"] in db.session.scalar(sa.select(WbsMessage.body))
        for row in db.session.scalars(sa.select(Attachment)):
            assert attachments.read(row.case_kind, row.case_id, row.id).data.startswith(b"\x89PNG")
        assert {q.action for q in db.session.scalars(sa.select(WbsAuditQueue))} == {
            wbs_audit.FILED,
            wbs_audit.MESSAGE,
            wbs_audit.SESSION_OPENED,
        }  # today's events still wait for the next flush
