"""The attachments migration moves pengaduan_attachment rows into the generic attachment table, and back."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import legacy_pengaduan_row
from zi_public.extensions import db

REVISION = "3457a6a852bb"
BEFORE = "c6c8e39fd0a7"

FILE_COLUMNS = "stored_name original_name content_type size sha256 is_encrypted created_at".split()
category = sa.table("category", *(sa.column(n) for n in "id code name name_en sort_order is_active".split()))
pengaduan = sa.table(
    "pengaduan",
    *(
        sa.column(n)
        for n in (
            "id number access_code_hash channel identity category_id title description requested_resolution "
            "location status received_at received_on verify_by settle_by reopen_count"
        ).split()
    ),
)
old_table = sa.table("pengaduan_attachment", *(sa.column(n) for n in ["id", "pengaduan_id", *FILE_COLUMNS]))
new_table = sa.table(
    "attachment", *(sa.column(n) for n in ["id", "case_kind", "case_id", "variant", "derived_from_id", *FILE_COLUMNS])
)


def _file(n: int) -> dict[str, object]:
    return {
        "stored_name": f"{n:032x}",
        "original_name": f"bukti {n}.pdf",
        "content_type": "application/pdf",
        "size": 100 + n,
        "sha256": f"{n:064x}",
        "is_encrypted": n != 9,  # one file from a deployment without a keyring
        "created_at": datetime(2026, 11, n, 3, 4, 5),
    }


def _as_dict(row: sa.Row) -> dict[str, object]:
    values = dict(row._mapping)
    if isinstance(values["created_at"], str):  # SQLite hands DATETIME back as text to a plain table()
        values["created_at"] = datetime.fromisoformat(values["created_at"])
    values["is_encrypted"] = bool(values["is_encrypted"])
    return values


def test_rows_move_to_attachment_with_their_ids_and_back(fresh_app):
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(category.insert().values(id=1, code="c", name="C", name_en="", sort_order=0, is_active=True))
        for case_id in (1, 2):
            db.session.execute(pengaduan.insert().values(**legacy_pengaduan_row(case_id)))
        db.session.execute(
            old_table.insert(), [{"id": 5, "pengaduan_id": 1, **_file(5)}, {"id": 9, "pengaduan_id": 2, **_file(9)}]
        )
        db.session.commit()

        upgrade(revision=REVISION)
        rows = db.session.execute(sa.select(new_table).order_by(new_table.c.id)).all()
        assert [_as_dict(r) for r in rows] == [
            {
                "id": 5,
                "case_kind": "pengaduan",
                "case_id": 1,
                "variant": "original",
                "derived_from_id": None,
                **_file(5),
            },
            {
                "id": 9,
                "case_kind": "pengaduan",
                "case_id": 2,
                "variant": "original",
                "derived_from_id": None,
                **_file(9),
            },
        ]
        assert "pengaduan_attachment" not in sa.inspect(db.engine).get_table_names()
        # A new attachment continues after the moved ids (PostgreSQL's sequence was moved on).
        new_id = db.session.execute(
            new_table.insert()
            .values(case_kind="pengaduan", case_id=1, variant="original", **_file(10))
            .returning(new_table.c.id)
        ).scalar_one()
        assert new_id == 10
        db.session.commit()

        downgrade(revision=BEFORE)
        rows = db.session.execute(sa.select(old_table).order_by(old_table.c.id)).all()
        assert [_as_dict(r) for r in rows] == [
            {"id": 5, "pengaduan_id": 1, **_file(5)},
            {"id": 9, "pengaduan_id": 2, **_file(9)},
            {"id": 10, "pengaduan_id": 1, **_file(10)},
        ]
        assert "attachment" not in sa.inspect(db.engine).get_table_names()
        db.session.remove()


def test_downgrade_refuses_to_drop_attachments_of_other_kinds(fresh_app, caplog):
    with fresh_app.app_context():
        upgrade(revision=REVISION)
        db.session.execute(new_table.insert().values(case_kind="wbs", case_id=1, variant="original", **_file(1)))
        db.session.commit()
        with pytest.raises(SystemExit):  # Flask-Migrate turns the migration's RuntimeError into exit status 1
            downgrade(revision=BEFORE)
        assert "1 rows that are not original pengaduan attachments" in caplog.text
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(new_table)) == 1
        db.session.remove()
