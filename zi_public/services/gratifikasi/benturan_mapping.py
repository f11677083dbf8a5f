"""The mapping of potential conflicts of interest (issue 10, point 8): per task or layanan and bidang, the
potential conflict (its type and description), its risk and the control in place. Made each January (the
previous year's active rows copied into the new year, then reviewed), reviewed any time.

- A row is never deleted: it is retired (retired_on), and a retired row is no longer changed.
- Every write leaves a ConflictMappingChange (added / changed with the fields / retired, by whom, on which
  Asia/Jakarta day) that the quarterly evaluation lists (`changes_in`), and an audit entry
  (benturan.mapping_add, _update, _retire, _copy) holding codes, enum values and field names only, never
  the free text.
- An edit form carries `row_version(row)` from when it was opened; saving over a colleague's save in
  between is refused (MappingConflict).

Only an active UPG user writes (PermissionError otherwise). Text is readable (rules/text.py), required
fields need visible content, lengths are capped; surrounding whitespace is trimmed and line breaks kept
(CRLF and CR stored as LF) in the multi-line fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from zi_public.extensions import db
from zi_public.forms import read_text
from zi_public.localtime import today_jakarta
from zi_public.models import Bidang, Layanan, Role, User
from zi_public.models.base import utcnow
from zi_public.models.benturan import ConflictMapping, ConflictMappingChange
from zi_public.paging import Page, keyset_page
from zi_public.rules.benturan import ConflictType, Risk
from zi_public.rules.periods import Period
from zi_public.services import audit, reference

#: Characters per field (task: the column's length).
LIMITS = {"task": 300, "description": 5_000, "control": 5_000}
#: Single-line fields; the others may hold line breaks.
SINGLE_LINE = frozenset({"task"})
#: The fields a change names, in the form's order (ConflictMappingChange.fields).
FIELDS = ("task", "layanan", "bidang", "conflict_type", "description", "risk", "control")
#: The years a mapping may be written for: from FIRST_YEAR to next year (a mapping made in late December).
FIRST_YEAR = 2000
#: Active rows per page on the team's page.
PAGE_SIZE = 50

ADDED, CHANGED, RETIRED = "added", "changed", "retired"


class MappingRefused(ValueError):
    """The row cannot be stored as given: `errors` maps a field to its message for the team."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class MappingConflict(Exception):
    """A colleague saved the row after this form was opened (or retired it)."""


class MappingRetired(Exception):
    """The row is retired: it is kept as it was and no longer changed."""


class YearAlreadyMapped(Exception):
    """The year already has rows: the previous year's mapping is copied only into an empty year."""


@dataclass(frozen=True)
class MappingInput:
    """A row as typed: text (anything else is refused); `layanan` and `bidang` are catalogue codes ("" or
    None: none), `conflict_type` and `risk` enum values."""

    task: object = None
    layanan: object = None
    bidang: object = None
    conflict_type: object = None
    description: object = None
    risk: object = None
    control: object = None


@dataclass(frozen=True)
class Copied:
    year: int
    from_year: int
    rows: list[ConflictMapping]


# --- reading ------------------------------------------------------------------------------------------


def get_row(row_id: int) -> ConflictMapping | None:
    return db.session.get(ConflictMapping, row_id)


def years() -> list[int]:
    """The years that have a mapping, newest first."""
    stmt = sa.select(ConflictMapping.year).distinct().order_by(ConflictMapping.year.desc())
    return [int(year) for year in db.session.scalars(stmt)]


def active_page(year: int, *, args: Mapping[str, str], size: int = PAGE_SIZE) -> Page:
    """One page of the year's active rows (newest first, by ?before= / ?after=)."""
    stmt = (
        sa.select(ConflictMapping)
        .where(ConflictMapping.year == year, ConflictMapping.retired_on.is_(None))
        .options(selectinload(ConflictMapping.layanan), selectinload(ConflictMapping.bidang))
    )
    return keyset_page(stmt, ConflictMapping.id, args=args, size=size)


def retired_rows(year: int) -> list[ConflictMapping]:
    """The year's retired rows, the latest retired first (shown below the active ones)."""
    stmt = (
        sa.select(ConflictMapping)
        .where(ConflictMapping.year == year, ConflictMapping.retired_on.is_not(None))
        .options(selectinload(ConflictMapping.layanan), selectinload(ConflictMapping.bidang))
        .order_by(ConflictMapping.retired_on.desc(), ConflictMapping.id.desc())
    )
    return list(db.session.scalars(stmt))


def rows_of(year: int) -> list[ConflictMapping]:
    """Every row of the year, active first, then by id."""
    stmt = (
        sa.select(ConflictMapping)
        .where(ConflictMapping.year == year)
        .options(selectinload(ConflictMapping.layanan), selectinload(ConflictMapping.bidang))
        .order_by(ConflictMapping.retired_on.is_not(None), ConflictMapping.id)
    )
    return list(db.session.scalars(stmt))


def count_of(year: int) -> int:
    """How many rows (active and retired) the year has."""
    stmt = sa.select(sa.func.count()).select_from(ConflictMapping).where(ConflictMapping.year == year)
    return int(db.session.scalar(stmt) or 0)


def changes_of(row_ids: list[int]) -> dict[int, list[ConflictMappingChange]]:
    """Row id → its changes, oldest first (one query)."""
    if not row_ids:
        return {}
    stmt = (
        sa.select(ConflictMappingChange)
        .where(ConflictMappingChange.mapping_id.in_(row_ids))
        .order_by(ConflictMappingChange.changed_on, ConflictMappingChange.id)
    )
    result: dict[int, list[ConflictMappingChange]] = {row_id: [] for row_id in row_ids}
    for change in db.session.scalars(stmt):
        result[change.mapping_id].append(change)
    return result


def last_changes(row_ids: list[int]) -> dict[int, ConflictMappingChange]:
    """Row id → its latest change (for the table's "last change" column)."""
    return {row_id: changes[-1] for row_id, changes in changes_of(row_ids).items() if changes}


def changes_in(period: Period, *, as_of: date | None = None) -> list[ConflictMappingChange]:
    """The mapping's changes made on a day of `period` (and not after `as_of` when given), oldest first,
    with their rows loaded (row.year, task, layanan, bidang, type, risk): what the quarterly evaluation lists.
    A change's `fields` names the changed fields, comma-separated (FIELDS); `change` is added/changed/retired."""
    last = period.end if as_of is None else min(period.end, as_of)
    stmt = (
        sa.select(ConflictMappingChange)
        .where(ConflictMappingChange.changed_on >= period.start, ConflictMappingChange.changed_on <= last)
        .options(
            selectinload(ConflictMappingChange.mapping).selectinload(ConflictMapping.layanan),
            selectinload(ConflictMappingChange.mapping).selectinload(ConflictMapping.bidang),
        )
        .order_by(ConflictMappingChange.changed_on, ConflictMappingChange.id)
    )
    return list(db.session.scalars(stmt))


def changed_fields(change: ConflictMappingChange) -> list[str]:
    """The field names a change lists (FIELDS order)."""
    return [name for name in (change.fields or "").split(",") if name]


def row_version(row: ConflictMapping) -> str:
    """What an edit (or retire) form carries to detect a colleague's save in between (the last save's moment)."""
    return row.updated_at.isoformat(timespec="microseconds") if row.updated_at else ""


def writable_years(today: date | None = None) -> range:
    today = today or today_jakarta()
    return range(FIRST_YEAR, today.year + 2)


# --- writing ------------------------------------------------------------------------------------------


def add_row(actor: User, year: int, data: MappingInput, *, today: date | None = None) -> ConflictMapping:
    """Add a row to the year's mapping (MappingRefused naming every bad field; nothing stored then)."""
    _require_upg(actor)
    today = today or today_jakarta()
    _require_year(year, today)
    values = _check(data)
    row = ConflictMapping(year=year, **values)
    row.updated_at = utcnow()
    db.session.add(row)
    db.session.flush()
    _log(actor, row, ADDED, today)
    audit.record(actor, "benturan.mapping_add", row, data=_audit_values(row))
    return row


def update_row(
    actor: User, row: ConflictMapping, data: MappingInput, *, version: str | None = None, today: date | None = None
) -> list[str]:
    """Change a row; returns the fields that changed (logged as one change, audit-logged by name). `version`
    (row_version() when the form was opened) refuses a save over a colleague's: MappingConflict. A retired
    row is not changed (MappingRetired). MappingRefused stores nothing."""
    _require_upg(actor)
    today = today or today_jakarta()
    if row.retired_on is not None:
        raise MappingRetired(row.id)
    if version is not None and version != row_version(row):
        raise MappingConflict(row.id)
    values = _check(data, current=row)
    changed = [name for name in FIELDS if _stored(row, name) != _stored_value(values, name)]
    if not changed:
        return []
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    db.session.flush()
    _log(actor, row, CHANGED, today, changed)
    audit.record(actor, "benturan.mapping_update", row, data={**_audit_values(row), "fields": changed})
    return changed


def retire_row(
    actor: User, row: ConflictMapping, *, version: str | None = None, today: date | None = None
) -> ConflictMapping:
    """Retire a row (kept, no longer mapped from `today`). MappingRetired when it already is;
    MappingConflict when a colleague saved it after the confirmation page was opened."""
    _require_upg(actor)
    today = today or today_jakarta()
    if row.retired_on is not None:
        raise MappingRetired(row.id)
    if version is not None and version != row_version(row):
        raise MappingConflict(row.id)
    row.retired_on = today
    row.updated_at = utcnow()
    db.session.flush()
    _log(actor, row, RETIRED, today)
    audit.record(actor, "benturan.mapping_retire", row, data={**_audit_values(row), "retired_on": today.isoformat()})
    return row


def copy_previous_year(actor: User, year: int, *, today: date | None = None) -> Copied:
    """The January mapping: copy the previous year's active rows into `year` (each logged as added).
    YearAlreadyMapped when `year` has any row (a second copy would double the mapping)."""
    _require_upg(actor)
    today = today or today_jakarta()
    _require_year(year, today)
    source = [row for row in rows_of(year - 1) if row.retired_on is None]
    # The audit entry first: on PostgreSQL it takes the audit chain's lock until this transaction ends, so a
    # concurrent copy waits here and then sees this one's rows (the check below refuses it).
    audit.record(
        actor,
        "benturan.mapping_copy",
        target_type=ConflictMapping.__tablename__,
        data={"year": year, "from_year": year - 1, "rows": len(source)},
    )
    if count_of(year):
        raise YearAlreadyMapped(year)
    copies = []
    for old in source:
        row = ConflictMapping(
            year=year,
            task=old.task,
            layanan=old.layanan,
            bidang=old.bidang,
            conflict_type=old.conflict_type,
            description=old.description,
            risk=old.risk,
            control=old.control,
            updated_at=utcnow(),
        )
        db.session.add(row)
        copies.append(row)
    db.session.flush()
    for row in copies:
        _log(actor, row, ADDED, today)
    db.session.flush()
    return Copied(year=year, from_year=year - 1, rows=copies)


# --- the rules ----------------------------------------------------------------------------------------


def _require_upg(actor: object) -> None:
    if not isinstance(actor, User) or actor.role != Role.UPG or not actor.is_active:
        raise PermissionError("only the UPG writes the mapping of conflicts of interest")


def _require_year(year: object, today: date) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or year not in writable_years(today):
        raise MappingRefused({"year": _l("Tahun pemetaan tidak dikenal.")})


def _check(data: MappingInput, *, current: ConflictMapping | None = None) -> dict[str, object]:
    """The column values to store, or MappingRefused naming every wrong field. A row's own layanan or bidang
    stays acceptable after the catalogue retired it (the row is kept as mapped)."""
    errors: dict[str, object] = {}
    values: dict[str, object] = {}
    for name, required in (("task", True), ("description", True), ("control", False)):
        text, problem = read_text(
            getattr(data, name), limit=LIMITS[name], multiline=name not in SINGLE_LINE, required=required
        )
        if problem is not None:
            errors[name] = problem
        values[name] = text
    conflict_type = _read_enum(ConflictType, data.conflict_type)
    if conflict_type is None:
        errors["conflict_type"] = _l("Pilih jenis benturan dari daftar.")
    values["conflict_type"] = conflict_type
    risk = _read_enum(Risk, data.risk)
    if risk is None:
        errors["risk"] = _l("Pilih tingkat risiko dari daftar.")
    values["risk"] = risk
    layanan, problem = _read_code(Layanan, data.layanan, current.layanan if current else None)
    if problem:
        errors["layanan"] = _l("Layanan tidak dikenal atau sudah tidak aktif.")
    bidang, problem = _read_code(Bidang, data.bidang, current.bidang if current else None)
    if problem:
        errors["bidang"] = _l("Bidang tidak dikenal atau sudah tidak aktif.")
    if errors:
        raise MappingRefused(errors)
    values["layanan"] = layanan
    values["bidang"] = bidang
    return values


def _read_enum(enum_type: type, value: object):
    if not isinstance(value, str):
        return None
    try:
        return enum_type(value.strip())
    except ValueError:
        return None


def _read_code(model: type, value: object, current: object) -> tuple[object, bool]:
    """(the catalogue row or None, whether the code was refused)."""
    if value is None:
        return None, False
    if not isinstance(value, str):
        return None, True
    code = value.strip()
    if not code:
        return None, False
    if current is not None and code == current.code:
        return current, False
    row = reference.active_by_code(model, code)
    return row, row is None


def _stored(row: ConflictMapping, name: str) -> object:
    if name == "layanan":
        return row.layanan_id
    if name == "bidang":
        return row.bidang_id
    return getattr(row, name)


def _stored_value(values: Mapping[str, object], name: str) -> object:
    if name in ("layanan", "bidang"):
        item = values[name]
        return item.id if item is not None else None  # type: ignore[attr-defined]
    return values[name]


def _log(actor: User, row: ConflictMapping, change: str, today: date, fields: list[str] | None = None) -> None:
    db.session.add(
        ConflictMappingChange(
            mapping_id=row.id, changed_on=today, change=change, fields=",".join(fields or ()), actor_id=actor.id
        )
    )
    db.session.flush()


def _audit_values(row: ConflictMapping) -> dict[str, object]:
    """What an audit entry says of a row: its year, catalogue codes and enum values (never the free text)."""
    return {
        "year": row.year,
        "layanan": row.layanan.code if row.layanan else None,
        "bidang": row.bidang.code if row.bidang else None,
        "conflict_type": str(row.conflict_type),
        "risk": str(row.risk),
    }
