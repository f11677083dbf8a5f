"""Several officers at once on a real threaded server: every case page (an audited read) opens, the chain holds.

A case page read writes an audit entry, so concurrent readers are concurrent writers of the hash chain. On
SQLite two requests used to read the same chain head and the second failed (UNIQUE prev_hash: 9 % of page
opens with 2 officers, 62 % with 20). The gunicorn variant with two worker processes is in
tests/bench/staff_concurrency.py.
"""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.e2e.conftest import QuietHandler
from tests.factories import TEST_PASSWORD, make_pengaduan, make_user
from zi_public.extensions import db as _db
from zi_public.models import Role
from zi_public.services.audit import verify_chain

OFFICERS = 20
PAGES_EACH = 4


@pytest.fixture
def server(seeded: Flask) -> Iterator[str]:
    httpd = make_server("127.0.0.1", 0, seeded, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def signed_in(base: str, username: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    data = urllib.parse.urlencode({"username": username, "password": TEST_PASSWORD}).encode()
    with opener.open(f"{base}/auth/login", data=data, timeout=30) as response:
        assert response.status == 200 and "/auth/login" not in response.url  # followed the redirect in
    return opener


def status_of(opener: urllib.request.OpenerDirector, url: str) -> int:
    try:
        with opener.open(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_twenty_officers_open_case_pages_at_once_and_the_audit_chain_holds(seeded, server):
    with seeded.app_context():
        usernames = [make_user(Role.PENGADUAN).username for _ in range(OFFICERS)]
        case = make_pengaduan(identity="rahasia")
        _db.session.commit()
        page = f"{server}/internal/pengaduan/{case.id}"
    openers = [signed_in(server, name) for name in usernames]
    start = threading.Barrier(OFFICERS)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def officer(opener: urllib.request.OpenerDirector) -> None:
        start.wait()
        for _ in range(PAGES_EACH):
            status = status_of(opener, page)
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=officer, args=(opener,)) for opener in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == {200: OFFICERS * PAGES_EACH}
    with seeded.app_context():
        report = verify_chain()
    assert report.ok, str(report)
