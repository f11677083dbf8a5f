"""Exporting a report: the workbook, and one audit entry per export, whoever asked."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from zi_public.exports import UnknownReport, WrongPeriodKind
from zi_public.models import AuditEntry
from zi_public.rules.periods import parse_period
from zi_public.services.reports import export_report


def exports(db) -> list[tuple[str, str | None, dict]]:
    rows = db.session.execute(
        sa.select(AuditEntry.actor, AuditEntry.target_id, AuditEntry.data).where(AuditEntry.action == "report.export")
    )
    return [(actor, target, json.loads(data)) for actor, target, data in rows]


def test_an_export_is_built_and_audit_logged(db):
    export = export_report("cli", "pengaduan-bulanan", parse_period("2026-11"))
    assert export.content.startswith(b"PK")  # an xlsx file is a zip archive
    # The day it is as of (today while November runs, else 30 November) and its language are logged too.
    assert exports(db) == [
        ("cli", "pengaduan-bulanan", {"period": "2026-11", "as_of": str(export.as_of), "lang": "id"})
    ]


@pytest.mark.parametrize(
    ("name", "period", "error"),
    [("pengaduan-harian", "2026-11", UnknownReport), ("pengaduan-monev", "2026-11", WrongPeriodKind)],
)
def test_a_report_that_does_not_fit_is_refused_and_not_logged(db, name, period, error):
    with pytest.raises(error):
        export_report("cli", name, parse_period(period))
    assert exports(db) == []
