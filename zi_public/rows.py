"""One new row in one INSERT, for the few rows written on every request of a hot path.

The ORM's unit of work (add, then flush) costs several times the INSERT itself: it sorts dependencies,
walks cascades and builds the statement anew for each flush. `insert_row` sends one INSERT on the
request's connection, in its transaction, and returns the row as a persistent instance of its model,
attached to the session with every column loaded, as if it had been flushed and read back. Changing the
instance later is an ordinary UPDATE at the next flush.

What it does not do, by design:
- relationships are not saved: give foreign keys as column values (`pengaduan_id=case.id`); a
  relationship of the new row loads on first use, or is set with `loaded_collection`;
- `before_insert` listeners cannot run (a model with one is refused); `after_insert` listeners run with
  the instance, the mapper and the connection, as in a flush, so figures kept by them stay right;
- unlike a flushed new row, an inserted one is not taken back out of the session when the transaction
  rolls back: it stays, expired, and reading it afterwards raises ObjectDeletedError. Nothing reads such
  a row after a rollback; the request that wrote it has failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from zi_public.extensions import db

Model = TypeVar("Model")


@cache
def _shape(model: type) -> tuple[Mapper[Any], sa.Insert, dict[str, str], frozenset[str], str]:
    """The model's mapper, its INSERT, its attribute → column key map, the columns the database never fills
    by itself (no server default), and its primary key attribute."""
    mapper = sa.inspect(model)
    if len(mapper.primary_key) != 1 or mapper.inherits is not None:
        raise TypeError(f"insert_row needs a single-table model with one key column, not {model.__name__}")
    columns = {attr.key: attr.columns[0].key for attr in mapper.column_attrs}
    key = mapper.get_property_by_column(mapper.primary_key[0]).key
    plain = frozenset(c.key for c in mapper.local_table.columns if c.server_default is None and not c.primary_key)
    return mapper, sa.insert(mapper.local_table), columns, plain, key


def insert_row(model: type[Model], **values: Any) -> Model:
    """INSERT one row of `model` (attribute names as keyword arguments; column defaults apply as usual)."""
    mapper, statement, columns, plain, key = _shape(model)
    if mapper.dispatch.before_insert:
        raise TypeError(f"{model.__name__} has before_insert listeners, which only a flush runs")
    connection = db.session.connection()
    result = connection.execute(statement, {columns[name]: value for name, value in values.items()})
    stored = result.last_inserted_params()  # what was sent, column defaults included, before bind processing
    # A column neither sent nor filled by the database is NULL: the row is known whole without reading it.
    loaded = {name: stored.get(column) for name, column in columns.items() if column in stored or column in plain}
    loaded[key] = result.inserted_primary_key[0]
    row = attach_loaded(model, loaded)
    mapper.dispatch.after_insert(mapper, connection, sa.inspect(row))  # as a flush calls it: with the state
    return row


def attach_loaded(model: type[Model], values: dict[str, Any]) -> Model:
    """A persistent instance of `model` holding `values` (its key included), as if a query had just loaded
    it, attached to the request's session without a query and with no pending change."""
    row = sa.inspect(model).class_manager.new_instance()
    row.__dict__.update(values)
    make_transient_to_detached(row)
    db.session.add(row)
    return row


def loaded_collection(row: object, name: str, members: Iterable[object]) -> None:
    """Set the collection `name` of a row made here to what the database holds, without a query and
    without a pending change (a new case's history, its attachments list before any is added)."""
    set_committed_value(row, name, list(members))
