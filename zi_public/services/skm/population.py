"""The survey's population N: how many services each layanan delivered in a quarter, entered by the Tim SKM
(one form per quarter) or imported from an xlsx or CSV file (one quarter a file). The results compare the
respondents with the Krejcie–Morgan minimum sample of that N (rules/ikm.py).

A period's population is the sum over the quarters it spans (a semester two, a year four), for one layanan
or all of them; None when nothing was entered for any of those quarters. Every change is audit-logged
(skm.population_set), one entry per layanan whose number changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.models import Layanan, SkmPopulation, User
from zi_public.rules.periods import MAX_YEAR, MIN_YEAR, QUARTER, Period, make_period
from zi_public.services import audit, reference

#: The most services one layanan can have delivered in a quarter: far above any office's real figure, far
#: below the column's range; a larger number is a typing slip.
MAX_SERVED = 1_000_000
_MAX_SERVED_TEXT = "1.000.000"  # MAX_SERVED as the office writes it
_GROUPED = re.compile(r"[0-9]{1,3}([.,\u00a0 ])[0-9]{3}(?:\1[0-9]{3})*")


class PopulationRefused(ValueError):
    """The numbers cannot be stored as given: `errors` maps a layanan code (or "year"/"quarter") to its message."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


def quarters_of(period: Period) -> list[tuple[int, int]]:
    """The (year, quarter) pairs wholly inside `period`, in order (none for a month: N is counted per quarter)."""
    quarters = []
    for year in range(period.start.year, period.end.year + 1):
        for quarter in range(1, 5):
            whole = make_period(QUARTER, year, quarter)
            if period.start <= whole.start and whole.end <= period.end:
                quarters.append((year, quarter))
    return quarters


def _in_quarters(quarters: list[tuple[int, int]]) -> sa.ColumnElement[bool]:
    if not quarters:
        return sa.false()
    return sa.or_(*(sa.and_(SkmPopulation.year == y, SkmPopulation.quarter == q) for y, q in quarters))


def population(period: Period, layanan: Layanan | None = None) -> int | None:
    """The services delivered in `period` (one layanan, or all); None when nothing was entered for it."""
    query = sa.select(sa.func.count(), sa.func.sum(SkmPopulation.served)).where(_in_quarters(quarters_of(period)))
    if layanan is not None:
        query = query.where(SkmPopulation.layanan_id == layanan.id)
    count, total = db.session.execute(query).one()
    return int(total) if count else None


def population_by_layanan(period: Period) -> dict[int, int]:
    """layanan id -> the services it delivered in `period`, for the layanan with a number entered (one query)."""
    rows = db.session.execute(
        sa.select(SkmPopulation.layanan_id, sa.func.sum(SkmPopulation.served))
        .where(_in_quarters(quarters_of(period)))
        .group_by(SkmPopulation.layanan_id)
    )
    return {layanan_id: int(total) for layanan_id, total in rows}


def quarter_entries(year: int, quarter: int) -> dict[int, int]:
    """layanan id -> served, as entered for one quarter (what the entry form starts from)."""
    rows = db.session.execute(
        sa.select(SkmPopulation.layanan_id, SkmPopulation.served).where(
            SkmPopulation.year == year, SkmPopulation.quarter == quarter
        )
    )
    return {layanan_id: served for layanan_id, served in rows}


def quarter_layanan(year: int, quarter: int) -> list[Layanan]:
    """The layanan a quarter's population form lists: the active ones, and retired ones that have a number for it."""
    entered = quarter_entries(year, quarter)
    return [item for item in reference.every_row(Layanan) if item.is_active or item.id in entered]


def parse_served(value: object) -> int | None:
    """A count of services from a form field or a spreadsheet cell: 1234, "1234", "1.234", "1,234", 1234.0.

    None for an empty value. ValueError (with the message to show) for text, fractions, negatives, or more
    than MAX_SERVED."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(_l("Isi dengan bilangan bulat, misalnya 250."))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_l("Isi dengan bilangan bulat, misalnya 250."))
        value = int(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if _GROUPED.fullmatch(text):
            text = re.sub(r"[.,\u00a0 ]", "", text)
        if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
            raise ValueError(_l("Jumlah tidak boleh negatif."))
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            raise ValueError(_l("Isi dengan bilangan bulat, misalnya 250."))
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(_l("Isi dengan bilangan bulat, misalnya 250."))
    if value < 0:
        raise ValueError(_l("Jumlah tidak boleh negatif."))
    if value > MAX_SERVED:
        raise ValueError(_l("Paling banyak %(max)s per layanan per triwulan.", max=_MAX_SERVED_TEXT))
    return value


def check_quarter(year: object, quarter: object) -> dict[str, object]:
    """The problems with a (year, quarter) pair, by field ("year", "quarter"); empty when it is valid."""
    errors: dict[str, object] = {}
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _l("Tahun tidak valid.")
    if isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= 4:
        errors["quarter"] = _l("Triwulan tidak valid.")
    return errors


def set_one(actor: User | str, year: int, quarter: int, layanan: Layanan, served: int | None) -> bool:
    """Store one already checked number (None: remove it), audit-logged when it changes; not flushed."""
    row = db.session.get(SkmPopulation, (year, quarter, layanan.id))
    old = None if row is None else row.served
    if old == served:
        return False
    if served is None:
        db.session.delete(row)
    elif row is None:
        db.session.add(
            SkmPopulation(
                year=year,
                quarter=quarter,
                layanan_id=layanan.id,
                served=served,
                updated_by_id=actor.id if isinstance(actor, User) else None,
            )
        )
    else:
        row.served = served
        row.updated_by_id = actor.id if isinstance(actor, User) else None
    audit.record(
        actor,
        "skm.population_set",
        target_type="skm_population",
        target_id=f"{year}-Q{quarter}:{layanan.code}",
        data={"year": year, "quarter": quarter, "layanan": layanan.code, "from": old, "to": served},
    )
    return True


def set_population(actor: User | str, year: int, quarter: int, layanan: Layanan, served: object) -> bool:
    """Enter (or, with None/"", remove) one layanan's number for a quarter; returns whether it changed.

    PopulationRefused for a bad year, quarter or number; audit-logged when it changes."""
    errors = check_quarter(year, quarter)
    try:
        value = parse_served(served)
    except ValueError as exc:
        errors[layanan.code] = exc.args[0]
    if errors:
        raise PopulationRefused(errors)
    changed = set_one(actor, year, quarter, layanan, value)
    db.session.flush()
    return changed


def set_populations(actor: User | str, year: int, quarter: int, values: Mapping[Layanan, object]) -> int:
    """Enter one quarter's numbers for several layanan at once, all or nothing (PopulationRefused naming each
    bad one by code); returns how many changed."""
    errors = check_quarter(year, quarter)
    parsed: dict[Layanan, int | None] = {}
    for layanan, raw in values.items():
        try:
            parsed[layanan] = parse_served(raw)
        except ValueError as exc:
            errors[layanan.code] = exc.args[0]
    if errors:
        raise PopulationRefused(errors)
    changed = sum(set_one(actor, year, quarter, layanan, value) for layanan, value in parsed.items())
    db.session.flush()
    return changed
