"""The migrations alone build the schema the models describe, and can be undone, on both backends."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.conftest import base_config
from zi_public import create_app
from zi_public.config import PROJECT_ROOT
from zi_public.extensions import db


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_on_empty_database(empty_database_url: str, tmp_path: Path) -> None:
    app = create_app(base_config(tmp_path, empty_database_url))
    with app.app_context():
        upgrade()
        assert _tables(db.engine) == set(db.metadata.tables)
        downgrade(revision="base")
        assert _tables(db.engine) == set()
        upgrade()
        assert _tables(db.engine) == set(db.metadata.tables)
        db.engine.dispose()


def test_models_have_no_change_missing_a_migration(empty_database_url: str, tmp_path: Path) -> None:
    app = create_app(base_config(tmp_path, empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models changed without a migration: {diff}"


def test_db_upgrade_command_on_empty_sqlite_file(tmp_path: Path) -> None:
    """The operator's command, in a real process, as the README says it."""
    import os
    import subprocess
    import sys

    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, "ZI_DATABASE_URL": f"sqlite:///{database}", "ZI_INSTANCE_PATH": str(tmp_path / "instance")}
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run(
        [str(flask), "--app", "wsgi", "db", "upgrade"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        assert "user_account" in _tables(engine)
    finally:
        engine.dispose()
