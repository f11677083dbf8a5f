"""The public statistics page by channel (issue 11 points 2 and 11): every channel a complaint came through, the
reporter's own and those the team records, counted in the same cohorts as the monthly table; the page's tables
scroll in their own boxes on a phone, and the page links the recap and the transparency page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.blueprints.pengaduan.test_statistik import at, table_rows
from tests.factories import advance, make_pengaduan, make_user
from zi_public.extensions import db
from zi_public.models import Role
from zi_public.rules.pengaduan import Action, Channel

SECRET_TITLE = "Judul-kanal-rahasia-W4R2"


@pytest.fixture
def filed(app, seeded):
    """2025: two web complaints (one finished on time), a complaint-box one finished late, a LAPOR! one (rahasia)
    open, a WhatsApp one; 2024: a letter."""
    with app.app_context():
        team = make_user(role=Role.PENGADUAN)

        def finish(case, verified: date, answered: date) -> None:
            advance(team, case, Action.VERIFY, at(verified))
            advance(team, case, Action.ANSWER, at(answered))
            advance(team, case, Action.FINISH, at(answered))

        finish(make_pengaduan(now=at(date(2025, 2, 3))), date(2025, 2, 4), date(2025, 2, 5))
        make_pengaduan(now=at(date(2025, 2, 10)))
        finish(make_pengaduan(now=at(date(2025, 3, 3)), channel=Channel.BOX), date(2025, 3, 17), date(2025, 3, 18))
        make_pengaduan(now=at(date(2025, 4, 7)), channel=Channel.LAPOR, identity="rahasia", title=SECRET_TITLE)
        make_pengaduan(now=at(date(2025, 5, 5)), channel=Channel.WHATSAPP, identity="anonim")
        make_pengaduan(now=at(date(2024, 6, 3)), channel=Channel.LETTER)
        db.session.commit()


def channel_rows(html: str) -> list[tuple[str, ...]]:
    """The rows of the table captioned by channel (between its caption and the table's end)."""
    start = html.index('id="channels-caption"')
    return table_rows(html[start : html.index("</table>", start)])


def test_the_year_counts_each_channel_with_complaints(client, filed):
    html = client.get("/pengaduan/statistik?year=2025").get_data(as_text=True)
    assert channel_rows(html) == [
        ("Kanal", "Diterima", "Selesai", "Selesai tepat waktu"),
        ("Web", "2", "1", "1"),
        ("Kotak pengaduan", "1", "1", "0"),  # verified 10 working days after receipt: the verify clock missed
        ("WhatsApp", "1", "0", "0"),
        ("SP4N-LAPOR!", "1", "0", "0"),
    ]  # Channel order: the reporter's own, then the team's intake form; channels without complaints left out
    assert ("Seluruh periode", "Semua kategori", "5", "2", "1") in [row[:5] for row in table_rows(html)]
    assert SECRET_TITLE not in html


def test_another_year_has_its_own_channels(client, filed):
    html = client.get("/pengaduan/statistik?year=2024").get_data(as_text=True)
    assert channel_rows(html)[1:] == [("Surat", "1", "0", "0")]


def test_the_channels_in_english(client, filed):
    client.get("/bahasa/en")
    html = client.get("/pengaduan/statistik?year=2025").get_data(as_text=True)
    rows = channel_rows(html)
    assert rows[0] == ("Channel", "Received", "Completed", "Completed on time")
    assert ("Complaint box", "1", "1", "0") in rows


def test_every_table_scrolls_in_its_own_box(client, filed):
    html = client.get("/pengaduan/statistik?year=2025").get_data(as_text=True)
    boxes = re.findall(r'<div class="table-scroll" role="region" aria-labelledby="([a-z-]+)" tabindex="0">', html)
    assert boxes == ["months-caption", "channels-caption"]
    assert html.count('<table class="table">') == 2
    assert '<div class="wbs-figures">' in html and "css/transparansi.css" in html


def test_the_page_links_the_recap_and_the_transparency_page(client, filed):
    html = client.get("/pengaduan/statistik").get_data(as_text=True)
    assert 'href="/pengaduan/statistik/rekap"' in html and 'href="/transparansi"' in html


def test_an_empty_database_shows_no_channel_table(client):
    html = client.get("/pengaduan/statistik").get_data(as_text=True)
    assert "channels-caption" not in html


def test_the_complaint_form_names_the_other_channels(client, seeded):
    html = client.get("/pengaduan/").get_data(as_text=True)
    box = html[html.index('<aside class="notice other-channels"') : html.index("</aside>")]
    assert "Cara lain menyampaikan pengaduan" in box
    for channel in ("kotak pengaduan", "telepon", "WhatsApp", "surat", "datang langsung", "email", "media sosial"):
        assert channel in box, channel
    assert 'href="https://www.lapor.go.id/"' in box and "SP4N-LAPOR!" in box
    assert html.index("other-channels") < html.index("<form")  # read before the form, not after it
    client.get("/bahasa/en")
    english = client.get("/pengaduan/").get_data(as_text=True)
    assert "Other ways to make a complaint" in english and "the complaint box in the service hall;" in english


def test_the_reading_guide_names_every_channel_from_its_labels(client):
    """'Kanal' is explained with the channel labels themselves, so a new channel is never missing from it."""
    from zi_public.services.pengaduan.labels import CHANNEL_LABELS

    page = client.get("/pengaduan/statistik").get_data(as_text=True)
    guide = re.search(r"<dt>Kanal</dt>\s*<dd>(.*?)</dd>", page, re.S).group(1)
    assert all(str(label) in guide for label in CHANNEL_LABELS.values())
