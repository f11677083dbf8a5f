"""The JSON API uses no cookies (DESIGN: "no cookies, no CSRF"): its requests get Flask's null session, so
no session cookie is read, verified, signed or set on them. The pages keep the signed cookie session."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

API_PREFIX = "/api/"


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """The signed cookie session for pages; the null session (read-only, empty) for the API."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(API_PREFIX):
            return self.make_null_session(app)
        return super().open_session(app, request)


def init_sessions(app: Flask) -> None:
    app.session_interface = PagesOnlySessionInterface()
