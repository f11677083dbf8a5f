"""The words for enum values that every service shares: one table per enum (and per purpose).

Pages, reports and mail read the same tables. Each label is a lazy_gettext string with the Indonesian
source text, so it becomes text only when it is shown: a page in the visitor's language, a report or a
mail in the language passed to `label()` (reports: the one asked for; mail: Indonesian). A service's own
enums (pengaduan's status, channel, action ...) have their table in `services/<service>/labels.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from zi_public.models import Role
from zi_public.rules.clocks import ClockState

K = TypeVar("K")

ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.PENGADUAN: _l("Tim Pengaduan"),
    Role.WBS: _l("Tim WBS"),
    Role.UPG: _l("UPG"),
    Role.SKM: _l("Tim SKM"),
    Role.PIMPINAN: _l("Pimpinan"),
}

#: A clock's state, as the team's pages show it next to the clock.
CLOCK_STATE_LABELS = {
    ClockState.RUNNING: _l("Berjalan"),
    ClockState.OVERDUE: _l("Terlambat"),
    ClockState.MET: _l("Terpenuhi"),
    ClockState.MISSED: _l("Terlewat"),
    ClockState.NOT_APPLICABLE: _l("Tidak berlaku"),
}

#: Another purpose: the answer to "kept on time?" in a report's column. A clock still running past its
#: due date is already late ("Tidak"); one that does not apply leaves the cell empty (None).
CLOCK_ON_TIME_LABELS = {
    ClockState.RUNNING: _l("Berjalan"),
    ClockState.OVERDUE: _l("Tidak"),
    ClockState.MET: _l("Ya"),
    ClockState.MISSED: _l("Tidak"),
    ClockState.NOT_APPLICABLE: None,
}


def label(table: Mapping[K, object], value: K, locale: str | None = None) -> str | None:
    """The label of `value` as text, in `locale` when given, else in the current language.

    A value missing from the table comes back as itself (a new enum member shows, never crashes);
    a value whose label is None (nothing to say) gives None, an empty cell.
    """
    if value not in table:
        return None if value is None else str(value)
    text = table[value]
    if text is None:
        return None
    if locale is None:
        return str(text)
    with force_locale(locale):
        return str(text)


def choices(table: Mapping[K, object]) -> list[tuple[str, object]]:
    """The table as select choices (value, lazy label), in the table's order."""
    return [(str(getattr(value, "value", value)), text) for value, text in table.items()]
