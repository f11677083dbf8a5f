"""The Tim SKM's dashboard (and the pimpinan's SKM line): the current quarter so far, links to every SKM page
that exists for the role, the internal menu."""

from __future__ import annotations

from tests.factories import make_skm_responses
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.rules.periods import QUARTER, period_of


def test_the_quarter_so_far_and_the_pages(seeded, client, login_as):
    quarter = period_of(QUARTER, today_jakarta())
    with seeded.app_context():
        make_skm_responses([[4] * 9, [3] * 9], on=quarter.start)
        db.session.commit()
    login_as("skm")
    page = client.get("/internal/").get_data(as_text=True)
    assert 'id="skm-counts"' in page and "87,50" in page  # (4 + 3) / 2 × 25
    assert "populasi" in page  # the population of the quarter is not entered yet
    for url in (
        "/internal/skm/hasil",
        "/internal/skm/populasi",
        "/internal/skm/tindak-lanjut",
        "/internal/laporan#skm-triwulan",
    ):
        assert f'href="{url}"' in page, url
    nav = page.split('aria-label="Menu internal"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/internal/skm/hasil"' in nav and 'href="/internal/skm/tindak-lanjut"' in nav


def test_an_empty_quarter(seeded, client, login_as):
    login_as("skm")
    page = client.get("/internal/").get_data(as_text=True)
    assert "Belum ada responden pada triwulan ini" in page


def test_the_pimpinan_sees_the_skm_line(seeded, client, login_as):
    quarter = period_of(QUARTER, today_jakarta())
    with seeded.app_context():
        make_skm_responses([[4] * 9], on=quarter.start)
        db.session.commit()
    login_as("pimpinan")
    page = client.get("/internal/").get_data(as_text=True)
    assert 'id="skm-summary"' in page and "100,00" in page
    assert 'href="/internal/skm/hasil"' in page
