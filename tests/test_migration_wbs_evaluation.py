"""The WBS evaluation migration moves wbs_evaluation and wbs_follow_up_item into the period evaluations (scope
wbs) and back, on both backends: upgrade, downgrade (the items' evidence lost, a long owner cut to the old
column), upgrade again. The other scopes' rows are left as they are."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from zi_public.extensions import db

REVISION = "8cc7b0603def"
BEFORE = "a41c7e9b3d52"
SAVED = datetime(2026, 7, 3, 2, 0)

wbs_evaluation = sa.table("wbs_evaluation", *(sa.column(n) for n in ("period", "text", "updated_at", "updated_by_id")))
wbs_item = sa.table(
    "wbs_follow_up_item", *(sa.column(n) for n in ("id", "period", "item", "owner", "due_on", "status", "done_on"))
)
evaluation = sa.table(
    "period_evaluation", *(sa.column(n) for n in ("scope", "period", "text", "version_no", "finalized_at"))
)
item = sa.table(
    "follow_up_item",
    *(sa.column(n) for n in ("id", "scope", "period", "item", "owner", "due_on", "status", "done_on", "evidence")),
)
ITEM_COLUMNS = "scope period item owner due_on status done_on evidence created_at updated_at".split()


def _rows(table: sa.TableClause, *order: str) -> list[tuple]:
    rows = [tuple(row) for row in db.session.execute(sa.select(table).order_by(*order)).all()]
    db.session.rollback()  # PostgreSQL: no open transaction may hold a lock the next migration waits for
    return rows


def _day(value: object) -> str | None:
    return None if value is None else str(value)[:10]  # SQLite reads untyped dates as text


def test_wbs_evaluations_move_into_period_evaluations_and_back(fresh_app):
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(
            wbs_evaluation.insert(),
            [{"period": "2026-Q1", "text": "Kanal dikenal.", "updated_at": SAVED, "updated_by_id": None}],
        )
        db.session.execute(
            wbs_item.insert(),
            [
                {"period": "2026-Q1", "item": "Banner", "owner": "Sekretariat", "due_on": date(2026, 4, 30),
                 "status": "selesai", "done_on": date(2026, 4, 20)},
                {"period": "2026-Q2", "item": "Apel", "owner": "Ketua Tim WBS", "due_on": None,
                 "status": "terbuka", "done_on": None},
            ],
        )  # fmt: skip
        db.session.execute(  # the UPG's evaluation is left as it is
            sa.table("period_evaluation", *(sa.column(n) for n in ("scope", "period", "text", "updated_at"))).insert(),
            {"scope": "benturan", "period": "2026-Q1", "text": "Benturan.", "updated_at": SAVED},
        )
        db.session.commit()

        upgrade(revision=REVISION)
        inspector = sa.inspect(db.engine)
        assert not inspector.has_table("wbs_evaluation") and not inspector.has_table("wbs_follow_up_item")
        assert _rows(evaluation, "scope", "period") == [
            ("benturan", "2026-Q1", "Benturan.", 1, None),
            ("wbs", "2026-Q1", "Kanal dikenal.", 1, None),
        ]
        moved = [(r[1], r[2], r[3], r[4], _day(r[5]), r[6], _day(r[7]), r[8]) for r in _rows(item, "id")]
        assert moved == [
            ("wbs", "2026-Q1", "Banner", "Sekretariat", "2026-04-30", "selesai", "2026-04-20", ""),
            ("wbs", "2026-Q2", "Apel", "Ketua Tim WBS", None, "terbuka", None, ""),
        ]
        # What the old tables cannot hold: evidence, an owner longer than 120 characters.
        db.session.execute(
            sa.table("follow_up_item", *(sa.column(n) for n in ITEM_COLUMNS)).insert().values(
                scope="wbs", period="2026-Q2", item="Survei", owner="O" * 150, due_on=None, status="terbuka",
                done_on=None, evidence="Hasil survei", created_at=SAVED, updated_at=SAVED,
            )
        )  # fmt: skip
        db.session.commit()

        downgrade(revision=BEFORE)
        assert [row[:2] for row in _rows(wbs_evaluation, "period")] == [("2026-Q1", "Kanal dikenal.")]
        restored = [(r[1], r[2], r[3], r[5]) for r in _rows(wbs_item, "id")]
        assert restored == [
            ("2026-Q1", "Banner", "Sekretariat", "selesai"),
            ("2026-Q2", "Apel", "Ketua Tim WBS", "terbuka"),
            ("2026-Q2", "Survei", "O" * 120, "terbuka"),
        ]
        assert [row[0] for row in _rows(evaluation, "scope")] == ["benturan"]
        assert _rows(sa.table("follow_up_item", sa.column("scope"))) == []

        upgrade(revision=REVISION)
        assert [row[:3] for row in _rows(evaluation, "scope", "period")] == [
            ("benturan", "2026-Q1", "Benturan."),
            ("wbs", "2026-Q1", "Kanal dikenal."),
        ]
        assert [(r[2], r[3], r[4]) for r in _rows(item, "period", "id")] == [
            ("2026-Q1", "Banner", "Sekretariat"),
            ("2026-Q2", "Apel", "Ketua Tim WBS"),
            ("2026-Q2", "Survei", "O" * 120),
        ]
        db.session.remove()
