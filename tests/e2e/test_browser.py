"""End-to-end in a real Chromium: the public shell, the language switch, a staff sign-in."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import CHROMIUM, CSP_RECORDER, Problems, csp_violations
from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.models import Role
from zi_public.security.headers import CONTENT_SECURITY_POLICY

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing (required in CI: apt-get install chromium)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

NEW_PASSWORD = "sebuah frasa sandi baru 42"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="id-ID")
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.add_init_script(CSP_RECORDER)
        yield page
    finally:
        context.close()


@pytest.fixture
def problems(page: Page) -> Problems:
    found = Problems()
    page.on("console", found.console)
    page.on("pageerror", found.page_error)
    return found


#: Visible text whose colour contrast against its effective background is below WCAG 2 AA.
LOW_CONTRAST_JS = """
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    const p = m ? m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number) : [0, 0, 0, 0];
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!text || rect.width === 0 || rect.right < 0 || style.visibility === "hidden") continue;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const bg = background(el), fg = parse(style.color), a = fg.a * opacity;
    const mixed = {r: fg.r * a + bg.r * (1 - a), g: fg.g * a + bg.g * (1 - a), b: fg.b * a + bg.b * (1 - a)};
    const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName} "${text.slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return failures;
}
"""

#: The element that has focus: what it is and whether a focus indicator is drawn.
FOCUSED_JS = """
() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const label = (e.getAttribute("href") || e.getAttribute("name") || e.textContent || "").trim();
  return {what: `${e.tagName} ${label.slice(0, 30)}`,
          visible: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2};
}
"""

#: Links in the content and footer that are not underlined (buttons excepted).
UNDERLINED_JS = """
[...document.querySelectorAll("main a:not(.button), footer a")]
  .filter((a) => !getComputedStyle(a).textDecorationLine.includes("underline"))
  .map((a) => a.textContent.trim())
"""


def low_contrast(page: Page) -> list[str]:
    return page.evaluate(LOW_CONTRAST_JS)


def focus_walk(page: Page, limit: int = 60) -> list[dict]:
    """Tab through the whole page from the top; what got focus, in order."""
    page.locator("body").focus()
    visited: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None or (visited and focused == visited[0]):
            break
        visited.append(focused)
    return visited


def test_problem_detectors_catch_an_inline_script_and_style(page, problems, live_server):
    """The detectors used below do see what the CSP blocks (so their silence means something)."""
    probe = f"{live_server.url}/_csp_probe"
    page.route(probe, lambda route: route.fulfill(
        status=200, content_type="text/html",
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
        body='<!doctype html><p style="color:red">x</p><script>window.ran = 1</script>',
    ))
    page.goto(probe)
    assert page.evaluate("window.ran") is None, "the inline script was blocked"
    violations = csp_violations(page)
    assert any(v.startswith("script-src") for v in violations), violations
    assert any(v.startswith("style-src") for v in violations), violations
    assert any("Content Security Policy" in m for m in problems.messages)


def test_contrast_and_focus_detectors_catch_bad_styles(page, live_server):
    probe = f"{live_server.url}/_a11y_probe"
    page.route(probe, lambda route: route.fulfill(
        status=200, content_type="text/html",
        body='<!doctype html><p>dark enough</p><p style="color:#999">too light</p>'
             '<a href="#a" style="outline:3px solid #000">fine</a><a href="#b" style="outline:none">no ring</a>',
    ))
    page.goto(probe)
    assert [f.split('"')[1] for f in low_contrast(page)] == ["too light"]
    assert [(f["what"], f["visible"]) for f in focus_walk(page)] == [("A #a", True), ("A #b", False)]


def test_home_loads_cleanly_and_the_skip_link_works(page, problems, live_server):
    loaded: list[str] = []
    page.on("response", lambda r: loaded.append(f"{r.status} {r.url.removeprefix(live_server.url)}"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_title("Beranda · DPMPTSP Kota Magelang")
    expect(page.get_by_role("heading", name="Pilih layanan")).to_be_visible()
    assert "200 /static/css/site.css" in loaded and "200 /static/js/site.js" in loaded
    # The stylesheet applied (a strict CSP that blocked it would leave the page unstyled).
    header_bg = page.locator("header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg == "rgb(11, 83, 148)"

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    expect(skip).to_have_text("Langsung ke isi")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "visible once focused"
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none", "focus is visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues from the content onwards, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "(() => { const main = document.getElementById('main'), el = document.activeElement;"
        " return main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); })()"
    )

    assert problems.messages == []
    assert csp_violations(page) == []


def test_switching_to_english_and_back_changes_the_page_language(page, problems, live_server):
    page.goto(f"{live_server.url}/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == LANG_COOKIE]
    assert cookie["value"] == "en" and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert LANG_COOKIE not in page.evaluate("document.cookie"), "scripts cannot read it"

    page.get_by_role("link", name="Bahasa Indonesia").click()
    page.wait_for_url(f"{live_server.url}/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert problems.messages == []
    assert csp_violations(page) == []


def test_staff_first_login_changes_password_then_signs_out(page, problems, live_server):
    with live_server.app.app_context():
        make_user(role=Role.PENGADUAN, username="e2e.siti", must_change_password=True)
        db.session.commit()
    base = live_server.url

    page.goto(f"{base}/auth/login")
    page.get_by_label("Nama pengguna", exact=True).fill("e2e.siti")
    page.get_by_label("Kata sandi", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/auth/password")
    expect(page.locator(".notice")).to_contain_text("Kata sandi ini dibuat untuk Anda oleh orang lain")
    assert low_contrast(page) == []

    # The dashboard stays closed until the password is changed.
    page.goto(f"{base}/internal/")
    page.wait_for_url(f"{base}/auth/password")

    page.get_by_label("Kata sandi saat ini", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    page.wait_for_url(f"{base}/internal/")
    expect(page.get_by_role("status")).to_contain_text("Kata sandi diganti")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dasbor")
    assert low_contrast(page) == []
    assert [f["what"] for f in focus_walk(page) if not f["visible"]] == []

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{base}/auth/login")
    expect(page.get_by_role("status")).to_contain_text("Anda telah keluar")
    page.goto(f"{base}/internal/")
    page.wait_for_url(f"{base}/auth/login?next=%2Finternal%2F")

    # The new password is the one that works now (and the old one does not).
    page.get_by_label("Nama pengguna", exact=True).fill("e2e.siti")
    page.get_by_label("Kata sandi", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Nama pengguna atau kata sandi salah")
    page.get_by_label("Nama pengguna", exact=True).fill("e2e.siti")
    page.get_by_label("Kata sandi", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{base}/internal/")

    assert problems.messages == []
    assert csp_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/auth/login", "/tidak-ada", "/bahasa/en?next=/"])
def test_public_pages_are_readable_and_keyboard_usable(page, problems, live_server, path):
    """AA text contrast, a visible focus indicator on everything Tab reaches, reflow at 320 px."""
    page.goto(f"{live_server.url}{path}")
    assert low_contrast(page) == []
    assert page.evaluate(UNDERLINED_JS) == [], "links in running text must not rely on colour alone"
    focused = focus_walk(page)
    assert focused and focused[0]["what"].startswith("A #main")
    assert [f["what"] for f in focused if not f["visible"]] == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scrolling"
    # A 404 page is logged by the browser as a failed load of the page itself; nothing else is.
    assert [m for m in problems.messages if not m.endswith(f"({page.url})")] == []


def test_form_errors_are_readable_and_announced(page, problems, live_server):
    page.goto(f"{live_server.url}/auth/login")
    page.get_by_role("button", name="Masuk", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Periksa kembali isian berikut")
    expect(summary).to_be_focused()  # site.js moves focus there so it is read out
    expect(page.get_by_label("Nama pengguna", exact=True)).to_have_attribute("aria-invalid", "true")
    assert low_contrast(page) == []
    assert problems.messages == []
