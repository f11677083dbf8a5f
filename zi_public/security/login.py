"""Flask-Login wiring: the login cookie names the account *and* its current session token."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str):  # noqa: ANN201 - Flask-Login protocol
    from zi_public.models import User

    ident, _, token = user_id.partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user
