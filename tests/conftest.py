"""Shared fixtures: `app`, `db`, `client`, `login_as(role)`, and both database backends.

Every test that uses `app` runs on SQLite and, when a PostgreSQL server is reachable
(ZI_TEST_POSTGRES_URL, default the local one), again on PostgreSQL. In CI (CI=true) an
unreachable PostgreSQL is a failure, not a skip. The schema is always built by the real
migrations, never by create_all().
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from sqlalchemy import Engine, event
from werkzeug.routing import Rule

from tests.factories import TEST_PASSWORD, make_user
from tests.smtp import SmtpServer
from zi_public import create_app
from zi_public.extensions import db as _db
from zi_public.models import Role, User

POSTGRES_ADMIN_URL = os.environ.get("ZI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI") == "true"

TEST_SECRETS = {
    "SECRET_KEY": "test-secret-key-not-for-production",
    "DATA_KEYS": "t1:" + "A" * 43,  # 32 zero-ish bytes, base64url
    "HASH_KEY": "test-hash-key",
}


def _share_url_builders_between_apps() -> None:
    """Compile each route's URL builder once per test session instead of once per app.

    Every test creates an app, and werkzeug compiles two builder functions per route with `ast`
    and `compile()` (about 70 % of `create_app`). A builder's code depends only on the rule's text,
    its parsed parts and `append_unknown`: converters and query encoding are reached at call time
    through the rule it is bound to. Rules with defaults (folded into the code) compile as usual.
    """
    original = getattr(Rule, "_compile_builder", None)
    if original is None:  # another werkzeug: stay correct, only slower
        return
    compiled: dict[tuple[object, ...], Callable[..., tuple[str, str]]] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        trace = getattr(self, "_trace", None)
        if self.defaults or trace is None:
            return original(self, append_unknown)
        key = (self.rule, tuple(trace), append_unknown)
        if key not in compiled:
            compiled[key] = original(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = compile_builder


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole session and shared by every app (Jinja's bytecode cache).

    Each app has its own Jinja environment, which compiled every template it rendered again: about
    30 % of the time of a test that renders pages. An entry is used only for the same template file
    with the same source (Jinja checks a checksum) under the same compile-time options.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        autoescape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
        options = (
            sorted(environment.extensions),
            getattr(environment, "newstyle_gettext", None),
            autoescape,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.finalize is None,
            environment.is_async,
        )
        bucket = Bucket(environment, f"{self.get_cache_key(name, filename)}{options}", self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_share_url_builders_between_apps()
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedTemplateCode()}


@event.listens_for(Engine, "connect")
def _sqlite_commits_without_fsync(dbapi_connection: object, connection_record: object) -> None:
    """Test databases are thrown away, so SQLite need not wait for the disk at each commit (~10 ms
    a commit on a busy machine), as the PostgreSQL test databases have synchronous_commit off."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def base_config(tmp_path: Path, database_url: str, **extra: object) -> dict[str, object]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "AUDIT_ANCHOR": str(tmp_path / "audit-anchor.jsonl"),  # never a shared ZI_AUDIT_ANCHOR from the shell
        "BASE_URL": "http://localhost",  # the test client's host: links and QR codes point back at it
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Cheap argon2id parameters: the production profile costs ~0.1 s a hash, too slow for a suite.
        "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        **TEST_SECRETS,
        **extra,
    }


def postgres_database_url(name: str) -> str | None:
    """Create (or recreate) database `name` on the test server; None when unreachable.

    The process id is part of the name so that two test runs on one server (or two pytest-xdist
    workers) never collide. Commits do not wait for the disk (synchronous_commit off): a crash can
    only lose the last moments of a throw-away database, and PostgreSQL tests run ~2.5x faster.
    """
    name = f"{name}_{os.getpid()}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    except psycopg.OperationalError:
        return None
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def require_postgres(url: str | None) -> str:
    if url is None:
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (required in CI)")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    return url


def upgrade_schema(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets its own copy."""
    root = tmp_path_factory.mktemp("sqlite-template")
    path = root / "template.sqlite3"
    upgrade_schema(create_app(base_config(root, f"sqlite:///{path}")))
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    """A PostgreSQL database migrated once; tables are truncated after each test."""
    url = postgres_database_url("zi_public_test")
    if url is not None:
        upgrade_schema(create_app(base_config(tmp_path_factory.mktemp("pg"), url)))
    yield url
    if url is not None:
        drop_postgres_database(url)


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database of its own with no schema at all, for tests that move the migrations up and down."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url = require_postgres(postgres_database_url("zi_public_empty"))
    yield url
    drop_postgres_database(url)


@pytest.fixture
def fresh_app(empty_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database of its own, so the test may upgrade and downgrade the schema."""
    app = create_app(base_config(tmp_path, empty_database_url))
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()  # PostgreSQL: no pooled connection may outlive the DROP DATABASE


def legacy_pengaduan_row(case_id: int, **columns: object) -> dict[str, object]:
    """The NOT NULL columns of one pengaduan row as every migration so far has them: for tests that insert
    rows below the current schema, where the factories' models no longer fit."""
    return {
        "id": case_id,
        "number": f"PGD-2026-{case_id:06d}",
        "access_code_hash": "0" * 64,
        "channel": "web",
        "identity": "anonim",
        "category_id": 1,
        "title": "t",
        "description": "d",
        "requested_resolution": "",
        "location": "",
        "status": "baru",
        "received_at": datetime(2026, 11, 2, 1),
        "received_on": date(2026, 11, 2),
        "verify_by": date(2026, 11, 5),
        "settle_by": date(2027, 1, 1),
        "reopen_count": 0,
        **columns,
    }


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = require_postgres(request.getfixturevalue("postgres_url"))
    yield url
    empty_postgres_tables(url)


def empty_postgres_tables(url: str) -> None:
    """Leave every table empty and every sequence restarted, as `TRUNCATE … RESTART IDENTITY` would.

    TRUNCATE of all tables costs ~70 ms a test; deleting the rows of the tables that have any costs
    a few ms. `session_replication_role = replica` (superuser only) turns off the row triggers: the
    foreign-key checks and the guard that makes audit_entry append-only. Other roles (the tables' owner)
    fall back to TRUNCATE, which bypasses row triggers, with audit_entry's TRUNCATE guard switched off
    for that one transaction.
    """
    tables = [f'"{t.name}"' for t in _db.metadata.sorted_tables]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
        rows = conn.execute(" UNION ALL ".join(f"(SELECT '{t}' FROM {t} LIMIT 1)" for t in tables))
        used = [row[0] for row in rows]
        if used:
            try:
                with conn.transaction():
                    conn.execute("SET LOCAL session_replication_role = replica")
                    for table in used:
                        conn.execute(f"DELETE FROM {table}")
            except psycopg.errors.InsufficientPrivilege:
                with conn.transaction():
                    conn.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_truncate")
                    conn.execute(f"TRUNCATE {', '.join(used)} CASCADE")
                    conn.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_truncate")
        conn.execute(
            "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
            " WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
        )


@pytest.fixture
def app_config() -> dict[str, object]:
    """Override in a test module (or parametrize) to change settings for `app`."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_config: dict[str, object]) -> Iterator[Flask]:
    app = create_app(base_config(tmp_path, database_url, **app_config))
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def bare_app(tmp_path: Path, app_config: dict[str, object]) -> Flask:
    """An app on an empty in-memory database, for tests of configuration, labels and links only."""
    return create_app(base_config(tmp_path, "sqlite://", **app_config))


@pytest.fixture
def db(app: Flask) -> Iterator[object]:
    """The database inside an app context (for service and model tests)."""
    with app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The app with the reference data (categories, bidang, layanan) that every complaint needs."""
    from zi_public.services.reference import seed_reference_data

    with app.app_context():
        seed_reference_data()
        _db.session.commit()
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a local port for the test; `smtp.inbox` keeps what it receives."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def login_as(app: Flask, client: FlaskClient) -> Callable[..., User]:
    """Create a user with `role` and sign in through the real login form."""

    def login(role: Role | str, username: str | None = None, **kwargs: object) -> User:
        with app.app_context():
            user = make_user(role=Role(role), username=username, **kwargs)
            _db.session.commit()
            _db.session.refresh(user)
            _db.session.expunge(user)
        response = client.post("/auth/login", data={"username": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return login
