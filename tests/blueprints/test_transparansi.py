"""The transparency page (issue 11 point 4) and the links that lead to it and to the complaint statistics (point
11): the public navigation, the footer and the home page."""

from __future__ import annotations

import re

import pytest

from zi_public.exports.pengaduan_publik import latest_month
from zi_public.localtime import today_jakarta
from zi_public.rules.periods import SEMESTER, period_of, previous


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_the_page_links_every_published_figure(client, seeded):
    response = client.get("/transparansi")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = hrefs(html)
    for url in (
        "/pengaduan/statistik",
        "/pengaduan/statistik/rekap",
        "/pengaduan/statistik#wbs",
        "/skm/hasil",
        "/layanan",
        "/maklumat",
    ):
        assert url in links, url
    today = today_jakarta()
    semester = period_of(SEMESTER, today)
    for period in (latest_month(today), semester, previous(semester)):
        for fmt in ("xlsx", "csv"):
            assert f"/pengaduan/statistik/unduh/{period.code}.{fmt}" in links
    assert "masih berjalan" in html  # the current semester
    assert "style=" not in html


def test_every_download_linked_from_the_page_works(client, seeded):
    html = client.get("/transparansi").get_data(as_text=True)
    downloads = [url for url in hrefs(html) if "/unduh/" in url]
    assert len(downloads) == 6
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Disposition"].startswith("attachment; filename=rekap-pengaduan-")


def test_the_page_in_english(client, seeded):
    client.get("/bahasa/en")
    html = client.get("/transparansi").get_data(as_text=True)
    assert "<h1>Transparency</h1>" in html and "Monthly and semester complaint summary" in html


@pytest.mark.parametrize("url", ["/", "/pengaduan/", "/transparansi", "/pengaduan/statistik", "/skm/hasil", "/wbs/"])
def test_the_public_navigation_and_footer_lead_to_the_statistics_and_transparency(client, seeded, url):
    html = client.get(url).get_data(as_text=True)
    nav = html[html.index('<nav class="main-nav wrap"') : html.index("</nav>", html.index('<nav class="main-nav'))]
    assert 'href="/pengaduan/statistik"' in nav and 'href="/transparansi"' in nav
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="/pengaduan/statistik"' in footer and 'href="/transparansi"' in footer


def test_the_navigation_marks_the_page_open(client, seeded):
    html = client.get("/pengaduan/statistik").get_data(as_text=True)
    assert '<a href="/pengaduan/statistik" aria-current="page">Statistik pengaduan</a>' in html
    assert '<a href="/transparansi">Transparansi</a>' in html


def test_the_home_page_links_the_statistics_and_the_transparency_page(client, seeded):
    html = client.get("/").get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    assert 'href="/pengaduan/statistik"' in main and 'href="/transparansi"' in main


def test_the_kiosk_has_no_public_navigation(client, seeded):
    """The kiosk's layout is its own: a hall visitor is never led off to the website's pages."""
    html = client.get("/kiosk/").get_data(as_text=True)
    assert 'href="/transparansi"' not in html
