"""Runtime files are private: instance/ and the uploads 0700, the SQLite database (and its journal and WAL
files) and the generated development keys 0600, on a fresh install under the usual umask 022."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import base_config
from zi_public import create_app
from zi_public.config import DEV_SECRETS_FILE
from zi_public.extensions import db
from zi_public.security.files import sqlite_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_fresh_install_after_db_upgrade_is_private(tmp_path, umask_022):
    instance = tmp_path / "instance"
    database = instance / "zi_public.sqlite3"
    config = base_config(tmp_path, f"sqlite:///{database}", UPLOAD_DIR=str(tmp_path / "data" / "uploads"))
    for key in ("SECRET_KEY", "DATA_KEYS", "HASH_KEY"):
        config.pop(key)  # generated into instance/ as in development
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    assert mode(instance) == 0o700
    assert mode(tmp_path / "data" / "uploads") == 0o700
    assert mode(database) == 0o600 and database.stat().st_size > 0
    assert mode(instance / DEV_SECRETS_FILE) == 0o600

    # SQLite gives its journal and WAL files the database file's mode.
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("CREATE TABLE probe (a)")
    assert mode(Path(f"{database}-journal")) == 0o600
    connection.execute("ROLLBACK")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE probe (a)")
    assert mode(Path(f"{database}-wal")) == 0o600
    connection.close()


def test_existing_folders_keep_the_mode_the_operator_gave_them(tmp_path, umask_022):
    shared = tmp_path / "shared-uploads"
    shared.mkdir(mode=0o750)
    os.chmod(shared, 0o750)
    create_app(base_config(tmp_path, "sqlite://", UPLOAD_DIR=str(shared)))
    assert mode(shared) == 0o750


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/zi/db.sqlite3", Path("/srv/zi/db.sqlite3")),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://u@h/db", None),
    ],
)
def test_only_a_sqlite_file_is_created_beforehand(url, expected):
    assert sqlite_path(url) == expected


def test_an_instance_folder_a_checkout_brought_is_made_private(tmp_path, umask_022):
    """git creates instance/ (its README is tracked) with the umask's 0755; it holds the database and keys."""
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)
    create_app(base_config(tmp_path, "sqlite://"))
    assert mode(instance) == 0o700
