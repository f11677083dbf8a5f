"""Reference data: seeding, and the lookups of every catalogue (CatalogueMixin) the forms and the API show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm.util import identity_key

from zi_public.extensions import db
from zi_public.models import Bidang, Category, Layanan, WbsCategory
from zi_public.models.base import CatalogueMixin
from zi_public.rows import attach_loaded
from zi_public.services import audit
from zi_public.services.process_cache import ProcessCache

C = TypeVar("C", bound=CatalogueMixin)

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "reference.json"


def seed_reference_data(path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Add the reference rows that are missing (by code); existing rows are left as edited."""
    data = json.loads(path.read_text(encoding="utf-8"))
    added = {"bidang": 0, "categories": 0, "layanan": 0}
    bidang_by_code = {b.code: b for b in db.session.scalars(sa.select(Bidang))}
    for order, item in enumerate(data["bidang"]):
        if item["code"] not in bidang_by_code:
            bidang_by_code[item["code"]] = Bidang(code=item["code"], name=item["name"], sort_order=order)
            db.session.add(bidang_by_code[item["code"]])
            added["bidang"] += 1
    known = set(db.session.scalars(sa.select(Category.code)))
    for order, item in enumerate(data["categories"]):
        if item["code"] not in known:
            db.session.add(
                Category(code=item["code"], name=item["name"], name_en=item.get("name_en", ""), sort_order=order)
            )
            added["categories"] += 1
    known = set(db.session.scalars(sa.select(Layanan.code)))
    for order, item in enumerate(data["layanan"]):
        if item["code"] not in known:
            db.session.add(
                Layanan(
                    code=item["code"],
                    name=item["name"],
                    name_en=item.get("name_en", ""),
                    bidang=bidang_by_code.get(item.get("bidang", "")),
                    sort_order=order,
                )
            )
            added["layanan"] += 1
    known = set(db.session.scalars(sa.select(WbsCategory.code)))
    added["wbs_categories"] = 0
    for order, item in enumerate(data.get("wbs_categories", [])):
        if item["code"] not in known:
            db.session.add(
                WbsCategory(code=item["code"], name=item["name"], name_en=item.get("name_en", ""), sort_order=order)
            )
            added["wbs_categories"] += 1
    db.session.flush()
    if any(added.values()):
        audit.record(None, "reference.seed", target_type="reference", data=added)
    return added


def active(model: type[C]) -> list[C]:
    """The rows a form may offer: active ones, in the catalogue's order."""
    return list(db.session.scalars(_ordered(model).where(model.is_active.is_(True))))


def every_row(model: type[C]) -> list[C]:
    """All rows, inactive ones too, in the catalogue's order (filters: old cases still carry them)."""
    return list(db.session.scalars(_ordered(model)))


def active_by_code(model: type[C], code: str | None) -> C | None:
    """The active row with this code, or None (an unknown or retired code is not accepted).

    Every filing asks for its category and layanan: a process reads each active row once a minute (a row
    retired in this process is refused at once, in another process within a minute).
    """
    if not code or len(code) > CODE_LENGTH or not code.isprintable():
        return None  # no catalogue code is that long or holds a NUL (which PostgreSQL refuses in a query)
    values = _ACTIVE_ROWS.get((model.__tablename__, code), lambda: _active_row_values(model, code))
    if values is None:
        return None
    # The copy becomes a row of this request's session without a query: the session's own copy if it has
    # one, else a new instance filled as a query would fill it, attached as an unchanged persistent row.
    existing = db.session.identity_map.get(identity_key(model, values["id"]))
    if existing is not None:
        return existing
    return attach_loaded(model, values)


#: The length of every catalogue's code column (models/base.py CatalogueMixin).
CODE_LENGTH = 40
_ACTIVE_ROWS = ProcessCache("zi_public.catalogue", Bidang, Category, Layanan, WbsCategory)


def _active_row_values(model: type[C], code: str) -> dict[str, object] | None:
    row = db.session.scalar(sa.select(model).where(model.code == code, model.is_active.is_(True)))
    if row is None:
        return None
    return {column.key: getattr(row, column.key) for column in sa.inspect(model).column_attrs}


def localized_name(item: CatalogueMixin, locale: str) -> str:
    """The English name in the English UI when the catalogue has one, else the Indonesian name."""
    english = getattr(item, "name_en", "")
    return english if locale == "en" and english else item.name


def active_categories() -> list[Category]:
    return active(Category)


def active_layanan() -> list[Layanan]:
    return active(Layanan)


def _ordered(model: type[C]) -> sa.Select:
    return sa.select(model).order_by(model.sort_order, model.id)
