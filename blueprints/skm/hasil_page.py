"""What the public results page shows, assembled from services/skm/results.py: the period's figures in the
visitor's number format (NRR to 3 decimals, IKM to 2, half-up; the Indonesian decimal comma), the two charts
(zi_public/charts.py) and the rows of the tables that repeat their numbers, the per-layanan breakdown and the
follow-up items. Every number on the page is formatted once, here, so the chart and its table cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask import url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from zi_public import charts
from zi_public.exports.document import period_label
from zi_public.labels import label
from zi_public.models import SkmFollowUpItem
from zi_public.rules.ikm import BANDS, IKM_MAX, IKM_MIN, IkmResult, round_half_up
from zi_public.rules.periods import QUARTER, SEMESTER, YEAR, Period, make_period, period_of
from zi_public.rules.skm import UNSUR
from zi_public.services.reference import localized_name
from zi_public.services.skm import follow_up, labels, results
from zi_public.services.skm.settings import legacy_weighting

NRR_PLACES, IKM_PLACES = 3, 2
SERIES_QUARTERS = 8


def nrr_text(value: Fraction) -> str:
    """An NRR as published: half-up to 3 decimals, in the visitor's number format (3,333 / 3.333)."""
    return format_decimal(round_half_up(value, NRR_PLACES), format="#,##0.000")


def ikm_text(value: Decimal) -> str:
    """An IKM (already rounded half-up to 2 decimals) in the visitor's number format (83,06 / 83.06)."""
    return format_decimal(value, format="#,##0.00")


def count_text(value: int) -> str:
    return format_decimal(value, format="#,##0")


def title_of(period: Period) -> str:
    """'Triwulan I 2026', 'Semester II 2026', 'Tahun 2026' (translated)."""
    if period.kind == YEAR:
        return _("Tahun %(year)s", year=period.year)
    return period_label(period, str(get_locale()))


def short_quarter(period: Period) -> str:
    """The line chart's label of a quarter: 'TW 1 2026' (English 'Q1 2026')."""
    return _("TW %(n)d %(year)d", n=period.index, year=period.year)


@dataclass(frozen=True)
class Figures:
    """One Result as text: the page's summary, a layanan's row, a quarter's row."""

    respondents: str
    ikm: str | None
    mutu: str | None
    kinerja: str | None
    population: str | None
    minimum_sample: str | None
    sample_sufficient: bool | None
    nrr: dict[str, str]


def figures(result: results.Result) -> Figures:
    ikm: IkmResult | None = result.ikm
    return Figures(
        respondents=count_text(result.respondents),
        ikm=None if ikm is None else ikm_text(ikm.ikm),
        mutu=None if ikm is None else ikm.mutu,
        kinerja=None if ikm is None else label(labels.KINERJA_LABELS, ikm.kinerja),
        population=None if result.population is None else count_text(result.population),
        minimum_sample=None if result.minimum_sample is None else count_text(result.minimum_sample),
        sample_sufficient=result.sample_sufficient,
        nrr={} if ikm is None else {code: nrr_text(value) for code, value in ikm.nrr.items()},
    )


@dataclass(frozen=True)
class LayananRow:
    name: str
    url: str  # its public standar pelayanan page
    figures: Figures


@dataclass(frozen=True)
class QuarterRow:
    title: str
    short: str
    figures: Figures


@dataclass(frozen=True)
class FollowUpRow:
    unsur: str
    layanan: str | None
    action: str
    owner: str
    due_on: date | None
    progress: str
    done_on: date | None  # when done by the page's date
    carried_from: str | None  # the quarter that set it, when carried into this period


@dataclass(frozen=True)
class HasilPage:
    period: Period
    title: str
    as_of: date
    legacy: bool
    summary: Figures
    unsur: list[tuple[str, str]]  # (code, name)
    nrr_chart: Markup | None
    ikm_chart: Markup
    quarters: list[QuarterRow]
    layanan: list[LayananRow]
    pooled_layanan: int  # layanan with too few respondents to publish alone: only their count is shown
    pooled_respondents: int
    follow_up: list[FollowUpRow]


def _nrr_chart(summary: Figures, ikm: IkmResult | None, unsur: list[tuple[str, str]]) -> Markup | None:
    if ikm is None:
        return None
    items = [charts.Item(f"{code} {name}", ikm.nrr[code], summary.nrr[code]) for code, name in unsur]
    return charts.horizontal_bars(
        items,
        chart_id="nrr-chart",
        title=_("Nilai rata-rata (NRR) per unsur"),
        description=_("Diagram batang NRR sembilan unsur (nilai 1 sampai 4); angka yang sama ada pada tabel."),
        low=0,
        high=4,
        ticks=[charts.Tick(n, count_text(n)) for n in range(5)],
    )


def _ikm_chart(quarters: list[QuarterRow], series: list[results.Result]) -> Markup:
    items = [
        charts.Item(row.short, None if r.ikm is None else r.ikm.ikm, row.figures.ikm or "")
        for row, r in zip(quarters, series, strict=True)
    ]
    edges = [IKM_MIN, *(low for low, _m, _k in BANDS if low > IKM_MIN), IKM_MAX]
    return charts.line(
        items,
        chart_id="ikm-chart",
        title=_("IKM per triwulan"),
        description=_(
            "Diagram garis IKM %(n)d triwulan terakhir, skala 25 sampai 100; garis bantu di batas mutu "
            "A, B dan C; angka yang sama ada pada tabel.",
            n=len(items),
        ),
        low=int(IKM_MIN),
        high=int(IKM_MAX),
        ticks=[charts.Tick(edge, ikm_text(edge)) for edge in sorted(edges)],
    )


def _follow_up_rows(period: Period, as_of: date) -> list[FollowUpRow]:
    locale = str(get_locale())
    items: list[SkmFollowUpItem] = follow_up.items_for(period, as_of=as_of)
    return [
        FollowUpRow(
            unsur=f"{item.unsur} {label(labels.UNSUR_NAMES, item.unsur)}",
            layanan=None if item.layanan is None else localized_name(item.layanan, locale),
            action=item.action,
            owner=item.owner,
            due_on=item.due_on,
            progress=item.progress,
            done_on=item.done_on if follow_up.is_done_on(item, as_of) else None,
            carried_from=title_of(item.set_in) if item.is_carried(period) else None,
        )
        for item in items
    ]


def build(period: Period, today: date) -> HasilPage:
    """Everything the page shows for `period`, as it stands `today`."""
    legacy = legacy_weighting()
    overall = results.result(period, as_of=today, legacy=legacy)
    summary = figures(overall)
    unsur = [(code, label(labels.UNSUR_NAMES, code)) for code in UNSUR]
    series = results.quarter_series(period, SERIES_QUARTERS, as_of=today, legacy=legacy)
    # The line starts at the first quarter anybody answered (the period's own quarter at the latest).
    first = next((i for i, r in enumerate(series) if r.ikm is not None), len(series) - 1)
    series = series[first:]
    quarters = [QuarterRow(title_of(r.period), short_quarter(r.period), figures(r)) for r in series]
    locale = str(get_locale())
    published = results.published_by_layanan(period, as_of=today, legacy=legacy)
    by_layanan = [
        LayananRow(localized_name(r.layanan, locale), url_for("public.layanan_detail", code=r.layanan.code), figures(r))  # type: ignore[union-attr]
        for r in published.shown
    ]
    return HasilPage(
        period=period,
        title=title_of(period),
        as_of=overall.as_of,
        legacy=legacy,
        summary=summary,
        unsur=unsur,
        nrr_chart=_nrr_chart(summary, overall.ikm, unsur),
        ikm_chart=_ikm_chart(quarters, series),
        quarters=quarters,
        layanan=by_layanan,
        pooled_layanan=len(published.pooled),
        pooled_respondents=published.pooled_respondents,
        # Items are set after the quarter's results are known: the page shows what is recorded by today.
        follow_up=_follow_up_rows(period, today),
    )


@dataclass(frozen=True)
class Choice:
    code: str
    title: str


def period_choices(today: date, shown: Period) -> list[tuple[int, list[Choice]]]:
    """The periods the form offers, per year (newest first): each quarter and semester that has begun by
    `today`, and the year; the shown period's year is always there."""
    years = set(results.years_with_responses(today)) | {shown.year}
    groups = []
    for year in sorted(years, reverse=True):
        periods = [make_period(QUARTER, year, n) for n in range(1, 5)]
        periods += [make_period(SEMESTER, year, n) for n in range(1, 3)]
        started = [p for p in periods if p.start <= today or p == shown]
        choices = [Choice(p.code, title_of(p)) for p in started]
        groups.append((year, [*choices, Choice(str(year), title_of(make_period(YEAR, year, 1)))]))
    return groups


def default_period(today: date) -> Period:
    """The latest quarter with responses; without any, the current quarter."""
    return results.latest_quarter(today) or period_of(QUARTER, today)
