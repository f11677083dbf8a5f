"""Keyset paging: lists walk an index (newest first), never OFFSET."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.ids import parse_id


@dataclass
class Page:
    items: list[Any]
    has_next: bool = False
    has_prev: bool = False
    next_args: dict[str, Any] = field(default_factory=dict)
    prev_args: dict[str, Any] = field(default_factory=dict)


def parse_cursor(value: str | None) -> int | None:
    """A ?before= / ?after= cursor as a row id; None (the first page) for anything the pager never writes.

    The pager only ever links to ids it showed, so a cursor outside 1..MAX_ID was typed by hand: it is
    ignored like any other malformed cursor rather than sent to a database that cannot compare it.
    """
    return parse_id(value)


def keyset_page(stmt: sa.Select, id_column: Any, *, args: Mapping[str, str], size: int) -> Page:
    """One page of `stmt` ordered by `id_column` descending, positioned by ?before= or ?after=."""
    before, after = parse_cursor(args.get("before")), parse_cursor(args.get("after"))
    keep = {k: v for k, v in args.items() if k not in ("before", "after") and v}
    if after is not None:
        rows = list(db.session.scalars(stmt.where(id_column > after).order_by(id_column.asc()).limit(size + 1)))
        has_prev, has_next = len(rows) > size, True
        rows = list(reversed(rows[:size]))
    else:
        if before is not None:
            stmt = stmt.where(id_column < before)
        rows = list(db.session.scalars(stmt.order_by(id_column.desc()).limit(size + 1)))
        has_next, has_prev = len(rows) > size, before is not None
        rows = rows[:size]
    page = Page(rows, has_next=has_next and bool(rows), has_prev=has_prev and bool(rows))
    if rows:
        page.next_args = {**keep, "before": rows[-1].id}
        page.prev_args = {**keep, "after": rows[0].id}
    return page
