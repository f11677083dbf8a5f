"""The monev migration moves every pengaduan_monev row into period_evaluation (the evaluation as the text, a
non-empty recommendations text as one open follow-up item owned by the Tim Pengaduan) and back, on both
backends: upgrade, downgrade (the items' text joined back), upgrade again."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from zi_public.extensions import db

REVISION = "19d1ab382ef9"
BEFORE = "8b1f3c7d2e64"

monev = sa.table(
    "pengaduan_monev",
    *(sa.column(name) for name in ("period", "evaluation", "recommendations", "updated_by_id", "updated_at")),
)
evaluation = sa.table(
    "period_evaluation", *(sa.column(name) for name in ("scope", "period", "text", "version_no", "finalized_at"))
)
item = sa.table(
    "follow_up_item",
    *(sa.column(name) for name in ("id", "scope", "period", "item", "owner", "due_on", "status", "evidence")),
)
ITEM_COLUMNS = "scope period item owner due_on status evidence created_at updated_at".split()
SAVED = datetime(2026, 7, 3, 2, 0)


def _rows(table: sa.TableClause, *order: str) -> list[tuple]:
    rows = [tuple(row) for row in db.session.execute(sa.select(table).order_by(*order)).all()]
    db.session.rollback()  # PostgreSQL: no open transaction may hold a lock the next migration waits for
    return rows


def test_monev_rows_move_into_period_evaluations_and_back(fresh_app):
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(
            monev.insert(),
            [
                {"period": "2026-S1", "evaluation": "Verifikasi lambat.", "recommendations": "Piket harian.\nSOP baru.",
                 "updated_by_id": None, "updated_at": SAVED},
                {"period": "2026-S2", "evaluation": "Belum ada rekomendasi.", "recommendations": "  \n ",
                 "updated_by_id": None, "updated_at": SAVED},
            ],
        )  # fmt: skip
        db.session.execute(  # the UPG's evaluation is left as it is
            sa.table("period_evaluation", *(sa.column(n) for n in ("scope", "period", "text", "updated_at"))).insert(),
            {"scope": "benturan", "period": "2026-Q2", "text": "Triwulan II.", "updated_at": SAVED},
        )
        db.session.commit()

        upgrade(revision=REVISION)
        assert not sa.inspect(db.engine).has_table("pengaduan_monev")
        assert _rows(evaluation, "scope", "period") == [
            ("benturan", "2026-Q2", "Triwulan II.", 1, None),
            ("pengaduan_monev", "2026-S1", "Verifikasi lambat.", 1, None),
            ("pengaduan_monev", "2026-S2", "Belum ada rekomendasi.", 1, None),
        ]
        assert [row[1:] for row in _rows(item, "id")] == [
            ("pengaduan_monev", "2026-S1", "Piket harian.\nSOP baru.", "Tim Pengaduan", None, "terbuka", "")
        ]
        # What the new schema allows and the old one cannot hold: a second item, owners, due dates.
        new_item = sa.table("follow_up_item", *(sa.column(name) for name in ITEM_COLUMNS))
        db.session.execute(
            new_item.insert().values(
                scope="pengaduan_monev", period="2026-S2", item="Survei pelapor", owner="Ketua tim",
                due_on=date(2027, 1, 31), status="selesai", evidence="Laporan",
                created_at=SAVED, updated_at=SAVED,
            )
        )  # fmt: skip
        db.session.commit()

        downgrade(revision=BEFORE)
        restored = _rows(monev, "period")
        assert [row[:4] for row in restored] == [
            ("2026-S1", "Verifikasi lambat.", "Piket harian.\nSOP baru.", None),
            ("2026-S2", "Belum ada rekomendasi.", "Survei pelapor", None),
        ]
        assert {str(row[4])[:19] for row in restored} == {str(SAVED)}  # SQLite reads untyped timestamps as text
        assert _rows(sa.table("period_evaluation", sa.column("scope"), sa.column("period")), "scope") == [
            ("benturan", "2026-Q2")
        ]
        assert _rows(sa.table("follow_up_item", sa.column("id"))) == []

        upgrade(revision=REVISION)
        assert [row[1:3] for row in _rows(evaluation, "scope", "period")] == [
            ("2026-Q2", "Triwulan II."),
            ("2026-S1", "Verifikasi lambat."),
            ("2026-S2", "Belum ada rekomendasi."),
        ]
        assert [(row[2], row[3], row[4]) for row in _rows(item, "period", "id")] == [
            ("2026-S1", "Piket harian.\nSOP baru.", "Tim Pengaduan"),
            ("2026-S2", "Survei pelapor", "Tim Pengaduan"),
        ]
        db.session.remove()
