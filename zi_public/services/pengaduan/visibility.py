"""What the reporter may see of a complaint, and what each staff role may see of the reporter: one home.

The status page, the kiosk (which leads to it), the JSON API and the team's case page all read it here:
- which events enter the reporter's history: PUBLIC_ACTIONS, stamped on each event as `is_public` when
  flow records it (so a later change of this table never rewrites what a reporter was already shown);
  `reporter_sees` reads the stamp of a loaded event, `REPORTER_SEES_SQL` is its twin in a query;
- whose text the reporter reads: the team's answers, the reason for a rejection and the reporter's own
  replies (TEXT_ACTIONS). The text of every other event stays internal, even on a public event: a
  disposisi instruction, a tindak lanjut note, the team's reason for reopening;
- who filed it, per staff role: anonim keeps nothing; rahasia is for the Tim Pengaduan's eyes only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from zi_public.localtime import jakarta_date, today_jakarta
from zi_public.models import Pengaduan, PengaduanEvent, Role, User
from zi_public.rules.pengaduan import Action, Identity, Status
from zi_public.services import audit

#: The events the reporter sees in their history (every other one is the team's internal work).
PUBLIC_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.VERIFY,
        Action.REJECT,
        Action.FORWARD,
        Action.ANSWER,
        Action.FINISH,
        Action.REOPEN,
        Action.REPORTER_REPLY,
        Action.CLOSE,
    }
)
#: Public events whose text is written for the reporter (or by them).
TEXT_ACTIONS = frozenset({Action.ANSWER, Action.REJECT, Action.REPORTER_REPLY})


#: The SQL twin of `reporter_sees`, for a reader that selects the reporter's history itself.
REPORTER_SEES_SQL = PengaduanEvent.__table__.c.is_public


def is_public_action(action: Action) -> bool:
    """Whether an event of `action` enters the reporter's history (decided when it is recorded)."""
    return action in PUBLIC_ACTIONS


def reporter_sees(event: PengaduanEvent) -> bool:
    """Whether the reporter sees this event in their history."""
    return bool(event.is_public)


def reporter_reads_text(event: PengaduanEvent) -> bool:
    """Whether the reporter reads this event's text (false for an event without text)."""
    return reporter_sees(event) and _text_is_public(event.action, event.body)


def _text_is_public(action: Action, body: str | None) -> bool:
    return action in TEXT_ACTIONS and bool(body)


@dataclass(frozen=True)
class PublicEvent:
    """One entry of the reporter's history, holding only what they may see."""

    action: Action
    status: Status  # the status the event led to
    created_at: datetime  # naive UTC, as stored
    on: date  # the day in Jakarta
    text: str | None  # None when the event's text is internal (or it has none)


def public_history(events: Iterable[PengaduanEvent]) -> list[PublicEvent]:
    """The reporter's history of a complaint (pass `case.events`), oldest first."""
    return [
        public_event(event.action, event.to_status, event.created_at, event.body)
        for event in events
        if reporter_sees(event)
    ]


def public_event(action: Action, status: Status, created_at: datetime | None, body: str | None) -> PublicEvent:
    """One event the reporter sees (`reporter_sees` or `REPORTER_SEES_SQL` held), as they see it; for a
    reader that selected those columns instead of loading the events."""
    return PublicEvent(
        action=action,
        status=status,
        created_at=created_at,
        on=jakarta_date(created_at) if created_at else today_jakarta(),  # not flushed yet
        text=body if _text_is_public(action, body) else None,
    )


def public_answers(history: Iterable[PublicEvent]) -> list[PublicEvent]:
    """The team's answers (tanggapan) in a public history."""
    return [event for event in history if event.action == Action.ANSWER]


@dataclass(frozen=True)
class ReporterView:
    """What the case page may show of who filed it: "anonim", "hidden" or "visible" with the data."""

    kind: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    nik: str | None = None


def reporter_view(case: Pengaduan, role: Role) -> ReporterView:
    """The reporter's identity as `role` may see it: rahasia is for the team's eyes only."""
    if case.identity == Identity.ANONIM:
        return ReporterView("anonim")
    if case.identity == Identity.RAHASIA and role != Role.PENGADUAN:
        return ReporterView("hidden")
    return ReporterView("visible", case.reporter_name, case.reporter_email, case.reporter_phone, case.reporter_nik)


def open_case(actor: User, case: Pengaduan) -> ReporterView:
    """What `actor` may see of who filed `case`; the case page shows the reporter's data, so the read
    is recorded in the audit log (with whether a rahasia identity was shown)."""
    reporter = reporter_view(case, actor.role)
    audit.record(
        actor,
        "pengaduan.read",
        case,
        data={
            "number": case.number,
            "identity_shown": reporter.kind == "visible" and case.identity == Identity.RAHASIA,
        },
    )
    return reporter
