"""`flask audit verify` for operators, and the audit trail left by `flask user create`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.services.test_audit import append_only_bypassed
from zi_public.extensions import db
from zi_public.models import AuditEntry, User
from zi_public.services.audit import record


def seed_log(app, n: int) -> list[int]:  # noqa: ANN001
    with app.app_context():
        ids = [record("cli", f"test.step{i}", data={"i": i}).id for i in range(n)]
        db.session.commit()
    return ids


def test_verify_reports_ok_and_exits_0(app):
    seed_log(app, 3)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK, 3 entries; head ")


def test_verify_on_an_empty_log(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert (result.exit_code, result.output.split(";")[0]) == (0, "OK, 0 entries")


def test_verify_names_the_tampered_entry_and_exits_1(app):
    ids = seed_log(app, 4)
    with app.app_context():
        with append_only_bypassed(db.session):
            db.session.execute(
                sa.text("UPDATE audit_entry SET actor = 'nobody' WHERE id = :id"), {"id": ids[1]}
            )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {ids[1]}" in result.output


def test_verify_names_the_entry_after_a_deleted_one(app):
    ids = seed_log(app, 4)
    with app.app_context():
        with append_only_bypassed(db.session):
            db.session.execute(sa.text("DELETE FROM audit_entry WHERE id = :id"), {"id": ids[2]})
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {ids[3]}" in result.output


def test_user_create_leaves_an_audit_entry_by_cli(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["user", "create", "budi", "--role", "pengaduan"], input="a-long-password-123\n"
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "budi"))
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create"))
        assert user is not None and entry is not None
        assert (entry.actor, entry.actor_id) == ("cli", None)
        assert (entry.target_type, entry.target_id) == ("user_account", str(user.id))
        # The CLI grants the role at once: nothing waits for approval.
        assert json.loads(entry.data) == {"username": "budi", "role": "pengaduan", "pending": False}
    verify = runner.invoke(args=["audit", "verify"])
    assert (verify.exit_code, verify.output.split(";")[0]) == (0, "OK, 1 entry")


def test_rejected_user_create_leaves_no_account_and_no_entry(app):
    result = app.test_cli_runner().invoke(
        args=["user", "create", "budi", "--role", "pengaduan"], input="short\n"
    )
    assert result.exit_code == 1
    assert "password rejected" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


# The anchor file outside the database: deleting the newest entries, or all of them, is caught.


def verify(app):  # noqa: ANN001, ANN201
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_verify_checks_the_anchor_too(app):
    seed_log(app, 3)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "anchor: 1 anchored entries present" in result.output


def test_deleting_the_newest_50_entries_is_caught(app):
    ids = []
    for _ in range(6):  # six commits, six anchored heads
        ids += seed_log(app, 10)
    with app.app_context():
        with append_only_bypassed(db.session):
            db.session.execute(sa.text("DELETE FROM audit_entry WHERE id > :id"), {"id": ids[9]})
        db.session.commit()
    result = verify(app)
    assert result.output.startswith("OK, 10 entries")  # what is left is still a valid chain
    assert result.exit_code == 1
    assert f"the database lacks entry {ids[19]}, which the anchor recorded" in result.output


def test_deleting_every_entry_is_caught(app):
    seed_log(app, 5)
    with app.app_context():
        with append_only_bypassed(db.session):  # SQLite: the triggers are dropped
            db.session.execute(sa.text("DELETE FROM audit_entry"))
        db.session.commit()
    result = verify(app)
    assert (result.exit_code, "ANCHOR MISMATCH" in result.output) == (1, True), result.output


def test_postgresql_refuses_truncate_and_a_truncate_behind_its_back_is_caught(app, backend):
    if backend != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    seed_log(app, 5)
    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError, match="audit_entry is append-only"):
            db.session.execute(sa.text("TRUNCATE audit_entry"))
        db.session.rollback()
        db.session.execute(sa.text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_truncate"))
        db.session.execute(sa.text("TRUNCATE audit_entry RESTART IDENTITY"))
        db.session.execute(sa.text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_truncate"))
        db.session.commit()
    seed_log(app, 7)  # new entries reuse the ids: the anchored hashes tell them apart
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert "ANCHOR MISMATCH at entry 5" in result.output


def test_a_log_without_anchor_fails_until_an_epoch_is_started(app):
    seed_log(app, 2)
    Path(app.config["AUDIT_ANCHOR"]).unlink()
    result = verify(app)
    assert (result.exit_code, "ANCHOR EMPTY" in result.output) == (1, True), result.output
    started = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert started.exit_code == 0, started.output
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "since" in result.output and "(audit anchor)" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == (
            "audit.anchor_epoch"
        )
