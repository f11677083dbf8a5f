"""Runtime files only this service's user may read: the SQLite database holds complaint text and identities,
the uploads hold evidence, instance/ holds the generated development keys.

Each is created private before anything is written into it: folders 0700, the database file 0600. SQLite
creates its journal and WAL files with the database file's mode, so they are private too. Existing files
and folders keep the mode an operator gave them (a shared upload volume may need a group), except instance/
itself, which is always ours.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> None:
    """Create `path` (and missing parents) readable by this user only; an existing folder is left as it is."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:  # another process made it meanwhile
        return
    os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask; never wider than 0700 anyway


def private_file(path: Path) -> None:
    """Create an empty `path` readable by this user only, unless it exists (SQLite opens an empty file as
    an empty database and creates journal files with its mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    os.close(fd)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL; None for another backend or an in-memory database."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:") or parsed.query.get("mode") == "memory":
        return None
    return Path(parsed.database)


def init_private_files(app: Flask) -> None:
    """Before the first connection: instance/ and the upload folder 0700, the SQLite file 0600.

    instance/ is tightened even when it exists: a checkout brings it (its README is tracked) with the
    umask's 0755, and it holds the database and the generated keys. Nobody else needs to list it.
    """
    instance = Path(app.instance_path)
    private_dir(instance)
    if instance.stat().st_mode & 0o077:
        os.chmod(instance, PRIVATE_DIR)
    private_dir(Path(app.config["UPLOAD_DIR"]))
    database = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
    if database is not None:
        private_dir(database.parent)
        private_file(database)
