"""End-to-end in a real Chromium: a visitor takes the SKM survey on the service-hall kiosk by tapping
faces, and the kiosk returns to its start page by itself afterwards.

The kiosk device is registered outside the browser (test_pengaduan_flow activates one through the admin
pages); its cookie is given to the browser as activation would.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Problems
from tests.factories import make_kiosk_device
from zi_public.extensions import db
from zi_public.models import Layanan, SkmResponse
from zi_public.rules.skm import UNSUR, Channel
from zi_public.services import kiosk as kiosk_service
from zi_public.services.reference import seed_reference_data
from zi_public.services.skm.labels import ANSWER_LABELS

pytestmark = pytest.mark.browser

ANSWERS = (4, 3, 4, 4, 3, 2, 4, 1, 3)
HOME_TITLE = "Selamat datang. Apa yang ingin Anda sampaikan?"


@pytest.fixture(scope="module")
def device(live_server: LiveServer) -> tuple[int, str]:
    """Reference data and a registered, activated kiosk device (id, cookie value)."""
    app = live_server.app
    with app.app_context():
        seed_reference_data()
        device, cookie = make_kiosk_device("Kiosk SKM")
        db.session.commit()
        return device.id, cookie


@pytest.fixture
def kiosk(new_page: Callable[..., Page], problems: Problems, device: tuple[int, str]) -> tuple[Page, Problems]:
    cookie = {"name": kiosk_service.COOKIE_NAME, "value": device[1], "domain": "127.0.0.1", "path": "/kiosk/"}
    return new_page(timeout=20_000, cookies=[cookie]), problems


def face(page: Page, code: str, answer: int):
    """The face of `answer` on the screen of unsur `code`, found by its own words under it."""
    with_words = str(ANSWER_LABELS[code][answer - 1])  # outside a request: the Indonesian source
    return page.get_by_role("button", name=with_words, exact=True)


def test_a_visitor_taps_through_the_survey_and_the_kiosk_starts_afresh(
    live_server: LiveServer, device: tuple[int, str], kiosk: tuple[Page, Problems]
):
    page, problems = kiosk
    base = live_server.url
    live_server.app.config["KIOSK_SKM_THANKS_SECONDS"] = 1  # the thank-you page's idle reset, shortened
    page.goto(f"{base}/kiosk/")
    page.get_by_role("link", name=re.compile("^Survei Kepuasan Masyarakat")).click()
    page.wait_for_url(f"{base}/kiosk/skm")
    page.get_by_role("radio", name="Persetujuan Bangunan Gedung (PBG)").check()
    page.get_by_label("Nomor izin atau nomor pendaftaran").fill("640/12/PBG/2026")
    page.get_by_role("button", name="Lanjut").click()

    page.wait_for_url(f"{base}/kiosk/skm/profil")
    page.get_by_role("radio", name="Perempuan").check()
    page.get_by_label("Usia (tahun)").fill("41")
    page.get_by_role("radio", name="D4/S1").check()
    page.get_by_role("radio", name="Wirausaha").check()
    page.get_by_role("button", name="Lanjut").click()

    for number, (code, answer) in enumerate(zip(UNSUR, ANSWERS, strict=True), start=1):
        page.wait_for_url(f"{base}/kiosk/skm/{code.lower()}")
        expect(page.locator(".skm-progress-text")).to_have_text(f"Pertanyaan {number} dari 9")
        expect(page.locator(".skm-face")).to_have_count(4)
        if code == "U3":  # one step back: the earlier answer is shown, and a tap answers it again
            page.get_by_role("link", name="Kembali").click()
            page.wait_for_url(f"{base}/kiosk/skm/u2")
            expect(page.locator(".skm-face.is-chosen")).to_have_text(str(ANSWER_LABELS["U2"][ANSWERS[1] - 1]))
            face(page, "U2", ANSWERS[1]).click()
            page.wait_for_url(f"{base}/kiosk/skm/u3")
        face(page, code, answer).click()

    page.wait_for_url(f"{base}/kiosk/skm/saran")
    page.get_by_label("Saran untuk perbaikan pelayanan").fill("Ruang tunggu perlu kipas angin.")
    page.get_by_role("button", name="Kirim survei").click()
    page.wait_for_url(f"{base}/kiosk/skm/terima-kasih")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih atas penilaian Anda")
    # No touch: the kiosk's idle reset takes it back to the start page, with nothing left of this visitor.
    page.wait_for_url(f"{base}/kiosk/", timeout=5_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_TITLE)
    page.get_by_role("link", name=re.compile("^Survei Kepuasan Masyarakat")).click()
    expect(page.get_by_role("radio", name="Persetujuan Bangunan Gedung (PBG)")).not_to_be_checked()
    expect(page.get_by_label("Nomor izin atau nomor pendaftaran")).to_have_value("")

    with live_server.app.app_context():
        [stored] = db.session.scalars(sa.select(SkmResponse)).all()
        assert stored.channel == Channel.KIOSK and stored.kiosk_device_id == device[0]
        assert tuple(getattr(stored, code.lower()) for code in UNSUR) == ANSWERS
        assert db.session.get(Layanan, stored.layanan_id).code == "pbg"
        assert (stored.gender, stored.age, stored.education, stored.occupation) == ("p", 41, "s1", "wirausaha")
        assert stored.permit_number == "640/12/PBG/2026" and stored.suggestion == "Ruang tunggu perlu kipas angin."
    assert problems.messages == []
