"""A process's copy of rows that change rarely (the working-day calendar, the catalogues), so that filing a
complaint or acting on a case does not read them again on every request.

A copy belongs to one app (current_app.extensions), so apps on other databases never share one. Any ORM
write of one of the watched models in this process drops the copies at once, and again when its
transaction ends (committed or rolled back); until then that transaction reads its own uncommitted rows and
caches nothing. Another process's change (a worker on another host) is seen within `seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session, object_session

from zi_public.extensions import db

V = TypeVar("V")


class ProcessCache:
    """Values computed from rows of `models`, per app and key, kept up to `seconds`."""

    def __init__(self, name: str, *models: type, seconds: float = 60.0) -> None:
        self.name = name
        self.seconds = seconds
        self._changed = f"{name}.changed"  # session.info key: this transaction wrote a watched row
        for model in models:
            for event in ("after_insert", "after_update", "after_delete"):
                sa.event.listen(model, event, self._written)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The value for `key`: the copy if fresh, else `load()` (a None result is not kept)."""
        if db.session().info.get(self._changed):
            return load()
        copies: dict[Hashable, tuple[float, Any]] = current_app.extensions.setdefault(self.name, {})
        now = time.monotonic()
        copy = copies.get(key)
        if copy is not None and now - copy[0] <= self.seconds:
            return copy[1]
        value = load()
        if value is not None:
            copies[key] = (now, value)
        return value

    def clear(self) -> None:
        if has_app_context():
            current_app.extensions.pop(self.name, None)

    def _written(self, _mapper: object, _connection: sa.Connection, target: object) -> None:
        self.clear()
        session = object_session(target)
        if session is not None and not session.info.get(self._changed):
            session.info[self._changed] = True
            sa.event.listen(session, "after_commit", self._transaction_ended, once=True)
            sa.event.listen(session, "after_rollback", self._transaction_ended, once=True)

    def _transaction_ended(self, session: Session) -> None:
        session.info.pop(self._changed, None)
        self.clear()
