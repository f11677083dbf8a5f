"""The custody register (issue 10, point 6): gifts handed to the UPG (barang titipan) — from whom and when,
what, in which condition, where stored, photos — until they leave (handed to KPK, returned, used per KPK's
decision). An item may name the gratifikasi report it belongs to (GRT-…).

Only an active member of the UPG writes (PermissionError otherwise); every write and every staff view of an
item is audit-logged (gratifikasi.custody_add, _update, _exit, _read). An item that left is closed: it is
neither edited nor leaves twice (CustodyClosed). Photos are image attachments of kind "gratifikasi_custody",
readable by the UPG and the pimpinan (security/permissions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.models import GratifikasiCustody, GratifikasiReport, Role, User
from zi_public.models.base import utcnow
from zi_public.paging import Page, keyset_page
from zi_public.rules.gratifikasi import CustodyExit, parse_rupiah
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.security.uploads import UploadRejected, removed_on_error
from zi_public.services import attachments, audit

KIND = "gratifikasi_custody"
#: Photos only: the register shows what the gift looks like.
ALLOWED_UPLOADS = frozenset({"image"})
LIMITS = {
    "report_number": 20,
    "received_from": 200,
    "description": 5_000,
    "condition": 200,
    "storage_location": 200,
    "value": 40,
    "left_note": 2_000,
}
PAGE_SIZE = 25
FILTERS = ("held", "left", "all")
SEARCH_MAX = 100


class CustodyRefused(ValueError):
    """The input cannot be saved as given: `errors` maps a field to its message."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


class CustodyClosed(Exception):
    """The item left the UPG's custody: it is no longer edited, and leaves only once."""


class CustodyConflict(Exception):
    """A colleague saved the item after the form was opened."""


@dataclass(frozen=True)
class ItemInput:
    """What the add form gives (texts as typed; `value` as typed, Rupiah formatting accepted)."""

    received_from: str
    received_on: date | None
    description: str
    condition: str = ""
    storage_location: str = ""
    value: str = ""
    report_number: str = ""


@dataclass(frozen=True)
class ChangeInput:
    """What the edit form changes."""

    description: str
    condition: str = ""
    storage_location: str = ""


@dataclass(frozen=True)
class ExitInput:
    left_on: date | None
    left_how: str
    note: str = ""


def _require_upg(actor: object) -> None:
    if not isinstance(actor, User) or actor.role != Role.UPG or not actor.is_active:
        raise PermissionError("only an active member of the UPG changes the custody register")


def _check_text(errors: dict[str, object], field: str, value: str, *, required: bool, multiline: bool) -> None:
    if required and not has_visible_content(value):
        errors[field] = _l("Wajib diisi.")
    elif len(value) > LIMITS[field]:
        errors[field] = _l("Paling banyak %(max)d karakter.", max=LIMITS[field])
    elif not is_readable(value, multiline=multiline):
        if is_readable(value, multiline=True):
            errors[field] = _l("Tulis isian ini dalam satu baris.")
        else:
            errors[field] = _l("Teks berisi karakter yang tidak dapat dibaca.")


def _check_changes(errors: dict[str, object], data: ChangeInput | ItemInput) -> None:
    _check_text(errors, "description", data.description, required=True, multiline=True)
    _check_text(errors, "condition", data.condition, required=False, multiline=False)
    _check_text(errors, "storage_location", data.storage_location, required=False, multiline=False)


def find_report(number: str) -> GratifikasiReport | None:
    return db.session.scalar(sa.select(GratifikasiReport).where(GratifikasiReport.number == number.upper()))


def _strip(data: ItemInput) -> ItemInput:
    return ItemInput(
        **{f.name: getattr(data, f.name).strip() if f.name != "received_on" else data.received_on for f in fields(data)}
    )


def check_item(data: ItemInput, today: date) -> tuple[dict[str, object], GratifikasiReport | None, int | None]:
    """The errors per field, the linked report (when a number was given and found) and the value in Rupiah."""
    errors: dict[str, object] = {}
    _check_text(errors, "received_from", data.received_from, required=True, multiline=False)
    if data.received_on is None:
        errors["received_on"] = _l("Isi tanggal diterima.")
    elif data.received_on > today:
        errors["received_on"] = _l("Tanggal tidak boleh setelah hari ini.")
    _check_changes(errors, data)
    value: int | None = None
    if len(data.value) > LIMITS["value"]:
        errors["value"] = _l("Paling banyak %(max)d karakter.", max=LIMITS["value"])
    elif data.value:
        value = parse_rupiah(data.value)
        if value is None:
            errors["value"] = _l("Tulis nilai dalam Rupiah, misalnya 1.500.000.")
    report = None
    if len(data.report_number) > LIMITS["report_number"]:
        errors["report_number"] = _l("Paling banyak %(max)d karakter.", max=LIMITS["report_number"])
    elif data.report_number:
        report = find_report(data.report_number) if is_readable(data.report_number, multiline=False) else None
        if report is None:
            errors["report_number"] = _l("Nomor laporan gratifikasi tidak ditemukan.")
    return errors, report, value


def _store_photos(files: Sequence[FileStorage], stored: list, already: int = 0) -> None:
    limit = int(current_app.config["GRATIFIKASI_MAX_ATTACHMENTS"])
    if len(files) + already > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d foto.", n=limit))
    budget = attachments.pixel_budget()
    for file in files:
        stored.append(attachments.store_file(KIND, file, allowed=ALLOWED_UPLOADS, budget=budget))


def add_item(actor: User, data: ItemInput, files: Sequence[FileStorage] = (), *, today: date) -> GratifikasiCustody:
    """Register one entrusted gift with its photos (flushed, audit-logged "gratifikasi.custody_add").
    PermissionError, CustodyRefused or UploadRejected (nothing saved then)."""
    _require_upg(actor)
    data = _strip(data)
    errors, report, value = check_item(data, today)
    if errors:
        raise CustodyRefused(errors)
    with removed_on_error(attachments.upload_dir()) as stored:
        _store_photos(files, stored)
        item = GratifikasiCustody(
            report=report,
            received_from=data.received_from,
            received_on=data.received_on,
            description=data.description,
            condition=data.condition,
            storage_location=data.storage_location,
            value_idr=value,
            created_by_id=actor.id,
        )
        db.session.add(item)
        attachments.attach(item, stored)
        db.session.flush()
    audit.record(
        actor,
        "gratifikasi.custody_add",
        item,
        data={
            "received_on": str(data.received_on),
            "report": report.number if report else None,
            "value_idr": value,
            "photos": len(stored),
        },
    )
    return item


def item_version(item: GratifikasiCustody) -> str:
    """What an edit form carries to detect a colleague's save in between (the last save's moment)."""
    return item.updated_at.isoformat(timespec="microseconds") if item.updated_at else ""


def update_item(
    actor: User,
    item: GratifikasiCustody,
    data: ChangeInput,
    files: Sequence[FileStorage] = (),
    *,
    version: str | None = None,
) -> list[str]:
    """Change the description, condition or place of an item still held, and add photos; returns what changed
    (audit-logged "gratifikasi.custody_update" with old and new values). CustodyClosed for an item that left,
    CustodyConflict over a colleague's save, CustodyRefused or UploadRejected (nothing saved then)."""
    _require_upg(actor)
    if item.left_on is not None:
        raise CustodyClosed(item.id)
    data = ChangeInput(data.description.strip(), data.condition.strip(), data.storage_location.strip())
    errors: dict[str, object] = {}
    _check_changes(errors, data)
    if errors:
        raise CustodyRefused(errors)
    if version is not None and version != item_version(item):
        raise CustodyConflict(item.id)
    changed = {
        f.name: {"from": getattr(item, f.name), "to": getattr(data, f.name)}
        for f in fields(ChangeInput)
        if getattr(item, f.name) != getattr(data, f.name)
    }
    with removed_on_error(attachments.upload_dir()) as stored:
        _store_photos(files, stored, already=len(attachments.originals(item)))
        for field in changed:
            setattr(item, field, getattr(data, field))
        attachments.attach(item, stored)
        if changed or stored:
            item.updated_at = utcnow()
        db.session.flush()
    if changed or stored:
        audit.record(actor, "gratifikasi.custody_update", item, data={"changes": changed, "photos": len(stored)})
    return list(changed) + (["photos"] if stored else [])


def record_exit(actor: User, item: GratifikasiCustody, data: ExitInput, *, today: date) -> GratifikasiCustody:
    """Record how the item left (audit-logged "gratifikasi.custody_exit"). CustodyClosed when it already left,
    CustodyRefused for a date before it was received or after today, an unknown way, or a bad note."""
    _require_upg(actor)
    if item.left_on is not None:
        raise CustodyClosed(item.id)
    note = (data.note or "").strip()
    errors: dict[str, object] = {}
    if data.left_on is None:
        errors["left_on"] = _l("Isi tanggal keluar.")
    elif data.left_on > today:
        errors["left_on"] = _l("Tanggal tidak boleh setelah hari ini.")
    elif data.left_on < item.received_on:
        errors["left_on"] = _l("Tanggal keluar tidak boleh sebelum tanggal diterima.")
    try:
        how = CustodyExit(data.left_how)
    except ValueError:
        errors["left_how"] = _l("Pilih cara barang keluar.")
    _check_text(errors, "left_note", note, required=False, multiline=True)
    if errors:
        raise CustodyRefused(errors)
    item.left_on, item.left_how, item.left_note = data.left_on, how, note
    item.updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "gratifikasi.custody_exit", item, data={"left_on": str(data.left_on), "left_how": how.value})
    return item


def get_item(item_id: int) -> GratifikasiCustody | None:
    return db.session.get(GratifikasiCustody, item_id)


def read_item(actor: User, item: GratifikasiCustody) -> GratifikasiCustody:
    """Record that a member of staff viewed the item (audit "gratifikasi.custody_read")."""
    audit.record(actor, "gratifikasi.custody_read", item)
    return item


def list_items(*, state: str = "held", search: str = "", args: dict[str, str] | None = None) -> Page:
    """One page of the register, newest first: "held" (still with the UPG), "left" or "all"; `search` matches
    the giver, the description, the place or the linked report's number."""
    stmt = sa.select(GratifikasiCustody)
    if state == "held":
        stmt = stmt.where(GratifikasiCustody.left_on.is_(None))
    elif state == "left":
        stmt = stmt.where(GratifikasiCustody.left_on.is_not(None))
    search = search.strip()[:SEARCH_MAX]
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        linked = sa.select(GratifikasiReport.id).where(GratifikasiReport.number.ilike(pattern, escape="\\"))
        stmt = stmt.where(
            sa.or_(
                GratifikasiCustody.received_from.ilike(pattern, escape="\\"),
                GratifikasiCustody.description.ilike(pattern, escape="\\"),
                GratifikasiCustody.storage_location.ilike(pattern, escape="\\"),
                GratifikasiCustody.report_id.in_(linked),
            )
        )
    return keyset_page(stmt, GratifikasiCustody.id, args=args or {}, size=PAGE_SIZE)


def items_in(start: date, end: date) -> list[GratifikasiCustody]:
    """Items held at any time between `start` and `end` (received by `end`, not left before `start`), oldest
    first: the register's part of the recap."""
    return list(
        db.session.scalars(
            sa.select(GratifikasiCustody)
            .where(
                GratifikasiCustody.received_on <= end,
                sa.or_(GratifikasiCustody.left_on.is_(None), GratifikasiCustody.left_on >= start),
            )
            .order_by(GratifikasiCustody.received_on, GratifikasiCustody.id)
        )
    )
