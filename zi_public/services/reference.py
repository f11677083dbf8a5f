"""Reference data: seeding and the catalogues the forms and the API show."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import Bidang, Category, Layanan
from zi_public.services import audit

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
    db.session.flush()
    if any(added.values()):
        audit.record(None, "reference.seed", target_type="reference", data=added)
    return added


def active_categories() -> list[Category]:
    return list(
        db.session.scalars(
            sa.select(Category).where(Category.is_active.is_(True)).order_by(Category.sort_order, Category.id)
        )
    )


def active_layanan() -> list[Layanan]:
    return list(
        db.session.scalars(
            sa.select(Layanan).where(Layanan.is_active.is_(True)).order_by(Layanan.sort_order, Layanan.id)
        )
    )


def localized_name(item: Category | Layanan, locale: str) -> str:
    return item.name_en if locale == "en" and item.name_en else item.name
