"""Counter tables kept by adding deltas: one upsert per row, the same SQL on SQLite and PostgreSQL.

A counter table has a unique key (several columns) and one or more integer counts. `CounterTable.add`
adds a batch of deltas to it, key by key, creating the rows that are missing:

    INSERT INTO t (keys..., counts...) VALUES (...)
    ON CONFLICT (keys...) DO UPDATE SET count = t.count + excluded.count, ...

The statement is a text(), not sqlalchemy.dialects' insert().on_conflict_do_update(): SQLAlchemy cannot
cache the compiled form of that construct, and compiling it on every filing cost more than the statement.
The per-module figures (zi_public/services/pengaduan/stats_aggregates.py, zi_public/services/wbs/stats.py)
each keep their tables with one CounterTable per table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine


class CounterTable:
    """One counter table: its key columns, its count columns, and the upsert adding to them."""

    def __init__(
        self,
        table: str,
        keys: Sequence[str],
        counts: Sequence[str],
        types: Mapping[str, TypeEngine[object] | type[TypeEngine[object]]] | None = None,
    ) -> None:
        self.columns = (*keys, *counts)
        if not all(name.isidentifier() for name in (table, *self.columns)):
            raise ValueError(f"not plain SQL names: {table}, {self.columns}")
        # Names are the code's own constants, checked above; every value is a bound parameter.
        self.statement = sa.text(
            f"INSERT INTO {table} ({', '.join(self.columns)})"  # noqa: S608
            f" VALUES ({', '.join(':' + c for c in self.columns)})"
            f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
        ).bindparams(*(sa.bindparam(name, type_=type_) for name, type_ in (types or {}).items()))

    def add(self, connection: sa.Connection, deltas: Mapping[tuple[object, ...], int | Sequence[int]]) -> None:
        """Add `deltas` (key → count, or key → counts in column order) to the table.

        The upserts run in key order, so concurrent writers lock rows alike. One row (a filing's) goes as a
        plain execute: executemany costs more for one.
        """
        rows = [
            dict(zip(self.columns, (*key, *(value if isinstance(value, Sequence) else (value,))), strict=True))
            for key, value in sorted(deltas.items())
        ]
        if rows:
            connection.execute(self.statement, rows[0] if len(rows) == 1 else rows)
