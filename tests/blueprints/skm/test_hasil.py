"""The public results page /skm/hasil: the latest quarter first, a period chosen by a GET form, the charts and
their tables carrying the same numbers, per layanan, the follow-up items, both languages, no script needed."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from tests.factories import make_skm_responses
from tests.rules.test_ikm import WORKED_ROWS
from tests.test_i18n import INDONESIAN_ONLY, VisibleText
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.models import Layanan, SkmFollowUpItem, SkmPopulation
from zi_public.services.settings import set_setting
from zi_public.services.skm import labels
from zi_public.services.skm.settings import KEY as LEGACY_KEY

URL = "/skm/hasil"
#: Worked example's quarter: in the past whatever day the suite runs (the page counts up to today).
ON = date(2025, 8, 12)


class Page(HTMLParser):
    """The texts of the page's SVG charts and tables, by their ids."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.svg_values: dict[str, list[str]] = {}
        self.cells: dict[str, list[str]] = {}  # table id -> every td text, in order
        self.links: list[str] = []
        self._svg: str | None = None
        self._table: str | None = None
        self._text: list[str] | None = None
        self._kind: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "svg":
            labelled = found.get("aria-labelledby") or ""
            self._svg = labelled.split("-title")[0]
            self.svg_values[self._svg] = []
        if tag == "table":
            self._table = found.get("id")
            self.cells[self._table or ""] = []
        if tag == "text" and self._svg and "chart-value" in (found.get("class") or ""):
            self._text, self._kind = [], "svg"
        if tag == "td" and self._table:
            self._text, self._kind = [], "td"
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg = None
        if tag == "table":
            self._table = None
        if tag == "text" and self._kind == "svg" and self._text is not None and self._svg:
            self.svg_values[self._svg].append("".join(self._text).strip())
            self._text = None
        if tag == "td" and self._kind == "td" and self._text is not None and self._table:
            self.cells[self._table].append(" ".join("".join(self._text).split()))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


@pytest.fixture
def skm(seeded):
    return seeded


def add(app, rows, *, on=ON, layanan="pbg"):
    with app.app_context():
        make_skm_responses(rows, on=on, layanan=layanan)
        db.session.commit()


def layanan_id(code: str) -> int:
    return db.session.scalar(sa.select(Layanan.id).where(Layanan.code == code))


def get(client, **params):
    response = client.get(URL, query_string=params)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_without_any_response(skm, client):
    html = get(client)
    assert "Belum ada responden pada periode ini." in html
    assert "Belum ada rencana tindak lanjut" in html


def test_latest_quarter_first_with_the_worked_example(skm, client):
    """The ten respondents of tests/rules/test_ikm.py: IKM 83,06, B, Baik; NRR 3,400 … 3,100."""
    add(skm, [(4,) * 9], on=date(2025, 2, 1))  # an older quarter: not the one shown first
    add(skm, WORKED_ROWS)
    html = get(client)
    assert "Triwulan III 2025" in html
    page = Page(html)
    assert page.cells["nrr-table"] == [
        "3,400",
        "3,300",
        "3,000",
        "4,000",
        "3,200",
        "3,500",
        "3,600",
        "2,800",
        "3,100",
        "83,06",
    ]
    assert re.search(r"data-ikm>83,06<", html)
    assert ">B<" in html and "Baik" in html
    assert str(labels.EXACT_WEIGHT_LABEL) in html


def test_the_chart_and_its_table_carry_the_same_numbers(skm, client):
    add(skm, WORKED_ROWS)
    add(skm, [(4, 3, 2, 1, 4, 3, 2, 1, 4)] * 3, on=date(2025, 9, 30), layanan="slf")
    add(skm, [(2,) * 9], on=date(2025, 1, 15))
    # Q3: the worked example's sums plus 3 × (4, 3, 2, 1, 4, 3, 2, 1, 4): 46 42 36 43 44 44 42 31 43 over 13
    # respondents → NRR 3,538 3,231 2,769 3,308 3,385 3,385 3,231 2,385 3,308; IKM 25 × 371 / 117 = 79,27.
    page = Page(get(client, periode="2025-Q3"))
    nrr_table = page.cells["nrr-table"][:9]
    assert page.svg_values["nrr-chart"] == nrr_table
    assert nrr_table == ["3,538", "3,231", "2,769", "3,308", "3,385", "3,385", "3,231", "2,385", "3,308"]
    trend = page.cells["trend-table"]
    assert len(trend) == 3 * 3  # from the first quarter anybody answered (2025-Q1) to the one shown
    ikm_column = [value for value in trend[1::3] if value != "–"]  # (respondents, IKM, mutu) per quarter
    assert page.svg_values["ikm-chart"] == ikm_column == ["50,00", "79,27"]


def test_rounding_and_the_decimal_comma(skm, client):
    """n = 3, every unsur summing to 10: NRR 3,333 (rounded for display only), IKM 83,33."""
    add(skm, [(4, 3, 3, 3, 4, 3, 4, 3, 4), (3, 4, 3, 4, 3, 4, 3, 4, 3), (3, 3, 4, 3, 3, 3, 3, 3, 3)])
    page = Page(get(client))
    assert page.cells["nrr-table"] == ["3,333"] * 9 + ["83,33"]


def test_english_uses_the_decimal_point(skm, client):
    add(skm, WORKED_ROWS)
    client.set_cookie(LANG_COOKIE, "en")
    html = get(client)
    page = Page(html)
    assert page.cells["nrr-table"][0] == "3.400"
    assert page.cells["nrr-table"][-1] == "83.06"
    assert page.svg_values["nrr-chart"][0] == "3.400"
    visible = VisibleText(html)
    assert visible.lang == "en"
    assert "Community Satisfaction Survey results" in visible.pieces
    assert not sorted(INDONESIAN_ONLY.intersection(visible.pieces))


def test_semester_and_year_pool_the_quarters(skm, client):
    """Q1: one respondent all 4 (100,00); Q2: three all 1 (25,00). Pooled: 43,75, not the mean 62,50."""
    add(skm, [(4,) * 9], on=date(2025, 3, 31))
    add(skm, [(1,) * 9] * 3, on=date(2025, 4, 1))
    for periode in ("2025-S1", "2025"):
        html = get(client, periode=periode)
        assert re.search(r"data-ikm>43,75<", html), periode
    assert "Semester I 2025" in get(client, periode="2025-S1")
    assert "Tahun 2025" in get(client, periode="2025")


@pytest.mark.parametrize(
    "periode",
    ["junk", "2025-Q5", "2025-03", "1999", "2025-S3", "x" * 5000, "２０２５", "<script>"],
)
def test_a_period_that_is_not_one_shows_the_latest_quarter(skm, client, periode):
    add(skm, WORKED_ROWS)
    html = get(client, periode=periode)
    assert "Periode tidak dikenali" in html
    assert "Triwulan III 2025" in html
    assert "<script>" not in html.split("</head>", 1)[1].replace('<script src="', "")


def test_bytes_that_are_not_utf8(skm, client):
    add(skm, WORKED_ROWS)
    response = client.get(URL + "?periode=%FF%FE2025")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "Periode tidak dikenali" in response.get_data(as_text=True)


def test_a_control_character_in_the_address_is_refused_not_a_500(skm, client):
    response = client.get(URL + "?periode=2025-Q1%00")
    assert response.status_code == 400


def test_repeated_period_uses_the_first(skm, client):
    add(skm, WORKED_ROWS)
    response = client.get(URL + "?periode=2025-Q3&periode=2025")
    assert response.status_code == 200
    assert "Triwulan III 2025" in response.get_data(as_text=True)


def test_the_form_offers_the_periods_that_have_begun(skm, client):
    add(skm, WORKED_ROWS)
    html = get(client)
    for code in ("2025-Q1", "2025-Q4", "2025-S1", "2025-S2", "2025"):
        assert f'value="{code}"' in html
    assert 'value="2025-Q3" selected' in html
    assert 'method="get"' in html


def test_legacy_weighting_is_said_on_the_page(skm, client):
    add(skm, WORKED_ROWS)
    with skm.app_context():
        set_setting("test", LEGACY_KEY, True)
        db.session.commit()
    html = get(client)
    assert str(labels.LEGACY_WEIGHT_LABEL) in html
    assert re.search(r"data-ikm>82,97<", html)


def test_population_and_sample(skm, client):
    add(skm, WORKED_ROWS)
    html = get(client)
    assert "kecukupan sampel belum dapat dinilai" in html
    with skm.app_context():
        db.session.add(SkmPopulation(year=2025, quarter=3, layanan_id=layanan_id("pbg"), served=10))
        db.session.commit()
    html = get(client)
    assert "Sampel mencukupi: 10 responden dari populasi 10 layanan; sampel minimum (Krejcie–Morgan) 10." in html
    with skm.app_context():
        db.session.get(SkmPopulation, (2025, 3, layanan_id("pbg"))).served = 1000
        db.session.commit()
    html = get(client)
    assert "Sampel belum mencukupi: 10 responden dari populasi 1.000 layanan" in html
    assert "minimum (Krejcie–Morgan) 278." in html


def test_per_layanan_rows_link_to_their_standard(skm, client):
    add(skm, WORKED_ROWS)
    add(skm, [(2,) * 9] * 5, layanan="slf")
    html = get(client)
    page = Page(html)
    rows = page.cells["layanan-table"]
    assert rows[:5] == ["10", "83,06", "B", "Baik", "populasi belum dicatat"]
    assert rows[14:19] == ["5", "50,00", "D", "Tidak Baik", "populasi belum dicatat"]
    if "public.layanan_detail" in skm.view_functions:
        assert "/layanan/pbg" in page.links and "/layanan/slf" in page.links
    else:
        assert not any(link.startswith("/layanan/") for link in page.links)


def test_a_layanan_with_fewer_than_five_respondents_is_pooled_with_the_smallest_other(skm, client):
    # slf alone would be one person's answers, and pbg's figures with the total would give them away: neither
    # is published per layanan, only their count; the office's total stays.
    add(skm, WORKED_ROWS)
    add(skm, [(2,) * 9], layanan="slf")
    html = get(client)
    assert Page(html).cells["layanan-table"] == [
        "11",
        "Nilai tidak diumumkan per layanan: kurang dari 5 responden, sehingga jawaban perorangan dapat dikenali.",
    ]
    assert '<th scope="row">2 layanan lain</th>' in html


def test_follow_up_items(skm, client):
    add(skm, WORKED_ROWS)
    with skm.app_context():
        db.session.add_all(
            [
                SkmFollowUpItem(
                    year=2025, quarter=2, unsur="U8", action="Kotak saran <b>baru</b>", owner="Kasi Pelayanan"
                ),
                SkmFollowUpItem(
                    year=2025,
                    quarter=3,
                    unsur="U3",
                    layanan_id=layanan_id("pbg"),
                    action="Antrean daring",
                    owner="Tim IT",
                    due_on=date(2025, 12, 1),
                    done_on=date(2025, 9, 1),
                ),
                SkmFollowUpItem(
                    year=2025, quarter=1, unsur="U1", action="Sudah lama", owner="X", done_on=date(2025, 3, 1)
                ),
            ]
        )
        db.session.commit()
    html = get(client)
    assert "Kotak saran &lt;b&gt;baru&lt;/b&gt;" in html
    assert "Dilanjutkan dari Triwulan II 2025" in html
    assert "Antrean daring" in html and "Selesai 1 Sep 2025" in html
    assert "Sudah lama" not in html  # done before the quarter began


def test_no_inline_style_or_script(skm, client):
    add(skm, WORKED_ROWS)
    html = get(client)
    assert "style=" not in html
    assert re.findall(r"<script[^>]*>", html) == [s for s in re.findall(r"<script[^>]*>", html) if "src=" in s]
    assert 'href="/static/css/charts.css"' in html
    assert 'role="img"' in html and '<title id="nrr-chart-title">' in html


def test_reachable_from_the_home_page(skm, client):
    assert 'href="/skm/hasil"' in client.get("/").get_data(as_text=True)
