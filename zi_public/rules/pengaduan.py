"""Pengaduan: statuses, the allowed flow, and the clocks' lengths (SP4N-LAPOR!, Perpres 76/2013, UU 25/2009).

Flow: baru -> terverifikasi -> ditindaklanjuti -> selesai; side exits from triage: ditolak (not a
complaint / not our authority, with a reason) and dialihkan (forwarded to another instansi).
A finished case stays open for the reporter's reply for `reply_days` working days; a reply (or the
team) reopens it, and when the window passes the case is closed for good (closed_at).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from zi_public.rules.working_days import WorkCalendar


class Status(enum.StrEnum):
    BARU = "baru"
    TERVERIFIKASI = "terverifikasi"
    DITINDAKLANJUTI = "ditindaklanjuti"
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    DIALIHKAN = "dialihkan"


class Identity(enum.StrEnum):
    TERBUKA = "terbuka"  # name known, contents may be published
    RAHASIA = "rahasia"  # name known to the team only, contents not public
    ANONIM = "anonim"  # no identity kept at all


class Channel(enum.StrEnum):
    """How a complaint reached the office (values fit the 8-character column)."""

    # Filed by the reporter themself.
    WEB = "web"
    KIOSK = "kiosk"
    API = "api"
    # Recorded by the Tim Pengaduan, with the date the office actually received it.
    BOX = "kotak"  # kotak pengaduan in the service hall
    TELEPHONE = "telepon"  # telephone / call centre
    WHATSAPP = "whatsapp"
    LETTER = "surat"
    WALK_IN = "langsung"  # datang langsung
    EMAIL = "email"
    SOCIAL_MEDIA = "medsos"
    LAPOR = "lapor"  # SP4N-LAPOR!, with its tracking number


#: Channels the reporter files on themself; the rest are recorded by the team (STAFF_CHANNELS).
SELF_CHANNELS = frozenset({Channel.WEB, Channel.KIOSK, Channel.API})
#: Channels the Tim Pengaduan records, in the order the intake form offers them.
STAFF_CHANNELS = (
    Channel.BOX,
    Channel.TELEPHONE,
    Channel.WHATSAPP,
    Channel.LETTER,
    Channel.WALK_IN,
    Channel.EMAIL,
    Channel.SOCIAL_MEDIA,
    Channel.LAPOR,
)
#: How far back a recorded complaint's date of receipt may go (a letter found late, a LAPOR! backlog).
INTAKE_BACKDATE_DAYS = 366


def lapor_identity(*, anonim: bool, rahasia: bool) -> Identity:
    """SP4N-LAPOR!'s two independent flags as one identity (DESIGN.md): anonim wins, then rahasia."""
    if anonim:
        return Identity.ANONIM
    return Identity.RAHASIA if rahasia else Identity.TERBUKA


#: SP4N-LAPOR!'s tracking number as stored and compared ("#4291234" -> "4291234", "lap-2026/0012" -> "LAP-2026/0012"):
#: letters, digits and . / - only, so a number is the same however it was typed.
LAPOR_NUMBER_MAX = 40
LAPOR_NUMBER = re.compile(rf"[A-Z0-9][A-Z0-9./-]{{2,{LAPOR_NUMBER_MAX - 1}}}")
#: What the inbox accepts as the beginning of a LAPOR! number (the same characters, from one on).
_LAPOR_SEARCH = re.compile(r"[A-Z0-9][A-Z0-9./-]*")


def normalize_lapor_number(value: str | None) -> str:
    """'#4291234 ' -> '4291234'; 'lap-12' -> 'LAP-12' (what is stored and compared)."""
    return (value or "").strip().lstrip("#").strip().upper()


def is_lapor_search(value: str | None) -> bool:
    """Whether `value` (normalised) may be a LAPOR! number or its beginning: the inbox searches by it."""
    number = normalize_lapor_number(value)
    return len(number) <= LAPOR_NUMBER_MAX and _LAPOR_SEARCH.fullmatch(number) is not None


def received_on_problem(received_on: date, today: date) -> str | None:
    """Why a recorded complaint's date of receipt cannot be right ("future", "too_old"), or None."""
    if received_on > today:
        return "future"
    if (today - received_on).days > INTAKE_BACKDATE_DAYS:
        return "too_old"
    return None


class Action(enum.StrEnum):
    SUBMIT = "submit"  # the complaint arrives (history only; not part of FLOW)
    VERIFY = "verify"
    REJECT = "reject"
    FORWARD = "forward"
    DISPOSE = "dispose"
    FOLLOW_UP = "follow_up"  # internal tindak lanjut note
    ANSWER = "answer"  # public tanggapan
    FINISH = "finish"
    REOPEN = "reopen"
    CLOSE = "close"  # final: the reply window passed (sla tick) — not a team button
    REPORTER_REPLY = "reporter_reply"
    RATE = "rate"


#: Which statuses an action may start from, and the status it leads to (None: unchanged).
FLOW: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.VERIFY: (frozenset({Status.BARU}), Status.TERVERIFIKASI),
    Action.REJECT: (frozenset({Status.BARU, Status.TERVERIFIKASI}), Status.DITOLAK),
    Action.FORWARD: (frozenset({Status.BARU, Status.TERVERIFIKASI}), Status.DIALIHKAN),
    Action.DISPOSE: (frozenset({Status.TERVERIFIKASI, Status.DITINDAKLANJUTI}), Status.DITINDAKLANJUTI),
    Action.FOLLOW_UP: (frozenset({Status.DITINDAKLANJUTI}), None),
    Action.ANSWER: (frozenset({Status.TERVERIFIKASI, Status.DITINDAKLANJUTI}), None),
    # terverifikasi -> selesai when the team answers the complaint itself, without a disposisi (DESIGN.md).
    Action.FINISH: (frozenset({Status.TERVERIFIKASI, Status.DITINDAKLANJUTI}), Status.SELESAI),
    Action.REOPEN: (frozenset({Status.SELESAI}), Status.DITINDAKLANJUTI),
    Action.CLOSE: (frozenset({Status.SELESAI}), None),
    Action.REPORTER_REPLY: (frozenset({Status.SELESAI}), Status.DITINDAKLANJUTI),
    Action.RATE: (frozenset({Status.SELESAI}), None),
}

#: The first of these is the triage decision: it stops the verify clock (triaged_on).
TRIAGE_ACTIONS = frozenset({Action.VERIFY, Action.REJECT, Action.FORWARD})
#: The first of these after verification informs the reporter (SP4N-LAPOR!): it stops the follow-up clock
#: (followed_up_on). A disposisi routes the case inside the office and informs nobody.
INFORMING_ACTIONS = frozenset({Action.ANSWER, Action.REJECT, Action.FORWARD})

#: Statuses in which the team still owes the reporter something.
OPEN_STATUSES = frozenset({Status.BARU, Status.TERVERIFIKASI, Status.DITINDAKLANJUTI})
#: Statuses that end the case's handling (the settle clock stops).
FINAL_STATUSES = frozenset({Status.SELESAI, Status.DITOLAK, Status.DIALIHKAN})


class FlowError(ValueError):
    """The action is not allowed from the case's current state."""


def next_status(action: Action, current: Status, *, is_closed: bool = False) -> Status:
    """The status after `action`, or FlowError when the flow does not allow it."""
    allowed_from, to = FLOW[action]
    if current not in allowed_from or is_closed:
        raise FlowError(f"{action.value} is not allowed from {current.value}{' (closed)' if is_closed else ''}")
    return to or current


#: Actions the team takes with a button on the case page (the rest come from the reporter or cron).
STAFF_ACTIONS = (
    Action.VERIFY,
    Action.REJECT,
    Action.FORWARD,
    Action.DISPOSE,
    Action.FOLLOW_UP,
    Action.ANSWER,
    Action.FINISH,
    Action.REOPEN,
)


def allowed_actions(current: Status, *, is_closed: bool = False) -> frozenset[Action]:
    """Every action the flow allows now (the view offers the staff ones as buttons)."""
    if is_closed:
        return frozenset()
    return frozenset(action for action, (sources, _) in FLOW.items() if current in sources)


#: Actions after which the flow allows nothing more (rejected, forwarded): the case's handling ends for good, so
#: the team confirms them first. A finished case can still be reopened, so finishing is not one of them.
ENDING_ACTIONS = frozenset(
    action for action, (_sources, to) in FLOW.items() if to is not None and not allowed_actions(to)
)


@dataclass(frozen=True)
class ClockPolicy:
    """The legal clocks' lengths; configuration with SP4N-LAPOR! and Perpres 76/2013 defaults.

    The clocks themselves (start, stop, state) are declared in zi_public.services.pengaduan.clocks.
    """

    verify_days: int = 3  # working days from receipt to verification
    followup_days: int = 5  # working days from verification to follow-up
    reply_days: int = 10  # working days the reporter may reply after the case is finished
    settle_days: int = 60  # calendar days from receipt to settlement (Perpres 76/2013)
    accept_days: int = 30  # calendar days after the service within which complaints are accepted


def reply_until(finished_on: date, calendar: WorkCalendar, policy: ClockPolicy) -> date:
    """Last day the reporter may reply to (and so reopen) a finished case."""
    return calendar.add_working_days(finished_on, policy.reply_days)


def is_late_complaint(incident_date: date | None, received_on: date, policy: ClockPolicy) -> bool:
    """Filed more than `accept_days` after the service: the team decides, the form does not refuse."""
    return incident_date is not None and (received_on - incident_date).days > policy.accept_days
