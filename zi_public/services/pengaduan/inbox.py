"""Read side of complaints for the Tim Pengaduan: the inbox query, each case's next due date and the counts
(clocks: clocks.py; due dates and their colours: services/due_dates.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from zi_public.extensions import db
from zi_public.models import Bidang, Category, Pengaduan, PengaduanEvent, User
from zi_public.rules import case_numbers
from zi_public.rules.pengaduan import OPEN_STATUSES, Channel, Status, normalize_lapor_number
from zi_public.rules.periods import MONTH, period_of
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import due_dates
from zi_public.services.due_dates import NextDue
from zi_public.services.pengaduan.clocks import CLOCKS, overdue_condition

#: Working days after today within which a due date counts as close (today and the next working day).
SOON_DAYS = 1


@dataclass(frozen=True)
class InboxFilter:
    """What the team asked for; empty values mean "no restriction"."""

    status: Status | None = None
    category: str = ""  # Category.code
    bidang: str = ""  # Bidang.code
    channel: Channel | None = None
    overdue: bool = False
    month: date | None = None  # any day of the month; received_on falls in that month
    number: str = ""  # a case number or SP4N-LAPOR!'s tracking number, exact or its beginning


def inbox_query(filters: InboxFilter, today: date) -> sa.Select:
    """A SELECT of the complaints matching `filters` (unordered: keyset_page orders by id, newest first)."""
    stmt = sa.select(Pengaduan).options(joinedload(Pengaduan.category), joinedload(Pengaduan.bidang))
    if filters.status is not None:
        stmt = stmt.where(Pengaduan.status == filters.status)
    if filters.category:
        category_id = sa.select(Category.id).where(Category.code == filters.category).scalar_subquery()
        stmt = stmt.where(Pengaduan.category_id == category_id)
    if filters.bidang:
        bidang_id = sa.select(Bidang.id).where(Bidang.code == filters.bidang).scalar_subquery()
        stmt = stmt.where(Pengaduan.bidang_id == bidang_id)
    if filters.channel is not None:
        stmt = stmt.where(Pengaduan.channel == filters.channel)
    if filters.overdue:
        stmt = stmt.where(overdue_condition(today))
    if filters.month is not None:
        month = period_of(MONTH, filters.month)
        stmt = stmt.where(Pengaduan.received_on.between(month.start, month.end))
    if filters.number.strip():
        stmt = stmt.where(number_condition(filters.number))
    return stmt


def number_condition(text: str) -> sa.ColumnElement[bool]:
    """Complaints whose number, or whose SP4N-LAPOR! tracking number, is `text` or begins with it; each number
    normalised as it is stored (case_numbers.normalize, rules.pengaduan.normalize_lapor_number)."""
    # A prefix match includes the exact number; autoescape keeps "_" and "%" literal.
    conditions = [Pengaduan.number.startswith(case_numbers.normalize(text), autoescape=True)]
    if lapor := normalize_lapor_number(text):
        conditions.append(Pengaduan.lapor_number.startswith(lapor, autoescape=True))
    return sa.or_(*conditions)


def next_dues(case_ids: list[int], today: date, calendar: WorkCalendar | None = None) -> dict[int, NextDue]:
    """The next due date of each of `case_ids` (one page of the inbox): of the clocks still running, the one
    due first, coloured by how close it is; a case with no running clock is left out. One query."""
    columns = due_dates.earliest_running(CLOCKS, today)
    return due_dates.next_dues(Pengaduan.id, columns, case_ids, today, soon_days=SOON_DAYS, calendar=calendar)


@dataclass(frozen=True)
class PengaduanCounts:
    new_today: int  # received today
    to_verify: int  # status baru
    overdue: int  # any running clock past due
    open: int  # the team still owes the reporter something


def dashboard_counts(today: date) -> PengaduanCounts:
    """The dashboard's figures, in one aggregate query."""

    def count_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(
            count_where(Pengaduan.received_on == today),
            count_where(Pengaduan.status == Status.BARU),
            count_where(overdue_condition(today)),
            count_where(Pengaduan.status.in_(OPEN_STATUSES)),
        )
    ).one()
    return PengaduanCounts(*(int(value) for value in row))


def actor_names(events: list[PengaduanEvent], also: Iterable[int | None] = ()) -> dict[int, str]:
    """Usernames of the staff in a case's history (and the users `also` names: who recorded it), in one query."""
    ids = {event.actor_id for event in events if event.actor_id is not None} | {i for i in also if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).tuples().all())
