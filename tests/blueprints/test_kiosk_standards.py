"""The kiosk's standar pelayanan and maklumat pages: on a registered device only, the same content as the website."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.factories import make_kiosk_device, make_maklumat, make_standard
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.services import kiosk as kiosk_service

PAGES = ["/kiosk/layanan", "/kiosk/layanan/pbg", "/kiosk/maklumat"]


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def kiosk(app, seeded):
    """A browser activated as a kiosk on a registered device."""
    with app.app_context():
        _device, cookie = make_kiosk_device()
        db.session.commit()
    client = app.test_client()
    client.set_cookie(kiosk_service.COOKIE_NAME, cookie, path="/kiosk/")
    return client


def test_an_unregistered_browser_sees_none_of_them(client, seeded):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 403 and "Kiosk belum diaktifkan" in html(response), url


def test_the_start_page_leads_to_the_standards(kiosk):
    page = html(kiosk.get("/kiosk/"))
    assert 'href="/kiosk/layanan"' in page and "Standar pelayanan" in page


def test_the_list_searches_and_pages_in_big_buttons(kiosk):
    page = html(kiosk.get("/kiosk/layanan"))
    links = re.findall(r'class="kiosk-choice" href="/kiosk/layanan/([^"]+)"', page)
    assert links[:2] == ["nib-oss", "pbg"] and len(links) == 8
    assert 'rel="next" href="/kiosk/layanan?page=2"' in page and 'class="kiosk-button"' in page
    assert 'href="/kiosk/maklumat"' in page and 'href="/kiosk/"' in page
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    found = html(kiosk.get("/kiosk/layanan", query_string={"q": "Bangunan gedung"}))
    assert re.findall(r'href="/kiosk/layanan/([^"]+)"', found) == ["pbg"]
    for odd in ("%", "_", "x" * 3000, "<script>", "ビル"):
        response = kiosk.get("/kiosk/layanan", query_string={"q": odd})
        assert response.status_code == 200 and "Tidak ada layanan yang cocok" in html(response)
        assert "<script>" not in html(response)


def test_a_layanan_shows_its_standard_in_force(app, kiosk):
    with app.app_context():
        make_standard("pbg", today_jakarta() - timedelta(days=2), persyaratan="1. KTP\n2. <i>NIB</i>")
        make_standard("pbg", today_jakarta() + timedelta(days=9), persyaratan="Mendatang")
        db.session.commit()
    response = kiosk.get("/kiosk/layanan/pbg")
    page = html(response)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert '<p class="pre-line">1. KTP\n2. &lt;i&gt;NIB&lt;/i&gt;</p>' in page
    assert "Mendatang" not in page and "akan berlaku mulai" in page
    assert "Jangka waktu penyelesaian" in page and 'data-kiosk-idle="90"' in page
    assert 'href="/kiosk/layanan"' in page
    assert not re.findall(r'href="/(?!kiosk/|static/|bahasa/)', page)  # no way out of the kiosk but the language


def test_a_layanan_without_a_standard_and_an_unknown_one(kiosk):
    assert "sedang kami siapkan" in html(kiosk.get("/kiosk/layanan/slf"))
    for code in ("tidak-ada", "x" * 300, "PBG"):
        response = kiosk.get(f"/kiosk/layanan/{code}")
        assert response.status_code == 404
        assert "Layanan tidak ditemukan" in html(response) and 'class="kiosk-button primary"' in html(response)


def test_the_maklumat(app, kiosk):
    assert "sedang kami siapkan" in html(kiosk.get("/kiosk/maklumat"))
    with app.app_context():
        make_maklumat(text="Kami sanggup\nmelayani.", signer_name="Dra. Sri Wahyuni")
        db.session.commit()
    page = html(kiosk.get("/kiosk/maklumat"))
    assert "Kami sanggup\nmelayani." in page and "Dra. Sri Wahyuni" in page


def test_english_names_on_the_kiosk(kiosk):
    kiosk.set_cookie("zi_lang", "en")
    assert "Building Approval (PBG)" in html(kiosk.get("/kiosk/layanan"))
    assert '<h1 class="kiosk-title">Building Approval (PBG)</h1>' in html(kiosk.get("/kiosk/layanan/pbg"))
