"""One unit of work per request: it commits once when the request succeeded and rolls back otherwise.

Views never commit: services change state and flush, and `init_unit_of_work` commits after the view
returned a non-error response (status below 400). An exception (even one an error handler turned into
a page or a redirect) or an error status rolls the whole request back. A commit that fails is rolled
back and answered like any other error (409 for a conflict, 503 when the database is busy or away),
never with a stack trace. CLI commands are not requests: they commit themselves.

Inside a request, a service makes one step atomic with `savepoint()` (a duplicate caught by a unique
constraint becomes a domain error and the request goes on; `add_unique` does that for one new row), and
undoes what the database cannot with `on_rollback(callback)` (files stored for rows that were never
committed).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, session
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.wrappers import Response

from zi_public.extensions import db

log = logging.getLogger(__name__)

_FAILED = "_unit_of_work_failed"
_ON_ROLLBACK = "zi_public.on_rollback"
#: Seconds a client should wait before retrying when the database was busy at commit time.
RETRY_AFTER_SECONDS = 2


def init_unit_of_work(app: Flask) -> None:
    """Commit each successful request once; roll back failed ones."""
    handle_user_exception = app.handle_user_exception

    def failing_request(exc: Exception):  # noqa: ANN202 - Flask's own return type
        # An error handler may answer an exception with a redirect or a page (the kiosk does): the
        # request still failed, and nothing it changed may be committed.
        g.setdefault(_FAILED, True)
        return handle_user_exception(exc)

    app.handle_user_exception = failing_request  # type: ignore[method-assign]

    @app.after_request
    def finish_unit_of_work(response: Response) -> Response:
        if g.pop(_FAILED, False) or response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - every failure becomes an error response
            return _commit_failed(exc)
        return response


def _commit_failed(exc: Exception) -> Response:
    """Roll back after a failed commit and answer with an error page (JSON under /api/)."""
    from zi_public.errors import error_response

    log.error("commit failed; the request was rolled back", exc_info=exc)
    # The view flashed its success before the commit; the next page must not announce what was undone.
    if "_flashes" in session:  # (the API's null session holds none and refuses any change)
        session.pop("_flashes")
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone: the answer is the same
        log.exception("rollback after a failed commit failed too")
    if isinstance(exc, IntegrityError):
        status, detail = 409, _("Data yang sama baru saja diubah oleh permintaan lain. Muat ulang lalu coba lagi.")
    elif isinstance(exc, OperationalError):
        status, detail = 503, _("Basis data sedang sibuk. Tidak ada yang tersimpan; silakan coba lagi sebentar lagi.")
    else:
        status, detail = 500, None
    response = current_app.make_response(error_response(status, detail))
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@contextmanager
def savepoint() -> Iterator[SessionTransaction]:
    """Make one step of a service atomic inside the request's transaction.

    If the block raises, only what it did is undone (its objects are expired and reload their stored
    values) and the exception goes on; the request's other work stays and may still be committed.
    Use it where a unique constraint decides a race (translate the IntegrityError into the domain's
    error inside the block) and around steps that may refuse halfway through. Begin it where the step
    starts writing: on SQLite it takes the database's write lock until the request ends.
    """
    session = db.session()
    session.flush()  # what came before belongs to the enclosing transaction, not to this step
    _begin_sqlite_transaction(session)
    with session.begin_nested() as nested:
        yield nested


def add_unique(row: object, conflict: Exception) -> None:
    """Add `row` and flush it in a savepoint; when a unique constraint refuses it (a concurrent request
    added the same one since the service checked), raise `conflict`, the domain's error, and the request
    goes on without the row."""
    try:
        with savepoint():
            db.session.add(row)
            db.session.flush()
    except IntegrityError as exc:
        raise conflict from exc


def begin_writing() -> None:
    """Say that the request starts writing, for a step that needs no savepoint of its own (nothing in it
    can fail halfway and be caught: any error fails the whole request). On SQLite it takes the write lock
    now, as savepoint() does; on PostgreSQL it costs nothing (a savepoint costs two round trips)."""
    _begin_sqlite_transaction(db.session())


def _begin_sqlite_transaction(session: Session) -> None:
    """Open the SQLite write transaction before its first SAVEPOINT.

    Python's sqlite3 begins a transaction only before INSERT/UPDATE/DELETE. A SAVEPOINT issued first
    would start the transaction itself, and its RELEASE would then commit everything at once, out of
    the request's reach. IMMEDIATE takes the write lock now, waiting for another writer if need be: a
    transaction that reads first and writes later is refused at once when another writer is busy.
    """
    connection = session.connection()
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, sqlite3.Connection) and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def on_rollback(callback: Callable[[], object]) -> None:
    """Run `callback` if the current transaction ends without a commit (rolled back, failed or closed).

    For what the database cannot undo, e.g. deleting the files stored for a case that was never
    committed. Callbacks run once, after the rollback; their errors are logged, never raised.
    """
    db.session().info.setdefault(_ON_ROLLBACK, []).append(callback)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if not session.in_nested_transaction():  # a released SAVEPOINT is no commit yet
        session.info.pop(_ON_ROLLBACK, None)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    for callback in session.info.pop(_ON_ROLLBACK, ()):  # still here: the transaction was not committed
        try:
            callback()
        except Exception:  # noqa: BLE001 - one failed clean-up must not stop the others
            log.exception("clean-up after a rollback failed")
