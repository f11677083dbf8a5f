"""The gratifikasi guide on a 360 px phone, in Indonesian and English, under both regulations: the page is never
wider than the screen (the exempt categories' table scrolls in its own box), no console error, no CSP violation.

The checker of issue 10 found /gratifikasi/ 307-322 px too wide: the limits column of the exemptions table
did not wrap ("Rp1.500.000 setahun dari pemberi yang sama" on one line)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import csp_violations
from zi_public.i18n import LANG_COOKIE

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SCROLL_WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("day", ["2026-01-19", "2026-01-20"])
def test_the_guide_fits_a_phone(new_page, problems, live_server, language, day):
    page = new_page(
        locale=None,  # the language comes from the cookie alone
        timeout=None,
        cookies=[{"name": LANG_COOKIE, "value": language, "url": live_server.url}],
        viewport=PHONE, is_mobile=True, has_touch=True, csp_recorder=True,
    )  # fmt: skip
    response = page.goto(f"{live_server.url}/gratifikasi/?tanggal={day}")
    assert response is not None and response.status == 200
    assert page.locator(".table-scroll .exemptions").count() == 1
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"], f"the guide on {day} ({language}) is wider than the phone"
    assert csp_violations(page) == []
    page.context.close()  # the problems of the whole page life, as before
    assert problems.messages == []
