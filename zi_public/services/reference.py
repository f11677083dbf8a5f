"""Reference data: seeding, and the lookups of every catalogue (CatalogueMixin) the forms and the API show."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Generic, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.util import identity_key

from zi_public.extensions import db
from zi_public.models import Bidang, Category, Layanan, WbsCategory
from zi_public.models.base import CatalogueMixin
from zi_public.rows import attach_loaded
from zi_public.services import audit
from zi_public.services.process_cache import ProcessCache
from zi_public.services.tables import value_key

C = TypeVar("C", bound=CatalogueMixin)

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "reference.json"


def seed_reference_data(path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Add the reference rows that are missing (by code); existing rows are left as edited."""
    data = json.loads(path.read_text(encoding="utf-8"))
    added = {"bidang": 0, "categories": 0, "layanan": 0}
    bidang_by_code = {b.code: b for b in db.session.scalars(sa.select(Bidang))}
    for order, item in enumerate(data["bidang"]):
        if item["code"] not in bidang_by_code:
            bidang_by_code[item["code"]] = Bidang(
                code=item["code"], name=item["name"], name_en=item.get("name_en", ""), sort_order=order
            )
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


class AmbiguousName(LookupError):
    """The text is no row's code and the name of more than one row (`codes`): the writer must give the code."""

    def __init__(self, text: str, codes: list[str]) -> None:
        super().__init__(text, codes)
        self.text = text
        self.codes = codes


#: What the staff are told when a file names a layanan by a name that two layanan share.
AMBIGUOUS_LAYANAN = _l("Nama ini dipakai lebih dari satu layanan; isi kode layanannya.")


class CodeOrName(Generic[C]):
    """A catalogue's rows by what a person writes for one (a spreadsheet cell): its code, else its name,
    Indonesian or English, compared through tables.value_key (case, spacing and punctuation do not matter).

    A code always names its own row, even when it is also another row's name; a name that two rows share
    names neither of them (AmbiguousName), so a row is never picked by the accident of the catalogue's order.
    """

    def __init__(self, rows: Iterable[C]) -> None:
        #: Held for the caller's whole import: later lookups by code find these rows in the session.
        self.rows = list(rows)
        self._by_code = {value_key(row.code): row for row in self.rows}
        self._by_name: dict[str, list[C]] = {}
        for row in self.rows:
            for name in (row.name, getattr(row, "name_en", "")):
                named = self._by_name.setdefault(value_key(name or ""), [])
                if row not in named:
                    named.append(row)
        self._by_name.pop("", None)

    def find(self, text: str) -> C | None:
        """The row `text` names; None when it names none (or is empty); AmbiguousName for a shared name."""
        key = value_key(text)
        if not key:
            return None
        if key in self._by_code:
            return self._by_code[key]
        named = self._by_name.get(key, [])
        if len(named) > 1:
            raise AmbiguousName(text, [row.code for row in named])
        return named[0] if named else None


def by_code_or_name(model: type[C], *, include_retired: bool) -> CodeOrName[C]:
    """The catalogue's rows to look up by code or name, read once: the active ones, or with `include_retired`
    every row (a file about the past may name a layanan retired since: a quarter's population, a paper form)."""
    return CodeOrName(every_row(model) if include_retired else active(model))


def localized_name(item: CatalogueMixin, locale: str) -> str:
    """The English name in the English UI when the catalogue has one, else the Indonesian name."""
    english = getattr(item, "name_en", "")
    return english if locale == "en" and english else item.name


def localized_name_sql(model: type[CatalogueMixin], locale: str) -> sa.ColumnElement[str]:
    """SQL twin of localized_name: the catalogue's English name in English when it has one, else its name."""
    if locale == "en" and hasattr(model, "name_en"):
        return sa.func.coalesce(sa.func.nullif(model.name_en, ""), model.name)
    return model.name


def active_categories() -> list[Category]:
    return active(Category)


def active_layanan() -> list[Layanan]:
    return active(Layanan)


def _ordered(model: type[C]) -> sa.Select:
    return sa.select(model).order_by(model.sort_order, model.id)
