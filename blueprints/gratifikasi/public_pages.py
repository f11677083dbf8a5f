"""Helpers behind the reporter's pages (routes.py stays a checklist): the guide's facts for a date, the UPG's
clocks as sentences for the reporter, a regulation's short name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from zi_public.i18n import format_long_date
from zi_public.rules.clocks import ClockState
from zi_public.rules.gratifikasi import REPORT_DAYS
from zi_public.rules.gratifikasi_regulations import Exemption, Regulation, regulation_on, regulations
from zi_public.services.clocks import Clock
from zi_public.services.gratifikasi.clocks import COMPLETION, FORWARD


@dataclass(frozen=True)
class RemovedCategory:
    exemption: Exemption
    removed_by: Regulation
    successor: Exemption | None


@dataclass(frozen=True)
class GuideFacts:
    """What the guide shows for `day`: the regulation in force, its exempt categories, the categories removed
    by then (and what covers such gifts now), and the next change when one is already known."""

    day: date
    regulation: Regulation
    exemptions: tuple[Exemption, ...]
    removed: list[RemovedCategory]
    upcoming: Regulation | None
    report_days: int
    office_days: int


def guide_facts(day: date) -> GuideFacts:
    regulation = regulation_on(day)
    removed = []
    for earlier in regulations():
        if earlier.in_force_from is None or earlier.in_force_from > day:
            continue
        for item in earlier.removed:
            code = earlier.successor.get(item.code)
            removed.append(RemovedCategory(item, earlier, regulation.exemption(code) if code else None))
    upcoming = next(
        (item for item in regulations() if item.in_force_from is not None and item.in_force_from > day), None
    )
    return GuideFacts(
        day=day,
        regulation=regulation,
        exemptions=regulation.exemptions,
        removed=removed,
        upcoming=upcoming,
        report_days=REPORT_DAYS,
        office_days=int(current_app.config["GRATIFIKASI_OFFICE_DAYS"]),
    )


def regulation_short(code: str, locale: str) -> str:
    """The short name of the regulation stored on a report (its code when the data no longer knows it)."""
    found = next((item for item in regulations() if item.code == code), None)
    return found.short.get(locale) if found else code


_CLOCK_TEXT = {
    (FORWARD, ClockState.RUNNING): _l("UPG meneruskan laporan ke KPK paling lambat %(due)s."),
    (FORWARD, ClockState.OVERDUE): _l(
        "UPG seharusnya meneruskan laporan ke KPK paling lambat %(due)s; batas ini sudah terlewati."
    ),
    (FORWARD, ClockState.MET): _l("Diteruskan ke KPK pada %(done)s, tepat waktu (batas %(due)s)."),
    (FORWARD, ClockState.MISSED): _l("Diteruskan ke KPK pada %(done)s, melewati batas %(due)s."),
    (COMPLETION, ClockState.RUNNING): _l("Lengkapi laporan Anda paling lambat %(due)s."),
    (COMPLETION, ClockState.OVERDUE): _l("Batas melengkapi laporan (%(due)s) sudah terlewati."),
    (COMPLETION, ClockState.MET): _l("Kelengkapan diterima pada %(done)s, tepat waktu (batas %(due)s)."),
    (COMPLETION, ClockState.MISSED): _l("Kelengkapan diterima pada %(done)s, melewati batas %(due)s."),
}


def reporter_clocks(clocks: list[Clock]) -> list[tuple[ClockState, str]]:
    """The UPG's clocks that apply, as sentences for the reporter (state, sentence)."""
    sentences = []
    for clock in clocks:
        text = _CLOCK_TEXT.get((clock.name, clock.state))
        if text is None:
            continue
        words = {"due": format_long_date(clock.due), "done": format_long_date(clock.done_on)}
        sentences.append((clock.state, str(text % words)))
    return sentences
