"""Each layanan's standar pelayanan and the office's maklumat pelayanan, versioned by the day each takes effect.

A standard holds the six service-delivery components of PermenPANRB 15/2014 the public sees (persyaratan;
sistem, mekanisme dan prosedur; jangka waktu penyelesaian; biaya/tarif; produk pelayanan; penanganan
pengaduan, saran dan masukan); the maklumat is the head of office's pledge with the signing officer's name and
position. One versioning rule for both:

- The version in force on a day is the latest whose `effective_on` is not after that day.
- A version in force (effective on or before today, Asia/Jakarta) is never changed: what the public read on
  any past day stays on record. A change is a new version, effective today at the earliest.
- Until something has been in force (for that layanan, or for the maklumat), the first version may carry an
  earlier date: the decree already in force when the office starts recording it here.
- A version dated after today is *scheduled*: nobody has seen it yet, so it may be corrected (text and date,
  under the same date rule) or withdrawn before it takes effect; the audit log keeps what it said.
- Two versions never take effect on the same day (a unique constraint; a concurrent save loses cleanly).

Only the Tim SKM writes (security/permissions.py CASE_WRITERS["skm"]); every write is audit-logged. Text is
readable (rules/text.py), required fields need visible content, lengths are capped; surrounding whitespace is
trimmed and line breaks are kept (CRLF and CR stored as LF, so every channel shows the same text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from zi_public.extensions import db
from zi_public.forms import read_text  # the readable-text rule and the words every form and the API use
from zi_public.i18n import format_short_date
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, MaklumatPelayanan, StandarPelayanan, User
from zi_public.rules.text import text_problem
from zi_public.security.permissions import can_write_case
from zi_public.services import audit, reference
from zi_public.unit_of_work import savepoint

#: The six components, in the order of PermenPANRB 15/2014 (and of the StandarPelayanan columns).
COMPONENTS = ("persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "pengaduan")
COMPONENT_LABELS = {
    "persyaratan": _l("Persyaratan"),
    "prosedur": _l("Sistem, mekanisme dan prosedur"),
    "jangka_waktu": _l("Jangka waktu penyelesaian"),
    "biaya": _l("Biaya/tarif"),
    "produk": _l("Produk pelayanan"),
    "pengaduan": _l("Penanganan pengaduan, saran dan masukan"),
}
#: Characters per field: a long list of requirements fits; a pasted document does not.
LIMITS = {
    **dict.fromkeys(COMPONENTS, 10_000),
    "text": 10_000,  # the maklumat
    "signer_name": 160,  # the columns' lengths
    "signer_position": 200,
}
#: Single-line fields; every other one may hold line breaks.
SINGLE_LINE = frozenset({"signer_name", "signer_position"})
#: Effective dates outside these years are typing mistakes.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)

Version = TypeVar("Version", StandarPelayanan, MaklumatPelayanan)


@dataclass(frozen=True)
class StandardInput:
    """A standard as typed: text (or anything else, refused) per component and the day it takes effect."""

    effective_on: object = None
    persyaratan: object = None
    prosedur: object = None
    jangka_waktu: object = None
    biaya: object = None
    produk: object = None
    pengaduan: object = None


@dataclass(frozen=True)
class MaklumatInput:
    """A maklumat as typed: its text, the signing officer, and the day it takes effect."""

    effective_on: object = None
    text: object = None
    signer_name: object = None
    signer_position: object = None


class InvalidVersion(ValueError):
    """`errors` maps each field ("effective_on", "persyaratan", "signer_name", …) to a message for the team."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class VersionInForce(Exception):
    """The version has taken effect: it is never changed or withdrawn; a change is a new version."""


class NotAllowed(PermissionError):
    """Only the Tim SKM writes standards and the maklumat."""


# --- reading ------------------------------------------------------------------------------------------


def current_standard(layanan: Layanan, on: date) -> StandarPelayanan | None:
    """The layanan's standard in force on `on`, or None when none had taken effect by then."""
    stmt = (
        sa.select(StandarPelayanan)
        .where(StandarPelayanan.layanan_id == layanan.id, StandarPelayanan.effective_on <= on)
        .order_by(StandarPelayanan.effective_on.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def next_standard(layanan: Layanan, on: date) -> StandarPelayanan | None:
    """The first version scheduled to take effect after `on`, if any."""
    stmt = (
        sa.select(StandarPelayanan)
        .where(StandarPelayanan.layanan_id == layanan.id, StandarPelayanan.effective_on > on)
        .order_by(StandarPelayanan.effective_on)
        .limit(1)
    )
    return db.session.scalar(stmt)


def history(layanan: Layanan) -> list[StandarPelayanan]:
    """Every version of the layanan's standard, the latest effective date first (scheduled ones included)."""
    stmt = (
        sa.select(StandarPelayanan)
        .where(StandarPelayanan.layanan_id == layanan.id)
        .order_by(StandarPelayanan.effective_on.desc())
    )
    return list(db.session.scalars(stmt))


def standards_in_force(on: date) -> dict[int, StandarPelayanan]:
    """layanan id → the version in force on `on`, for every layanan that has one (one query)."""
    latest = (
        sa.select(StandarPelayanan.layanan_id, sa.func.max(StandarPelayanan.effective_on).label("effective_on"))
        .where(StandarPelayanan.effective_on <= on)
        .group_by(StandarPelayanan.layanan_id)
        .subquery()
    )
    stmt = sa.select(StandarPelayanan).join(
        latest,
        sa.and_(
            StandarPelayanan.layanan_id == latest.c.layanan_id,
            StandarPelayanan.effective_on == latest.c.effective_on,
        ),
    )
    return {version.layanan_id: version for version in db.session.scalars(stmt)}


def scheduled_standards(on: date) -> dict[int, date]:
    """layanan id → the first effective date after `on`, for every layanan with a scheduled version."""
    stmt = (
        sa.select(StandarPelayanan.layanan_id, sa.func.min(StandarPelayanan.effective_on))
        .where(StandarPelayanan.effective_on > on)
        .group_by(StandarPelayanan.layanan_id)
    )
    return {layanan_id: day for layanan_id, day in db.session.execute(stmt)}


def published_layanan(code: str) -> Layanan | None:
    """The active layanan with this code: the ones whose standard the public pages, the kiosk and the API show.
    An unknown, retired, over-long (longer than the column holds) or unreadable code names nothing: None."""
    if not isinstance(code, str) or len(code) > Layanan.__table__.c.code.type.length:
        return None
    if text_problem(code, multiline=False) is not None:  # a NUL breaks PostgreSQL's text parameters
        return None
    return reference.active_by_code(Layanan, code)


def current_maklumat(on: date) -> MaklumatPelayanan | None:
    """The maklumat in force on `on`, or None when none had taken effect by then."""
    stmt = (
        sa.select(MaklumatPelayanan)
        .where(MaklumatPelayanan.effective_on <= on)
        .order_by(MaklumatPelayanan.effective_on.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def next_maklumat(on: date) -> MaklumatPelayanan | None:
    """The first maklumat scheduled to take effect after `on`, if any."""
    stmt = (
        sa.select(MaklumatPelayanan).where(MaklumatPelayanan.effective_on > on).order_by(MaklumatPelayanan.effective_on)
    )
    return db.session.scalar(stmt.limit(1))


def maklumat_history() -> list[MaklumatPelayanan]:
    """Every version of the maklumat, the latest effective date first (scheduled ones included)."""
    return list(db.session.scalars(sa.select(MaklumatPelayanan).order_by(MaklumatPelayanan.effective_on.desc())))


def standard_as_dict(version: StandarPelayanan) -> dict[str, str]:
    """A version as the API gives it: its effective date (ISO) and the six components' texts."""
    return {"effective_on": version.effective_on.isoformat(), **{name: getattr(version, name) for name in COMPONENTS}}


def is_scheduled(version: StandarPelayanan | MaklumatPelayanan, today: date | None = None) -> bool:
    """Whether the version has not taken effect yet (and so may still be corrected or withdrawn)."""
    return version.effective_on > (today or today_jakarta())


# --- writing ------------------------------------------------------------------------------------------


def create_standard(
    actor: User, layanan: Layanan, data: StandardInput, *, today: date | None = None
) -> StandarPelayanan:
    """Save a new version of the layanan's standard (InvalidVersion naming every bad field)."""
    _require_writer(actor)
    today = today or today_jakarta()
    values = _check(data, _standard_versions(layanan), today=today)
    version = StandarPelayanan(layanan_id=layanan.id, created_by_id=actor.id, **values)
    _save(version)
    _record(actor, "skm.standard_create", version, layanan=layanan.code)
    return version


def update_standard(
    actor: User, version: StandarPelayanan, data: StandardInput, *, today: date | None = None
) -> StandarPelayanan:
    """Correct a scheduled version (VersionInForce once it has taken effect)."""
    _require_writer(actor)
    today = today or today_jakarta()
    _require_scheduled(version, today)
    values = _check(data, _standard_versions(version.layanan, excluding=version.id), today=today)
    previous = _apply(version, values)
    _record(actor, "skm.standard_update", version, layanan=version.layanan.code, previous=previous)
    return version


def withdraw_standard(actor: User, version: StandarPelayanan, *, today: date | None = None) -> None:
    """Withdraw a scheduled version before it takes effect (VersionInForce once it has)."""
    _require_writer(actor)
    _require_scheduled(version, today or today_jakarta())
    _record(actor, "skm.standard_withdraw", version, layanan=version.layanan.code, previous=_content(version))
    db.session.delete(version)
    db.session.flush()


def create_maklumat(actor: User, data: MaklumatInput, *, today: date | None = None) -> MaklumatPelayanan:
    """Save a new version of the maklumat (InvalidVersion naming every bad field)."""
    _require_writer(actor)
    today = today or today_jakarta()
    values = _check(data, _maklumat_versions(), today=today)
    version = MaklumatPelayanan(created_by_id=actor.id, **values)
    _save(version)
    _record(actor, "skm.maklumat_create", version)
    return version


def update_maklumat(
    actor: User, version: MaklumatPelayanan, data: MaklumatInput, *, today: date | None = None
) -> MaklumatPelayanan:
    """Correct a scheduled maklumat (VersionInForce once it has taken effect)."""
    _require_writer(actor)
    today = today or today_jakarta()
    _require_scheduled(version, today)
    values = _check(data, _maklumat_versions(excluding=version.id), today=today)
    previous = _apply(version, values)
    _record(actor, "skm.maklumat_update", version, previous=previous)
    return version


def withdraw_maklumat(actor: User, version: MaklumatPelayanan, *, today: date | None = None) -> None:
    """Withdraw a scheduled maklumat before it takes effect (VersionInForce once it has)."""
    _require_writer(actor)
    _require_scheduled(version, today or today_jakarta())
    _record(actor, "skm.maklumat_withdraw", version, previous=_content(version))
    db.session.delete(version)
    db.session.flush()


# --- the rules ----------------------------------------------------------------------------------------


def _require_writer(actor: object) -> None:
    if not isinstance(actor, User) or actor.role is None or not can_write_case(actor.role, "skm"):
        raise NotAllowed("only the Tim SKM writes standards and the maklumat")


def _require_scheduled(version: StandarPelayanan | MaklumatPelayanan, today: date) -> None:
    if not is_scheduled(version, today):
        raise VersionInForce(f"version {version.id} took effect on {version.effective_on.isoformat()}")


def _standard_versions(layanan: Layanan, excluding: int | None = None) -> sa.Select:
    stmt = sa.select(StandarPelayanan.effective_on).where(StandarPelayanan.layanan_id == layanan.id)
    return stmt if excluding is None else stmt.where(StandarPelayanan.id != excluding)


def _maklumat_versions(excluding: int | None = None) -> sa.Select:
    stmt = sa.select(MaklumatPelayanan.effective_on)
    return stmt if excluding is None else stmt.where(MaklumatPelayanan.id != excluding)


def _check(data: StandardInput | MaklumatInput, others: sa.Select, *, today: date) -> dict[str, object]:
    """The values to store, or InvalidVersion naming every field that is wrong.

    `others` selects the effective dates of the other versions of the same standard (or of the maklumat).
    """
    errors: dict[str, object] = {}
    values: dict[str, object] = {}
    for item in fields(data):
        if item.name == "effective_on":
            continue
        text, problem = read_text(
            getattr(data, item.name), limit=LIMITS[item.name], multiline=item.name not in SINGLE_LINE
        )
        if problem is not None:
            errors[item.name] = problem
        values[item.name] = text
    day = _read_date(data.effective_on)
    if day is None:
        errors["effective_on"] = _l("Isi tanggal mulai berlaku (TTTT-BB-HH), misalnya 2027-01-02.")
    elif not FIRST_DAY <= day <= LAST_DAY:
        errors["effective_on"] = _l(
            "Tanggal mulai berlaku harus antara tahun %(first)d dan %(last)d.", first=FIRST_DAY.year, last=LAST_DAY.year
        )
    else:
        taken = set(db.session.scalars(others))
        if day < today and any(other <= today for other in taken):
            errors["effective_on"] = _l(
                "Versi yang sudah berlaku tidak diubah dan riwayatnya tidak ditulis ulang: versi baru berlaku "
                "paling cepat hari ini (%(today)s).",
                today=format_short_date(today),
            )
        elif day in taken:
            errors["effective_on"] = _l(
                "Sudah ada versi yang berlaku mulai %(day)s. Pilih tanggal lain.", day=format_short_date(day)
            )
        values["effective_on"] = day
    if errors:
        raise InvalidVersion(errors)
    return values


def _read_date(value: object) -> date | None:
    if isinstance(value, date) and not hasattr(value, "hour"):  # a date, not a datetime
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _save(version: StandarPelayanan | MaklumatPelayanan) -> None:
    """Insert a new version; a concurrent save of the same day loses with the field's message."""
    try:
        with savepoint():
            db.session.add(version)
            db.session.flush()
    except IntegrityError:
        raise _same_day(version.effective_on) from None


def _apply(version: Version, values: Mapping[str, object]) -> dict[str, object]:
    """Change the version's fields to `values`; what each changed field held before (for the audit log)."""
    previous = {
        name: _jsonable(getattr(version, name)) for name, value in values.items() if getattr(version, name) != value
    }
    if not previous:
        return previous
    try:
        with savepoint():
            for name, value in values.items():
                setattr(version, name, value)
            db.session.flush()
    except IntegrityError:
        raise _same_day(values["effective_on"]) from None  # type: ignore[arg-type]
    return previous


def _same_day(day: date) -> InvalidVersion:
    return InvalidVersion(
        {
            "effective_on": _l(
                "Sudah ada versi yang berlaku mulai %(day)s. Pilih tanggal lain.", day=format_short_date(day)
            )
        }
    )


def _content(version: StandarPelayanan | MaklumatPelayanan) -> dict[str, object]:
    names = COMPONENTS if isinstance(version, StandarPelayanan) else ("text", "signer_name", "signer_position")
    return {"effective_on": version.effective_on.isoformat(), **{name: getattr(version, name) for name in names}}


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _record(actor: User, action: str, version: StandarPelayanan | MaklumatPelayanan, **data: object) -> None:
    audit.record(actor, action, version, data={"effective_on": version.effective_on.isoformat(), **data})
