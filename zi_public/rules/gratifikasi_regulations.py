"""The gratifikasi reporting rules in force on a given day, as dated data (zi_public/data/gratifikasi_regulations.json).

PerKPK 2/2019 applies until 19 January 2026; PerKPK 1/2026 amends it from 20 January 2026: higher limits for
wedding and ceremony gifts (Rp1.500.000 per giver) and for non-cash gifts between colleagues (Rp500.000 per
gift, Rp1.500.000 a year from the same giver), the farewell / retirement / birthday category removed, and 20
working days (not 30) for a reporter to complete a report. The next change is a new entry in the data file
that names what it amends: limits changed, categories removed or added.

`assess` tells a reporter which exempt category may apply to their gift on the day they received it. It
never decides: the report is always accepted (the UPG and KPK decide).

Pure: the data file is read once; everything else is plain values in, plain values out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources

from zi_public.rules.gratifikasi import CASH_TYPES, GiftType

DATA_FILE = "gratifikasi_regulations.json"


@dataclass(frozen=True)
class Text:
    id: str
    en: str = ""

    def get(self, locale: str | None) -> str:
        return self.en if (locale or "").startswith("en") and self.en else self.id


@dataclass(frozen=True)
class Exemption:
    """A category of gifts that need not be reported, with its value limits in Rupiah (None: no limit)."""

    code: str
    title: Text
    summary: Text
    limit_per_giver: int | None = None
    limit_per_year: int | None = None  # from the same giver in one year
    non_cash_only: bool = False


@dataclass(frozen=True)
class Regulation:
    code: str
    name: Text
    short: Text
    in_force_from: date | None  # None: the earliest rules this service knows
    in_force_until: date | None  # the day before the next one takes effect (None: still in force)
    completion_days: int  # working days a reporter has to complete a report the UPG found incomplete
    late_note: Text  # what the regulation says about a late report
    exemptions: tuple[Exemption, ...]
    removed: tuple[Exemption, ...]  # categories of the regulation before that this one removed
    successor: dict[str, str]  # removed category -> the category that now covers such gifts

    def exemption(self, code: str) -> Exemption | None:
        return next((item for item in self.exemptions if item.code == code), None)

    def in_force_on(self, day: date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_until is None or day <= self.in_force_until
        )


def _text(value: object) -> Text:
    if isinstance(value, str):
        return Text(value)
    assert isinstance(value, dict), value
    return Text(value["id"], value.get("en", ""))


def _exemption(data: dict) -> Exemption:
    return Exemption(
        code=data["code"],
        title=_text(data["title"]),
        summary=_text(data["summary"]),
        limit_per_giver=data.get("limit_per_giver"),
        limit_per_year=data.get("limit_per_year"),
        non_cash_only=bool(data.get("non_cash_only", False)),
    )


def parse(data: dict) -> tuple[Regulation, ...]:
    """The regulations of `data` (the JSON file's shape), oldest first, each with its full list of exemptions."""
    entries = sorted(data["regulations"], key=lambda entry: entry["in_force_from"] or "")
    result: list[Regulation] = []
    for position, entry in enumerate(entries):
        starts = date.fromisoformat(entry["in_force_from"]) if entry["in_force_from"] else None
        following = entries[position + 1]["in_force_from"] if position + 1 < len(entries) else None
        until = date.fromordinal(date.fromisoformat(following).toordinal() - 1) if following else None
        removed: tuple[Exemption, ...] = ()
        if "amends" in entry:
            base = next(item for item in result if item.code == entry["amends"])
            removed_codes = set(entry.get("removed", ()))
            unknown = removed_codes - {item.code for item in base.exemptions}
            if unknown:
                raise ValueError(f"{entry['code']} removes unknown categories {sorted(unknown)}")
            changes = entry.get("changed", {})
            exemptions = []
            for item in base.exemptions:
                if item.code in removed_codes:
                    continue
                change = changes.get(item.code, {})
                fields = {k: (_text(v) if k in ("title", "summary") else v) for k, v in change.items()}
                exemptions.append(replace(item, **fields))
            exemptions += [_exemption(item) for item in entry.get("added", ())]
            removed = tuple(item for item in base.exemptions if item.code in removed_codes)
        else:
            exemptions = [_exemption(item) for item in entry["exemptions"]]
        result.append(
            Regulation(
                code=entry["code"],
                name=_text(entry["name"]),
                short=_text(entry["short"]),
                in_force_from=starts,
                in_force_until=until,
                completion_days=int(entry["completion_days"]),
                late_note=_text(entry["late_note"]),
                exemptions=tuple(exemptions),
                removed=removed,
                successor=dict(entry.get("successor", {})),
            )
        )
    return tuple(result)


@cache
def regulations() -> tuple[Regulation, ...]:
    """Every regulation of the data file, oldest first."""
    with resources.files("zi_public.data").joinpath(DATA_FILE).open(encoding="utf-8") as handle:
        return parse(json.load(handle))


def regulation_on(day: date) -> Regulation:
    """The regulation in force on `day` (before the first one: the first one)."""
    known = regulations()
    return next((item for item in known if item.in_force_on(day)), known[0])


def completion_days_on(report_date: date) -> int:
    """Working days a reporter has to complete a report filed on `report_date`."""
    return regulation_on(report_date).completion_days


@dataclass(frozen=True)
class Assessment:
    """What the form tells a reporter about an exempt category for their gift, on the day it was received.

    `applies`: the category exists on that day and the gift fits its limits as far as the form can tell
    (True), does not (False), or no category was chosen (None). `removed`: the category chosen had been
    removed by that day; `successor` then names the category that covers such gifts now.
    """

    regulation: Regulation
    exemption: Exemption | None
    applies: bool | None
    over_limit: bool = False
    cash_not_covered: bool = False
    removed: Exemption | None = None
    successor: Exemption | None = None


def assess(received_on: date, category: str | None, gift_type: str | None, value_idr: int | None) -> Assessment:
    """Whether exempt `category` may cover a gift of `gift_type` worth `value_idr` received on `received_on`."""
    regulation = regulation_on(received_on)
    if not category:
        return Assessment(regulation, None, None)
    exemption = regulation.exemption(category)
    removed = next((item for item in _all_removed_by(received_on) if item.code == category), None)
    if exemption is None and removed is not None:
        successor_code = _successor_on(received_on, category)
        successor = regulation.exemption(successor_code) if successor_code else None
        return Assessment(regulation, None, False, removed=removed, successor=successor)
    if exemption is None:
        return Assessment(regulation, None, None)
    cash = gift_type is not None and gift_type in {t.value for t in CASH_TYPES}
    cash_not_covered = exemption.non_cash_only and cash
    over = exemption.limit_per_giver is not None and value_idr is not None and value_idr > exemption.limit_per_giver
    return Assessment(
        regulation,
        exemption,
        not (cash_not_covered or over),
        over_limit=over,
        cash_not_covered=cash_not_covered,
    )


def _all_removed_by(day: date) -> list[Exemption]:
    return [item for regulation in regulations() if _started_by(regulation, day) for item in regulation.removed]


def _successor_on(day: date, code: str) -> str | None:
    for regulation in reversed(regulations()):
        if _started_by(regulation, day) and code in regulation.successor:
            return regulation.successor[code]
    return None


def _started_by(regulation: Regulation, day: date) -> bool:
    return regulation.in_force_from is None or regulation.in_force_from <= day


def category_codes() -> list[str]:
    """Every exempt category any regulation knows, in the order of the oldest regulation, then additions."""
    codes: list[str] = []
    for regulation in regulations():
        for item in (*regulation.exemptions, *regulation.removed):
            if item.code not in codes:
                codes.append(item.code)
    return codes


__all__ = ["GiftType", "assess", "completion_days_on", "regulation_on", "regulations"]
