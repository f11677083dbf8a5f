"""The kiosk's receipt as the thermal printer gets it, on 58 mm and 80 mm rolls: number, access code, when it was
received and its category, nothing wider than the paper, one receipt long; no screen furniture on it.

Only a browser lays the print style sheet out, so this is where the paper width is checked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Problems, csp_violations
from zi_public.i18n import LANG_COOKIE

pytestmark = pytest.mark.browser

MM_PER_POINT = 25.4 / 72
#: The longest category name in each language: it must wrap within the paper.
LONGEST_CATEGORY = "sistem-online"
#: Every box the printer gets that reaches past the body (the roll's printable width), with by how much.
OVERFLOW = """() => {
  const edge = document.body.getBoundingClientRect().right;
  return [...document.body.querySelectorAll("*")]
    .filter((element) => element.getClientRects().length && element.getBoundingClientRect().right > edge + 0.5)
    .map((element) => {
      const over = element.getBoundingClientRect().right - edge;
      return `${element.tagName}.${element.getAttribute("class")} +${over}px`;
    });
}"""


@pytest.fixture
def paper(live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[int]:
    config = live_server.app.config
    before = config.get("KIOSK_PAPER_MM")
    config["KIOSK_PAPER_MM"] = request.param
    yield request.param
    config["KIOSK_PAPER_MM"] = before


@pytest.mark.parametrize(
    ("paper", "language", "terms"),
    [
        (58, "en", ("Complaint number", "Access code", "Received", "Category")),
        (80, "id", ("Nomor pengaduan", "Kode akses", "Diterima", "Kategori")),
    ],
    indirect=["paper"],
)
def test_the_printed_receipt_fits_the_roll_and_says_when_and_what(
    live_server: LiveServer,
    kiosk_cookie: dict[str, str],
    paper: int,
    language: str,
    terms: tuple[str, ...],
    new_page: Callable[..., Page],
    problems: Problems,
):
    base = live_server.url
    cookies = [kiosk_cookie, {"name": LANG_COOKIE, "value": language, "url": base}]
    page = new_page(locale=None, cookies=cookies, has_touch=True, csp_recorder=True)
    page.goto(f"{base}/kiosk/pengaduan")
    page.locator("input[name=identity][value=anonim]").check()
    page.locator("select[name=category]").select_option(LONGEST_CATEGORY)
    page.locator("input[name=title]").fill("OSS menolak unggahan berkas")
    page.locator("textarea[name=description]").fill("Unggahan PDF 2 MB selalu gagal sejak Senin.")
    page.locator(".kiosk-form input[type=submit]").click()
    page.wait_for_url(f"{base}/kiosk/pengaduan/terkirim")

    page.emulate_media(media="print")
    for term in terms:
        expect(page.locator("dt", has_text=re.compile(f"^{term}$"))).to_be_visible()
    expect(page.locator(".receipt-received")).to_have_text(re.compile(r"^\d{1,2} \w+ \d{4}, \d{2}\.\d{2} WIB$"))
    expect(page.locator(".receipt-category")).to_be_visible()
    for screen_only in (".kiosk-header", "#kiosk-idle-note", "#kiosk-idle-warning", "[data-kiosk-print]"):
        expect(page.locator(screen_only)).to_be_hidden()
    assert page.evaluate(OVERFLOW) == [], f"wider than the {paper} mm roll"

    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # one receipt, not cut in two
    width_points = float(re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+)", pdf).group(1))
    assert abs(width_points * MM_PER_POINT - paper) < 1
    assert csp_violations(page) == []
    assert problems.messages == []
