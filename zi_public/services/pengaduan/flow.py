"""Moving a complaint through its flow: each action checks the rules, stamps the clocks,
adds a history event and an audit entry, and notifies whom it concerns. Views call `act`; cron calls
`close_expired`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from zi_public.extensions import db
from zi_public.localtime import naive_utc, today_jakarta
from zi_public.models import Bidang, Pengaduan, PengaduanEvent, User
from zi_public.rules import pengaduan as rules
from zi_public.rules.pengaduan import Action, ClockPolicy, FlowError, Status
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import audit
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan import notifications, visibility
from zi_public.services.pengaduan.clocks import FOLLOW_UP, clock_policy, due_on
from zi_public.unit_of_work import savepoint

BODY_MAX = 10_000


class ActionRefused(ValueError):
    """The action cannot be done now; `code` names why (the view words it for the user)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ActionAlreadyRecorded(Exception):
    """The same form was sent again (a double click, a resend): its action is already recorded as `event`."""

    def __init__(self, event: PengaduanEvent) -> None:
        super().__init__(event.id)
        self.event = event


@dataclass(frozen=True)
class ActionInput:
    body: str = ""  # instruction, tindak lanjut, tanggapan, reason, reporter's reply or comment
    bidang_id: int | None = None  # disposisi
    forwarded_to: str = ""  # dialihkan: the other instansi
    rating: int | None = None  # 1-4


#: Which actions need a text body (the reason, the instruction, the answer itself).
NEEDS_BODY = frozenset(
    {Action.REJECT, Action.DISPOSE, Action.FOLLOW_UP, Action.ANSWER, Action.REOPEN, Action.REPORTER_REPLY}
)


def act(
    actor: User | str,
    case: Pengaduan,
    action: Action,
    data: ActionInput,
    *,
    submission_key: str | None = None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    policy: ClockPolicy | None = None,
) -> PengaduanEvent:
    """Apply one action to `case` as `actor`; raise ActionRefused when the rules do not allow it.

    All or nothing: a refusal leaves the case as it was, so a view may show the refusal on a page that
    the request still commits. An answer is mailed to the reporter (notifications) with the change.
    A `submission_key` (the form's one-time key: a staff action, the reporter's reply or rating) makes the same
    form sent again record nothing and mail nobody: ActionAlreadyRecorded names the event recorded first, also
    when a concurrent request with the key won the race (the unique constraint decides it inside the
    savepoint). It is checked before the flow, so a resend after the first changed the status is no refusal.
    """
    _refuse_duplicate(case, action, submission_key)
    now = now or datetime.now(UTC)
    calendar = calendar or work_calendar()
    policy = policy or clock_policy()
    try:
        new_status = rules.next_status(action, case.status, is_closed=case.is_closed)
    except FlowError as exc:
        raise ActionRefused("flow") from exc
    body = (data.body or "").strip()
    if action in NEEDS_BODY and not has_visible_content(body):
        raise ActionRefused("body_required")
    if len(body) > BODY_MAX:
        raise ActionRefused("body_too_long")
    if not is_readable(body, multiline=True):
        raise ActionRefused("body_unreadable")
    try:
        with savepoint():  # _apply may refuse after it changed some fields: undo them with it
            bidang = _apply(case, action, data, body, now, calendar, policy)
            old_status = case.status
            case.status = new_status
            event = PengaduanEvent(
                action=action,
                from_status=old_status,
                to_status=new_status,
                actor_id=actor.id if isinstance(actor, User) else None,
                is_public=visibility.is_public_action(action),
                body=body,
                bidang=bidang,
                created_at=naive_utc(now),
                submission_key=submission_key or None,
            )
            case.events.append(event)
            db.session.flush()
            audit.record(
                actor,
                f"pengaduan.{action.value}",
                case,
                data={"number": case.number, "from": old_status.value, "to": new_status.value},
            )
    except IntegrityError:
        _refuse_duplicate(case, action, submission_key)  # a concurrent request sent the same form first
        raise
    if action == Action.ANSWER:
        notifications.notify_answer(case, event)
    return event


def _apply(
    case: Pengaduan,
    action: Action,
    data: ActionInput,
    body: str,
    now: datetime,
    calendar: WorkCalendar,
    policy: ClockPolicy,
) -> Bidang | None:
    """The side effects of `action` on the case's fields and clocks; returns the bidang routed to."""
    today = today_jakarta(now)
    bidang = None
    # The clocks' stops: the first triage decision stops the verify clock; once verified, the first
    # information to the reporter stops the follow-up clock (a disposisi is internal and never does).
    if action in rules.TRIAGE_ACTIONS:
        case.triaged_on = case.triaged_on or today
    if action in rules.INFORMING_ACTIONS and case.followup_by is not None:
        case.followed_up_on = case.followed_up_on or today
    if action == Action.VERIFY:
        case.followup_by = due_on(FOLLOW_UP, today, calendar, policy)
    elif action == Action.REJECT:
        case.rejection_reason = body
        case.finished_on = today
    elif action == Action.FORWARD:
        target = (data.forwarded_to or "").strip()
        if not target:
            raise ActionRefused("forward_target_required")
        if len(target) > 200:
            raise ActionRefused("forward_target_too_long")
        if not is_readable(target, multiline=False):
            raise ActionRefused("forward_target_unreadable")
        case.forwarded_to = target
        case.finished_on = today
    elif action == Action.DISPOSE:
        bidang = db.session.get(Bidang, data.bidang_id) if data.bidang_id else None
        if bidang is None or not bidang.is_active:
            raise ActionRefused("bidang_required")
        case.bidang = bidang
    elif action == Action.FINISH:
        if not has_answer(case):
            raise ActionRefused("answer_required")
        case.finished_on = today
        case.reply_until = rules.reply_until(today, calendar, policy)
    elif action in (Action.REOPEN, Action.REPORTER_REPLY):
        if action == Action.REPORTER_REPLY and (case.reply_until is None or today > case.reply_until):
            raise ActionRefused("reply_window_passed")
        case.finished_on = None
        case.reply_until = None
        case.reopen_count += 1
    elif action == Action.RATE:
        if data.rating not in (1, 2, 3, 4):
            raise ActionRefused("rating_range")
        case.rating = data.rating
        case.rating_comment = body or None
        case.rated_at = naive_utc(now)
    elif action == Action.CLOSE:
        if case.reply_until is None or today <= case.reply_until:
            raise ActionRefused("reply_window_open")
        case.closed_at = naive_utc(now)
    return bidang


def _refuse_duplicate(case: Pengaduan, action: Action, submission_key: str | None) -> None:
    """ActionAlreadyRecorded when `action` was already recorded on `case` with `submission_key`."""
    if not submission_key:
        return
    first = db.session.scalar(
        sa.select(PengaduanEvent).where(
            PengaduanEvent.pengaduan_id == case.id,
            PengaduanEvent.action == action,
            PengaduanEvent.submission_key == submission_key,
        )
    )
    if first is not None:
        raise ActionAlreadyRecorded(first)


def has_answer(case: Pengaduan) -> bool:
    """Whether the team has answered the reporter (a tanggapan): a complaint is finished only after one, with or
    without a disposisi to a bidang."""
    return any(event.action == Action.ANSWER for event in case.events)


def close_expired(now: datetime | None = None) -> list[Pengaduan]:
    """Close every finished complaint whose reply window has passed (for `sla tick`)."""
    now = now or datetime.now(UTC)
    today = today_jakarta(now)
    due = db.session.scalars(
        sa.select(Pengaduan).where(
            Pengaduan.status == Status.SELESAI,
            Pengaduan.closed_at.is_(None),
            Pengaduan.reply_until < today,
        )
    ).all()
    for case in due:
        act("system", case, Action.CLOSE, ActionInput(), now=now)
    return list(due)
