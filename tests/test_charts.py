"""zi_public/charts.py: numbers in, SVG out — well-formed, escaped, no style attribute, geometry that follows the
numbers, gaps where a value is missing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from markupsafe import Markup

from zi_public.charts import Item, Tick, horizontal_bars, line

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output


def bars(items, **extra):
    return horizontal_bars(items, chart_id="c", title="T", description="D", low=0, high=4, **extra)


def test_bars_are_proportional_and_labelled():
    svg = parse(bars([Item("U1", 4, "4,000"), Item("U2", 2, "2,000"), Item("U3", Fraction(1, 3), "0,333")]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").text == "T" and svg.find(f"{SVG}desc").text == "D"
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.1)
    assert widths[2] == pytest.approx(widths[0] / 12, abs=0.1)
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-value"]
    assert values == ["4,000", "2,000", "0,333"]
    tooltips = [rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect")]
    assert tooltips == ["U1: 4,000", "U2: 2,000", "U3: 0,333"]


def test_bars_clamp_and_skip_missing_values():
    svg = parse(bars([Item("big", 9, "9"), Item("neg", -1, "-1"), Item("none", None, "")]))
    rects = list(svg.iter(f"{SVG}rect"))
    assert len(rects) == 2
    assert float(rects[0].get("width")) == 720 - 300 - 56  # the whole plot, no further
    assert float(rects[1].get("width")) == 0
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels == ["big", "neg", "none"]


def test_ticks_are_grid_lines():
    svg = parse(bars([Item("a", 1, "1")], ticks=[Tick(0, "0"), Tick(4, "4")]))
    xs = [float(grid.get("x1")) for grid in svg.iter(f"{SVG}line")]
    assert xs == [300, 664]
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-axis"] == ["0", "4"]


def test_text_is_escaped():
    hostile = '<script>alert("x")</script> & "quotes"'
    markup = horizontal_bars(
        [Item(hostile, 1, hostile)], chart_id="c", title=hostile, description=hostile, low=0, high=4
    )
    assert "<script>" not in markup
    svg = parse(markup)  # still well-formed XML
    assert svg.find(f"{SVG}title").text == hostile
    assert isinstance(markup, Markup)


def test_no_style_attribute_anywhere():
    for markup in (
        bars([Item("a", 1, "1")], ticks=[Tick(1, "1")]),
        line([Item("a", 50, "50"), Item("b", None, "")], chart_id="l", title="t", description="d", low=25, high=100),
    ):
        svg = parse(markup)
        assert all("style" not in element.attrib for element in svg.iter())
        assert "style=" not in markup and "<script" not in markup


@pytest.mark.parametrize("chart_id", ["", "1abc", "a b", 'a"', "A", "a" * 60])
def test_chart_ids_are_checked(chart_id):
    with pytest.raises(ValueError, match="chart id"):
        horizontal_bars([], chart_id=chart_id, title="t", description="d", low=0, high=1)


def test_line_breaks_at_missing_values():
    items = [
        Item("Q1", Decimal("80.00"), "80,00"),
        Item("Q2", Decimal("90.00"), "90,00"),
        Item("Q3", None, ""),
        Item("Q4", Decimal("70.00"), "70,00"),
        Item("Q5", Decimal("100"), "100,00"),
        Item("Q6", Decimal("60"), "60,00"),
    ]
    svg = parse(line(items, chart_id="l", title="t", description="d", low=25, high=100))
    polylines = list(svg.iter(f"{SVG}polyline"))
    assert [len(p.get("points").split()) for p in polylines] == [2, 3]
    circles = list(svg.iter(f"{SVG}circle"))
    assert len(circles) == 5
    ys = [float(c.get("cy")) for c in circles]
    assert ys[1] < ys[0] < ys[4]  # higher IKM, higher on the page (smaller y)
    assert ys[3] == 20  # 100 is the top of the plot
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-value"] == [
        "80,00",
        "90,00",
        "70,00",
        "100,00",
        "60,00",
    ]
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"] == [i.label for i in items]


def test_a_single_point_has_no_line():
    svg = parse(line([Item("Q1", 80, "80")], chart_id="l", title="t", description="d", low=25, high=100))
    assert list(svg.iter(f"{SVG}polyline")) == []
    assert len(list(svg.iter(f"{SVG}circle"))) == 1


def test_empty_charts_are_still_valid():
    for markup in (
        horizontal_bars([], chart_id="a", title="t", description="d", low=0, high=4),
        line([], chart_id="b", title="t", description="d", low=25, high=100),
        line([Item("x", 1, "1")], chart_id="c", title="t", description="d", low=5, high=5),  # no range
    ):
        assert parse(markup).tag == f"{SVG}svg"


def test_a_long_label_takes_two_lines():
    long = "U8 Handling of Complaints, Suggestions and <Feedback>"
    svg = parse(bars([Item(long, 3, "3,000"), Item("U1 Requirements", 3, "3,000")]))
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    parts = [span.text for span in labels[0].iter(f"{SVG}tspan")]
    assert " ".join(parts) == long
    assert all(len(part) <= (300 - 8) / 6.5 for part in parts)
    assert labels[1].text == "U1 Requirements" and list(labels[1].iter(f"{SVG}tspan")) == []
