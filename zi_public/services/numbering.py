"""Case numbers that stay unique when several workers file at the same moment."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from zi_public.extensions import db
from zi_public.models import CaseCounter


def next_sequence(kind: str, year: int) -> int:
    """The next number of `kind` in `year` (1, 2, 3...), atomically.

    The UPDATE takes a row lock (PostgreSQL) or the write lock (SQLite) until the request commits,
    so two concurrent submissions can never read the same value.
    """
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(CaseCounter).values(kind=kind, year=year, value=0).on_conflict_do_nothing())
    return db.session.execute(
        sa.update(CaseCounter)
        .where(CaseCounter.kind == kind, CaseCounter.year == year)
        .values(value=CaseCounter.value + 1)
        .returning(CaseCounter.value)
    ).scalar_one()
