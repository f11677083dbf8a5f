"""The hash-chained audit log: writing, verifying, catching a tamperer who bypasses the guard."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db as _db
from zi_public.models import GENESIS_HASH, AuditEntry, Role
from zi_public.services.audit import SYSTEM_ACTOR, ChainReport, compute_hash, record, verify_chain


@contextmanager
def append_only_bypassed(session) -> Iterator[None]:  # noqa: ANN001
    """Switch the append-only guard off the way a malicious DBA would, and back on after."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        try:
            yield
        except BaseException:
            session.rollback()  # DDL is transactional here: this re-enables the trigger too
            raise
        session.execute(sa.text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only"))
    else:
        # SQLite cannot disable a trigger, only drop it; every test has its own database file.
        session.execute(sa.text("DROP TRIGGER audit_entry_no_update"))
        session.execute(sa.text("DROP TRIGGER audit_entry_no_delete"))
        yield


def record_chain(n: int) -> list[AuditEntry]:
    return [record("tester", f"test.step{i}", target_type="thing", target_id=i, data={"i": i}) for i in range(n)]


def verify_from_database(session) -> ChainReport:  # noqa: ANN001
    # Forget what the session holds so the check reads what is really stored.
    session.expire_all()
    return verify_chain()


def test_record_links_each_entry_to_the_one_before(db):
    entries = record_chain(4)
    assert entries[0].prev_hash == GENESIS_HASH
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.entry_hash
        assert entry.id > previous.id
    assert len({e.entry_hash for e in entries}) == 4


def test_entry_hash_covers_the_stored_fields(db):
    entry = record("tester", "test.hash", target_type="thing", target_id=7, data={"k": "v"})
    assert entry.entry_hash == compute_hash(
        GENESIS_HASH, entry.created_at, None, "tester", "test.hash", "thing", "7", '{"k":"v"}'
    )


def test_verify_empty_log(db):
    report = verify_chain()
    assert report.ok and report.entries == 0
    assert str(report) == f"OK, 0 entries; head {GENESIS_HASH}"


@pytest.mark.parametrize("batch_size", [1000, 2])
def test_verify_intact_chain(db, batch_size):
    last = record_chain(5)[-1]
    db.session.commit()
    db.session.expire_all()
    report = verify_chain(batch_size=batch_size)
    assert report == ChainReport(True, 5, head=last.entry_hash)
    assert str(report) == f"OK, 5 entries; head {last.entry_hash}"


def test_the_chain_is_keyed_by_the_hash_key(app, db):
    """Someone who can write to the database but lacks ZI_HASH_KEY cannot recompute the chain."""
    entry = record("tester", "test.keyed", data={"k": "v"})
    args = (GENESIS_HASH, entry.created_at, None, "tester", "test.keyed", None, None, '{"k":"v"}')
    assert compute_hash(*args) == entry.entry_hash
    app.config["HASH_KEY"] = "another key"
    assert compute_hash(*args) != entry.entry_hash


@pytest.mark.parametrize(
    ("column", "forge"),
    [
        ("data", lambda e: '{"i":999}'),
        ("action", lambda e: "test.harmless"),
        ("actor", lambda e: "someone-else"),
        ("actor_id", lambda e: 12345),
        ("target_id", lambda e: "42"),
        ("created_at", lambda e: e.created_at - timedelta(hours=3)),
    ],
)
def test_tampered_field_is_reported_at_that_entry(db, column, forge):
    entries = record_chain(5)
    victim = entries[2]
    with append_only_bypassed(db.session):
        db.session.execute(sa.update(AuditEntry).where(AuditEntry.id == victim.id).values({column: forge(victim)}))
    report = verify_from_database(db.session)
    assert not report.ok
    assert report.broken_id == victim.id
    assert report.entries == 2
    assert f"BROKEN at entry {victim.id}" in str(report)


def test_forged_entry_with_recomputed_hash_breaks_the_next_link(db):
    entries = record_chain(5)
    victim = entries[2]
    forged_hash = compute_hash(
        victim.prev_hash,
        victim.created_at,
        None,
        victim.actor,
        victim.action,
        victim.target_type,
        victim.target_id,
        '{"i":"forged"}',
    )
    with append_only_bypassed(db.session):
        db.session.execute(
            sa.update(AuditEntry)
            .where(AuditEntry.id == victim.id)
            .values(data='{"i":"forged"}', entry_hash=forged_hash)
        )
    report = verify_from_database(db.session)
    assert (report.ok, report.broken_id) == (False, entries[3].id)
    assert "does not link" in report.reason


def test_deleted_middle_entry_is_reported_at_the_next_one(db):
    entries = record_chain(5)
    with append_only_bypassed(db.session):
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.id == entries[2].id))
    report = verify_from_database(db.session)
    assert (report.ok, report.broken_id, report.entries) == (False, entries[3].id, 2)


def test_deleted_first_entry_is_reported(db):
    entries = record_chain(3)
    with append_only_bypassed(db.session):
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.id == entries[0].id))
    report = verify_from_database(db.session)
    assert (report.ok, report.broken_id) == (False, entries[1].id)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET action = 'test.rewritten' WHERE id = :id",
        "UPDATE audit_entry SET data = '{}'",
        "DELETE FROM audit_entry WHERE id = :id",
        "DELETE FROM audit_entry",
    ],
)
def test_database_refuses_update_and_delete(db, statement):
    entry = record("tester", "test.original", data={"keep": True})
    with pytest.raises(sa.exc.DBAPIError, match="audit_entry is append-only"):
        with db.session.begin_nested():
            db.session.execute(sa.text(statement), {"id": entry.id})
    db.session.expire_all()
    stored = db.session.get(AuditEntry, entry.id)
    assert stored is not None
    assert (stored.action, stored.data) == ("test.original", '{"keep":true}')
    assert verify_chain().ok


def test_orm_changes_to_an_entry_are_refused(db):
    entry = record("tester", "test.original")
    entry.action = "test.rewritten"
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.flush()


def test_record_with_a_model_target_and_user_actor(db):
    admin = make_user(role=Role.ADMIN, username="admin-audit")
    subject = make_user(role=Role.SKM, username="skm-audit")
    entry = record(admin, "user.role_change", subject, data={"from": "skm", "to": "upg"})
    assert (entry.actor_id, entry.actor) == (admin.id, "admin-audit")
    assert (entry.target_type, entry.target_id) == ("user_account", str(subject.id))
    assert json.loads(entry.data) == {"from": "skm", "to": "upg"}


def test_record_with_explicit_target_and_text_or_no_actor(db):
    by_cli = record("cli", "setting.change", target_type="setting", target_id="require_totp")
    by_system = record(None, "keys.rotate", target_type="keyring", target_id=42)
    assert (by_cli.actor_id, by_cli.actor) == (None, "cli")
    assert (by_cli.target_type, by_cli.target_id) == ("setting", "require_totp")
    assert (by_system.actor, by_system.target_id) == (SYSTEM_ACTOR, "42")
    no_target = record("cli", "reference.seed")
    assert (no_target.target_type, no_target.target_id, no_target.data) == (None, None, "{}")


def test_unicode_data_round_trips_and_verifies(db):
    data = {"nama": "Siti Ñurhaliza — 漢字 🙂", "catatan": 'tanda "kutip" & <b>', "nilai": 1500000}
    entry = record("tester", "test.unicode", data=data)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AuditEntry, entry.id)
    assert json.loads(stored.data) == data
    assert "漢字 🙂" in stored.data  # kept readable, not \u-escaped
    assert verify_chain() == ChainReport(True, 1)


def test_concurrent_writers_keep_one_chain(app):
    """Writers at once never chain onto the same head (on SQLite too: the head is read under the write lock).

    Each writer records, then does more work before it commits, as a request does: another writer that read
    the head meanwhile would find the same one and be refused by the UNIQUE prev_hash.
    """
    writers, rounds = 6, 8
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        with app.app_context():
            try:
                for i in range(rounds):
                    start.wait()
                    record("tester", "test.concurrent", target_type="thing", target_id=n, data={"i": i})
                    _db.session.execute(sa.select(sa.func.count()).select_from(AuditEntry))
                    _db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
                start.abort()
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [e for e in errors if not isinstance(e, threading.BrokenBarrierError)] == []
    with app.app_context():
        report = verify_chain()
    assert report.ok and report.entries == writers * rounds
