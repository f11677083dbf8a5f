"""Helpers behind the public complaint pages: wording the status
and the clocks for the reporter. The complaint form and its helpers: zi_public.forms.pengaduan; what the
reporter may see: zi_public.services.pengaduan.visibility. The views stay checklists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zi_public.forms import TEXT_PROBLEM_MESSAGES
from zi_public.i18n import format_long_date
from zi_public.localtime import today_jakarta
from zi_public.models import Pengaduan
from zi_public.rules.clocks import ClockState
from zi_public.rules.pengaduan import Status
from zi_public.rules.text import TextProblem
from zi_public.services.pengaduan.clocks import FOLLOW_UP, SETTLE, VERIFY, clocks_of
from zi_public.services.pengaduan.flow import ActionRefused

# -- the reporter's view of a case ----------------------------------------------------------


_CLOCK_TEXT = {
    (VERIFY, ClockState.RUNNING): _l("Diverifikasi paling lambat %(due)s."),
    (VERIFY, ClockState.OVERDUE): _l("Seharusnya diverifikasi paling lambat %(due)s; batas ini sudah terlewati."),
    (VERIFY, ClockState.MET): _l("Diverifikasi pada %(done)s, tepat waktu (batas %(due)s)."),
    (VERIFY, ClockState.MISSED): _l("Diverifikasi pada %(done)s, melewati batas %(due)s."),
    (FOLLOW_UP, ClockState.RUNNING): _l("Ditindaklanjuti paling lambat %(due)s."),
    (FOLLOW_UP, ClockState.OVERDUE): _l("Seharusnya ditindaklanjuti paling lambat %(due)s; batas ini sudah terlewati."),
    (FOLLOW_UP, ClockState.MET): _l(
        "Informasi tindak lanjut disampaikan kepada Anda pada %(done)s, tepat waktu (batas %(due)s)."
    ),
    (FOLLOW_UP, ClockState.MISSED): _l(
        "Informasi tindak lanjut disampaikan kepada Anda pada %(done)s, melewati batas %(due)s."
    ),
    (SETTLE, ClockState.RUNNING): _l("Diselesaikan paling lambat %(due)s."),
    (SETTLE, ClockState.OVERDUE): _l("Seharusnya diselesaikan paling lambat %(due)s; batas ini sudah terlewati."),
    (SETTLE, ClockState.MET): _l("Diselesaikan pada %(done)s, tepat waktu (batas %(due)s)."),
    (SETTLE, ClockState.MISSED): _l("Diselesaikan pada %(done)s, melewati batas %(due)s."),
}
#: The verify clock of a complaint rejected or forwarded without verification was stopped by that decision.
_TRIAGE_TEXT = {
    ClockState.MET: _l("Ditelaah dan diputuskan pada %(done)s, tepat waktu (batas %(due)s)."),
    ClockState.MISSED: _l("Ditelaah dan diputuskan pada %(done)s, melewati batas %(due)s."),
}


@dataclass(frozen=True)
class Clock:
    state: ClockState
    sentence: str


def public_clocks(case: Pengaduan, today: date | None = None) -> list[Clock]:
    """The clocks as plain sentences, in the order the reporter meets them (not applicable ones left out)."""
    today = today or today_jakarta()
    states = clocks_of(case, today)
    # Only a verification starts the follow-up clock: without it, the triage decision was a rejection or forwarding.
    verified = any(c.name == FOLLOW_UP and c.state != ClockState.NOT_APPLICABLE for c in states)
    sentences = []
    for clock in states:
        if clock.state == ClockState.NOT_APPLICABLE:
            continue
        text = _CLOCK_TEXT[(clock.name, clock.state)]
        if clock.name == VERIFY and clock.is_stopped and not verified:
            text = _TRIAGE_TEXT[clock.state]
        words = {"due": format_long_date(clock.due), "done": format_long_date(clock.done_on)}
        sentences.append(Clock(clock.state, str(text % words)))
    return sentences


def can_reply(case: Pengaduan, today: date | None = None) -> bool:
    """Finished, not closed, and the reply window still open."""
    today = today or today_jakarta()
    return (
        case.status == Status.SELESAI
        and not case.is_closed
        and case.reply_until is not None
        and today <= case.reply_until
    )


def can_rate(case: Pengaduan) -> bool:
    return case.status == Status.SELESAI and not case.is_closed


def refusal_message(exc: ActionRefused, case: Pengaduan) -> str:
    """The reporter-facing words for a refused rating or reply."""
    if exc.code == "reply_window_passed":
        return _(
            "Batas waktu balasan sudah berakhir pada %(date)s; pengaduan tidak dapat dibuka kembali.",
            date=format_long_date(case.reply_until),
        )
    if exc.code == "body_too_long":
        return _("Balasan terlalu panjang.")
    if exc.code == "body_required":
        return _("Tulis balasan Anda.")
    if exc.code == "body_unreadable":
        return str(TEXT_PROBLEM_MESSAGES[TextProblem.UNREADABLE])
    if exc.code == "rating_range":
        return _("Pilih nilai 1 sampai 4.")
    return _("Pengaduan ini sudah tidak dapat dinilai atau dibalas.")
