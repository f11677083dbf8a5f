"""One unit of work per request: a request commits once when it succeeded and leaves nothing when it failed.

Each test adds a small view to a fresh app; the views call a real service (calendar.add_override
flushes a row and an audit entry) and then succeed, fail or break the commit.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, abort, flash, get_flashed_messages, redirect

from zi_public.extensions import db
from zi_public.models import AuditEntry, WorkdayOverride
from zi_public.services import calendar
from zi_public.unit_of_work import on_rollback, savepoint

DAY = date(2026, 4, 6)


def add_override(reason: str = "Hari Jadi Kota", day: date = DAY) -> WorkdayOverride:
    return calendar.add_override("tester", day, False, reason)


def stored(app: Flask) -> tuple[int, int]:
    """(overrides, audit entries) as committed: read on a fresh connection, as another worker would."""
    with app.app_context():
        db.session.remove()
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(WorkdayOverride)),
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)),
        )


def break_the_commit() -> None:
    """Leave a row that violates a deferred foreign key: every statement succeeds, the COMMIT fails.

    The same SQL on SQLite and PostgreSQL; temporary tables vanish with the rolled-back transaction.
    """
    for statement in (
        "CREATE TEMPORARY TABLE uow_parent (id INTEGER PRIMARY KEY)",
        "CREATE TEMPORARY TABLE uow_child (parent_id INTEGER REFERENCES uow_parent (id) DEFERRABLE INITIALLY DEFERRED)",
        "INSERT INTO uow_child (parent_id) VALUES (1)",
    ):
        db.session.execute(sa.text(statement))


@pytest.fixture
def views(app: Flask) -> Flask:
    def succeeds():
        add_override()
        return "ok"

    def raises_after_the_flush():
        add_override()
        raise RuntimeError("the view breaks after the service flushed")

    def answers_with_an_error_status():
        add_override()
        return "refused", 422

    def aborts():
        add_override()
        abort(404)

    def redirects_from_an_error_handler():
        add_override()
        raise LookupError("handled below with a redirect")

    def breaks_the_commit():
        add_override()
        marker = Path(app.config["UPLOAD_DIR"]) / "stored-for-this-request"
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("x")
        on_rollback(marker.unlink)
        break_the_commit()
        return "ok"

    for name, view in {
        "succeeds": succeeds,
        "raises": raises_after_the_flush,
        "error-status": answers_with_an_error_status,
        "aborts": aborts,
        "handled": redirects_from_an_error_handler,
        "commit-fails": breaks_the_commit,
    }.items():
        app.add_url_rule(f"/_uow/{name}", f"uow_{name}", view, methods=["GET", "POST"])
        app.add_url_rule(f"/api/v1/_uow/{name}", f"uow_api_{name}", view, methods=["GET", "POST"])
    app.register_error_handler(LookupError, lambda exc: redirect("/"))
    return app


def test_a_successful_request_commits_once(views, client):
    assert client.post("/_uow/succeeds").status_code == 200
    assert stored(views) == (1, 1)


def test_a_view_that_raises_after_a_service_flushed_leaves_nothing(views, client):
    response = client.post("/_uow/raises")
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert stored(views) == (0, 0)


@pytest.mark.parametrize("path", ["/_uow/error-status", "/_uow/aborts"])
def test_an_error_status_after_a_flush_commits_nothing(views, client, path):
    assert client.post(path).status_code >= 400
    assert stored(views) == (0, 0)


def test_an_exception_answered_with_a_redirect_still_commits_nothing(views, client):
    assert client.post("/_uow/handled").status_code == 302
    assert stored(views) == (0, 0)


def test_a_failed_commit_is_an_error_page_and_undoes_the_files(views, client):
    response = client.post("/_uow/commit-fails")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Muat ulang lalu coba lagi" in page and "Traceback" not in page and "uow_child" not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers  # still an ordinary page of the site
    assert stored(views) == (0, 0)
    assert not (Path(views.config["UPLOAD_DIR"]) / "stored-for-this-request").exists()


def test_a_failed_commit_under_the_api_is_the_api_error_format(views, client):
    response = client.post("/api/v1/_uow/commit-fails")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == 409
    assert stored(views) == (0, 0)


def test_the_next_request_after_a_failed_commit_works(views, client):
    assert client.post("/_uow/commit-fails").status_code == 409
    assert client.post("/_uow/succeeds").status_code == 200
    assert stored(views) == (1, 1)


def test_a_failed_commit_takes_back_the_views_success_message(views, client):
    def flashes_then_breaks_the_commit():
        add_override()
        flash("Disimpan.", "success")
        break_the_commit()
        return "ok"

    views.add_url_rule("/_uow/flash-commit-fails", "uow_flash_fails", flashes_then_breaks_the_commit, methods=["POST"])
    views.add_url_rule("/_uow/flashes", "uow_flashes", lambda: " | ".join(get_flashed_messages()))
    response = client.post("/_uow/flash-commit-fails")
    assert response.status_code == 409 and "Disimpan." not in response.get_data(as_text=True)
    assert "Disimpan." not in client.get("/_uow/flashes").get_data(as_text=True)


# -- the service-side tools ---------------------------------------------------------------------


def test_a_savepoint_first_in_the_transaction_is_undone_by_the_rollback(db):
    # On SQLite the SAVEPOINT would otherwise open the transaction and its RELEASE commit it.
    with savepoint():
        db.session.add(WorkdayOverride(day=DAY, is_working_day=False, reason="x"))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkdayOverride)) == 0


def test_a_failed_savepoint_undoes_its_step_only(db):
    add_override(day=date(2026, 4, 7))
    with pytest.raises(calendar.DuplicateOverride):
        with savepoint():
            db.session.add(WorkdayOverride(day=DAY, is_working_day=False, reason="first"))
            db.session.flush()
            add_override()  # the same day: refused by the unique constraint inside the savepoint
    db.session.commit()
    assert db.session.scalars(sa.select(WorkdayOverride.day)).all() == [date(2026, 4, 7)]


def test_on_rollback_runs_once_after_a_rollback_and_never_after_a_commit(db):
    calls: list[str] = []
    add_override()
    on_rollback(lambda: calls.append("rolled back"))
    with savepoint():
        add_override(day=date(2026, 4, 7))  # a released savepoint is not the end of the transaction
    assert calls == []
    db.session.rollback()
    assert calls == ["rolled back"]
    add_override()
    on_rollback(lambda: calls.append("committed?"))
    db.session.commit()
    db.session.rollback()
    assert calls == ["rolled back"]
