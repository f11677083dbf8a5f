"""The whistle-blower in a browser and through the API (issue 8, points 5 and 10, "How it will be checked").

A report filed through the web form and one through the API, from a known address with a known user agent,
both opened with their receipts and answered: afterwards no WBS row holds a moment, the address or the
user agent (tests/security/test_wbs_no_traces.py's generic inspection), nothing stored holds the words, the
receipts or the e-mail address (tests/security/test_wbs_at_rest.py's search), no log line names the address
or the user agent, every answer is no-store and no-referrer, and no page loads anything from another host.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.security.test_wbs_at_rest import EMAIL, WORDS, assert_absent, png_with_text, stored_rows
from tests.security.test_wbs_no_traces import ADDRESS, AGENT, assert_no_traces, audit_count, moments_within
from zi_public.extensions import db
from zi_public.models import AuditEntry, WbsCategory, WbsMessage, WbsReport
from zi_public.models.base import utcnow
from zi_public.services.wbs import reporter_audit as wbs_audit

RECEIPT_SHOWN = re.compile(r'class="secret wbs-receipt-code">([^<]+)<')
#: A resource from elsewhere: an absolute or protocol-relative URL in src, href, action or a CSS url().
FOREIGN = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']\s*(?:[a-z]+:)?//|url\(\s*["']?\s*(?:https?:)?//""", re.I
)
ENVIRON = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT}


@pytest.fixture
def browser(seeded: Flask) -> FlaskClient:
    client = seeded.test_client()
    client.environ_base.update(ENVIRON)
    return client


@pytest.fixture
def category(seeded: Flask) -> str:
    with seeded.app_context():
        return db.session.scalar(sa.select(WbsCategory.code).order_by(WbsCategory.id).limit(1))


def check_answer(response, path: str) -> None:
    """Every reporter answer: no-store, no-referrer, the strict CSP, nothing loaded from another host."""
    assert response.headers.get("Cache-Control") == "no-store", path
    assert response.headers.get("Referrer-Policy") == "no-referrer", path
    assert "default-src 'self'" in response.headers["Content-Security-Policy"], path
    if response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        assert not FOREIGN.search(page), f"{path} loads from another host: {FOREIGN.search(page).group(0)}"


def file_through_the_form(client: FlaskClient, category: str) -> str:
    for path in ("/wbs/", "/wbs/sop", "/wbs/lapor", "/wbs/status"):
        response = client.get(path)
        assert response.status_code == 200, path
        check_answer(response, path)
    data = {
        "category": category,
        "what": f"Petugas {WORDS['what']} meminta uang.",
        "who_name": WORDS["who_name"],
        "who_position": WORDS["who_position"],
        "who_unit": WORDS["who_unit"],
        "when": WORDS["when"],
        "where": WORDS["where"],
        "how": WORDS["how"],
        "how_known": WORDS["how_known"],
        "identity": f"Hubungi saya di {EMAIL}",
        "submission_key": "w4" * 16,
        "attachments": [(io.BytesIO(png_with_text(WORDS["file"])), f"IMG_20261123_101502_{WORDS['file']}.png")],
    }
    response = client.post("/wbs/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    check_answer(response, "POST /wbs/lapor")
    response = client.get(response.headers["Location"])
    check_answer(response, "the receipt page")
    match = RECEIPT_SHOWN.search(response.get_data(as_text=True))
    assert match, "no receipt shown"
    return match.group(1).strip()


def converse_in_the_browser(client: FlaskClient, receipt: str) -> None:
    response = client.post("/wbs/status", data={"receipt": receipt})
    assert response.status_code == 302
    check_answer(response, "POST /wbs/status")
    response = client.get("/wbs/status")
    assert response.status_code == 200 and "/wbs/status/balas" in response.get_data(as_text=True)
    check_answer(response, "the status page")
    data = {
        "body": f"Tambahan {WORDS['reply']}.",
        "attachments": [(io.BytesIO(png_with_text(WORDS["file"])), f"{WORDS['reply']}.png")],
    }
    response = client.post("/wbs/status/balas", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    check_answer(response, "POST /wbs/status/balas")
    response = client.post("/wbs/status", data={"receipt": "ABCDEF-GHJKMN-PQRSTV"})  # a wrong one
    check_answer(response, "a wrong receipt")


def test_the_browser_leaves_no_traces_and_nothing_in_clear(seeded, browser, category, database_url, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    with seeded.app_context():
        before = audit_count()
    start = utcnow()
    receipt = file_through_the_form(browser, category)
    converse_in_the_browser(browser, receipt)

    with seeded.app_context():
        assert audit_count() == before, "a reporter-side event entered the audit log at its moment"
        assert moments_within(start, utcnow()) == []
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsReport)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsMessage)) == 1
        assert assert_no_traces() >= 4
        queued = db.session.execute(sa.text("SELECT action, times FROM wbs_audit_queue ORDER BY action")).all()
        assert [tuple(r) for r in queued] == [
            (wbs_audit.FILED, 1),
            (wbs_audit.MESSAGE, 1),
            (wbs_audit.SESSION_OPENED, 1),
        ]
        assert not db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.data.contains(ADDRESS)))
    for table, blob in stored_rows(seeded):
        assert ADDRESS.encode() not in blob and AGENT.encode() not in blob, table
        assert_absent(f"a row of {table}", blob, receipt)
    if database_url.startswith("sqlite"):
        raw = Path(database_url.removeprefix("sqlite:///")).read_bytes()
        assert_absent("the SQLite file", raw, receipt)
        assert ADDRESS.encode() not in raw and AGENT.encode() not in raw
    for path in Path(seeded.config["UPLOAD_DIR"]).rglob("*"):
        if path.is_file():
            assert_absent(f"upload {path.name}", path.read_bytes(), receipt)
    assert_backup_holds_none_of_it(seeded, tmp_path / "backup.zip", receipt)
    assert ADDRESS not in caplog.text and AGENT not in caplog.text
    assert receipt not in caplog.text and WORDS["what"] not in caplog.text


def assert_backup_holds_none_of_it(app: Flask, output: Path, receipt: str) -> None:
    result = app.test_cli_runner().invoke(args=["backup", "create", "-o", str(output)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as zf:
        for member in zf.namelist():
            data = zf.read(member)
            assert_absent(f"backup member {member}", data, receipt)
            assert ADDRESS.encode() not in data and AGENT.encode() not in data, member


def test_the_api_leaves_no_traces_and_nothing_in_clear(seeded, browser, category, database_url, caplog):
    caplog.set_level(logging.DEBUG)
    with seeded.app_context():
        before = audit_count()
    start = utcnow()
    response = browser.get("/api/v1/wbs/kategori")
    assert response.status_code == 200 and category in {c["code"] for c in response.get_json()}
    check_answer(response, "GET /api/v1/wbs/kategori")
    payload = {
        "category": category,
        "what": f"Petugas {WORDS['what']} meminta uang.",
        "who": WORDS["who_name"],
        "who_position": WORDS["who_position"],
        "who_unit": WORDS["who_unit"],
        "when": WORDS["when"],
        "where": WORDS["where"],
        "how": WORDS["how"],
        "how_known": WORDS["how_known"],
        "identity": f"Hubungi saya di {EMAIL}",
    }
    response = browser.post("/api/v1/wbs", json=payload)
    assert response.status_code == 201, response.get_json()
    check_answer(response, "POST /api/v1/wbs")
    receipt = response.get_json()["receipt"]
    for path, body in (
        ("/api/v1/wbs/messages", {"receipt": receipt, "body": f"Tambahan {WORDS['reply']}."}),
        ("/api/v1/wbs/status", {"receipt": receipt}),
        ("/api/v1/wbs/status", {"receipt": "ABCDEF-GHJKMN-PQRSTV"}),
    ):
        response = browser.post(path, json=body)
        assert response.status_code in (200, 201, 404), (path, response.get_json())
        check_answer(response, f"POST {path}")
        assert "Set-Cookie" not in response.headers

    with seeded.app_context():
        assert audit_count() == before, "a reporter-side event entered the audit log at its moment"
        assert moments_within(start, utcnow()) == []
        assert assert_no_traces() >= 3
        actions = {row[0] for row in db.session.execute(sa.text("SELECT action FROM wbs_audit_queue"))}
        assert {wbs_audit.FILED, wbs_audit.MESSAGE} <= actions
    for table, blob in stored_rows(seeded):
        assert ADDRESS.encode() not in blob and AGENT.encode() not in blob, table
        assert_absent(f"a row of {table}", blob, receipt)
    if database_url.startswith("sqlite"):
        raw = Path(database_url.removeprefix("sqlite:///")).read_bytes()
        assert_absent("the SQLite file", raw, receipt)
    assert ADDRESS not in caplog.text and AGENT not in caplog.text and receipt not in caplog.text
