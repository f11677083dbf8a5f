"""What building the app does to the process: the entry point (wsgi.py) builds it with the garbage collector
paused and then freezes it (gc.freeze) out of the collector's way, while other apps (the tests') stay collectable;
alembic
is imported only when something migrates (the `flask db` commands themselves: tests/test_migrations.py), and
pypdf only when a PDF is checked (tests/security: the uploads' PDF checks)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

from flask import Flask

from tests.conftest import TEST_SECRETS, base_config
from zi_public import create_app


def _config(tmp_path: Path) -> dict[str, object]:
    return base_config(tmp_path, f"sqlite:///{tmp_path / 'app.sqlite3'}")


def test_apps_built_outside_the_entry_point_become_garbage(tmp_path: Path) -> None:
    frozen = gc.get_freeze_count()
    app = weakref.ref(create_app(_config(tmp_path)))
    assert gc.get_freeze_count() <= frozen  # create_app freezes nothing (a frozen object may be freed meanwhile)
    gc.collect()
    assert app() is None


def _in_a_fresh_process(tmp_path: Path, code: str) -> str:
    """What `code` prints in a new Python process configured through the environment, as `flask` would be."""
    env = {
        **os.environ,
        **{f"ZI_{key}": str(value) for key, value in TEST_SECRETS.items()},
        "ZI_DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "ZI_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=Path(__file__).parents[1], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_entry_point_builds_its_app_with_the_collector_paused_then_freezes_it(tmp_path: Path) -> None:
    # In a new process, as `flask --app wsgi` and gunicorn import it. The collector's callbacks record whether it
    # ran while the app was being built (gc.collect() calls inside start-up would show up here too).
    code = (
        "import gc, time; ran = [];"
        "gc.callbacks.append(lambda phase, info: ran.append(phase));"
        "before = gc.get_freeze_count(); import wsgi;"
        "print(before, gc.get_freeze_count() > 0, gc.isenabled(), len(ran), wsgi.app.name)"
    )
    before, frozen, enabled, collections, name = _in_a_fresh_process(tmp_path, code).split()
    assert (before, frozen, enabled, name) == ("0", "True", "True", "zi_public")
    assert int(collections) <= 4  # a paused collector runs only where start-up asks for it explicitly


def test_starting_the_app_imports_no_migration_tool_nor_the_pdf_reader(tmp_path: Path) -> None:
    code = (
        "import sys; from zi_public import create_app; create_app();"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'alembic', 'flask_migrate', 'pypdf'}))"
    )
    assert _in_a_fresh_process(tmp_path, code) == "[]"


def test_the_db_commands_are_flask_migrates(bare_app: Flask) -> None:
    result = bare_app.test_cli_runner().invoke(args=["db", "--help"])
    assert result.exit_code == 0, result.output
    assert "Perform database migrations." in result.output
    assert "--x-arg" in result.output
    for command in ("upgrade", "downgrade", "current", "check"):
        assert f"  {command} " in result.output
    listing = bare_app.test_cli_runner().invoke(args=["--help"]).output.splitlines()
    assert [line.split(None, 1) for line in listing if line.split()[:1] == ["db"]] == [
        ["db", "Perform database migrations."]
    ]


def test_the_stand_in_gives_what_flask_migrates_init_app_would(bare_app: Flask) -> None:
    from flask_migrate import Migrate
    from flask_migrate.cli import db as flask_migrates_commands

    ours = bare_app.extensions["migrate"]
    other = Flask("other")
    Migrate().init_app(other, ours.db, directory=ours.directory, render_as_batch=True)
    theirs = other.extensions["migrate"]
    # What Flask-Migrate's functions and migrations/env.py read from app.extensions["migrate"].
    assert set(vars(theirs)) == {"migrate", "db", "directory", "configure_args"}
    assert (ours.db, ours.directory, ours.configure_args) == (theirs.db, theirs.directory, theirs.configure_args)
    assert ours.metadata is theirs.metadata
    assert (ours.migrate.directory, ours.migrate.alembic_ctx_kwargs) == (
        theirs.migrate.directory,
        theirs.migrate.alembic_ctx_kwargs,
    )
    assert other.cli.commands["db"] is flask_migrates_commands
    stand_in = bare_app.cli.commands["db"]
    assert stand_in.get_short_help_str() == flask_migrates_commands.get_short_help_str()
