"""The public transparency page: aggregates per month and category, a chart, and no case contents."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser

import pytest

from tests.factories import advance, make_pengaduan, make_user
from zi_public.extensions import db
from zi_public.localtime import JAKARTA, today_jakarta
from zi_public.models import Role
from zi_public.rules.pengaduan import Action, Channel


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=JAKARTA).astimezone(UTC)


class TableRows(HTMLParser):
    """Every row of the page's tables as a tuple of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, ...]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(tuple(self._row))
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[tuple[str, ...]]:
    parser = TableRows()
    parser.feed(html)
    return parser.rows


#: Anonymous complaints with a text the page must never show.
SECRET = {"description": "Isi rahasia.", "identity": "anonim", "layanan": None}


@pytest.fixture
def filed(app, seeded):
    """Four complaints in 2025 with known clocks, one this month; returns their numbers and titles."""
    with app.app_context():
        team = make_user(role=Role.PENGADUAN)

        def handle(case, verified: date, finished: date) -> None:
            advance(team, case, Action.VERIFY, at(verified))
            advance(team, case, Action.DISPOSE, at(verified))
            advance(team, case, Action.ANSWER, at(finished))
            advance(team, case, Action.FINISH, at(finished))

        quick = make_pengaduan(title="Judul tepat waktu", now=at(date(2025, 1, 6)), **SECRET)
        handle(quick, date(2025, 1, 8), date(2025, 1, 10))  # 2 and 4 working days
        late = make_pengaduan(title="Judul terlambat", channel=Channel.KIOSK, now=at(date(2025, 1, 6)), **SECRET)
        handle(late, date(2025, 1, 15), date(2025, 1, 20))  # 7 (verify due 9 Jan) and 10
        waiting = make_pengaduan(
            category="biaya", title="Judul menunggu", channel=Channel.API, now=at(date(2025, 1, 7)), **SECRET
        )
        rejected = make_pengaduan(title="Judul ditolak", now=at(date(2025, 3, 3)), **SECRET)
        advance(team, rejected, Action.REJECT, at(date(2025, 3, 3)))
        recent = make_pengaduan(category="sarana", title="Judul bulan ini", **SECRET)
        db.session.commit()
        return [(case.number, case.title) for case in (quick, late, waiting, rejected, recent)]


def test_the_year_view_counts_per_month_and_category(client, filed):
    response = client.get("/pengaduan/statistik?year=2025")
    assert response.status_code == 200
    rows = table_rows(response.get_data(as_text=True))
    header = ("Bulan", "Kategori", "Diterima", "Selesai", "Selesai tepat waktu")
    assert rows[0][:5] == header
    assert ("Januari 2025", "Semua kategori", "3", "2", "1", "4,5", "7") in rows
    assert ("Januari 2025", "Waktu penyelesaian", "2", "2", "1", "4,5", "7") in rows
    assert ("Januari 2025", "Biaya atau tarif", "1", "0", "0", "–", "–") in rows
    assert ("Februari 2025", "Semua kategori", "0", "0", "0", "–", "–") in rows
    assert ("Maret 2025", "Waktu penyelesaian", "1", "1", "1", "0", "0") in rows
    assert ("Desember 2025", "Semua kategori", "0", "0", "0", "–", "–") in rows
    assert ("Seluruh periode", "Semua kategori", "4", "3", "2", "2", "4") in rows
    assert len([r for r in rows if r[1] == "Semua kategori" and r[0].endswith("2025")]) == 12


def test_the_chart_shows_the_same_numbers_as_the_table(client, filed):
    html = client.get("/pengaduan/statistik?year=2025").get_data(as_text=True)
    bar = r'class="bar bar-{}"[^>]*><title>[^<:]+: (\d+) {}</title>'
    received = [int(v) for v in re.findall(bar.format("received", "diterima"), html)]
    finished = [int(v) for v in re.findall(bar.format("finished", "selesai"), html)]
    assert received == [3, 0, 1] + [0] * 9
    assert finished == [2, 0, 1] + [0] * 9
    assert '<svg viewBox="0 0' in html and 'role="img"' in html
    assert "style=" not in html  # CSP: no style attributes
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))  # no inline script


def test_no_case_contents_or_numbers_on_the_page(client, filed):
    for url in ("/pengaduan/statistik", "/pengaduan/statistik?year=2025"):
        html = client.get(url).get_data(as_text=True)
        for number, title in filed:
            assert number not in html and title not in html
        assert "PGD-" not in html and "Isi rahasia" not in html


def test_the_default_is_the_last_twelve_months(client, filed):
    rows = table_rows(client.get("/pengaduan/statistik").get_data(as_text=True))
    assert ("Seluruh periode", "Semua kategori", "1", "0", "0", "–", "–") in rows
    month_rows = [r for r in rows if r[1] == "Semua kategori" and r[0] != "Seluruh periode"]
    assert len(month_rows) == 12
    today = today_jakarta()
    assert month_rows[-1][2] == "1" and str(today.year) in month_rows[-1][0]


def test_an_empty_period_says_so(client, filed):
    html = client.get("/pengaduan/statistik?year=2024").get_data(as_text=True)
    assert "Belum ada pengaduan yang diterima pada periode ini." in html
    assert "<table" not in html and "<svg viewBox" not in html


def test_an_empty_database_renders(client):
    response = client.get("/pengaduan/statistik")
    assert response.status_code == 200
    assert "Belum ada pengaduan yang diterima pada periode ini." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "year",
    ["abc", "20255", "1999", "9999", "-2025", "2025.0", "２０２５", "%00", "2025'--", "x" * 5000],
)
def test_a_bad_year_falls_back_to_the_last_twelve_months_with_a_message(client, filed, year):
    response = client.get("/pengaduan/statistik", query_string={"year": year})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tahun tidak dikenali" in html
    assert ("Seluruh periode", "Semua kategori", "1", "0", "0", "–", "–") in table_rows(html)


def test_the_year_links_lead_to_years_with_complaints(client, filed):
    html = client.get("/pengaduan/statistik").get_data(as_text=True)
    assert 'href="/pengaduan/statistik?year=2025"' in html
    assert "Tahun tidak dikenali" not in client.get("/pengaduan/statistik?year=").get_data(as_text=True)
