"""Exporting a report: build it and record who exported what, whoever asks (a page or the CLI)."""

from __future__ import annotations

from zi_public.exports import build_report
from zi_public.exports.xlsx import Export
from zi_public.models import User
from zi_public.rules.periods import Period
from zi_public.services import audit


def export_report(actor: User | str, name: str, period: Period, **options: object) -> Export:
    """Report `name` for `period`, audit-logged (UnknownReport or WrongPeriodKind when they do not fit).

    `options` go to the report's builder unchanged (e.g. the date the report is as of).
    """
    export = build_report(name, period, **options)
    data = {"period": period.code, "as_of": export.as_of.isoformat() if export.as_of else None, "lang": export.lang}
    audit.record(actor, "report.export", target_type="report", target_id=name, data=data)
    return export
