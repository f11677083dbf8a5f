"""Public statistics: complaint aggregates per month, category and channel, a chart and the same numbers as a
table; the monthly and semester recap page and its xlsx and CSV downloads (aggregates only)."""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from flask import current_app, render_template, request, send_file
from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import gettext as _

from blueprints.pengaduan import bp
from zi_public.errors import error_response
from zi_public.exports import XLSX_MIMETYPE
from zi_public.exports import pengaduan_publik as publik
from zi_public.exports.csv_writer import CSV_MIMETYPE
from zi_public.extensions import limiter
from zi_public.localtime import now_utc, today_jakarta
from zi_public.rules.periods import last_twelve_months
from zi_public.services.pengaduan import stats
from zi_public.services.pengaduan.labels import CHANNEL_LABELS
from zi_public.services.reference import localized_name
from zi_public.services.wbs import stats as wbs_stats

T = TypeVar("T", bound=Hashable)

# SVG geometry (user units of the viewBox; the stylesheet scales the whole drawing).
WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 16, 44
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: str  # "received" or "finished"
    month: date


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    bars: list[Bar]
    labels: list[tuple[float, stats.MonthStats]]  # centre x of each month group
    ticks: list[tuple[float, int]]  # (y, value) of each horizontal grid line


def bar_chart(months: list[stats.MonthStats]) -> Chart:
    """Bars of received vs finished per month, laid out for an inline SVG (no script, no style)."""
    highest = max((m.total.received for m in months), default=0)
    step = max(1, -(-highest // TICKS))  # ceil, so the top grid line is at or above the highest bar
    top_value = step * TICKS
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    group = (WIDTH - LEFT - RIGHT) / max(1, len(months))
    bar_width = group * 0.36
    bars, labels = [], []
    for i, month in enumerate(months):
        x0 = LEFT + i * group + group * 0.12
        series = (("received", month.total.received), ("finished", month.total.finished))
        for j, (name, value) in enumerate(series):
            h = plot_height * value / top_value
            x, y = round(x0 + j * bar_width, 1), round(baseline - h, 1)
            bars.append(Bar(x, y, round(bar_width, 1), round(h, 1), value, name, month.first_day))
        labels.append((round(LEFT + i * group + group / 2, 1), month))
    ticks = [(round(baseline - plot_height * k / TICKS, 1), step * k) for k in range(TICKS + 1)]
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, bars, labels, ticks)


def once_each(format_value: Callable[[T], str]) -> Callable[[T], str]:
    """`format_value`, remembering each value's text for this page: the table and the chart repeat a few
    months and a few medians hundreds of times, and locale-aware formatting is the page's dearest step."""
    texts: dict[T, str] = {}

    def formatted(value: T) -> str:
        if value not in texts:
            texts[value] = format_value(value)
        return texts[value]

    return formatted


@bp.route("/statistik")
def statistik():
    """Public statistics: received, finished, finished within the clocks, median working days."""
    today = today_jakarta()
    raw_year = (request.args.get("year") or "").strip()
    year = stats.year_asked(raw_year, today)
    notice = _("Tahun tidak dikenali; yang ditampilkan 12 bulan terakhir.") if raw_year and year is None else None
    period = year or last_twelve_months(today)
    data = stats.statistik(period)
    wbs_tables = wbs_stats.public_tables(wbs_stats.public_quarters(period, today))
    return render_template(
        "pengaduan/statistik.html",
        data=data,
        chart=bar_chart(data.months),
        years=stats.years_with_complaints(),
        notice=notice,
        channel_labels=CHANNEL_LABELS,
        wbs_tables=wbs_tables,
        wbs_categories=wbs_stats.category_names(str(get_locale())),
        days=once_each(lambda value: "–" if value is None else format_decimal(value, "0.#")),
        month_name=once_each(lambda day: format_date(day, "MMMM yyyy")),
        category_name=once_each(lambda category: localized_name(category, str(get_locale()))),
    )


def _refusal(exc: publik.PeriodRefused) -> str:
    if exc.future:
        return _("Periode itu belum dimulai: rekap hanya tersedia untuk bulan atau semester yang sudah berjalan.")
    return _("Periode tidak dikenali. Pilih bulan (misalnya 2026-11) atau semester (misalnya 2026-S2).")


@bp.route("/statistik/rekap")
def figures():
    """Public recap of a month or semester by channel, category and layanan, with its downloads."""
    today = today_jakarta()
    raw = request.args.get("periode", "")
    try:
        period = publik.public_period(raw, today) if raw else publik.latest_month(today)
    except publik.PeriodRefused as exc:
        page = render_template(
            "pengaduan/rekap.html", figures=None, notice=_refusal(exc), offered=publik.offered_periods(today)
        )
        return page, 404
    return render_template(
        "pengaduan/rekap.html",
        figures=publik.public_figures(period, today, str(get_locale())),
        offered=publik.offered_periods(today),
        headers=publik.headers,
        share=lambda value: "–" if value is None else format_percent(value, "#,##0.0%"),
    )


def _download_limit() -> str:
    """Public figure downloads per client address (ZI_RATELIMIT_PUBLIC_DOWNLOAD): each one runs the recap."""
    return str(current_app.config["RATELIMIT_PUBLIC_DOWNLOAD"])


@bp.route("/statistik/unduh/<period>.<any(xlsx,csv):fmt>")
@limiter.limit(_download_limit)
def figures_download(period: str, fmt: str):
    """The public recap of a month or semester as an xlsx document or a CSV table, in the page's language."""
    today = today_jakarta()
    try:
        chosen = publik.public_period(period, today)
    except publik.PeriodRefused as exc:
        return error_response(404, _refusal(exc))
    figures = publik.public_figures(chosen, today, str(get_locale()))
    if fmt == "xlsx":
        content, mimetype = publik.workbook(figures, now_utc()), XLSX_MIMETYPE
    else:
        content, mimetype = publik.csv_file(figures), CSV_MIMETYPE
    return send_file(
        io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=publik.filename(chosen, fmt)
    )
