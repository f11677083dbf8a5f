"""End-to-end in a real Chromium, with the deadline panel's rate limit on and small: once the live panel is
refused (429), it says so in the panel, stops asking for the server's wait, and shows the "Hitung tenggat"
button, which works the same panel out on the server. No uncaught error, no CSP violation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Problems, csp_violations, live_app
from tests.e2e.test_gratifikasi_form import working_days_back

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The shared live server's app, but with rate limits on: two live-panel questions a minute."""
    with live_app(
        tmp_path_factory.mktemp("live-limited"), sqlite_template,
        RATELIMIT_ENABLED=True, RATELIMIT_GRATIFIKASI_DEADLINE="2 per minute",
    ) as server:  # fmt: skip
        yield server


def test_a_limited_panel_says_so_and_offers_the_button(
    live_server: LiveServer, new_page: Callable[..., Page], problems: Problems
):
    page = new_page(csp_recorder=True)
    page.clock.install()  # the script's timers run when the test says so: no waiting, no race
    page.goto(f"{live_server.url}/gratifikasi/lapor")
    button = page.get_by_role("button", name="Hitung tenggat")
    expect(button).to_be_hidden()
    received = page.get_by_label("Tanggal diterima atau ditolak", exact=True)
    panel = page.locator("[data-deadline-panel]")
    late, on_time = working_days_back(live_server, 35), working_days_back(live_server, 20)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/tenggat" in request.url else None)

    def type_date(day: date) -> None:
        received.fill(day.isoformat())
        page.clock.run_for(300)  # the script's pause after typing

    type_date(late)
    expect(panel).to_contain_text("Terlambat: sudah 35 hari kerja sejak diterima")
    type_date(on_time)
    expect(panel).to_contain_text("sisa 10 hari kerja")
    type_date(late)  # the third question in a minute
    expect(panel.locator(".panel-line.warning")).to_have_text(
        "Terlalu banyak permintaan. Tekan \u201cHitung tenggat\u201d, atau tunggu 1 menit."
    )
    expect(button).to_be_visible()
    assert len(asked) == 3
    type_date(date.fromordinal(late.toordinal() - 1))
    page.clock.run_for(30_000)
    assert len(asked) == 3  # it waits out the server's Retry-After instead of asking again
    expect(panel.locator(".panel-line.warning")).to_be_visible()

    type_date(late)
    button.click()  # the form's own path: the server works the panel out, the page comes back with it
    expect(panel.locator(".panel-line.late")).to_contain_text("Terlambat: sudah 35 hari kerja sejak diterima")
    assert csp_violations(page) == []
    # Chromium logs every refused fetch as a console error; anything else is a fault.
    assert [m for m in problems.messages if "status of 429" not in m] == []
