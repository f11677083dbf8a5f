"""End-to-end in a real Chromium on a 360 px phone: the SKM survey is one page that fits the screen (no
sideways scrolling, also with every error shown), is readable and keyboard-usable, keeps every answer when
one is missing, and stores one response (CSRF on) whatever the number of clicks."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, SCROLL_WIDTH, LiveServer, csp_violations, seed
from tests.e2e.test_browser import focus_walk, low_contrast
from zi_public.extensions import db
from zi_public.models import SkmResponse
from zi_public.rules.skm import UNSUR, Channel
from zi_public.services.skm.labels import ANSWER_LABELS, UNSUR_NAMES_ID

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(new_page: Callable[..., Page]) -> Page:
    """A page on a 360 px wide phone screen, its console and CSP violations recorded."""
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, csp_recorder=True)


@pytest.fixture(scope="module")
def catalogue(live_server: LiveServer) -> None:
    seed(live_server)


def unsur_group(page: Page, number: int, code: str):  # noqa: ANN201 - a Playwright locator
    return page.get_by_role("group", name=f"{number}. {UNSUR_NAMES_ID[code]}")


def test_the_survey_fits_a_phone_and_stores_one_response(phone, problems, live_server, catalogue):
    page = phone
    page.goto(f"{live_server.url}/skm/")
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"], "no sideways scrolling"
    assert low_contrast(page) == []
    focused = focus_walk(page, limit=80)
    assert [f["what"] for f in focused if not f["visible"]] == []
    assert sum(1 for f in focused if f["what"].startswith("INPUT U")) == len(UNSUR)  # one tab stop per unsur

    page.get_by_role("button", name="Kirim survei").click()  # nothing answered
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Periksa kembali isian berikut")
    expect(summary).to_be_focused()
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"], "no sideways scrolling with every error shown"

    page.get_by_label("Layanan yang Anda terima").select_option("pbg")
    page.get_by_role("group", name=re.compile("^Jenis kelamin")).get_by_label("Perempuan", exact=True).check()
    page.get_by_label("Usia (tahun)").fill("29")
    page.get_by_label("Pendidikan terakhir").select_option("diploma")
    page.get_by_label("Pekerjaan", exact=True).select_option("wirausaha")
    for number, code in enumerate(UNSUR[:-1], start=1):
        unsur_group(page, number, code).get_by_label(str(ANSWER_LABELS[code][number % 4]), exact=True).check()
    page.get_by_label("Saran untuk perbaikan pelayanan").fill("Papan antrean sering mati.")
    page.get_by_role("button", name="Kirim survei").click()  # U9 still open

    u9 = unsur_group(page, 9, "U9")
    expect(u9).to_contain_text("Pilih salah satu jawaban.")
    expect(unsur_group(page, 1, "U1").get_by_label(str(ANSWER_LABELS["U1"][1]), exact=True)).to_be_checked()
    expect(page.get_by_label("Usia (tahun)")).to_have_value("29")
    expect(page.get_by_label("Saran untuk perbaikan pelayanan")).to_have_value("Papan antrean sering mati.")
    u9.get_by_label("Sangat baik", exact=True).check()
    button = page.get_by_role("button", name="Kirim survei")
    button.dblclick()  # an impatient double tap
    page.wait_for_url(f"{live_server.url}/skm/terima-kasih")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"]

    with live_server.app.app_context():
        rows = list(db.session.scalars(sa.select(SkmResponse)))
        assert len(rows) == 1
        assert rows[0].channel == Channel.WEB and rows[0].suggestion == "Papan antrean sering mati."
        assert rows[0].answers() == {**{code: n % 4 + 1 for n, code in enumerate(UNSUR, start=1)}, "U9": 4}
    assert problems.messages == []
    assert csp_violations(page) == []
