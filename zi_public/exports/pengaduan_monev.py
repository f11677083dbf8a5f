"""Monitoring & evaluasi pengaduan per semester (or per year): volumes, clocks, working days, ratings,
backlog, and the team's written evaluation (PengaduanMonev), which the team edits in the app before export.

Everything is as of one day (see pengaduan_asof), so a past semester's monev can be made again with
the same figures. Counts are computed in SQL (GROUP BY). Medians and 90th percentiles are computed in
Python over a stream of a few dates per complaint, because a working-day count needs the holiday
calendar, which is not in the database; the working days are counted once per day of the period, not
once per complaint. Definitions match the public statistics page: a month is the month a complaint was
*received*; "selesai ditangani" means handling ended (selesai, ditolak or dialihkan).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zi_public.exports.document import document, period_label
from zi_public.exports.pengaduan_asof import Snapshot, received_in, snapshot
from zi_public.exports.pengaduan_bulanan import localized_name
from zi_public.exports.xlsx import Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.localtime import to_jakarta
from zi_public.models import Bidang, Category, Pengaduan, PengaduanMonev, User
from zi_public.rules.clocks import STOPPED_STATES, ClockState
from zi_public.rules.pengaduan import Status
from zi_public.rules.periods import SEMESTER, YEAR, Period, make_period
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import audit
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan.clocks import CLOCKS, FOLLOW_UP, SETTLE, VERIFY
from zi_public.services.pengaduan.labels import CLOCK_NAME_LABELS, RATING_LABELS, STATUS_LABELS
from zi_public.unit_of_work import add_unique

#: Longest evaluation or recommendations text (characters); the form uses the same number.
TEXT_MAX = 20_000
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


def _duration_rows(snap: Snapshot, period: Period) -> list[list[object]]:
    """Median and 90th percentile of the working days each clock ran, over the clocks stopped by as_of."""
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
    return [
        [str(STAGE_LABELS[name]), len(values), percentile(values, 0.5), percentile(values, 0.9)]
        for name, values in steps.items()
    ]


def _rating_rows(figures: dict[int, list[int]]) -> list[list[object]]:
    distribution = {value: sum(values[6 + value] for values in figures.values()) for value in RATING_LABELS}
    count = sum(distribution.values())
    average = sum(value * n for value, n in distribution.items()) / count if count else None
    rows: list[list[object]] = [
        [_("Jumlah penilaian"), count],
        [_("Rata-rata (1-4)"), round(average, 2) if average is not None else None],
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
            Bidang.name,
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


class MonevConflict(Exception):
    """A colleague saved the first version of the same semester's text at the same moment."""


def get_monev(period: Period) -> PengaduanMonev | None:
    """The team's evaluation text of a semester, if written."""
    return db.session.get(PengaduanMonev, period.code)


def save_monev(actor: User | str, period: Period, evaluation: str, recommendations: str) -> PengaduanMonev:
    """Write the team's evaluation and recommendations for a semester (flushes, audit-logged).

    MonevConflict when a colleague's first version of the semester won the race to the database (the
    request goes on: the refusal is decided inside a savepoint).
    """
    if period.kind != SEMESTER:
        raise ValueError("the monev text belongs to a semester")
    evaluation, recommendations = (evaluation or "").strip(), (recommendations or "").strip()
    if len(evaluation) > TEXT_MAX or len(recommendations) > TEXT_MAX:
        raise ValueError(f"each text is at most {TEXT_MAX} characters")
    monev = get_monev(period)
    if monev is None:
        monev = PengaduanMonev(period=period.code)
        add_unique(monev, MonevConflict(period.code))
    monev.evaluation = evaluation
    monev.recommendations = recommendations
    monev.updated_by_id = actor.id if isinstance(actor, User) else None
    db.session.flush()
    audit.record(
        actor,
        "pengaduan.monev_update",
        target_type="pengaduan_monev",
        target_id=period.code,
        data={"evaluation_chars": len(evaluation), "recommendations_chars": len(recommendations)},
    )
    return monev


def _evaluation_rows(period: Period, lang: str) -> list[list[object]]:
    """The team's texts: the semester's own, or for a year each semester's in turn."""
    semesters = [make_period(SEMESTER, period.year, i) for i in (1, 2)] if period.kind == YEAR else [period]
    missing = _("(belum diisi)")
    rows: list[list[object]] = [[_("Periode"), period_label(period, lang)]]
    for semester in semesters:
        monev = get_monev(semester)
        prefix = f"{period_label(semester, lang)}: " if period.kind == YEAR else ""
        rows += [
            [prefix + _("Evaluasi"), monev.evaluation if monev and monev.evaluation else missing],
            [prefix + _("Rekomendasi"), monev.recommendations if monev and monev.recommendations else missing],
            [prefix + _("Terakhir diperbarui"), to_jakarta(monev.updated_at) if monev else None],
        ]
    return rows


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The monev report of `period` (a semester, or a year) as of `as_of`, as an xlsx workbook."""
    snap = snapshot(as_of, received_in(period.start, period.end))
    figures = _monthly_figures(snap)
    volume_rows, received = _volume_rows(figures, period, lang)
    sheets = [
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
            number_formats={8: "0.0%"},
        ),
        Sheet(
            title=_("Waktu penanganan"),
            heading=_("Waktu penanganan per tahap (hari kerja)"),
            headers=[_("Tahap"), _("Jumlah pengaduan"), _("Median (hari kerja)"), _("Persentil ke-90 (hari kerja)")],
            rows=_duration_rows(snap, period),
            widths=[44, 13, 13, 15],
            number_formats={2: "0.0", 3: "0.0"},
        ),
        Sheet(
            title=_("Penilaian"),
            heading=_("Penilaian pelapor atas penanganan"),
            headers=[_("Uraian"), _("Nilai")],
            rows=_rating_rows(figures),
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
            headers=[_("Bagian"), _("Isi")],
            rows=_evaluation_rows(period, lang),
            widths=[26, 100],
            wrap=frozenset({1}),
        ),
    ]
    title = _("Monitoring dan Evaluasi Penanganan Pengaduan")
    content = write_workbook(sheets, document(title, period, as_of, generated_at, lang, SIGNERS))
    return Export(content=content, rows=received)
