"""Evaluasi triwulanan WBS (`wbs-evaluasi`, issue 8 point 13): the quarter's figures, the socialisation
activities, the team's written evaluation and its follow-up items (the sheets every quarterly team evaluation
ends with: exports/evaluation_sheets.py). The title block says which version of the evaluation the workbook
carries and whether it is final.

Aggregates only, by construction: the figures come from the quarterly tables (services/wbs/stats.py), which
hold counts and working-day histograms and no report row, so the evaluation reads no report at all — no
names, no identities, no report text — and is the same before and after a purge. The pimpinan may
download it (it holds no case contents).

The figures are kept per quarter, so the report is as of the quarter's last day (or today while the quarter
runs): reports received in the quarter by category with what they had come to by its end (in process,
ditolak, selesai terbukti / tidak terbukti), the working days from receipt to the team's first answer and to
closing for those reached in the quarter (median and 90th percentile, exact from the histograms), and the
backlog still open at the quarter's end.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from zi_public.exports.document import document
from zi_public.exports.evaluation_sheets import evaluation_sheet, follow_up_sheet
from zi_public.exports.evaluation_version import version_line
from zi_public.exports.xlsx import Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import WbsCategory
from zi_public.rules.periods import Period
from zi_public.services.reference import localized_name_sql
from zi_public.services.wbs import EVALUATION_SCOPE, socialisation, stats
from zi_public.services.wbs.labels import OUTCOME_LABELS

#: Who signs: the head of the Tim WBS prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "wbs")
SCOPE = EVALUATION_SCOPE
OUTCOMES = tuple(OUTCOME_LABELS)


def _categories(lang: str) -> list[tuple[int, str]]:
    rows = db.session.execute(sa.select(WbsCategory.id, localized_name_sql(WbsCategory, lang)).order_by(WbsCategory.id))
    return [(category_id, name) for category_id, name in rows]


def _count_rows(categories: list[tuple[int, str]], figures: stats.QuarterFigures) -> tuple[list[list[object]], int]:
    rows: list[list[object]] = []
    totals = [0] * (3 + len(OUTCOMES))
    for category_id, name in categories:
        outcomes = figures.outcomes.get(category_id, {})
        values = [
            figures.received.get(category_id, 0),
            figures.open_at_end.get(category_id, 0),
            figures.rejected.get(category_id, 0),
            *(outcomes.get(outcome.value, 0) for outcome in OUTCOMES),
        ]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([name, *values])
    rows.append([_("Jumlah"), *totals])
    return rows, totals[0]


def _duration_rows(quarters: list[str]) -> list[list[object]]:
    connection = db.session.connection()
    labels = {
        stats.FIRST_ANSWER: _("Diterima sampai jawaban pertama kepada pelapor"),
        stats.CLOSING: _("Diterima sampai ditutup (selesai atau ditolak)"),
    }
    rows: list[list[object]] = []
    for measure, label in labels.items():
        histogram = stats.days_histogram(connection, quarters, measure)
        rows.append(
            [
                label,
                sum(histogram.values()),
                stats.histogram_percentile(histogram, 0.5),
                stats.histogram_percentile(histogram, 0.9),
            ]
        )
    return rows


def _backlog_rows(categories: list[tuple[int, str]], period: Period) -> list[list[object]]:
    backlog = stats.open_at_end_of(db.session.connection(), stats.quarters_of(period)[-1])
    rows: list[list[object]] = [[name, backlog.get(category_id, 0)] for category_id, name in categories]
    rows.append([_("Jumlah"), sum(backlog.values())])
    return rows


def _socialisation_rows(period: Period) -> list[list[object]]:
    return [
        [activity.held_on, activity.medium, activity.audience, activity.summary, len(activity.attachments)]
        for activity in socialisation.activities_in(period)
    ]


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The WBS evaluation of `period` (a quarter, or a year: its four quarters together) as an xlsx workbook."""
    from zi_public.exports import BadAsOf  # the registry imports this module

    if as_of < min(period.end, today_jakarta(generated_at)):
        raise BadAsOf("wbs-evaluasi is kept per quarter: it is as of the quarter's last day (or today while it runs)")
    categories = _categories(lang)
    quarters = stats.quarters_of(period)
    figures = stats.quarter_figures(db.session.connection(), quarters)
    count_rows, received = _count_rows(categories, figures)
    sheets = [
        Sheet(
            title=_("Jumlah laporan"),
            heading=_("Laporan diterima per kategori dan keadaannya pada akhir triwulan"),
            headers=[
                _("Kategori"),
                _("Diterima"),
                _("Masih diproses"),
                _("Ditolak"),
                *(_("Selesai: %(outcome)s", outcome=str(OUTCOME_LABELS[o]).lower()) for o in OUTCOMES),
            ],
            rows=count_rows,
            widths=[34, 11, 12, 11, 16, 18],
        ),
        Sheet(
            title=_("Waktu penanganan"),
            heading=_("Waktu penanganan (hari kerja), untuk tahap yang tercapai dalam triwulan"),
            headers=[_("Tahap"), _("Jumlah laporan"), _("Median (hari kerja)"), _("Persentil ke-90 (hari kerja)")],
            rows=_duration_rows(quarters),
            widths=[48, 13, 13, 15],
            number_formats={2: "0.0", 3: "0.0"},
        ),
        Sheet(
            title=_("Belum selesai"),
            heading=_("Laporan yang belum selesai pada akhir triwulan (termasuk dari triwulan sebelumnya)"),
            headers=[_("Kategori"), _("Jumlah laporan")],
            rows=_backlog_rows(categories, period),
            widths=[34, 14],
        ),
        Sheet(
            title=_("Sosialisasi"),
            heading=_("Kegiatan sosialisasi dan internalisasi WBS"),
            headers=[_("Tanggal"), _("Media"), _("Peserta / sasaran"), _("Uraian"), _("Jumlah bukti")],
            rows=_socialisation_rows(period),
            widths=[12, 22, 30, 60, 10],
            wrap=frozenset({2, 3}),
        ),
        evaluation_sheet(SCOPE, period, lang),
        follow_up_sheet(SCOPE, period, as_of, lang),
    ]
    title = _("Evaluasi Triwulanan Whistle-Blowing System")
    doc = document(title, period, as_of, generated_at, lang, SIGNERS)
    doc = dataclasses.replace(doc, details=[*doc.details, version_line(SCOPE, period, lang)])
    content = write_workbook(sheets, doc)
    return Export(content=content, rows=received)
