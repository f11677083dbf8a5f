"""No traces (issue 8, point 5): after a whistle-blower files, writes and looks a report up, no WBS row holds a
time finer than the day, an address or a user agent, and the audit log learns of it only by the day.

The tables are inspected generically through the metadata (every `wbs_*` table and the attachment rows of
WBS kinds, every column, decrypted), so a column added later is checked too.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image
from werkzeug.datastructures import FileStorage

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.localtime import JAKARTA, jakarta_date, start_of_day_utc, today_jakarta
from zi_public.models import Attachment, AuditEntry, Role, WbsAuditQueue, WbsCategory, WbsReport
from zi_public.models.base import utcnow
from zi_public.services import attachments, audit
from zi_public.services.attachments import DAY_ONLY_KINDS
from zi_public.services.wbs import filing, messages, reporter
from zi_public.services.wbs import reporter_audit as wbs_audit

ADDRESS = "198.51.100.23"
AGENT = "ZiTestBrowser/9.9 (Whistle; Android 14; SM-A546E)"
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
#: Seconds since 1970 between 2017 and 2049: a moment hidden in an integer column.
EPOCH_SECONDS = range(1_500_000_000, 2_500_000_000)


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (5, 4), "maroon").save(buffer, "JPEG")
    return buffer.getvalue()


def upload(name: str = "IMG_20261123_101502.jpg") -> FileStorage:
    return FileStorage(io.BytesIO(photo()), filename=name)


def wbs_rows() -> Iterator[tuple[str, dict[str, object]]]:
    """Every row of every WBS table and every attachment row of a WBS kind, decrypted, as column -> value."""
    for table in db.metadata.sorted_tables:
        if table.name.startswith("wbs_"):
            for row in db.session.execute(sa.select(table)).mappings():
                yield table.name, dict(row)
    attachment = Attachment.__table__
    for row in db.session.execute(sa.select(attachment).where(attachment.c.case_kind.in_(DAY_ONLY_KINDS))).mappings():
        yield "attachment", dict(row)


def is_day_only(moment: datetime) -> bool:
    """A stored naive-UTC timestamp that is the start of an Asia/Jakarta day (what a `*_at` of a WBS row may be)."""
    return moment == start_of_day_utc(jakarta_date(moment))


def assert_no_traces() -> int:
    """No WBS row holds a moment, an address or a user agent; returns how many rows were checked."""
    checked = 0
    for table, row in wbs_rows():
        checked += 1
        for column, value in row.items():
            where = f"{table}.{column} = {value!r}"
            if isinstance(value, datetime):
                assert is_day_only(value), f"a time finer than the day: {where}"
            elif isinstance(value, str):
                assert ADDRESS not in value and AGENT not in value, f"address or user agent: {where}"
                assert not IPV4.search(value), f"an address: {where}"
                assert "ZiTestBrowser" not in value, f"user agent: {where}"
            elif isinstance(value, int) and not isinstance(value, bool):
                assert value not in EPOCH_SECONDS, f"a moment as seconds: {where}"
    return checked


def moments_within(start: datetime, end: datetime) -> list[str]:
    """Every timestamp in any column of any table that falls in [start, end]: while only the reporter acted,
    there must be none (a mail queued, a counter touched, a row of another table: each would date the act)."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.DateTime):
                hits = db.session.scalars(sa.select(column).where(column.between(start, end))).all()
                found += [f"{table.name}.{column.name} = {value}" for value in hits]
    return found


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) or 0


def assert_reporter_entries_say_the_day_only(day: date) -> list[AuditEntry]:
    entries = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.in_(wbs_audit.REPORTER_ACTIONS))))
    for entry in entries:
        assert entry.created_at == start_of_day_utc(day), entry
        assert entry.actor == wbs_audit.REPORTER_ACTOR and entry.actor_id is None
        data = json.loads(entry.data)
        assert set(data) == {"day", "times"} and data["day"] == day.isoformat(), entry.data
    return entries


@pytest.fixture
def category(seeded: Flask) -> str:
    with seeded.app_context():
        return db.session.scalar(sa.select(WbsCategory.code).order_by(WbsCategory.id).limit(1))


def test_filing_messaging_and_look_ups_through_the_services_leave_no_traces(app, db, category):
    today = today_jakarta()
    staff = make_user(Role.WBS)
    db.session.commit()

    before = audit_count()
    start = utcnow()
    data = filing.WbsInput(category=category, what="Pungli di loket.", identity="Saya Rina, rina@example.org")
    filed = filing.file_with_uploads(data, [upload()])
    db.session.commit()
    token = reporter.open_session(filed.receipt)
    report = reporter.report_for(token)
    reporter.reply(report, "Ini buktinya.", [upload("IMG_20261123_174403.jpg")])
    reporter.reporter_view(report)
    db.session.commit()
    assert audit_count() == before, "a reporter-side event entered the audit log at the moment it happened"
    assert moments_within(start, utcnow()) == []

    # The team works on it (timestamped staff entries), the reporter comes back.
    report = db.session.get(WbsReport, filed.report.id)
    messages.send_to_reporter(staff, report, "Terima kasih, bisa kirim foto lain?", [upload("balasan.jpg")])
    attachments.download(staff, report, attachments.originals(report)[0].id)  # makes the clean copy
    db.session.commit()
    staff_entries = audit_count() - before
    start = utcnow()
    token = reporter.open_session(filed.receipt)
    reporter.reporter_view(reporter.report_for(token))
    reporter.reply(reporter.report_for(token), "Sudah saya kirim.")
    db.session.commit()
    assert audit_count() - before == staff_entries
    assert moments_within(start, utcnow()) == []

    assert assert_no_traces() >= 8  # report, 3 messages, 2 sessions, queue rows, 4 attachments
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 4
    # The files and their folders too: a copied upload folder keeps modification times.
    midnight = datetime.combine(today, time.min, tzinfo=JAKARTA).timestamp()
    files = [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]
    assert len(files) == 4
    for path in files:
        assert path.stat().st_mtime == path.parent.stat().st_mtime == midnight, path

    flushed = wbs_audit.flush_days_before(today + timedelta(days=1))
    db.session.commit()
    assert flushed.entries == 3  # filed; a session (twice); a message (twice)
    entries = assert_reporter_entries_say_the_day_only(today)
    assert sorted((e.action, e.data) for e in entries) == sorted(
        [
            (wbs_audit.FILED, f'{{"day":"{today}","times":1}}'),
            (wbs_audit.MESSAGE, f'{{"day":"{today}","times":2}}'),
            (wbs_audit.SESSION_OPENED, f'{{"day":"{today}","times":2}}'),
        ]
    )
    assert audit.verify_chain().ok
    assert assert_no_traces() >= 8  # the queue is empty now; nothing else changed


def test_a_wrong_receipt_leaves_nothing_either(app, db, category):
    before = audit_count()
    assert reporter.open_session("ABCDEF-GHJKMN-PQRSTV") is None
    db.session.commit()
    assert audit_count() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsAuditQueue)) == 0


def test_the_checker_sees_a_moment_an_address_and_a_user_agent(app, db, category):
    """The generic inspection above would pass on rows it cannot read: plant each trace and watch it fail."""
    filed = filing.file_report(filing.WbsInput(category=category, what="Uji pemeriksa."))
    db.session.flush()
    assert assert_no_traces() >= 2
    for column, value in (
        ("how", f"dikirim dari {ADDRESS}"),
        ("how_known", AGENT),
    ):
        setattr(filed.report, column, value)
        db.session.flush()
        with pytest.raises(AssertionError, match="address|user agent"):
            assert_no_traces()
        setattr(filed.report, column, None)
        db.session.flush()
    row = attachments.attach(filed.report, [attachments.store_file("wbs", upload(), allowed={"image"})])[0]
    db.session.flush()
    assert assert_no_traces() >= 3
    row.created_at = start_of_day_utc(today_jakarta()) + timedelta(hours=3, minutes=2)
    db.session.flush()
    with pytest.raises(AssertionError, match="finer than the day"):
        assert_no_traces()


def test_the_window_check_sees_a_timestamped_row(app, db):
    start = utcnow()
    audit.record("cli", "test.moment")
    assert [hit.split(" = ")[0] for hit in moments_within(start, utcnow())] == ["audit_entry.created_at"]
