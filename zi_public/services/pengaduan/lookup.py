"""Finding a complaint for its reporter, by number and access code: the status page, the kiosk, the API.

A wrong number and a wrong code get the same answer (None) at the same cost: one query runs for any
well-formed number, and the code is hashed even when no complaint has that number.

The API's status look-up runs on every poll of a reporter's app, so it reads what the reporter may see
in one Core query (the complaint's dates beside its public events) instead of loading ORM objects with
their history: about a third of the cost, the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Pengaduan, PengaduanEvent
from zi_public.rules import case_numbers
from zi_public.rules.pengaduan import Status
from zi_public.security import codes
from zi_public.services.pengaduan import visibility
from zi_public.services.pengaduan.clocks import CLOCKS, Clock, clocks_of
from zi_public.services.pengaduan.visibility import PublicEvent

#: Hashed in place of a stored hash when no complaint has the number (never equal to a real one).
_NO_HASH = "0" * 64

_CASE = Pengaduan.__table__.c
_EVENT = PengaduanEvent.__table__.c
#: The complaint's columns a status shows, then those its clocks read (clocks_of takes the row as it is).
_SHOWN = (
    "number",
    "status",
    "received_on",
    "closed_at",
    "forwarded_to",
    "verify_by",
    "settle_by",
    "followup_by",
    "reply_until",
)
_CLOCK_COLUMNS = tuple(name for clock in CLOCKS for name in (clock.start, clock.due, clock.done))

#: A complaint by number, one row per event its reporter sees (one row with empty event columns when there
#: is none); built once, as the status look-up runs it on every request.
_BY_NUMBER = (
    sa.select(
        _CASE.id,
        _CASE.access_code_hash,
        *(_CASE[name] for name in dict.fromkeys(_SHOWN + _CLOCK_COLUMNS)),
        _EVENT.action.label("event_action"),
        _EVENT.to_status.label("event_status"),
        _EVENT.created_at.label("event_created_at"),
        _EVENT.body.label("event_body"),
    )
    .select_from(
        Pengaduan.__table__.outerjoin(
            PengaduanEvent.__table__, sa.and_(_EVENT.pengaduan_id == _CASE.id, visibility.REPORTER_SEES_SQL)
        )
    )
    .where(_CASE.number == sa.bindparam("number"))
    .order_by(_EVENT.id)  # the order of Pengaduan.events
)


@dataclass(frozen=True)
class ReporterStatus:
    """What the reporter may see of their complaint: status, due dates, clocks and public history."""

    number: str
    status: Status
    received_on: date
    is_closed: bool
    forwarded_to: str | None
    verify_by: date
    settle_by: date
    followup_by: date | None
    reply_until: date | None
    clocks: list[Clock]
    history: list[PublicEvent]

    @property
    def answers(self) -> list[PublicEvent]:
        """The team's answers (tanggapan) in the history."""
        return visibility.public_answers(self.history)


def for_receipt(number: object) -> Pengaduan | None:
    """The complaint a receipt page shows, by the number its sealed session ticket carries (no access code: the
    ticket itself is the proof it was just filed here); None for anything else."""
    if not isinstance(number, str) or not number:
        return None
    return db.session.scalar(sa.select(Pengaduan).where(Pengaduan.number == number))


def find_for_reporter(number: str, access_code: str) -> Pengaduan | None:
    """The complaint if number AND access code match; None otherwise (the same for both mistakes)."""
    rows = _matching_rows(number, access_code)
    return db.session.get(Pengaduan, rows[0].id) if rows else None


def status_for_reporter(number: str, access_code: str, today: date | None = None) -> ReporterStatus | None:
    """What the reporter may see of the complaint if number AND access code match; None otherwise (the same
    for both mistakes). Clocks as of the end of `today` (default: today in Jakarta)."""
    rows = _matching_rows(number, access_code)
    if not rows:
        return None
    case = rows[0]
    return ReporterStatus(
        number=case.number,
        status=case.status,
        received_on=case.received_on,
        is_closed=case.closed_at is not None,  # Pengaduan.is_closed
        forwarded_to=case.forwarded_to,
        verify_by=case.verify_by,
        settle_by=case.settle_by,
        followup_by=case.followup_by,
        reply_until=case.reply_until,
        clocks=clocks_of(case, today or today_jakarta()),  # the row has the columns clocks_of reads
        history=[
            visibility.public_event(row.event_action, row.event_status, row.event_created_at, row.event_body)
            for row in rows
            if row.event_action is not None
        ],
    )


def _matching_rows(number: str, access_code: str) -> Sequence[sa.Row] | None:
    """The rows of _BY_NUMBER when number and code match, else None; the code is hashed in every case."""
    parsed = case_numbers.parse_number(number, "pengaduan")
    rows = db.session.execute(_BY_NUMBER, {"number": str(parsed)}).all() if parsed else []
    # Hash the code even when the number is unknown, so both mistakes cost the same time.
    matches = codes.check_code(access_code or "", rows[0].access_code_hash if rows else _NO_HASH)
    return rows if rows and matches else None
