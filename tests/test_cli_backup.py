"""`backup create` and `backup restore`: SQLite ⇄ PostgreSQL with every row, file and audit entry intact."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image

from tests.conftest import base_config, empty_postgres_tables, require_postgres
from tests.factories import PDF, advance, make_attachment, make_filed, make_outbox_mail, make_user, store_file
from zi_public import create_app
from zi_public.extensions import db
from zi_public.models import Attachment, AuditEntry, Pengaduan, Role, User
from zi_public.rules.pengaduan import Action
from zi_public.services import attachments
from zi_public.services.backup.format import stored_table
from zi_public.services.reference import seed_reference_data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _app(tmp_path: Path, url: str, **extra: object) -> Flask:
    return create_app(base_config(tmp_path, url, **extra))


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sqlite_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """An empty, migrated SQLite database of its own, with its own uploads and anchor."""
    root = tmp_path / "sqlite"
    root.mkdir()
    shutil.copyfile(sqlite_template, root / "db.sqlite3")
    app = _app(root, f"sqlite:///{root / 'db.sqlite3'}")
    yield app
    _dispose(app)


@pytest.fixture
def postgresql_app(postgres_url: str | None, tmp_path: Path) -> Iterator[Flask]:
    """The worker's migrated PostgreSQL database (emptied after the test), with its own uploads and anchor."""
    url = require_postgres(postgres_url)
    root = tmp_path / "postgresql"
    root.mkdir()
    app = _app(root, url)
    yield app
    _dispose(app)
    empty_postgres_tables(url)


def fill(app: Flask) -> None:
    """Cases in several states with attachments, staff, mail, audit entries: every kind of value."""
    with app.app_context():
        seed_reference_data()
        officer = make_user(Role.PENGADUAN, email="petugas@example.id")
        make_user(Role.ADMIN, is_active=False)
        first = make_filed(attachments=[store_file(), store_file(png_bytes(), "foto.png")]).pengaduan
        second = make_filed(identity="rahasia", phone="081234567890", nik="3371010101010001").pengaduan
        make_filed(identity="anonim", name=None, email=None)
        advance(officer, first, Action.VERIFY)
        advance(officer, first, Action.DISPOSE)
        advance(officer, second, Action.REJECT)
        make_attachment(second, PDF, "surat.pdf")
        # Staff open the photo: its metadata-free copy is stored and names its original (derived_from_id).
        (photo,) = [a for a in attachments.originals(first) if a.content_type == "image/png"]
        attachments.download(officer, first, photo.id)
        make_outbox_mail()
        db.session.commit()


def invoke(app: Flask, *args: str):  # noqa: ANN201
    return app.test_cli_runner().invoke(args=list(args))


def every_row(app: Flask) -> dict[str, list[tuple]]:
    """Every table's rows as stored (ciphertext, enum text), in key order."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            stored = stored_table(table)
            order = list(stored.primary_key.columns) or list(stored.columns)
            # With each value's type: True == 1 and a str date would pass a plain comparison.
            rows[table.name] = [
                tuple((type(v).__name__, v) for v in r) for r in db.session.execute(sa.select(stored).order_by(*order))
            ]
        return rows


def readable(app: Flask) -> dict[str, object]:
    """What staff see: decrypted reporter data, attachment bytes, the audit log."""
    with app.app_context():
        cases = db.session.scalars(sa.select(Pengaduan).order_by(Pengaduan.id)).all()
        files = {
            a.id: attachments.read(a.case_kind, a.case_id, a.id).data
            for a in db.session.scalars(sa.select(Attachment).order_by(Attachment.id))
        }
        return {
            "cases": [
                (
                    c.number,
                    c.status,
                    c.identity,
                    c.reporter_name,
                    c.reporter_email,
                    c.reporter_phone,
                    c.reporter_nik,
                    c.received_at,
                    c.received_on,
                    c.verify_by,
                )
                for c in cases
            ],
            "files": files,
            "users": [
                (u.username, u.email, u.role, u.is_active)
                for u in db.session.scalars(sa.select(User).order_by(User.id))
            ],
            "audit": db.session.scalars(sa.select(AuditEntry.entry_hash).order_by(AuditEntry.id)).all(),
        }


@pytest.mark.parametrize("direction", ["sqlite->postgresql", "postgresql->sqlite"])
def test_round_trip_between_backends(request, direction, tmp_path):
    source_name, target_name = direction.split("->")
    source = request.getfixturevalue(f"{source_name}_app")
    target = request.getfixturevalue(f"{target_name}_app")
    fill(source)
    backup_file = tmp_path / "zi.backup"

    created = invoke(source, "backup", "create", "-o", str(backup_file))
    assert created.exit_code == 0, created.output
    assert backup_file.stat().st_mode & 0o777 == 0o600
    restored = invoke(target, "backup", "restore", str(backup_file))
    assert restored.exit_code == 0, restored.output
    assert "new anchor epoch" in restored.output

    before, after = every_row(source), every_row(target)
    # The source's newest entry, backup.create, is written after the snapshot; the target adds backup.restore.
    assert after["audit_entry"][:-1] == before["audit_entry"][:-1]
    del before["audit_entry"], after["audit_entry"]
    assert after == before  # every value of every row, type for type
    seen = readable(target)
    assert seen["audit"][:-1] == readable(source)["audit"][:-1]
    assert {k: v for k, v in seen.items() if k != "audit"} == {
        k: v for k, v in readable(source).items() if k != "audit"
    }
    assert len(seen["files"]) == 4 and len(seen["cases"]) == 3  # the photo's stripped copy too

    verify = invoke(target, "audit", "verify")
    assert verify.exit_code == 0, verify.output
    assert "(backup restore)" in verify.output
    with target.app_context():
        last = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "backup.restore"
        # Sequences continue after the restored ids: the next complaint and its number are new.
        filed = make_filed(attachments=[store_file()])
        db.session.commit()
        assert filed.pengaduan.id == 4
    assert invoke(target, "audit", "verify").exit_code == 0


def test_restore_refuses_a_database_that_is_not_empty(app, tmp_path):
    fill(app)
    backup_file = tmp_path / "zi.backup"
    assert invoke(app, "backup", "create", "-o", str(backup_file)).exit_code == 0
    before = every_row(app)
    result = invoke(app, "backup", "restore", str(backup_file))
    assert result.exit_code == 1
    assert "is not empty" in result.output and "Traceback" not in result.output
    assert every_row(app) == before


@pytest.mark.parametrize("damage", ["truncated", "garbled", "not a backup"])
def test_a_damaged_backup_is_refused_and_leaves_nothing(app, sqlite_app, tmp_path, damage):
    fill(app)
    backup_file = tmp_path / "zi.backup"
    assert invoke(app, "backup", "create", "-o", str(backup_file)).exit_code == 0
    content = backup_file.read_bytes()
    if damage == "truncated":
        content = content[: len(content) // 2]
    elif damage == "garbled":
        middle = len(content) // 3
        content = content[:middle] + bytes(b ^ 0x5A for b in content[middle : middle + 64]) + content[middle + 64 :]
    else:
        content = b"PK\x05\x06" + b"\x00" * 18
    backup_file.write_bytes(content)
    result = invoke(sqlite_app, "backup", "restore", str(backup_file))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "nothing was restored" in result.output or "not a ZI Public backup" in result.output
    assert all(rows == [] for rows in every_row(sqlite_app).values())
    upload_dir = Path(sqlite_app.config["UPLOAD_DIR"])
    assert not upload_dir.exists() or not any(p.is_file() for p in upload_dir.rglob("*"))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"DATA_KEYS": "t2:" + "B" * 43}, "ZI_DATA_KEYS lacks the key(s) t1"),
        ({"DATA_KEYS": "t1:" + "B" * 43}, "the key(s) t1 in ZI_DATA_KEYS are not the keys"),
        ({"HASH_KEY": "another-hash-key"}, "ZI_HASH_KEY is not the one this backup was made with"),
    ],
)
def test_restore_refuses_other_keys(app, sqlite_template, tmp_path, keys, message):
    fill(app)
    backup_file = tmp_path / "zi.backup"
    assert invoke(app, "backup", "create", "-o", str(backup_file)).exit_code == 0
    root = tmp_path / "other-keys"
    root.mkdir()
    shutil.copyfile(sqlite_template, root / "db.sqlite3")
    other = _app(root, f"sqlite:///{root / 'db.sqlite3'}", **keys)
    result = invoke(other, "backup", "restore", str(backup_file))
    _dispose(other)
    assert result.exit_code == 1
    assert message in result.output, result.output
