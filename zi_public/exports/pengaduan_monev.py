"""Monitoring & evaluasi pengaduan per semester (or per year): the recommendations of earlier monevs and where
they stand, a comparison with the previous semester, the recap by channel, category, layanan and bidang
(services/pengaduan/recap.py), volumes, clocks, working days, ratings, backlog, and the team's written
evaluation with this semester's recommendations (services/evaluations.py, scope "pengaduan_monev"; the sheets
of the team's part are in pengaduan_monev_followup.py). The title block says which version of the evaluation
the workbook carries and whether it is final.

The figures are pengaduan_monev_figures.py's: everything as of one day (see services/pengaduan/asof.py), so a past
semester's monev can be made again with the same figures.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from zi_public.exports import pengaduan_monev_followup as followup
from zi_public.exports.document import document, long_date, period_label
from zi_public.exports.evaluation_version import version_line
from zi_public.exports.pengaduan_monev_figures import (
    PERCENT,
    STAGE_LABELS,
    breakdown_rows,
    comparison_rows,
    figures,
    percentile,
    ratings,
    share,
)
from zi_public.exports.xlsx import Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.localtime import to_jakarta
from zi_public.models import Bidang, Category, Pengaduan
from zi_public.rules.clocks import ClockState
from zi_public.rules.periods import Period, previous
from zi_public.services.pengaduan import recap
from zi_public.services.pengaduan.asof import snapshot
from zi_public.services.pengaduan.clocks import CLOCKS
from zi_public.services.pengaduan.labels import CLOCK_NAME_LABELS, RATING_LABELS, STATUS_LABELS
from zi_public.services.reference import localized_name_sql

SCOPE = followup.SCOPE
#: Who signs: the head of the Tim Pengaduan prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "pengaduan")


def _volume_rows(monthly: dict[int, list[int]], period: Period, lang: str) -> tuple[list[list[object]], int]:
    rows: list[list[object]] = []
    totals = [0] * 7
    for item in period.months():
        values = monthly.get(item.index, [0] * 11)[:7]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([period_label(item, lang), *values, share(values[6], values[1])])
    rows.append([_("Jumlah %(period)s", period=period_label(period, lang)), *totals, share(totals[6], totals[1])])
    return rows, totals[0]


def _duration_rows(steps: dict[str, list[int]]) -> list[list[object]]:
    """Median and 90th percentile of the working days each clock ran."""
    return [
        [str(STAGE_LABELS[name]), len(values), percentile(values, 0.5), percentile(values, 0.9)]
        for name, values in steps.items()
    ]


def _rating_rows(figures: dict[int, list[int]]) -> list[list[object]]:
    distribution, count, average = ratings(figures)
    rows: list[list[object]] = [
        [_("Jumlah penilaian"), count],
        [_("Rata-rata (1-4)"), average],
    ]
    rows += [
        [_("Nilai %(value)d (%(label)s)", value=value, label=label), distribution[value]]
        for value, label in RATING_LABELS.items()
    ]
    return rows


def _open_rows(period: Period, as_of: date, lang: str) -> list[list[object]]:
    """Every complaint received up to the period's end that was still open at the end of `as_of`."""
    # Only a complaint not finished now, or last finished after as_of, can have been open then: one
    # finished on or before as_of has stayed finished (reopening clears finished_on). The history of
    # the others need not be read.
    candidates = sa.and_(
        Pengaduan.received_on <= period.end,
        sa.or_(Pengaduan.finished_on.is_(None), Pengaduan.finished_on > as_of),
    )
    snap = snapshot(as_of, candidates)
    states = snap.clock_states()
    p = Pengaduan
    stmt = (
        sa.select(
            p.number,
            p.received_at,
            localized_name_sql(Category, lang),
            snap.status,
            localized_name_sql(Bidang, lang),
            *(sa.case((states[c.name] != ClockState.NOT_APPLICABLE.value, snap.column(c.due))) for c in CLOCKS),
            *states.values(),
        )
        .select_from(
            snap.from_clause.join(Category, Category.id == p.category_id).outerjoin(Bidang, Bidang.id == snap.bidang_id)
        )
        .where(snap.where, snap.is_open)
        .order_by(p.received_on, p.id)
    )
    rows: list[list[object]] = []
    yes, no = _("Ya"), _("Tidak")
    status_labels = {status.value: str(label) for status, label in STATUS_LABELS.items()}
    for row in db.session.execute(stmt):
        number, received_at, category, status, bidang = row[:5]
        dues = row[5 : 5 + len(CLOCKS)]
        late = [
            str(CLOCK_NAME_LABELS[clock.name])
            for clock, state in zip(CLOCKS, row[5 + len(CLOCKS) :], strict=True)
            if state == ClockState.OVERDUE.value
        ]
        rows.append(
            [number, to_jakarta(received_at), category, status_labels.get(status, status), bidang, *dues]
            + [yes if late else no, ", ".join(late) or None]
        )
    return rows


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The monev report of `period` (a semester, or a year) as of `as_of`, as an xlsx workbook. The previous
    period it is compared with is as of its own last day: the figures its own monev showed."""
    recaps = recap.recap_by(period, as_of=as_of, lang=lang)
    now = figures(period, as_of, lang, total=recap.total_of_channels(recaps["channel"], lang))
    before_period = previous(period)
    before = figures(before_period, min(before_period.end, as_of), lang)
    volume_rows, received = _volume_rows(now.monthly, period, lang)
    item_headers = followup.item_headers(as_of, lang)
    sheets = [
        Sheet(
            title=_("Tindak lanjut monev sebelumnya"),
            heading=_("Tindak lanjut hasil monev sebelumnya"),
            headers=[_("Ditetapkan pada"), *item_headers],
            rows=followup.carried_rows(period, as_of, lang),
            widths=[20, *followup.ITEM_HEADERS_WIDTHS],
            wrap=frozenset({0, 1, 2, 6}),
        ),
        Sheet(
            title=_("Perbandingan"),
            heading=_(
                "Perbandingan dengan %(before)s (keadaan per %(day)s)",
                before=period_label(before_period, lang),
                day=long_date(before.as_of, lang),
            ),
            headers=[_("Uraian"), period_label(before_period, lang), period_label(period, lang), _("Perubahan")],
            rows=comparison_rows(before, now),
            widths=[60, 18, 18, 14],
            wrap=frozenset({0}),
        ),
        Sheet(
            title=_("Rincian"),
            heading=_("Sisa awal + diterima - selesai = sisa akhir, per kanal, kategori, layanan dan bidang"),
            headers=[
                _("Menurut"),
                _("Uraian"),
                _("Sisa awal"),
                _("Diterima"),
                _("Selesai"),
                _("Sisa akhir"),
                _("Tindak lanjut jatuh tempo/dipenuhi"),
                _("Tindak lanjut tepat waktu"),
                _("% tindak lanjut tepat waktu"),
            ],
            rows=breakdown_rows(now, recaps),
            widths=[12, 44, 10, 10, 10, 10, 14, 12, 12],
            number_formats={8: PERCENT},
            wrap=frozenset({1}),
        ),
        Sheet(
            title=_("Volume per bulan"),
            heading=_("Volume dan ketepatan waktu per bulan diterima"),
            headers=[
                _("Bulan diterima"),
                _("Diterima"),
                _("Selesai ditangani"),
                _("Selesai"),
                _("Ditolak"),
                _("Dialihkan"),
                _("Masih diproses"),
                _("Selesai tepat waktu"),
                _("% tepat waktu (dari yang selesai ditangani)"),
            ],
            rows=volume_rows,
            widths=[24, 11, 12, 11, 11, 11, 12, 12, 16],
            number_formats={8: PERCENT},
        ),
        Sheet(
            title=_("Waktu penanganan"),
            heading=_("Waktu penanganan per tahap (hari kerja)"),
            headers=[_("Tahap"), _("Jumlah pengaduan"), _("Median (hari kerja)"), _("Persentil ke-90 (hari kerja)")],
            rows=_duration_rows(now.steps),
            widths=[44, 13, 13, 15],
            number_formats={2: "0.0", 3: "0.0"},
        ),
        Sheet(
            title=_("Penilaian"),
            heading=_("Penilaian pelapor atas penanganan"),
            headers=[_("Uraian"), _("Nilai")],
            rows=_rating_rows(now.monthly),
            widths=[34, 12],
        ),
        Sheet(
            title=_("Belum selesai"),
            heading=_("Pengaduan yang belum selesai ditangani"),
            headers=[
                _("Nomor pengaduan"),
                _("Diterima"),
                _("Kategori"),
                _("Status"),
                _("Bidang"),
                _("Batas verifikasi"),
                _("Batas tindak lanjut"),
                _("Batas penyelesaian"),
                _("Lewat batas"),
                _("Batas yang terlewati"),
            ],
            rows=_open_rows(period, as_of, lang),
            widths=[17, 15, 22, 14, 24, 11, 11, 11, 8, 22],
            wrap=frozenset({2, 4, 9}),
        ),
        Sheet(
            title=_("Evaluasi dan rekomendasi"),
            heading=_("Evaluasi dan rekomendasi tim"),
            headers=[_("Bagian"), *item_headers],
            rows=followup.evaluation_rows(period, as_of, lang),
            widths=[26, *followup.ITEM_HEADERS_WIDTHS],
            wrap=frozenset({0, 1, 2, 6}),
        ),
    ]
    title = _("Monitoring dan Evaluasi Penanganan Pengaduan")
    doc = document(title, period, as_of, generated_at, lang, SIGNERS)
    doc = dataclasses.replace(doc, details=[*doc.details, version_line(followup.SCOPE, period, lang)])
    return Export(content=write_workbook(sheets, doc), rows=received)
