"""The team's daily digest: every clock that is due by the next working day or already overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from babel.dates import format_date

from zi_public.extensions import db
from zi_public.labels import label
from zi_public.models import Pengaduan
from zi_public.rules.clocks import ClockState
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan.clocks import CLOCKS, state_columns
from zi_public.services.pengaduan.labels import CLOCK_NAME_LABELS


@dataclass(frozen=True)
class DigestItem:
    number: str
    title: str
    clock: str
    due: date
    state: ClockState  # RUNNING (due today or by the next working day) or OVERDUE
    working_days_late: int  # 0 unless overdue


@dataclass(frozen=True)
class Digest:
    today: date
    horizon: date  # the next working day: what is due by then is listed as due
    items: list[DigestItem] = field(default_factory=list)

    @property
    def overdue(self) -> list[DigestItem]:
        return [i for i in self.items if i.state == ClockState.OVERDUE]

    @property
    def due(self) -> list[DigestItem]:
        return [i for i in self.items if i.state == ClockState.RUNNING]


def build_digest(today: date, calendar: WorkCalendar | None = None) -> Digest:
    """Every running clock due on or before the next working day after `today`, most overdue first."""
    calendar = calendar or work_calendar()
    horizon = calendar.add_working_days(today, 1)
    items: list[DigestItem] = []
    states = state_columns(today)
    for clock in CLOCKS:
        _, due_col, _ = clock.columns()
        state_col = states[clock.name]
        rows = db.session.execute(
            sa.select(Pengaduan.number, Pengaduan.title, due_col, state_col)
            .where(state_col.in_((ClockState.RUNNING.value, ClockState.OVERDUE.value)), due_col <= horizon)
            .order_by(due_col, Pengaduan.id)
        ).all()
        for number, title, due, value in rows:
            state = ClockState(value)
            late = calendar.count_working_days(due, today) if state == ClockState.OVERDUE else 0
            items.append(DigestItem(number, title, label(CLOCK_NAME_LABELS, clock.name, "id"), due, state, late))
    items.sort(key=lambda i: (i.state != ClockState.OVERDUE, i.due, i.number))
    return Digest(today, horizon, items)


def digest_mail(digest: Digest, site_name: str = "") -> tuple[str, str]:
    """Subject and body (Indonesian) of the digest mail for the team."""
    day = format_date(digest.today, "EEEE, d MMMM yyyy", locale="id")
    subject = f"[Pengaduan] Tenggat {day}: {len(digest.overdue)} terlambat, {len(digest.due)} jatuh tempo"
    lines = [f"Ringkasan tenggat pengaduan per {day}.", ""]
    sections = (
        ("Terlambat", digest.overdue),
        (
            "Jatuh tempo sampai " + format_date(digest.horizon, "EEEE, d MMMM yyyy", locale="id"),
            digest.due,
        ),
    )
    for heading, items in sections:
        lines.append(f"{heading} ({len(items)}):")
        if not items:
            lines.append("  -")
        for item in items:
            late = f", terlambat {item.working_days_late} hari kerja" if item.working_days_late else ""
            due = format_date(item.due, "d MMM yyyy", locale="id")
            lines.append(f"  {item.number} · {item.clock}, tenggat {due}{late} · {item.title}")
        lines.append("")
    lines.append(f"Tim Pengaduan {site_name}".strip())
    return subject, "\n".join(lines)
