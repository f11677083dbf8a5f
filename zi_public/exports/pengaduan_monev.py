"""Monitoring & evaluasi pengaduan per semester (or per year): the recommendations of earlier monevs and where
they stand, a comparison with the previous semester, the recap by channel, category, layanan and bidang
(services/pengaduan/recap.py), volumes, clocks, working days, ratings, backlog, and the team's written
evaluation with this semester's recommendations (services/evaluations.py, scope "pengaduan_monev"; the sheets
of the team's part are in pengaduan_monev_followup.py). The title block says which version of the evaluation
the workbook carries and whether it is final.

Everything is as of one day (see pengaduan_asof), so a past semester's monev can be made again with
the same figures. Counts are computed in SQL (GROUP BY). Medians and 90th percentiles are computed in
Python over a stream of a few dates per complaint, because a working-day count needs the holiday
calendar, which is not in the database; the working days are counted once per day of the period, not
once per complaint. Definitions match the public statistics page: a month is the month a complaint was
*received*; "selesai ditangani" means handling ended (selesai, ditolak or dialihkan).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zi_public.exports import pengaduan_monev_followup as followup
from zi_public.exports.document import document, long_date, period_label
from zi_public.exports.pengaduan_asof import Snapshot, received_in, snapshot
from zi_public.exports.pengaduan_bulanan import localized_name
from zi_public.exports.xlsx import Export, Formatted, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.localtime import to_jakarta
from zi_public.models import Bidang, Category, Pengaduan
from zi_public.rules.clocks import STOPPED_STATES, ClockState
from zi_public.rules.pengaduan import Status
from zi_public.rules.periods import Period, previous
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan import recap
from zi_public.services.pengaduan.clocks import CLOCKS, FOLLOW_UP, SETTLE, VERIFY
from zi_public.services.pengaduan.labels import CLOCK_NAME_LABELS, RATING_LABELS, STATUS_LABELS
from zi_public.services.pengaduan.recap import RecapRow

SCOPE = followup.SCOPE
#: Who signs: the head of the Tim Pengaduan prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "pengaduan")
#: The stage each clock measures, in working days from its start to its stop.
STAGE_LABELS = {
    VERIFY: _l("Diterima sampai diverifikasi/ditelaah"),
    FOLLOW_UP: _l("Diverifikasi sampai pelapor diberi informasi"),
    SETTLE: _l("Diterima sampai selesai ditangani"),
}


def percentile(values: Sequence[int], q: float) -> float | None:
    """The q-quantile (0..1) with linear interpolation between ranks (Excel PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class WorkingDayCounter:
    """calendar.count_working_days by table look-up for days from `first` to `last` (the period's days)."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date) -> None:
        self.calendar = calendar
        self.first = first
        # cumulative[i]: the working days d with first < d <= first + i
        self.cumulative = [0]
        for offset in range(1, (last - first).days + 1):
            self.cumulative.append(self.cumulative[-1] + calendar.is_working_day(first + timedelta(days=offset)))

    def count(self, start: date, end: date) -> int:
        """How many working days d satisfy start < d <= end (0 when end <= start)."""
        if end <= start:
            return 0
        low, high = (start - self.first).days, (end - self.first).days
        if low < 0 or high >= len(self.cumulative):
            return self.calendar.count_working_days(start, end)
        return self.cumulative[high] - self.cumulative[low]


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _monthly_figures(snap: Snapshot) -> dict[int, list[int]]:
    """Per month received, in one aggregate query: received, handling ended, selesai, ditolak, dialihkan,
    still open, ended on time, then the number of ratings 1, 2, 3 and 4 given by as_of."""
    month = sa.cast(sa.extract("month", Pengaduan.received_on), sa.Integer)
    rated = snap.is_rated
    stmt = (
        sa.select(
            month,
            sa.func.count(Pengaduan.id),
            _count_if(snap.finished_on.is_not(None)),
            _count_if(snap.status == Status.SELESAI.value),
            _count_if(snap.status == Status.DITOLAK.value),
            _count_if(snap.status == Status.DIALIHKAN.value),
            _count_if(snap.is_open),
            _count_if(snap.on_time()),
            *(_count_if(sa.and_(rated, Pengaduan.rating == value)) for value in RATING_LABELS),
        )
        .select_from(snap.from_clause)
        .where(snap.where)
        .group_by(month)
    )
    return {int(row[0]): [int(value) for value in row[1:]] for row in db.session.execute(stmt)}


def _volume_rows(figures: dict[int, list[int]], period: Period, lang: str) -> tuple[list[list[object]], int]:
    rows: list[list[object]] = []
    totals = [0] * 7
    for item in period.months():
        values = figures.get(item.index, [0] * 11)[:7]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([period_label(item, lang), *values, _share(values[6], values[1])])
    rows.append([_("Jumlah %(period)s", period=period_label(period, lang)), *totals, _share(totals[6], totals[1])])
    return rows, totals[0]


def _duration_steps(snap: Snapshot, period: Period) -> dict[str, list[int]]:
    """The working days each clock ran, per clock, over the clocks stopped by as_of."""
    states = snap.clock_states()
    columns = []
    for clock in CLOCKS:
        columns += [snap.column(clock.start), snap.column(clock.done), states[clock.name]]
    stmt = sa.select(*columns).select_from(snap.from_clause).where(snap.where).execution_options(yield_per=2000)
    counter = WorkingDayCounter(work_calendar(), period.start, max(period.end, snap.as_of))
    steps: dict[str, list[int]] = {clock.name: [] for clock in CLOCKS}
    for row in db.session.execute(stmt):
        for index, clock in enumerate(CLOCKS):
            start, done, state = row[3 * index : 3 * index + 3]
            if state in STOPPED_STATES:
                steps[clock.name].append(counter.count(start, done))
    return steps


def _duration_rows(steps: dict[str, list[int]]) -> list[list[object]]:
    """Median and 90th percentile of the working days each clock ran."""
    return [
        [str(STAGE_LABELS[name]), len(values), percentile(values, 0.5), percentile(values, 0.9)]
        for name, values in steps.items()
    ]


def _ratings(figures: dict[int, list[int]]) -> tuple[dict[int, int], int, float | None]:
    """The ratings given: how many of each value, how many in all, their average (two decimals)."""
    distribution = {value: sum(values[6 + value] for values in figures.values()) for value in RATING_LABELS}
    count = sum(distribution.values())
    average = sum(value * n for value, n in distribution.items()) / count if count else None
    return distribution, count, round(average, 2) if average is not None else None


def _rating_rows(figures: dict[int, list[int]]) -> list[list[object]]:
    distribution, count, average = _ratings(figures)
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
            localized_name(Category, lang),
            snap.status,
            localized_name(Bidang, lang),
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


@dataclass(frozen=True)
class Figures:
    """One period's figures as of a day: what the comparison and the figure sheets are made of."""

    period: Period
    as_of: date
    snap: Snapshot
    monthly: dict[int, list[int]]  # per month received (_monthly_figures)
    steps: dict[str, list[int]]  # working days per clock (_duration_steps)
    total: RecapRow  # carried, received, finished, remaining, followed up in the period (recap_total)


def figures(period: Period, as_of: date, lang: str) -> Figures:
    snap = snapshot(as_of, received_in(period.start, period.end))
    return Figures(
        period=period,
        as_of=as_of,
        snap=snap,
        monthly=_monthly_figures(snap),
        steps=_duration_steps(snap, period),
        total=recap.recap_total(period, as_of=as_of, lang=lang),
    )


PERCENT = "0.0%"
SHARE_CHANGE = "+0.0%;-0.0%;0.0%"


def _measures(f: Figures) -> list[tuple[str, object, str | None]]:
    """(label, value, number format) of the figures the comparison puts side by side."""
    received_in_period = [sum(values[i] for values in f.monthly.values()) for i in range(7)]
    _distribution, rated, average = _ratings(f.monthly)
    handled = received_in_period[1]
    rows: list[tuple[str, object, str | None]] = [
        (_("Sisa dari periode sebelumnya"), f.total.carried, None),
        (_("Diterima"), f.total.received, None),
        (_("Selesai ditangani dalam periode"), f.total.finished, None),
        (_("Sisa pada akhir periode"), f.total.remaining, None),
        (_("Tindak lanjut yang jatuh tempo atau dipenuhi"), f.total.followed_up, None),
        (_("Tindak lanjut tepat waktu"), f.total.followed_up_on_time, None),
        (_("% tindak lanjut tepat waktu"), f.total.on_time_share, PERCENT),
        (_("Diterima dalam periode dan selesai ditangani"), handled, None),
        (
            _("Persentase selesai tepat waktu (dari yang diterima dan selesai ditangani)"),
            _share(received_in_period[6], handled),
            PERCENT,
        ),
    ]
    rows += [
        (_("Median hari kerja: %(stage)s", stage=STAGE_LABELS[name]), percentile(values, 0.5), "0.0")
        for name, values in f.steps.items()
    ]
    rows += [(_("Jumlah penilaian"), rated, None), (_("Rata-rata penilaian (1-4)"), average, "0.00")]
    return rows


def _cell(value: object, number_format: str | None) -> object:
    if value is None or number_format is None:
        return value
    return Formatted(value, number_format)  # type: ignore[arg-type]


def comparison_rows(before: Figures, now: Figures) -> list[list[object]]:
    """The period's figures beside the previous period's, with the change (shares in percentage points)."""
    rows: list[list[object]] = []
    for (label, old, number_format), (_label, new, _format) in zip(_measures(before), _measures(now), strict=True):
        change = new - old if isinstance(new, int | float) and isinstance(old, int | float) else None
        change_format = SHARE_CHANGE if number_format == PERCENT else number_format
        rows.append([label, _cell(old, number_format), _cell(new, number_format), _cell(change, change_format)])
    return rows


DIMENSION_LABELS = {
    "channel": _l("Kanal"),
    "category": _l("Kategori"),
    "layanan": _l("Layanan"),
    "bidang": _l("Bidang"),
}


def _recap_cells(row: RecapRow) -> list[object]:
    share = row.on_time_share
    return [
        row.carried,
        row.received,
        row.finished,
        row.remaining,
        row.followed_up,
        row.followed_up_on_time,
        share,
    ]


def breakdown_rows(period: Period, as_of: date, lang: str) -> list[list[object]]:
    """The recap "sisa + masuk - selesai = sisa" by channel, category, layanan and bidang, then the total."""
    rows: list[list[object]] = []
    for dimension in recap.DIMENSIONS:
        name = str(DIMENSION_LABELS[dimension])
        rows += [
            [name, r.label, *_recap_cells(r)] for r in recap.recap(period, as_of=as_of, dimension=dimension, lang=lang)
        ]
    total = recap.recap_total(period, as_of=as_of, lang=lang)
    rows.append([total.label, None, *_recap_cells(total)])
    return rows


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The monev report of `period` (a semester, or a year) as of `as_of`, as an xlsx workbook. The previous
    period it is compared with is as of its own last day: the figures its own monev showed."""
    now = figures(period, as_of, lang)
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
            rows=breakdown_rows(period, as_of, lang),
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
    doc = dataclasses.replace(doc, details=[*doc.details, followup.version_line(period, lang)])
    return Export(content=write_workbook(sheets, doc), rows=received)
