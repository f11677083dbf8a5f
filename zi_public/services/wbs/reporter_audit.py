"""Reporter-side WBS events in the audit chain with the day only (DESIGN: WBS anonymity; issue 8, point 5).

A report filed, a reporter's message and a receipt look-up are audit-worthy, but an entry written at that
moment would keep the moment: in its timestamp, and in its place between the staff's timestamped entries.
So `reporter_event` only queues (day, action, report) in wbs_audit_queue, in the reporter's transaction
(the event and its queue row stand or fall together), and `flush_days_before` — run daily by
`flask --app wsgi wbs audit-flush` — appends every finished day's events to the chain, dated the start of
that day (Asia/Jakarta) and sorted by report and action, so neither their order nor their neighbours say
more than the day. Today's events wait: a flush at 10:00 would otherwise tell that they happened before 10:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from zi_public.extensions import db
from zi_public.localtime import start_of_day_utc, today_jakarta
from zi_public.models import WbsAuditQueue
from zi_public.services import audit

#: The actor of every reporter-side entry: the reporter has no account and no name.
REPORTER_ACTOR = "wbs-reporter"

FILED = "wbs.report_filed"  # the report arrived (web form or API)
MESSAGE = "wbs.reporter_message"  # the reporter wrote in the conversation
SESSION_OPENED = "wbs.reporter_session"  # a receipt opened the report's status
REPORTER_ACTIONS = frozenset({FILED, MESSAGE, SESSION_OPENED})


def reporter_event(report_id: int, action: str, *, today: date | None = None) -> None:
    """Queue one reporter-side event of report `report_id` for the audit chain, with its day only.

    Call it in the transaction that does what it records (after the report's flush: it needs the id).
    Several events of one kind on one report and day are one queued row with a count.
    """
    if action not in REPORTER_ACTIONS:
        raise ValueError(f"not a reporter-side WBS event: {action!r}")
    values = {"day": today or today_jakarta(), "report_id": report_id, "action": action, "times": 1}
    table = WbsAuditQueue.__table__
    dialect = db.session.connection().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table).values(values)
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.day, table.c.report_id, table.c.action],
            set_={"times": table.c.times + 1},
        )
    )


@dataclass(frozen=True)
class Flushed:
    days: int
    entries: int

    def __str__(self) -> str:
        return f"{self.entries} reporter-side WBS events of {self.days} days appended to the audit log"


def flush_days_before(today: date | None = None) -> Flushed:
    """Append the queued events of every day before `today` (Jakarta) to the audit chain and dequeue them.

    Each entry is dated the start of its day, carries {"day", "times"}, and the entries of a day follow
    one another by report id and action: the chain says on which day, never when or in what order. Flushes
    (the caller commits once: all or nothing).
    """
    today = today or today_jakarta()
    # Taken off the queue first (DELETE … RETURNING): a second run at the same time (cron on two hosts) waits
    # for this one's row locks (PostgreSQL) or write lock (SQLite) and then finds nothing to append twice.
    taken = db.session.execute(
        sa.delete(WbsAuditQueue)
        .where(WbsAuditQueue.day < today)
        .returning(WbsAuditQueue.day, WbsAuditQueue.report_id, WbsAuditQueue.action, WbsAuditQueue.times)
    ).all()
    queued = sorted(taken, key=lambda row: (row.day, row.report_id, row.action))
    for day, report_id, action, times in queued:
        audit.record(
            REPORTER_ACTOR,
            action,
            target_type="wbs_report",
            target_id=report_id,
            data={"day": day.isoformat(), "times": times},
            at=start_of_day_utc(day),
        )
    db.session.flush()
    return Flushed(days=len({row.day for row in queued}), entries=len(queued))
