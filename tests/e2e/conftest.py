"""Shared parts of the browser tests: Chromium, a live server running the real app for it (migrated SQLite,
CSRF on, rate limit off), pages that record their problems (console errors, uncaught exceptions, CSP
violations), the reference data and staff accounts, and signing in."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import base_config
from tests.factories import TEST_PASSWORD, make_kiosk_device, make_user
from zi_public import create_app
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.models import Role
from zi_public.services import kiosk as kiosk_service
from zi_public.services.reference import seed_reference_data

# Generous waits: a shared CI machine can be slow, and a wait only costs time when it fails.
expect.set_options(timeout=20_000)

#: The system's Chromium (test_browser skips, or in CI fails, the browser tests when it is missing).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
#: Records CSP violations in the page; Playwright injects it over CDP, so the CSP does not apply.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
#: A small phone's screen, and what a page's full width is (wider than the screen: it scrolls sideways).
PHONE = {"width": 360, "height": 740}
SCROLL_WIDTH = "document.documentElement.scrollWidth"


@dataclass
class Problems:
    """Console errors, uncaught exceptions and CSP violations seen while a test ran."""

    messages: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            where = message.location.get("url", "")
            self.messages.append(f"console {message.type}: {message.text} ({where})")

    def page_error(self, error: Exception) -> None:
        self.messages.append(f"uncaught: {error}")


def csp_violations(page: Page) -> list[str]:
    """What CSP_RECORDER saw in the page."""
    return page.evaluate("window.__cspViolations")


class QuietHandler(WSGIRequestHandler):
    """No access log line per request: the test output stays readable (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """`app` on a threaded server at a free local port, for the length of the block; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def live_app(root: Path, sqlite_template: Path, **config: Any) -> Iterator[LiveServer]:
    """The real app on a copy of the migrated SQLite template in `root` (CSRF on, rate limit off unless
    `config` says otherwise), served for the length of the block."""
    path = root / "live.sqlite3"
    shutil.copyfile(sqlite_template, path)
    app = create_app(
        {**base_config(root, f"sqlite:///{path}", WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False), **config}
    )
    try:
        with serving(app) as url:
            app.config["BASE_URL"] = url  # receipts' links and QR codes
            yield LiveServer(app, url)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_app(tmp_path_factory.mktemp("live"), sqlite_template) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, started once per test module (skipped when missing; in CI, failed)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (required in CI: apt-get install chromium)", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(
    browser: Browser,
    problems: Problems,
    *,
    locale: str | None = "id-ID",
    timeout: float | None = 60_000,
    cookies: list[Any] | None = None,
    csp_recorder: bool = False,
    prepare: Callable[[BrowserContext], None] | None = None,
    **context_options: Any,
) -> Page:
    """A page in a fresh browser context (its own cookies: one person or device each) whose console errors
    and uncaught exceptions go to `problems`; `csp_recorder` also records CSP violations (csp_violations),
    `prepare` sets the context up before the page opens. Close it with page.context.close()."""
    if locale is not None:
        context_options["locale"] = locale
    context = browser.new_context(**context_options)
    if timeout is not None:
        context.set_default_timeout(timeout)
    if cookies:
        context.add_cookies(cookies)
    if prepare is not None:
        prepare(context)
    page = context.new_page()
    if csp_recorder:
        page.add_init_script(CSP_RECORDER)
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    return page


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def new_page(browser: Browser, problems: Problems) -> Iterator[Callable[..., Page]]:
    """open_page(browser, problems, ...) as a function of its options; every context closes after the test."""
    pages: list[Page] = []

    def new(**options: Any) -> Page:
        pages.append(open_page(browser, problems, **options))
        return pages[-1]

    yield new
    for page in pages:
        page.context.close()


@pytest.fixture
def phone_page(new_page: Callable[..., Page], live_server: LiveServer) -> Callable[[str], Page]:
    """A page on a 360 px touch phone (PHONE) showing the live server in `language`, which the language cookie
    alone decides, its CSP violations recorded (csp_violations)."""

    def new(language: str) -> Page:
        return new_page(
            locale=None,
            cookies=[{"name": LANG_COOKIE, "value": language, "url": live_server.url}],
            viewport=PHONE, is_mobile=True, has_touch=True, csp_recorder=True,
        )  # fmt: skip

    return new


def seed(live_server: LiveServer, *staff: tuple[Role, str]) -> None:
    """The reference data, and a staff account (role, username) each, in the live server's database."""
    with live_server.app.app_context():
        seed_reference_data()
        for role, username in staff:
            make_user(role=role, username=username)
        db.session.commit()


@pytest.fixture(scope="module")
def kiosk_cookie(live_server: LiveServer) -> dict[str, str]:
    """Reference data and a registered kiosk device; its cookie as activation would set it."""
    with live_server.app.app_context():
        seed_reference_data()
        _device, value = make_kiosk_device("Kiosk ruang tunggu")
        db.session.commit()
    return {"name": kiosk_service.COOKIE_NAME, "value": value, "domain": "127.0.0.1", "path": "/kiosk/"}


def sign_in(page: Page, base: str, username: str) -> None:
    """A staff member signs in through the login page (factories' TEST_PASSWORD)."""
    page.goto(f"{base}/auth/login")
    page.get_by_label("Nama pengguna", exact=True).fill(username)
    page.get_by_label("Kata sandi", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/internal/")
