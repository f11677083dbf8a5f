"""Security headers, cookies and a strict CSP that the markup actually respects."""

from __future__ import annotations

import re
import shutil
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import base_config
from tests.factories import TEST_PASSWORD, make_user
from zi_public import create_app
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.models import Role

PAGES = ["/", "/auth/login", "/tidak-ada", "/api/v1/kategori", "/api/v1/openapi.json", "/api/v1/tidak-ada"]
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


@pytest.mark.parametrize("path", PAGES)
def test_strict_csp_on_every_kind_of_response(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "*" not in policy
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.parametrize("path", PAGES)
def test_basic_hardening_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in SAFE_REFERRER_POLICIES
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers, "HSTS on plain http development is a trap"


def test_a_response_keeps_its_own_value_of_a_default_header(app):
    """The defaults fill in what a response did not set (a WBS page sends no referrer), whatever the case."""

    @app.get("/_test/own-headers")
    def own_headers():
        return "", 204, {"referrer-policy": "no-referrer", "X-Frame-Options": "SAMEORIGIN"}

    response = app.test_client().get("/_test/own-headers")
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]


@pytest.mark.parametrize("path", ["/auth/login", "/internal/", "/internal/akun", "/internal/tidak-ada"])
def test_staff_pages_are_never_cached_even_when_redirecting(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/internal/", "/internal/akun", "/internal/audit", "/auth/password"])
def test_signed_in_staff_pages_are_never_cached(client, login_as, path):
    login_as(Role.ADMIN)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(app, client):
    with app.app_context():
        make_user(username="siti")
        db.session.commit()
    response = client.post("/auth/login", data={"username": "siti", "password": TEST_PASSWORD})
    assert response.status_code == 302
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("zi_session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- production -----------------------------------------------------------------------------


@pytest.fixture
def production_app(sqlite_template, tmp_path):
    path = tmp_path / "prod.sqlite3"
    shutil.copyfile(sqlite_template, path)
    app = create_app(base_config(tmp_path, f"sqlite:///{path}", ENV="production", WTF_CSRF_ENABLED=True))
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def test_production_sends_hsts(production_app):
    response = production_app.test_client().get("/", base_url="https://localhost")
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 3600


def test_production_cookies_are_secure_after_a_real_form_login(production_app):
    with production_app.app_context():
        make_user(role=Role.ADMIN, username="admin1")
        db.session.commit()
    client = production_app.test_client()
    https = {"base_url": "https://localhost"}
    token = csrf_token(client.get("/auth/login", **https).get_data(as_text=True))
    response = client.post(
        "/auth/login", **https, headers={"Referer": "https://localhost/auth/login"},
        data={"username": "admin1", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert response.headers["Location"].endswith("/internal/")
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("zi_session=")]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/internal/", **https).status_code == 200
    lang = client.get("/bahasa/en", **https).headers["Set-Cookie"]
    assert lang.startswith(f"{LANG_COOKIE}=en;") and "Secure" in lang


# --- markup that a strict CSP would break ---------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects what CSP `script-src 'self'; style-src 'self'` blocks, and the page's local links."""

    URL_ATTRS = ("href", "src", "action", "formaction")

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            elif name.startswith("on"):
                self.problems.append(f"inline handler {name} on <{tag}>")
            elif name in self.URL_ATTRS and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._in_script = True
            if not dict(attrs).get("src"):
                self.problems.append("<script> without src")
        if tag == "a" and (href := dict(attrs).get("href")):
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script body: {data.strip()[:40]!r}")


def inline_code(html: str) -> InlineCodeFinder:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder


def crawl(client: FlaskClient, starts: list[str], limit: int = 60) -> dict[str, list[str]]:
    """Every HTML page reachable by links from `starts`: path -> CSP problems found in it.

    One visit per path: the query string only pages or filters (the calendar links every year).
    """
    seen: dict[str, list[str]] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        if path in seen:
            continue
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(response.headers["Location"])
            continue
        if response.mimetype != "text/html":
            continue
        finder = inline_code(response.get_data(as_text=True))
        seen[path] = finder.problems
        for href in finder.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/static/", "/bahasa/")):
                continue  # the language switch only redirects; it is tested elsewhere
            queue.append(href.split("#")[0])
    return seen


def test_the_finder_catches_inline_code():
    html = (
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script><style>p{}</style>'
        '<a href="javascript:alert(1)">x</a><script src="/static/js/site.js"></script>'
    )
    assert len(inline_code(html).problems) == 6


def test_public_pages_have_no_inline_code(client):
    pages = crawl(client, ["/", "/auth/login", "/tidak-ada"])
    assert {"/", "/auth/login", "/tidak-ada"} <= set(pages)
    assert {path: p for path, p in pages.items() if p} == {}


def test_error_and_form_error_pages_have_no_inline_code(client):
    responses = [
        client.post("/"),  # 405
        client.post("/auth/login", data={"username": "", "password": ""}),  # error summary
        client.post("/auth/login", data={"username": "nobody", "password": "x"}),  # flash
    ]
    for response in responses:
        assert response.mimetype == "text/html"
        assert inline_code(response.get_data(as_text=True)).problems == []


@pytest.mark.parametrize("role", list(Role))
def test_internal_pages_have_no_inline_code(client, login_as, role):
    login_as(role)
    pages = crawl(client, ["/internal/", "/auth/password", "/auth/totp/setup"])
    assert "/internal/" in pages and "/auth/password" in pages and "/auth/totp/setup" in pages
    assert {path: p for path, p in pages.items() if p} == {}


def test_admin_pages_including_one_time_password_have_no_inline_code(app: Flask, client, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        make_user(username="budi")  # so that the account list links to a detail page
        db.session.commit()
    pages = crawl(client, ["/internal/"])
    assert any(path.startswith("/internal/akun/") and path[-1].isdigit() for path in pages), pages.keys()
    assert "/internal/hari-kerja" in pages and "/internal/audit" in pages
    assert {path: p for path, p in pages.items() if p} == {}
    created = client.post(
        "/internal/akun/baru", data={"username": "rina", "full_name": "Rina", "role": "skm"}
    )
    assert created.status_code == 200 and "rina" in created.get_data(as_text=True)
    assert inline_code(created.get_data(as_text=True)).problems == []


def test_a_refused_form_that_shows_personal_data_again_is_never_cached(client, seeded):
    """The re-rendered complaint form carries name, email, phone and NIK: no browser or proxy may keep it."""
    data = {"identity": "terbuka", "name": "Budi Santoso", "email": "budi@example.id", "nik": "3371010101010001"}
    response = client.post("/pengaduan/", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "3371010101010001" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/pengaduan/").headers.get("Cache-Control", "")  # the empty form may be cached
