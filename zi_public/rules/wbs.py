"""WBS (whistle-blowing): statuses, the allowed flow, and what a report must carry (SE MenPANRB 08/M.PAN-RB/06/2012).

Flow: diterima -> ditelaah (the team records whether the report meets the SE's criteria: it names a party,
describes the deviation, carries initial evidence) -> ditindaklanjuti (investigated by the team, or handed
on — dilimpahkan — to the Inspektorat/APIP or to law enforcement, with the date and reference) -> selesai
with an outcome (terbukti / tidak terbukti). Side exit: ditolak (not a WBS matter), from diterima or
ditelaah. Messages to the reporter and internal notes change no status.

Everything here is pure: plain values in, plain values out (no database, no Flask).
"""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    DITERIMA = "diterima"
    DITELAAH = "ditelaah"
    DITINDAKLANJUTI = "ditindaklanjuti"
    SELESAI = "selesai"
    DITOLAK = "ditolak"


class Outcome(enum.StrEnum):
    TERBUKTI = "terbukti"
    TIDAK_TERBUKTI = "tidak_terbukti"


class Handling(enum.StrEnum):
    """Who investigates a report the team follows up."""

    TIM = "tim"  # the WBS team itself
    APIP = "apip"  # dilimpahkan to the Inspektorat (APIP)
    APH = "aph"  # dilimpahkan to law enforcement (aparat penegak hukum)


class Sender(enum.StrEnum):
    """Who wrote a message: the reporter and the team see both; a note is the team's alone."""

    REPORTER = "reporter"
    TEAM = "team"
    NOTE = "note"


class Action(enum.StrEnum):
    TELAAH = "telaah"
    FOLLOW_UP = "follow_up"
    FINISH = "finish"
    REJECT = "reject"


#: Which statuses an action may start from, and the status it leads to.
FLOW: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.TELAAH: (frozenset({Status.DITERIMA}), Status.DITELAAH),
    Action.FOLLOW_UP: (frozenset({Status.DITELAAH}), Status.DITINDAKLANJUTI),
    Action.FINISH: (frozenset({Status.DITINDAKLANJUTI}), Status.SELESAI),
    Action.REJECT: (frozenset({Status.DITERIMA, Status.DITELAAH}), Status.DITOLAK),
}

#: A report in one of these is closed: the retention period counts from the day it got there.
CLOSED = frozenset({Status.SELESAI, Status.DITOLAK})


def next_status(status: Status, action: Action) -> Status | None:
    """The status `action` leads to from `status`, or None when the flow does not allow it."""
    sources, target = FLOW[action]
    return target if status in sources else None


def meets_criteria(names_party: bool, describes_deviation: bool, has_evidence: bool) -> bool:
    """The SE's three criteria for a report the team can follow up: all of them."""
    return names_party and describes_deviation and has_evidence
