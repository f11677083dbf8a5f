"""A whistle-blower's requests: no cache, no referrer, no address in rate-limit keys, no access-log line.

Probe routes under /wbs/ and /api/v1/wbs/ make these tests independent of the WBS pages themselves; the
real pages are walked in tests/security/test_wbs_no_traces.py.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from flask import Flask

from zi_public.extensions import limiter
from zi_public.security import anonymity
from zi_public.security.anonymity import DropReporterRequests, is_reporter_path, wbs_client_key

ADDRESS = "203.0.113.77"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/wbs", True),
        ("/wbs/", True),
        ("/wbs/status", True),
        ("/api/v1/wbs", True),
        ("/api/v1/wbs/status", True),
        ("/api/v1/wbs/kategori", True),
        ("/internal/wbs/", False),  # the team's pages: staff, not the reporter
        ("/wbsx", False),
        ("/api/v1/wbsx", False),
        ("/pengaduan/", False),
        ("/", False),
    ],
)
def test_reporter_paths(path, expected):
    assert is_reporter_path(path) is expected


def add_probes(app: Flask) -> None:
    app.add_url_rule("/wbs/probe", "wbs_probe", lambda: "ok", methods=["GET", "POST"])
    app.add_url_rule("/api/v1/wbs/probe", "wbs_api_probe", lambda: {"ok": True}, methods=["GET", "POST"])
    app.add_url_rule("/elsewhere/probe", "other_probe", lambda: "ok")


@pytest.mark.parametrize("path", ["/wbs/probe", "/api/v1/wbs/probe"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_reporter_answers_are_never_cached_and_send_no_referrer(bare_app, path, method):
    add_probes(bare_app)
    response = bare_app.test_client().open(path, method=method)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_reporter_error_pages_too(bare_app):
    response = bare_app.test_client().get("/wbs/no-such-page")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_other_pages_keep_the_site_policy(bare_app):
    add_probes(bare_app)
    response = bare_app.test_client().get("/elsewhere/probe")
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Cache-Control" not in response.headers


def test_the_rate_limit_key_is_not_the_address_and_changes_daily(bare_app, monkeypatch):
    with bare_app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}):
        key = wbs_client_key()
        assert ADDRESS not in key and ADDRESS.replace(".", "") not in key
        assert key == wbs_client_key()  # stable within the day: limits still count
        monkeypatch.setattr(anonymity, "today_jakarta", lambda: date(2031, 1, 2))
        assert wbs_client_key() != key  # rotated the next day
    with bare_app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.78"}):
        assert wbs_client_key() != key


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_the_limiter_stores_and_logs_no_address(bare_app, caplog):
    app = bare_app
    app.add_url_rule(
        "/wbs/limited",
        "wbs_limited",
        limiter.limit("2 per minute", key_func=wbs_client_key)(lambda: "ok"),
        methods=["POST"],
    )
    client = app.test_client()
    caplog.set_level(logging.INFO, logger="flask-limiter")
    statuses = [client.post("/wbs/limited", environ_base={"REMOTE_ADDR": ADDRESS}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    stored = " ".join(str(k) for k in limiter.storage.storage)  # MemoryStorage: key -> count
    assert "wbs:" in stored
    assert ADDRESS not in stored
    assert ADDRESS not in caplog.text


def _werkzeug_record(request_line: str) -> logging.LogRecord:
    """What werkzeug's development server logs for each request (address and moment in the message)."""
    return logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1,
        f'{ADDRESS} - - [30/Nov/2026 10:15:02] "%s" %s %s', (request_line, "302", "-"), None,
    )  # fmt: skip


def _gunicorn_record(path: str, referrer: str = "-") -> logging.LogRecord:
    """What gunicorn's access logger logs (format %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s")."""
    atoms = {"h": ADDRESS, "l": "-", "u": "-", "t": "[30/Nov/2026:10:15:02 +0700]", "r": f"POST {path} HTTP/1.1",
             "s": "200", "b": "10", "f": referrer, "a": "Mozilla/5.0"}  # fmt: skip
    return logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"',
        (atoms,), None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("record", "kept"),
    [
        (_werkzeug_record("POST /wbs/ HTTP/1.1"), False),
        (_werkzeug_record("GET /wbs HTTP/1.1"), False),
        (_werkzeug_record("POST /wbs/status HTTP/1.1"), False),
        (_werkzeug_record("POST /api/v1/wbs HTTP/1.1"), False),
        (_werkzeug_record("GET /api/v1/wbs/kategori?x=1 HTTP/1.1"), False),
        (_gunicorn_record("/wbs/"), False),
        (_gunicorn_record("/static/css/site.css", referrer="https://zi.example.id/wbs/status"), False),
        (_werkzeug_record("GET /internal/wbs/ HTTP/1.1"), True),
        (_werkzeug_record("POST /pengaduan/ HTTP/1.1"), True),
        (_werkzeug_record("GET /wbsx HTTP/1.1"), True),
        (_gunicorn_record("/pengaduan/"), True),
    ],
)
def test_access_log_lines_of_reporter_requests_are_dropped(record, kept):
    assert DropReporterRequests().filter(record) is kept


def test_the_filter_sits_on_the_access_loggers(bare_app, caplog):
    caplog.set_level(logging.INFO)
    for name in anonymity.ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        assert any(isinstance(f, DropReporterRequests) for f in logger.filters)
        logger.info('%s - - [30/Nov/2026 10:15:02] "%s" %s %s', ADDRESS, "POST /wbs/ HTTP/1.1", "302", "-")
    assert ADDRESS not in caplog.text
    # One filter per logger, however many apps a process creates.
    assert sum(isinstance(f, DropReporterRequests) for f in logging.getLogger("werkzeug").filters) == 1


def test_every_reporter_limit_counts_per_hashed_key(app):
    """Every rate limit on a /wbs or /api/v1/wbs route counts per wbs_client_key: the limiter's default key
    (zi_public.security.client.client_key) is the address in clear, in its storage and its log line."""
    from flask_limiter.util import get_qualified_name

    manager = limiter.limit_manager
    # Limits for every route would count reporters by address too: there must be none.
    assert not manager._application_limits and not manager._default_limits
    reporter_rules = [r for r in app.url_map.iter_rules() if is_reporter_path(r.rule)]
    assert len(reporter_rules) >= 8  # the pages and the API
    limited = 0
    with app.app_context():
        for rule in reporter_rules:
            groups = list(manager._decorated_limits.get(get_qualified_name(app.view_functions[rule.endpoint]), []))
            for ancestor in rule.endpoint.split(".")[:-1]:  # nested blueprints: "api.wbs.status"
                groups += list(manager._blueprint_limits.get(ancestor, []))
            for group in groups:
                assert group.key_function is wbs_client_key, f"{rule.rule}: a limit keyed by {group.key_function}"
                limited += 1
    assert limited >= 6  # the form, the look-up, the reply, and the same three in the API
