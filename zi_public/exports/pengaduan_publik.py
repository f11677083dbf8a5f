"""The public monthly and semester figures of the complaints (issue 11 point 4): for one month or semester,
the recap "sisa bulan lalu + masuk - selesai = sisa" by channel, category and layanan, and the share followed
up within the clocks; shown on the public page and downloadable as xlsx and CSV.

Aggregates only: every number comes from services.pengaduan.recap (GROUP BY, no complaint row, title, text
or identity ever read here), so nothing of a rahasia or anonim complaint can reach the public. A past period
is as of its last day (the same file whenever it is made), the running one as of today
(exports.default_as_of, as every report); a period that has not started is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel.numbers import format_decimal
from flask_babel import gettext as _

from zi_public.exports import default_as_of
from zi_public.exports.csv_writer import write_csv
from zi_public.exports.document import document, in_language, long_date, period_label
from zi_public.exports.xlsx import Sheet, write_workbook
from zi_public.rules.periods import MONTH, SEMESTER, Period, latest, parse_period, period_of, previous
from zi_public.services.pengaduan import recap

#: The periods the public figures cover: a month (2026-11) or a semester (2026-S2).
KINDS = (MONTH, SEMESTER)
#: The recap's dimensions the public sees (the bidang are the office's internal divisions: not published).
DIMENSIONS = ("channel", "category", "layanan")
#: How many months back the page offers to choose (the download takes any past period).
OFFERED_MONTHS = 24


class PeriodRefused(ValueError):
    """Not a month or semester the public figures cover; `future` when it is one that has not started."""

    def __init__(self, future: bool) -> None:
        super().__init__("future period" if future else "unknown period")
        self.future = future


def public_period(code: object, today: date) -> Period:
    """The month ('2026-11') or semester ('2026-S2') named by `code`, begun by `today`; PeriodRefused otherwise."""
    if not isinstance(code, str):
        raise PeriodRefused(future=False)
    try:
        period = parse_period(code, KINDS)
    except ValueError:
        raise PeriodRefused(future=False) from None
    if period.start > today:
        raise PeriodRefused(future=True)
    return period


def latest_month(today: date) -> Period:
    """The month the page shows first: the last one that has ended (its figures no longer change)."""
    return previous(period_of(MONTH, today))


def offered_periods(today: date) -> list[Period]:
    """The semesters and months a visitor can choose on the page, newest first: this one and those before it
    (OFFERED_MONTHS months; the semesters those months fall in)."""
    months = latest(MONTH, today, OFFERED_MONTHS)
    semesters = dict.fromkeys(period_of(SEMESTER, month.start) for month in months)  # in order, once each
    return [*semesters, *months]


def has_ended(period: Period, today: date) -> bool:
    """The period ended before today: its figures are as of its last day and no longer change."""
    return period.end < today


def featured_downloads(today: date) -> list[tuple[Period, bool]]:
    """The downloads the transparency page offers, each with whether it is still running: the last month that
    ended, this semester and the one before it."""
    semester = period_of(SEMESTER, today)
    return [(period, not has_ended(period, today)) for period in (latest_month(today), semester, previous(semester))]


@dataclass(frozen=True)
class Table:
    dimension: str
    label: str  # "Kanal", "Kategori", "Layanan" in the figures' language
    rows: list[recap.RecapRow]


@dataclass(frozen=True)
class PublicFigures:
    period: Period
    as_of: date
    lang: str
    tables: list[Table]
    total: recap.RecapRow
    is_final: bool  # has_ended(period, today)


def public_figures(period: Period, today: date, lang: str) -> PublicFigures:
    """The recap of `period` by channel, category and layanan, and its total, as of its default day, in `lang`:
    one aggregate statement (recap.recap_by), the total added up from the channels (recap.total_of_channels)."""
    as_of = default_as_of(period, today)
    with in_language(lang) as lang:
        recaps = recap.recap_by(period, as_of=as_of, dimensions=DIMENSIONS, lang=lang)
        tables = [Table(d, str(recap.DIMENSION_LABELS[d]), recaps[d]) for d in DIMENSIONS]
        total = recap.total_of_channels(recaps["channel"], lang)
        return PublicFigures(period, as_of, lang, tables, total, is_final=has_ended(period, today))


def carried_header(period: Period) -> str:
    """'Sisa bulan lalu' for a month, 'Sisa semester lalu' for a semester (in the current language)."""
    return _("Sisa bulan lalu") if period.kind == MONTH else _("Sisa semester lalu")


def headers(figures: PublicFigures, table: Table) -> list[str]:
    """The columns of one recap table, in the current language."""
    return [
        table.label,
        carried_header(figures.period),
        _("Pengaduan masuk"),
        _("Selesai"),
        _("Sisa"),
        _("Tindak lanjut dipenuhi atau terlewat"),
        _("Tindak lanjut tepat waktu"),
        _("Persentase tepat waktu"),
    ]


def filename(period: Period, fmt: str) -> str:
    """e.g. rekap-pengaduan-2026-11.xlsx"""
    return f"rekap-pengaduan-{period.code}.{fmt}"


def title(lang: str) -> str:
    with in_language(lang):
        return _("Rekapitulasi Pengaduan Masyarakat")


def workbook(figures: PublicFigures, generated_at: datetime) -> bytes:
    """The figures as an xlsx document: one sheet per dimension (total last), with the title block of every
    report in the figures' language; no signatures (made on a visitor's request, signed by nobody)."""
    with in_language(figures.lang) as lang:
        doc = document(title(lang), figures.period, figures.as_of, generated_at, lang, signers=())
        sheets = [
            Sheet(
                title=table.label,
                heading=_("Rekap per %(dimension)s", dimension=table.label.lower()),
                headers=headers(figures, table),
                rows=[[row.label, *row.figures()] for row in [*table.rows, figures.total]],
                widths=[36, 12, 10, 10, 10, 14, 14, 14],
                number_formats={7: "0.0%"},
                wrap=frozenset({0}),
            )
            for table in figures.tables
        ]
        return write_workbook(sheets, doc)


def _share_text(share: float | None, lang: str) -> str:
    """A share as a percentage in the reader's language ('85,7' in Indonesian), empty when there is none."""
    return "" if share is None else format_decimal(share * 100, "0.0", locale=lang)


def csv_file(figures: PublicFigures) -> bytes:
    """The figures as one CSV table (csv_writer: UTF-8 with BOM, semicolons), one line per row of every
    dimension, each line naming its period, the day it is as of and its dimension, so the file needs no title."""
    with in_language(figures.lang) as lang:
        columns = headers(figures, figures.tables[0])
        header = [
            _("Periode"),
            _("Keadaan per"),
            _("Rincian"),
            _("Nama"),
            *columns[1:-1],
            _("Persentase tepat waktu (%)"),
        ]
        return write_csv(header, list(_csv_rows(figures, lang)))


def _csv_rows(figures: PublicFigures, lang: str) -> Iterator[Sequence[object]]:
    label, as_of = period_label(figures.period, lang), long_date(figures.as_of, lang)
    for table in figures.tables:
        for row in table.rows:
            yield [label, as_of, table.label, row.label, *row.counts(), _share_text(row.on_time_share, lang)]
    total = figures.total
    yield [label, as_of, total.label, total.label, *total.counts(), _share_text(total.on_time_share, lang)]
