"""Retention of closed WBS reports (issue 8, point 11): warn the team, then purge; the figures survive.

A report closed (selesai or ditolak) is purged WBS_RETENTION_YEARS after closed_on (or WBS_RETENTION_DAYS).
WBS_PURGE_WARNING_DAYS before that, the active members of the Tim WBS get one mail naming the reports by
their internal number and purge day (no report text), and purge_warned_on marks each report so it is
named once. A report is purged only once its warning is that many days old: when the job did not run in
time, the team still gets its full notice.

A purge deletes the report with its messages, reporter sessions, unseal requests and every attachment row
of the report and its messages (originals and metadata-free copies); the files themselves are deleted after
the commit (`delete_files`): deleted before it, a failed commit would leave rows pointing at nothing. The
quarterly figures (services/wbs/stats.py) keep the report's share. Each purge leaves one audit entry: the
report's number, the quarter it closed in and how many messages and files went, never any text. A report
with reporter events still queued for the audit chain (`wbs audit-flush`) waits for the next run.

Run by `flask --app wsgi wbs purge` (cron, daily), which commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from zi_public.extensions import db
from zi_public.models import (
    Attachment,
    Role,
    User,
    WbsAuditQueue,
    WbsMessage,
    WbsReport,
    WbsReporterSession,
    WbsUnsealRequest,
)
from zi_public.rules.retention import closed_by, purge_date
from zi_public.security.permissions import case_kind_of
from zi_public.security.uploads import delete_upload
from zi_public.services import audit, outbox
from zi_public.services.attachments import upload_dir
from zi_public.services.wbs.stats import quarter_of

log = logging.getLogger(__name__)

MAIL_KIND = "wbs.purge_warning"


@dataclass(frozen=True)
class Policy:
    years: int
    days: int | None
    warning_days: int

    @classmethod
    def from_config(cls) -> Policy:
        config = current_app.config
        days = config.get("WBS_RETENTION_DAYS")
        return cls(
            years=int(config["WBS_RETENTION_YEARS"]),
            days=int(days) if days not in (None, "") else None,
            warning_days=int(config["WBS_PURGE_WARNING_DAYS"]),
        )

    def purge_on(self, closed_on: date) -> date:
        return purge_date(closed_on, years=self.years, days=self.days)

    def closed_by(self, today: date) -> date:
        return closed_by(today, years=self.years, days=self.days)


@dataclass
class Outcome:
    """What one run did (or, dry, would do)."""

    warned: list[tuple[int, date]] = field(default_factory=list)  # (report id, purge day)
    warning_recipients: int = 0
    purged: list[int] = field(default_factory=list)
    waiting_for_audit_flush: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # stored names to delete once committed

    def summary(self) -> str:
        text = f"warned {len(self.warned)} (mail to {self.warning_recipients}); purged {len(self.purged)}"
        text += f" ({len(self.files)} files)"
        if self.waiting_for_audit_flush:
            text += f"; {len(self.waiting_for_audit_flush)} wait for `wbs audit-flush`"
        return text


def team_addresses() -> list[str]:
    """The addresses of the active members of the Tim WBS (emails are encrypted: read in Python)."""
    members = db.session.scalars(sa.select(User).where(User.role == Role.WBS, User.is_active.is_(True)))
    return sorted({member.email for member in members if member.email})


def _warning_mail(reports: list[tuple[int, date]], warning_days: int) -> tuple[str, str]:
    with force_locale("id"):
        subject = _("WBS: %(count)d laporan akan dihapus sesuai masa retensi", count=len(reports))
        lines = [
            _(
                "Laporan WBS berikut sudah ditutup dan akan dihapus permanen (isi, pesan, identitas, berkas) "
                "paling cepat %(days)d hari lagi. Hanya angka rekapitulasi per triwulan yang disimpan.",
                days=warning_days,
            ),
            "",
            *(_("- Laporan #%(id)d: dihapus mulai %(day)s", id=rid, day=day.isoformat()) for rid, day in reports),
            "",
            _("Jika ada laporan yang masih diperlukan (misalnya proses hukum), tindak lanjuti sebelum tanggal itu."),
        ]
    return subject, "\n".join(lines)


def warn(
    today: date, *, policy: Policy | None = None, dry_run: bool = False, outcome: Outcome | None = None
) -> Outcome:
    """Name, once, every closed report due for the purge within the warning period, in one mail to the team."""
    policy = policy or Policy.from_config()
    outcome = outcome or Outcome()
    limit = policy.closed_by(today + timedelta(days=policy.warning_days))
    rows = db.session.execute(
        sa.select(WbsReport.id, WbsReport.closed_on)
        .where(WbsReport.closed_on.is_not(None), WbsReport.closed_on <= limit, WbsReport.purge_warned_on.is_(None))
        .order_by(WbsReport.closed_on, WbsReport.id)
    ).all()
    if not rows:
        return outcome
    reports = [
        (rid, max(policy.purge_on(closed_on), today + timedelta(days=policy.warning_days))) for rid, closed_on in rows
    ]
    outcome.warned = reports
    recipients = team_addresses()
    outcome.warning_recipients = len(recipients)
    if dry_run:
        return outcome
    if recipients:
        subject, body = _warning_mail(reports, policy.warning_days)
        outbox.enqueue(MAIL_KIND, recipients, subject, body)
    else:
        log.warning("WBS purge warning for %d reports: no active wbs member has an e-mail address", len(reports))
    db.session.execute(
        sa.update(WbsReport).where(WbsReport.id.in_([rid for rid, _day in reports])).values(purge_warned_on=today)
    )
    audit.record(
        "cli",
        "wbs.purge_warning",
        target_type="wbs_report",
        data={"reports": [rid for rid, _day in reports], "recipients": len(recipients)},
    )
    return outcome


def _due(today: date, policy: Policy) -> list[WbsReport]:
    return list(
        db.session.scalars(
            sa.select(WbsReport)
            .where(
                WbsReport.closed_on.is_not(None),
                WbsReport.closed_on <= policy.closed_by(today),
                WbsReport.purge_warned_on.is_not(None),
                WbsReport.purge_warned_on <= today - timedelta(days=policy.warning_days),
            )
            .order_by(WbsReport.id)
        )
    )


def _attachments_of(report: WbsReport) -> list[Attachment]:
    """Every attachment row of the report and of its messages, copies included (their files to delete)."""
    message_ids = list(db.session.scalars(sa.select(WbsMessage.id).where(WbsMessage.report_id == report.id)))
    condition = sa.and_(Attachment.case_kind == case_kind_of(WbsReport), Attachment.case_id == report.id)
    if message_ids:
        condition = sa.or_(
            condition,
            sa.and_(Attachment.case_kind == case_kind_of(WbsMessage), Attachment.case_id.in_(message_ids)),
        )
    return list(db.session.scalars(sa.select(Attachment).where(condition).order_by(Attachment.id)))


def purge(
    today: date, *, policy: Policy | None = None, dry_run: bool = False, outcome: Outcome | None = None
) -> Outcome:
    """Delete every report due (see the module docstring); the files' names are in the outcome for `delete_files`."""
    policy = policy or Policy.from_config()
    outcome = outcome or Outcome()
    for report in _due(today, policy):
        queued = db.session.scalar(
            sa.select(sa.func.count()).select_from(WbsAuditQueue).where(WbsAuditQueue.report_id == report.id)
        )
        if queued:
            outcome.waiting_for_audit_flush.append(report.id)
            continue
        files = _attachments_of(report)
        outcome.purged.append(report.id)
        outcome.files.extend(a.stored_name for a in files)
        if dry_run:
            continue
        messages = db.session.scalar(
            sa.select(sa.func.count()).select_from(WbsMessage).where(WbsMessage.report_id == report.id)
        )
        # The attachment rows first, copies before the originals they point at (derived_from_id); the ORM's
        # cascade below would delete them in one statement, which the foreign key refuses.
        for attachment in files:
            db.session.expunge(attachment)
        for ids in ([a.id for a in files if a.derived_from_id], [a.id for a in files if not a.derived_from_id]):
            if ids:
                db.session.execute(
                    sa.delete(Attachment).where(Attachment.id.in_(ids)).execution_options(synchronize_session=False)
                )
        db.session.expire_all()  # the report's and its messages' `attachments` reload empty
        db.session.execute(sa.delete(WbsReporterSession).where(WbsReporterSession.report_id == report.id))
        db.session.execute(sa.delete(WbsUnsealRequest).where(WbsUnsealRequest.report_id == report.id))
        closed_quarter = quarter_of(report.closed_on) if report.closed_on else None
        report_id = report.id
        # Its messages go with it by cascade; the figures move its share to the purged rows
        # (services/wbs/stats.py).
        db.session.delete(report)
        db.session.flush()
        audit.record(
            "cli",
            "wbs.purge",
            target_type="wbs_report",
            target_id=report_id,
            data={"closed_quarter": closed_quarter, "messages": messages, "files": len(files)},
        )
    return outcome


def run(today: date, *, dry_run: bool = False) -> Outcome:
    """Warn about what comes due, then purge what is due (one transaction; the caller commits)."""
    policy = Policy.from_config()
    outcome = warn(today, policy=policy, dry_run=dry_run)
    return purge(today, policy=policy, dry_run=dry_run, outcome=outcome)


def delete_files(stored_names: Iterable[str], directory: Path | None = None) -> int:
    """Delete the purged reports' files (after the commit); how many were there. A missing file is logged."""
    directory = directory or upload_dir()
    deleted = 0
    for name in stored_names:
        if delete_upload(name, upload_dir=directory):
            deleted += 1
        else:
            log.warning("purged WBS attachment file %s was already missing", name)
    return deleted
