"""Follow-up of the SKM (issue 9, point 8): for each quarter the Tim SKM records improvement items for the
weakest unsur — what will be done, who owns it, by when, progress, evidence (text, and files as attachments
of case kind "skm") — and an item is carried into every later period until it is done. The items are
published with the results and go into the quarterly export.

Every write is audit-logged (skm.follow_up_add, skm.follow_up_update).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.i18n import lazy_period_name
from zi_public.localtime import end_of_day_utc
from zi_public.models import Layanan, Role, SkmFollowUpItem, User
from zi_public.models.base import utcnow
from zi_public.rules.ikm import ikm_from_sums
from zi_public.rules.periods import QUARTER, Period, period_of
from zi_public.rules.skm import UNSUR
from zi_public.rules.text import has_visible_content, text_problem
from zi_public.security.uploads import UploadRejected, removed_on_error
from zi_public.services import attachments, audit
from zi_public.services.skm import results

KIND = "skm"
ACTION_MAX, OWNER_MAX, PROGRESS_MAX, EVIDENCE_MAX = 2_000, 160, 5_000, 5_000
#: Evidence files per save (photos, PDFs, office documents).
MAX_FILES = 5
ALLOWED_UPLOADS = frozenset({"image", "pdf", "office"})
#: Items listed per page on the staff page.
PAGE_SIZE = 30


class FollowUpRefused(ValueError):
    """The item cannot be stored as given: `errors` maps a field to its message."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


class FollowUpConflict(Exception):
    """A colleague saved the item after this form was opened."""


@dataclass(frozen=True)
class ItemInput:
    """What the form sends; `layanan` is a layanan code ("" or None: the whole office)."""

    unsur: str
    action: str
    owner: str
    due_on: date | None = None
    layanan: str | None = None
    progress: str = ""
    evidence: str = ""
    done_on: date | None = None


_TEXTS = (
    # field, limit, required, multi-line
    ("action", ACTION_MAX, True, True),
    ("owner", OWNER_MAX, True, False),
    ("progress", PROGRESS_MAX, False, True),
    ("evidence", EVIDENCE_MAX, False, True),
)
_TEXT_PROBLEMS = {
    "unreadable": _l("Isian memuat karakter yang tidak dapat dibaca."),
    "line_break": _l("Tulis isian ini dalam satu baris."),
}


def _require_team(actor: User) -> None:
    if not isinstance(actor, User) or actor.role != Role.SKM or not actor.is_active:
        raise PermissionError("only the Tim SKM records SKM follow-up")


def _cleaned(data: ItemInput) -> ItemInput:
    return ItemInput(
        unsur=(data.unsur or "").strip().upper(),
        action=(data.action or "").strip(),
        owner=(data.owner or "").strip(),
        due_on=data.due_on,
        layanan=(data.layanan or "").strip() or None,
        progress=(data.progress or "").strip(),
        evidence=(data.evidence or "").strip(),
        done_on=data.done_on,
    )


def _check(data: ItemInput, quarter: Period, today: date) -> tuple[dict[str, object], Layanan | None]:
    errors: dict[str, object] = {}
    if data.unsur not in UNSUR:
        errors["unsur"] = _l("Pilih unsur.")
    for field, limit, required, multiline in _TEXTS:
        value = getattr(data, field)
        problem = text_problem(value, multiline=multiline)
        if required and not has_visible_content(value):
            errors[field] = _l("Wajib diisi.")
        elif len(value) > limit:
            errors[field] = _l("Paling banyak %(max)d karakter.", max=limit)
        elif problem is not None:
            errors[field] = _TEXT_PROBLEMS[problem.value]
    if data.due_on is not None and data.due_on < quarter.start:
        errors["due_on"] = _l("Batas waktu tidak boleh sebelum %(period)s.", period=lazy_period_name(quarter))
    if data.done_on is not None and data.done_on > today:
        errors["done_on"] = _l("Tanggal selesai tidak boleh setelah hari ini.")
    elif data.done_on is not None and data.done_on < quarter.start:
        errors["done_on"] = _l("Tanggal selesai tidak boleh sebelum %(period)s.", period=lazy_period_name(quarter))
    layanan = None
    if data.layanan is not None:
        layanan = db.session.scalar(sa.select(Layanan).where(Layanan.code == data.layanan))
        if layanan is None:
            errors["layanan"] = _l("Layanan tidak dikenal.")
    return errors, layanan


def _store_files(files: Sequence[FileStorage], stored: list) -> None:
    if len(files) > MAX_FILES:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=MAX_FILES))
    budget = attachments.pixel_budget()
    for file in files:
        stored.append(attachments.store_file(KIND, file, allowed=ALLOWED_UPLOADS, budget=budget))


def create_item(
    actor: User, quarter: Period, data: ItemInput, files: Sequence[FileStorage] = (), *, today: date
) -> SkmFollowUpItem:
    """Record an item set by `quarter`'s results, with evidence files (flushed, audit-logged);
    FollowUpRefused or UploadRejected, and then nothing is stored."""
    _require_team(actor)
    if quarter.kind != QUARTER:
        raise ValueError("a follow-up item is set by one quarter's results")
    data = _cleaned(data)
    errors, layanan = _check(data, quarter, today)
    if errors:
        raise FollowUpRefused(errors)
    with removed_on_error(attachments.upload_dir()) as stored:
        _store_files(files, stored)
        item = SkmFollowUpItem(
            year=quarter.year,
            quarter=quarter.index,
            unsur=data.unsur,
            layanan_id=layanan.id if layanan else None,
            action=data.action,
            owner=data.owner,
            due_on=data.due_on,
            progress=data.progress,
            evidence=data.evidence,
            done_on=data.done_on,
            created_by_id=actor.id,
        )
        db.session.add(item)
        attachments.attach(item, stored)
        db.session.flush()
    audit.record(
        actor,
        "skm.follow_up_add",
        item,
        data={"period": quarter.code, "unsur": data.unsur, "layanan": data.layanan, "files": len(stored)},
    )
    return item


def _stored_value(item: SkmFollowUpItem, field: str) -> object:
    if field == "layanan":
        return item.layanan.code if item.layanan else None
    return getattr(item, field)


def update_item(
    actor: User,
    item: SkmFollowUpItem,
    data: ItemInput,
    files: Sequence[FileStorage] = (),
    *,
    today: date,
    version: str | None = None,
) -> list[str]:
    """Change an item (its quarter stays) and add evidence files; returns the fields that changed (audit-logged
    with their old and new values). `version` (item_version() when the form was opened) refuses a save over
    a colleague's: FollowUpConflict. FollowUpRefused or UploadRejected store nothing."""
    _require_team(actor)
    if version is not None and version != item_version(item):
        raise FollowUpConflict(item.id)
    data = _cleaned(data)
    errors, layanan = _check(data, item.set_in, today)
    if errors:
        raise FollowUpRefused(errors)
    changed = {
        f.name: {"from": _stored_value(item, f.name), "to": getattr(data, f.name)}
        for f in fields(ItemInput)
        if _stored_value(item, f.name) != getattr(data, f.name)
    }
    with removed_on_error(attachments.upload_dir()) as stored:
        _store_files(files, stored)
        for field in changed:
            if field == "layanan":
                item.layanan = layanan
            else:
                setattr(item, field, getattr(data, field))
        attachments.attach(item, stored)
        if changed or stored:
            item.updated_at = utcnow()  # a new file alone changes no column, but is a save all the same
        db.session.flush()
    if changed or stored:
        audit.record(
            actor,
            "skm.follow_up_update",
            item,
            data={"changes": {k: _plain(v) for k, v in changed.items()}, "files": len(stored)},
        )
    return list(changed) + (["files"] if stored else [])


def _plain(change: dict[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in change.items()}


def item_version(item: SkmFollowUpItem) -> str:
    """What an edit form carries to detect a colleague's save in between (the last save's moment)."""
    return item.updated_at.isoformat(timespec="microseconds") if item.updated_at else ""


def get_item(item_id: int) -> SkmFollowUpItem | None:
    return db.session.get(SkmFollowUpItem, item_id)


def _shown_in(period: Period, as_of: date | None) -> sa.ColumnElement[bool]:
    last = period_of(QUARTER, period.end)
    set_by_then = sa.or_(
        SkmFollowUpItem.year < last.year,
        sa.and_(SkmFollowUpItem.year == last.year, SkmFollowUpItem.quarter <= last.index),
    )
    condition = sa.and_(
        set_by_then,
        sa.or_(SkmFollowUpItem.done_on.is_(None), SkmFollowUpItem.done_on >= period.start),
    )
    if as_of is not None:
        condition = sa.and_(condition, SkmFollowUpItem.created_at < end_of_day_utc(as_of))
    return condition


def items_for(period: Period, *, as_of: date | None = None) -> list[SkmFollowUpItem]:
    """The items `period` shows: set in a quarter up to its last one and not done before it began (so an
    item set in Triwulan I and still open is shown in II, III, … as carried), recorded on or before `as_of`;
    oldest quarter first. `item.is_carried(period)` tells the carried ones."""
    return list(
        db.session.scalars(
            sa.select(SkmFollowUpItem)
            .where(_shown_in(period, as_of))
            .order_by(SkmFollowUpItem.year, SkmFollowUpItem.quarter, SkmFollowUpItem.id)
        )
    )


def shown_query(period: Period) -> sa.Select:
    """The items `period` shows, as a query the staff list pages through by id (zi_public.paging)."""
    return sa.select(SkmFollowUpItem).where(_shown_in(period, None))


def open_count(period: Period) -> int:
    """How many items `period` shows that are not done (the dashboard's figure)."""
    condition = sa.and_(_shown_in(period, None), SkmFollowUpItem.done_on.is_(None))
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(SkmFollowUpItem).where(condition)) or 0)


def is_done_on(item: SkmFollowUpItem, day: date) -> bool:
    """Whether the item was done by the end of `day` (a report as of a past day shows it as it was then)."""
    return item.done_on is not None and item.done_on <= day


@dataclass(frozen=True)
class Weakest:
    """The unsur with the lowest NRR in a period (ties: the first in U1..U9 order) and every NRR."""

    unsur: str
    nrr: Fraction
    respondents: int
    all_lowest: tuple[str, ...]


def weakest_unsur(period: Period, *, as_of: date | None = None) -> Weakest | None:
    """The unsur the period's responses rated lowest (the follow-up's suggestion); None without responses."""
    respondents, sums = results.unsur_sums(period, as_of=as_of)
    result = ikm_from_sums(respondents, sums)
    if result is None:
        return None
    lowest = min(result.nrr.values())
    tied = tuple(code for code in UNSUR if result.nrr[code] == lowest)
    return Weakest(tied[0], lowest, result.respondents, tied)
