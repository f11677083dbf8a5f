"""ZI Public: the integrity service of a Zona Integritas unit."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from zi_public.config import PROJECT_ROOT, load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides every other source of settings."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("ZI_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path or PROJECT_ROOT / "instance").resolve()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, config)
    register_proxy(app)
    register_extensions(app)
    register_i18n(app)
    register_url_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_log_privacy(app)
    register_input_guard(app)
    register_unit_of_work(app)
    register_commands(app)
    return app


def register_proxy(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from zi_public.extensions import csrf, db, init_migrations, login_manager
    from zi_public.security.files import init_private_files
    from zi_public.security.keyring import init_keyring
    from zi_public.security.login import init_login
    from zi_public.security.passwords import init_passwords
    from zi_public.security.ratelimits import init_rate_limits
    from zi_public.security.sessions import init_sessions

    init_private_files(app)  # before anything connects: SQLite creates its file on first connect
    db.init_app(app)
    init_migrations(app, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    init_rate_limits(app)
    login_manager.init_app(app)
    init_login(app)
    init_keyring(app)
    init_passwords(app)
    init_sessions(app)


def register_i18n(app: Flask) -> None:
    from zi_public.i18n import init_i18n

    init_i18n(app)


def register_url_converters(app: Flask) -> None:
    # Before the blueprints: a rule takes its converter when it is added to the map.
    from zi_public.ids import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app: Flask) -> None:
    from blueprints import register_all

    register_all(app)


def register_errorhandlers(app: Flask) -> None:
    from zi_public.errors import init_errorhandlers

    init_errorhandlers(app)


def register_security_headers(app: Flask) -> None:
    from zi_public.security.headers import init_security_headers

    init_security_headers(app)


def register_log_privacy(app: Flask) -> None:
    from zi_public.security.anonymity import init_log_privacy

    init_log_privacy(app)


def register_input_guard(app: Flask) -> None:
    from zi_public.security.input_guard import init_input_guard

    init_input_guard(app)


def register_unit_of_work(app: Flask) -> None:
    # After the security headers on purpose: after_request hooks run in reverse, so the commit comes
    # first and the error page that a failed commit becomes still gets the headers.
    from zi_public.unit_of_work import init_unit_of_work

    init_unit_of_work(app)


def register_commands(app: Flask) -> None:
    from zi_public.cli import init_commands

    init_commands(app)
