"""The gratifikasi guide on a 360 px phone, in Indonesian and English, under both regulations: the page is never
wider than the screen (the exempt categories' table scrolls in its own box), no console error, no CSP violation.

The checker of issue 10 found /gratifikasi/ 307-322 px too wide: the limits column of the exemptions table
did not wrap ("Rp1.500.000 setahun dari pemberi yang sama" on one line)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PHONE, SCROLL_WIDTH, csp_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("day", ["2026-01-19", "2026-01-20"])
def test_the_guide_fits_a_phone(phone_page, problems, live_server, language, day):
    page = phone_page(language)
    response = page.goto(f"{live_server.url}/gratifikasi/?tanggal={day}")
    assert response is not None and response.status == 200
    assert page.locator(".table-scroll .exemptions").count() == 1
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"], f"the guide on {day} ({language}) is wider than the phone"
    assert csp_violations(page) == []
    page.context.close()  # the problems of the whole page life, as before
    assert problems.messages == []
