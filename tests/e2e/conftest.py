"""Shared parts of the browser tests: Chromium, and a live server running the real app for it
(migrated SQLite, CSRF on, rate limit off)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import base_config
from zi_public import create_app
from zi_public.extensions import db

#: The system's Chromium (test_browser skips, or in CI fails, the browser tests when it is missing).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


class QuietHandler(WSGIRequestHandler):
    """No access log line per request: the test output stays readable (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str


@pytest.fixture(scope="module")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("live")
    path = root / "live.sqlite3"
    shutil.copyfile(sqlite_template, path)
    app = create_app(
        base_config(root, f"sqlite:///{path}", WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # receipts' links and QR codes
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, started once per test module."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
