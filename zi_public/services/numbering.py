"""Case numbers that stay unique when several workers file at the same moment."""

from __future__ import annotations

import sqlalchemy as sa

from zi_public.extensions import db

#: Built once: SQLAlchemy cannot cache the compiled form of an ON CONFLICT construct, a text() it can.
#: The same statement runs on SQLite and PostgreSQL.
_NEXT = sa.text(
    "INSERT INTO case_counter (kind, year, value) VALUES (:kind, :year, 1)"
    " ON CONFLICT (kind, year) DO UPDATE SET value = case_counter.value + 1"
    " RETURNING value"
)


def next_sequence(kind: str, year: int) -> int:
    """The next number of `kind` in `year` (1, 2, 3...), atomically, in one statement.

    The upsert takes a row lock (PostgreSQL) or the write lock (SQLite) until the request commits, so
    two concurrent submissions can never read the same value; the first of a year inserts 1.
    """
    return db.session.connection().execute(_NEXT, {"kind": kind, "year": year}).scalar_one()
