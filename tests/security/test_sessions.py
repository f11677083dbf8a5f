"""The JSON API has no session: no cookie is read or set on it; the pages keep their signed session."""

from __future__ import annotations

from flask import request
from flask.sessions import NullSession, SecureCookieSession


def test_api_requests_get_the_null_session_and_pages_the_cookie_session(app):
    for path, kind in (("/api/v1/kategori", NullSession), ("/pengaduan/status", SecureCookieSession)):
        with app.test_request_context(path):
            session = app.session_interface.open_session(app, request)
            assert type(session) is kind


def test_an_api_answer_sets_no_cookie_even_to_a_client_that_sends_one(app, client):
    # A real session cookie of this app, under its configured name, that a page would read.
    name = app.config["SESSION_COOKIE_NAME"]
    value = app.session_interface.get_signing_serializer(app).dumps({"pengaduan_case": 1})
    with app.test_request_context("/pengaduan/status", headers={"Cookie": f"{name}={value}"}):
        assert app.session_interface.open_session(app, request).get("pengaduan_case") == 1
    client.set_cookie(name, value)
    response = client.get("/api/v1/kategori")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
