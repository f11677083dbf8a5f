"""The kiosk's idle warning in a real Chromium, on a touch screen: before the reset a countdown appears with a
"Lanjutkan" button; a tap on it keeps the page and everything typed; left alone, the kiosk goes back to its
start page with nothing of the visitor left.

The idle time is shortened through the configuration the layout reads (KIOSK_IDLE_SECONDS and
KIOSK_IDLE_WARNING_SECONDS become data-kiosk-idle and data-kiosk-warn on <body>).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Problems, csp_violations

pytestmark = pytest.mark.browser

HOME_TITLE = "Selamat datang. Apa yang ingin Anda sampaikan?"
TYPED = "Antrean loket 3 tidak dipanggil"
COUNTDOWN = re.compile(r"^Halaman kembali ke awal dalam ([1-5]) detik$")


@pytest.fixture
def short_idle(live_server: LiveServer) -> Iterator[None]:
    """Seven seconds of idle time, the last five of them counted down (instead of 90 and 20)."""
    config = live_server.app.config
    before = {key: config.get(key) for key in ("KIOSK_IDLE_SECONDS", "KIOSK_IDLE_WARNING_SECONDS")}
    config.update(KIOSK_IDLE_SECONDS=7, KIOSK_IDLE_WARNING_SECONDS=5)
    yield
    config.update(before)


def test_the_countdown_offers_lanjutkan_which_keeps_the_typing_and_otherwise_the_kiosk_starts_afresh(
    live_server: LiveServer,
    kiosk_cookie: dict[str, str],
    short_idle: None,
    new_page: Callable[..., Page],
    problems: Problems,
):
    base = live_server.url
    page = new_page(cookies=[kiosk_cookie], has_touch=True, reduced_motion="reduce", csp_recorder=True)
    page.goto(f"{base}/kiosk/pengaduan")
    title = page.get_by_label("Judul pengaduan", exact=True)
    title.fill(TYPED)

    # Two seconds later the last five begin: the countdown in words, read out politely, the button in focus.
    warning, count = page.locator("#kiosk-idle-warning"), page.locator("#kiosk-idle-count")
    expect(warning).to_be_visible()
    expect(count).to_have_text(COUNTDOWN)
    first = count.inner_text()
    expect(count).not_to_have_text(first)  # it counts down
    carry_on = page.get_by_role("button", name="Lanjutkan", exact=True)
    expect(carry_on).to_be_focused()
    announced = page.get_by_role("status").filter(has_text="Halaman kembali ke awal dalam")
    expect(announced).to_have_attribute("aria-live", "polite")
    # Under prefers-reduced-motion the warning appears without sliding in.
    assert warning.evaluate("element => getComputedStyle(element).animationName") == "none"

    carry_on.tap()
    expect(warning).to_be_hidden()
    expect(title).to_have_value(TYPED)
    expect(title).to_be_focused()  # back where the visitor was
    assert page.url == f"{base}/kiosk/pengaduan"

    # Left alone again: the countdown comes back and runs out, and the start page holds nothing of this visitor.
    expect(warning).to_be_visible()
    page.wait_for_url(f"{base}/kiosk/", timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_TITLE)
    page.get_by_role("link", name=re.compile("^Pengaduan")).click()
    page.wait_for_url(f"{base}/kiosk/pengaduan")
    expect(page.get_by_label("Judul pengaduan", exact=True)).to_have_value("")
    assert csp_violations(page) == []
    assert problems.messages == []
