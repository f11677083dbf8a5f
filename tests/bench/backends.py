"""Where every benchmark runs: a fresh SQLite file, then a fresh PostgreSQL database when one is reachable."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import drop_postgres_database, postgres_database_url


def each_backend(name: str, run: Callable[[str, str, Path], object], *, postgres: bool = True) -> None:
    """Call `run(backend, database_url, root)` on SQLite, then on PostgreSQL unless told not to or unreachable.

    `root` is an empty folder of that run (instance, uploads); the PostgreSQL database is dropped afterwards.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        run("sqlite", f"sqlite:///{root / f'{name}.sqlite3'}", root / "sqlite")
        if not postgres:
            return
        url = postgres_database_url(f"zi_public_bench_{name}")
        if url is None:
            print("postgresql: not reachable, skipped")
            return
        try:
            run("postgresql", url, root / "pg")
        finally:
            drop_postgres_database(url)
