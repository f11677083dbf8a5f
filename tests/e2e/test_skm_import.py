"""End-to-end in a real Chromium: the paper-form upload shows its progress and then a processing state, shows
the wrong cells or the import in place (CSRF on, no CSP violation), and works the same without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, csp_violations, seed, sign_in
from tests.services.skm.paper_files import paper_row, xlsx_file
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Role, SkmResponse

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Records every text the progress line shows and whether the bar was ever determinate or indeterminate.
PROGRESS_RECORDER = """
window.__importStates = [];
new MutationObserver(() => {
  const bar = document.querySelector("[data-import-progress] progress");
  const status = document.querySelector("[data-import-status]");
  if (bar && status && status.textContent) {
    window.__importStates.push((bar.hasAttribute("value") ? "bar " : "busy ") + status.textContent);
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


@pytest.fixture(scope="module")
def tim(live_server: LiveServer) -> str:
    seed(live_server, (Role.SKM, "e2e.skm"))
    return "e2e.skm"


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page(csp_recorder=True)


def rows(count: int, **overrides):  # noqa: ANN201
    day = today_jakarta() - timedelta(days=1)
    return [paper_row(submitted_on=day, suggestion=f"Formulir {n}", **overrides) for n in range(count)]


def choose(page: Page, name: str, data: bytes) -> None:
    page.get_by_label("Berkas xlsx yang sudah diisi").set_input_files({"name": name, "mimeType": XLSX, "buffer": data})


def stored(live_server: LiveServer) -> int:
    with live_server.app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse))


def test_the_upload_shows_progress_then_the_errors_then_the_import_in_place(page, problems, live_server, tim):
    base = live_server.url
    sign_in(page, base, tim)
    page.add_init_script(PROGRESS_RECORDER)
    page.goto(f"{base}/internal/skm/impor")
    before = stored(live_server)

    choose(page, "salah.xlsx", xlsx_file(rows(3, U4=5)))
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_role("heading", name="Berkas tidak diimpor")).to_be_visible()
    assert page.url == f"{base}/internal/skm/impor"
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("table")).to_contain_text("Jawaban harus salah satu dari 1, 2, 3 atau 4.")
    states = page.evaluate("window.__importStates")
    assert any(s.startswith("bar Mengunggah berkas…") for s in states), states
    assert any(s.startswith("busy Berkas terunggah.") for s in states), states  # indeterminate while checking
    assert stored(live_server) == before

    # The form under the errors works the same way (the script found it in the new page).
    choose(page, "benar.xlsx", xlsx_file(rows(3, U4=4)))
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_text("3 tanggapan dari formulir kertas diimpor.")).to_be_visible()
    assert re.fullmatch(rf"{base}/internal/skm/impor/\d+", page.url)
    assert stored(live_server) == before + 3
    assert csp_violations(page) == []
    # Chromium logs the refused upload's status (422, as without JavaScript); nothing else may show.
    assert [m for m in problems.messages if "status of 422" not in m] == []


def test_without_javascript_the_form_is_a_plain_post(new_page, problems, live_server, tim):
    page = new_page(java_script_enabled=False, csp_recorder=True)
    base = live_server.url
    sign_in(page, base, tim)
    page.goto(f"{base}/internal/skm/impor")
    expect(page.locator("[data-import-progress]")).to_be_hidden()
    before = stored(live_server)
    choose(page, "tanpa-js.xlsx", xlsx_file(rows(2, U1=1)))
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_text("2 tanggapan dari formulir kertas diimpor.")).to_be_visible()
    assert re.fullmatch(rf"{base}/internal/skm/impor/\d+", page.url)
    assert stored(live_server) == before + 2
    assert problems.messages == []
