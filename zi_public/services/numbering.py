"""Case numbers that stay unique when several workers file at the same moment."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from zi_public.extensions import db
from zi_public.models import CaseCounter


def next_sequence(kind: str, year: int) -> int:
    """The next number of `kind` in `year` (1, 2, 3...), atomically, in one statement.

    The upsert takes a row lock (PostgreSQL) or the write lock (SQLite) until the request commits, so
    two concurrent submissions can never read the same value; the first of a year inserts 1.
    """
    dialect = db.session.get_bind().dialect.name
    insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(CaseCounter)
    upsert = insert.values(kind=kind, year=year, value=1).on_conflict_do_update(
        index_elements=[CaseCounter.kind, CaseCounter.year], set_={"value": CaseCounter.value + 1}
    )
    return db.session.execute(upsert.returning(CaseCounter.value)).scalar_one()
