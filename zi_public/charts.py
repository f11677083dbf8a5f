"""Server-made SVG charts: numbers in, SVG markup out, for pages that must work without JavaScript.

Pure (no Flask, no database): the caller formats every text (numbers in the page's locale, labels already
translated); this module escapes each one and lays the shapes out. The markup uses presentation attributes
(fill=, stroke=) and classes styled by static/css/charts.css, never a style attribute (the CSP forbids inline
styles). Each chart is an `<svg role="img">` with a <title> and <desc>; a page shows the same numbers in a
table next to it (the chart is the picture, the table is the record).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup, escape

Number = int | float | Decimal | Fraction
_ID = re.compile(r"[a-z][a-z0-9-]{0,40}")
#: Roughly the width of one character of 12-unit text, for deciding when a label needs two lines.
CHAR_WIDTH = 6.5


@dataclass(frozen=True)
class Item:
    """One bar or one point: its label, its value (None: no value, e.g. a quarter nobody answered) and the
    value as the page shows it."""

    label: str
    value: Number | None
    text: str


@dataclass(frozen=True)
class Tick:
    """A grid line across the plot at `value`, labelled `text`."""

    value: Number
    text: str


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _lines(text: str, x: int, width: int) -> Markup | str:
    """`text` escaped, on two lines (tspans) when it is wider than `width` characters: SVG text never wraps."""
    if len(text) <= width or " " not in text:
        return escape(text)
    cut = text.rfind(" ", 0, width + 1)
    if cut <= 0:
        cut = text.find(" ")
    first, second = text[:cut], text[cut + 1 :]
    return Markup(  # noqa: S704 - both parts escaped
        f'<tspan x="{x}" dy="-0.6em">{escape(first)}</tspan><tspan x="{x}" dy="1.2em">{escape(second)}</tspan>'
    )


def _check_id(chart_id: str) -> str:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r}: lower-case letters, digits and hyphens, starting with a letter")
    return chart_id


def _frame(chart_id: str, width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text in it went through escape()


def _scale(value: Number, low: Number, high: Number, length: float) -> float:
    if high == low:
        return 0.0
    share = (float(value) - float(low)) / (float(high) - float(low))
    return max(0.0, min(1.0, share)) * length


def _grid_line(
    start: tuple[float, float], end: tuple[float, float], text: str, *, at: tuple[float, float], anchor: str
) -> str:
    """A tick's grid line across the plot from `start` to `end`, and its text at `at` (the axis side)."""
    return (
        f'<line class="chart-grid" x1="{_n(start[0])}" x2="{_n(end[0])}" y1="{_n(start[1])}" y2="{_n(end[1])}" '
        f'stroke="#c9d2db"/>'
        f'<text class="chart-axis" x="{_n(at[0])}" y="{_n(at[1])}" text-anchor="{anchor}" font-size="12" '
        f'fill="#4a5560">{escape(text)}</text>'
    )


def horizontal_bars(
    items: Sequence[Item],
    *,
    chart_id: str,
    title: str,
    description: str,
    low: Number,
    high: Number,
    ticks: Sequence[Tick] = (),
    width: int = 720,
    label_width: int = 300,
    row_height: int = 30,
) -> Markup:
    """One horizontal bar per item from `low` to its value (clamped to `high`), its label on the left and its
    text at the bar's end; grid lines at `ticks`."""
    chart_id = _check_id(chart_id)
    top, bottom, right = 8, 24, 56
    plot_left, plot_width = label_width, width - label_width - right
    height = top + row_height * len(items) + bottom
    baseline = top + row_height * len(items)
    body = []
    for tick in ticks:
        x = plot_left + _scale(tick.value, low, high, plot_width)
        body.append(_grid_line((x, top), (x, baseline), tick.text, at=(x, baseline + 16), anchor="middle"))
    for i, item in enumerate(items):
        y = top + i * row_height
        middle = y + row_height / 2
        body.append(
            f'<text class="chart-label" x="{plot_left - 8}" y="{_n(middle + 4)}" text-anchor="end" font-size="12" '
            f'fill="#1a1f24">{_lines(item.label, plot_left - 8, int((label_width - 8) / CHAR_WIDTH))}</text>'
        )
        if item.value is None:
            continue
        length = _scale(item.value, low, high, plot_width)
        body.append(
            f'<rect class="chart-bar" x="{plot_left}" y="{_n(y + 5)}" width="{_n(length)}" '
            f'height="{row_height - 10}" fill="#0b5394"><title>{escape(item.label)}: {escape(item.text)}</title>'
            f"</rect>"
            f'<text class="chart-value" x="{_n(plot_left + length + 6)}" y="{_n(middle + 4)}" font-size="12" '
            f'fill="#1a1f24">{escape(item.text)}</text>'
        )
    return _frame(chart_id, width, height, title, description, body)


def line(
    items: Sequence[Item],
    *,
    chart_id: str,
    title: str,
    description: str,
    low: Number,
    high: Number,
    ticks: Sequence[Tick] = (),
    width: int = 720,
    height: int = 300,
) -> Markup:
    """A line through the items' values, left to right, broken where a value is None; each point marked and
    labelled with its text; grid lines at `ticks` (e.g. the grade bands)."""
    chart_id = _check_id(chart_id)
    left, right, top, bottom = 56, 16, 20, 40
    plot_width, plot_height = width - left - right, height - top - bottom
    baseline = top + plot_height
    step = plot_width / max(1, len(items))
    body = []
    for tick in ticks:
        y = baseline - _scale(tick.value, low, high, plot_height)
        body.append(_grid_line((left, y), (width - right, y), tick.text, at=(left - 6, y + 4), anchor="end"))
    points: list[tuple[float, float] | None] = []
    for i, item in enumerate(items):
        x = left + step * i + step / 2
        body.append(
            f'<text class="chart-label" x="{_n(x)}" y="{baseline + 18}" text-anchor="middle" font-size="12" '
            f'fill="#1a1f24">{escape(item.label)}</text>'
        )
        points.append(None if item.value is None else (x, baseline - _scale(item.value, low, high, plot_height)))
    segment: list[tuple[float, float]] = []
    for point in [*points, None]:
        if point is not None:
            segment.append(point)
            continue
        if len(segment) > 1:
            coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in segment)
            body.append(
                f'<polyline class="chart-line" points="{coordinates}" fill="none" stroke="#0b5394" stroke-width="2"/>'
            )
        segment = []
    for item, point in zip(items, points, strict=True):
        if point is None:
            continue
        x, y = point
        body.append(
            f'<circle class="chart-point" cx="{_n(x)}" cy="{_n(y)}" r="4" fill="#0b5394">'
            f"<title>{escape(item.label)}: {escape(item.text)}</title></circle>"
            f'<text class="chart-value" x="{_n(x)}" y="{_n(y - 9)}" text-anchor="middle" font-size="12" '
            f'fill="#1a1f24">{escape(item.text)}</text>'
        )
    return _frame(chart_id, width, height, title, description, body)
