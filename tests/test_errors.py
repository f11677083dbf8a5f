"""Error pages: in the site's style for people, JSON under /api/, never a stack trace."""

from __future__ import annotations

import logging

import pytest
from flask import abort, request

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.models import Role

TITLES = {
    400: "Permintaan tidak dapat diproses",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    413: "Berkas terlalu besar",
    429: "Terlalu banyak permintaan",
    500: "Terjadi kesalahan",
}
SECRET_DETAIL = "db password is hunter2"
BODY_LIMIT = 4096


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PROPAGATE_EXCEPTIONS": False, "MAX_CONTENT_LENGTH": BODY_LIMIT}


@pytest.fixture
def test_routes(app):
    """Routes that only these tests have: abort with a status, crash, read a request body."""

    def aborts(code: int):
        abort(code)

    def crashes():
        raise RuntimeError(SECRET_DETAIL)

    def reads_body():
        return {"size": len(request.get_data())}

    for prefix in ("/_test", "/api/v1/_test"):
        name = prefix.strip("/").replace("/", "_")
        app.add_url_rule(f"{prefix}/abort/<int:code>", f"{name}_abort", aborts)
        app.add_url_rule(f"{prefix}/boom", f"{name}_boom", crashes)
        app.add_url_rule(f"{prefix}/body", f"{name}_body", reads_body, methods=["POST"])
    return app


def assert_site_error_page(response, status: int) -> str:
    """The page a person sees: the public layout, the status, an Indonesian title, no internals."""
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert '<html lang="id">' in body
    assert 'href="/static/css/site.css"' in body
    assert '<header class="site-header">' in body
    assert '<main id="main"' in body
    assert '<footer class="site-footer">' in body
    assert 'href="#main"' in body
    assert f'<p class="error-code">{status}</p>' in body
    assert f"<h1>{TITLES[status]}</h1>" in body
    assert f"<title>{status} {TITLES[status]}" in body
    assert 'href="/"' in body, "a way back to the home page"
    assert "Traceback" not in body and "werkzeug" not in body.lower()
    return body


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert set(payload) == {"error"}
    assert set(payload["error"]) == {"code", "message"}
    assert payload["error"]["code"] == status
    assert isinstance(payload["error"]["message"], str) and payload["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return payload["error"]


@pytest.mark.parametrize("status", sorted(TITLES))
def test_every_error_status_has_a_page_in_the_site_style(test_routes, client, status):
    assert_site_error_page(client.get(f"/_test/abort/{status}"), status)


@pytest.mark.parametrize("status", sorted(TITLES))
def test_every_error_status_is_json_under_the_api(test_routes, client, status):
    assert_json_error(client.get(f"/api/v1/_test/abort/{status}"), status)


def test_unknown_page_is_a_404_page(client):
    body = assert_site_error_page(client.get("/tidak-ada/<script>alert(1)</script>"), 404)
    assert "<script>alert" not in body


@pytest.mark.parametrize("path", ["/api/v1/tidak-ada", "/api/v2/kategori", "/api/"])
def test_unknown_api_path_is_a_json_404(client, path):
    assert_json_error(client.get(path), 404)


def test_wrong_method_is_405_with_allow_header(client):
    response = client.post("/")
    assert_site_error_page(response, 405)
    assert "GET" in response.headers["Allow"] and "POST" not in response.headers["Allow"]


def test_wrong_method_on_api_is_json_405_with_allow_header(client):
    response = client.delete("/api/v1/kategori")
    assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_forbidden_internal_page_is_a_403_page(client, login_as):
    login_as(Role.PENGADUAN)
    response = client.get("/internal/akun")
    assert response.status_code == 403
    assert f"<h1>{TITLES[403]}</h1>" in response.get_data(as_text=True)


def test_crash_is_a_500_page_and_is_logged(test_routes, client, caplog):
    with caplog.at_level(logging.ERROR, logger="zi_public.errors"):
        response = client.get("/_test/boom")
    body = assert_site_error_page(response, 500)
    assert SECRET_DETAIL not in body
    (record,) = [r for r in caplog.records if r.name == "zi_public.errors"]
    assert record.exc_info and SECRET_DETAIL in str(record.exc_info[1]), "operators need the cause"


def test_crash_under_api_is_json_500(test_routes, client, caplog):
    with caplog.at_level(logging.CRITICAL):
        response = client.get("/api/v1/_test/boom")
    error = assert_json_error(response, 500)
    assert SECRET_DETAIL not in error["message"]


def test_crash_after_a_database_write_rolls_it_back(app, client, caplog):
    """A crash half-way through a request must not leave half a change behind."""

    def writes_then_crashes():
        make_user(username="halfway")
        db.session.commit()
        make_user(username="never")
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/_test/half", "half", writes_then_crashes)
    with caplog.at_level(logging.CRITICAL):
        assert client.get("/_test/half").status_code == 500
    with app.app_context():
        from zi_public.models import User

        names = set(db.session.scalars(db.select(User.username)))
    assert "halfway" in names and "never" not in names


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
@pytest.mark.parametrize("app_config", [{"MAX_CONTENT_LENGTH": BODY_LIMIT}])
def test_oversized_form_is_a_413_page(app, client, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf  # CSRF reads the form first: it must give 413 too
    response = client.post("/auth/login", data={"username": "x" * (BODY_LIMIT * 2), "password": "y"})
    assert_site_error_page(response, 413)


def test_oversized_api_body_is_json_413(test_routes, client):
    assert client.post("/api/v1/_test/body", data=b"x" * 100).get_json() == {"size": 100}
    assert_json_error(client.post("/api/v1/_test/body", data=b"x" * (BODY_LIMIT + 1)), 413)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_missing_csrf_token_is_a_400_page_that_says_what_to_do(client):
    response = client.post("/auth/login", data={"username": "a", "password": "b"})
    body = assert_site_error_page(response, 400)
    assert "Muat ulang halaman" in body


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_too_many_logins_is_a_429_page_with_retry_after(client):
    for _ in range(10):
        assert client.post("/auth/login", data={"username": "nobody", "password": "x"}).status_code == 200
    response = client.post("/auth/login", data={"username": "nobody", "password": "x"})
    assert_site_error_page(response, 429)
    assert 0 < int(response.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_too_many_api_requests_is_json_429_with_retry_after(client):
    for _ in range(120):
        assert client.get("/api/v1/kategori").status_code == 200
    response = client.get("/api/v1/kategori")
    assert_json_error(response, 429)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # The limit is per endpoint group, not a site-wide lock-out of that address.
    assert client.get("/").status_code == 200


def test_crash_while_the_database_is_gone_still_shows_the_500_page(test_routes, client, monkeypatch, caplog):
    def rollback_fails() -> None:
        raise ConnectionError("server closed the connection unexpectedly")

    monkeypatch.setattr(db.session, "rollback", rollback_fails)
    with caplog.at_level(logging.CRITICAL):
        assert_site_error_page(client.get("/_test/boom"), 500)
        assert_json_error(client.get("/api/v1/_test/boom"), 500)
