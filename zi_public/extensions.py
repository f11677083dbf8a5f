"""Flask extensions, created unbound; create_app binds them."""

from __future__ import annotations

import sqlite3
from functools import cached_property
from typing import TYPE_CHECKING, Any

import click
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from zi_public.security.client import client_key

if TYPE_CHECKING:
    from flask_migrate import Migrate

# Stable constraint names so that migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
limiter = Limiter(key_func=client_key)
login_manager = LoginManager()
babel = Babel()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """SQLite enforces foreign keys only when asked, per connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


class Migrations:
    """Flask-Migrate, with alembic imported only when something migrates.

    Flask-Migrate's own init_app imports alembic, some 0.1 s and 10 MB of every process's start-up (a cron
    job's report, a web worker), for the `flask db` commands only. So the app gets what that init_app would
    give it: this object in app.extensions["migrate"], where Flask-Migrate's functions and migrations/env.py
    read `migrate`, `db`, `directory` and `configure_args` (flask-migrate is pinned: the shape of its
    _MigrateConfig), and a `db` command group that loads Flask-Migrate's when it is used. The Migrate itself
    is made on first use.
    """

    def __init__(self, db: SQLAlchemy, directory: str, **configure_args: Any) -> None:
        self.db = db
        self.directory = directory
        self.configure_args = configure_args  # alembic's context.configure arguments, as _MigrateConfig keeps them

    @cached_property
    def migrate(self) -> Migrate:
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)

    @property
    def metadata(self) -> MetaData:
        return self.db.metadata


class _MigrationCommands(click.Command):
    """`flask db`: stands in for Flask-Migrate's command group and hands the command line over to it."""

    def __init__(self) -> None:
        super().__init__("db", short_help="Perform database migrations.")

    @cached_property
    def group(self) -> click.Command:
        from flask_migrate.cli import db as migration_commands

        return migration_commands

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra):  # noqa: ANN201
        return self.group.make_context(info_name, args, parent=parent, **extra)

    def shell_complete(self, ctx: click.Context, incomplete: str):  # noqa: ANN201
        return self.group.shell_complete(ctx, incomplete)


def init_migrations(app: Flask, directory: str) -> None:
    """What Flask-Migrate's init_app(app, db, directory=..., render_as_batch=True) does, without importing alembic."""
    app.extensions["migrate"] = Migrations(db, directory, compare_type=True, render_as_batch=True)
    app.cli.add_command(_MigrationCommands())
