"""Monitoring & evaluasi pengaduan per semester: volumes, clocks, working days, ratings, backlog,
and the team's written evaluation (PengaduanMonev), which the team edits in the app before export.

Counts are computed in SQL (GROUP BY). Medians and 90th percentiles are computed in Python over one
row of four dates per complaint of the semester, because a working-day count needs the holiday
calendar, which is not in the database; a semester is at most a few thousand small rows.
Definitions match the public statistics page: a month is the month a complaint was *received*;
"ditangani sampai akhir" means handling ended (selesai, ditolak or dialihkan).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa

from zi_public.exports.pengaduan_bulanan import STATUS_LABELS, in_period, local_datetime
from zi_public.exports.xlsx import Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.labels import label
from zi_public.localtime import today_jakarta
from zi_public.models import Bidang, Category, Pengaduan, PengaduanMonev, User
from zi_public.rules.clocks import ClockState
from zi_public.rules.pengaduan import OPEN_STATUSES, Status
from zi_public.rules.periods import SEMESTER, Period
from zi_public.services import audit
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan.clocks import (
    BY_NAME,
    FOLLOW_UP,
    SETTLE,
    VERIFY,
    clocks_of,
    on_time_condition,
)
from zi_public.services.pengaduan.labels import CLOCK_NAME_LABELS

#: Longest evaluation or recommendations text (characters); the form uses the same number.
TEXT_MAX = 20_000
RATING_LABELS = {1: "1 (tidak puas)", 2: "2 (kurang puas)", 3: "3 (puas)", 4: "4 (sangat puas)"}


def percentile(values: Sequence[int], q: float) -> float | None:
    """The q-quantile (0..1) with linear interpolation between ranks (Excel PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _volume_rows(period: Period, today: date) -> tuple[list[list[object]], int]:
    month = sa.extract("month", Pengaduan.received_on)
    stmt = (
        sa.select(
            month,
            sa.func.count(Pengaduan.id),
            sa.func.count(Pengaduan.finished_on),
            _count_if(Pengaduan.status == Status.SELESAI),
            _count_if(Pengaduan.status == Status.DITOLAK),
            _count_if(Pengaduan.status == Status.DIALIHKAN),
            _count_if(Pengaduan.status.in_(OPEN_STATUSES)),
            _count_if(on_time_condition(today)),
        )
        .where(in_period(period))
        .group_by(month)
    )
    by_month = {int(row[0]): [int(value) for value in row[1:]] for row in db.session.execute(stmt)}
    rows: list[list[object]] = []
    totals = [0] * 7
    for item in period.months():
        values = by_month.get(item.index, [0] * 7)
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([item.label_id, *values, _share(values[6], values[1])])
    rows.append([f"Jumlah {period.label_id}", *totals, _share(totals[6], totals[1])])
    return rows, totals[0]


def _duration_rows(period: Period) -> list[list[object]]:
    calendar = work_calendar()
    steps: dict[str, list[int]] = {"verify": [], "follow_up": [], "finish": []}
    # Working days from each clock's start to its stop (the follow-up clock runs from verification).
    received, _, verify_stop = BY_NAME[VERIFY].columns()
    follow_up_start, follow_up_due, follow_up_stop = BY_NAME[FOLLOW_UP].columns()
    _, _, settle_stop = BY_NAME[SETTLE].columns()
    stmt = sa.select(received, verify_stop, follow_up_start, follow_up_due, follow_up_stop, settle_stop).where(
        in_period(period)
    )
    for received_on, verified_on, informed_from, informed_by, informed_on, settled_on in db.session.execute(
        stmt.execution_options(yield_per=1000)
    ):
        if verified_on is not None:
            steps["verify"].append(calendar.count_working_days(received_on, verified_on))
        if informed_by is not None and informed_on is not None:
            steps["follow_up"].append(calendar.count_working_days(informed_from, informed_on))
        if settled_on is not None:
            steps["finish"].append(calendar.count_working_days(received_on, settled_on))
    labels = {
        "verify": "Diterima sampai diverifikasi/ditelaah",
        "follow_up": "Diverifikasi sampai ditindaklanjuti",
        "finish": "Diterima sampai selesai ditangani",
    }
    return [
        [labels[key], len(values), percentile(values, 0.5), percentile(values, 0.9)] for key, values in steps.items()
    ]


def _rating_rows(period: Period) -> list[list[object]]:
    rated = sa.and_(in_period(period), Pengaduan.rating.is_not(None))
    count, average = db.session.execute(
        sa.select(sa.func.count(Pengaduan.rating), sa.func.avg(Pengaduan.rating)).where(rated)
    ).one()
    distribution = {
        int(value): int(n)
        for value, n in db.session.execute(
            sa.select(Pengaduan.rating, sa.func.count(Pengaduan.id)).where(rated).group_by(Pengaduan.rating)
        )
    }
    rows: list[list[object]] = [
        ["Jumlah penilaian", int(count)],
        ["Rata-rata (1-4)", round(float(average), 2) if average is not None else None],
    ]
    rows += [[f"Nilai {label}", distribution.get(value, 0)] for value, label in RATING_LABELS.items()]
    return rows


def _open_rows(period: Period, today: date) -> list[list[object]]:
    """Every complaint received up to the semester's end that is still open on `today`."""
    stmt = (
        sa.select(Pengaduan, Category.name, Bidang.name)
        .join(Category, Category.id == Pengaduan.category_id)
        .outerjoin(Bidang, Bidang.id == Pengaduan.bidang_id)
        .where(Pengaduan.received_on <= period.end, Pengaduan.status.in_(OPEN_STATUSES))
        .order_by(Pengaduan.received_on, Pengaduan.id)
    )
    rows: list[list[object]] = []
    for case, category, bidang in db.session.execute(stmt):
        late = [label(CLOCK_NAME_LABELS, c.name, "id") for c in clocks_of(case, today) if c.state == ClockState.OVERDUE]
        rows.append(
            [
                case.number,
                local_datetime(case.received_at),
                category,
                STATUS_LABELS[case.status],
                bidang,
                case.verify_by,
                case.followup_by,
                case.settle_by,
                "Ya" if late else "Tidak",
                ", ".join(late) or None,
            ]
        )
    return rows


def get_monev(period: Period) -> PengaduanMonev | None:
    """The team's evaluation text of a semester, if written."""
    return db.session.get(PengaduanMonev, period.code)


def save_monev(actor: User | str, period: Period, evaluation: str, recommendations: str) -> PengaduanMonev:
    """Write the team's evaluation and recommendations for a semester (flushes, audit-logged)."""
    if period.kind != SEMESTER:
        raise ValueError("the monev text belongs to a semester")
    evaluation, recommendations = (evaluation or "").strip(), (recommendations or "").strip()
    if len(evaluation) > TEXT_MAX or len(recommendations) > TEXT_MAX:
        raise ValueError(f"each text is at most {TEXT_MAX} characters")
    monev = get_monev(period)
    if monev is None:
        monev = PengaduanMonev(period=period.code)
        db.session.add(monev)
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


def build(period: Period, *, today: date | None = None) -> Export:
    """The semester monev report of `period` as an xlsx workbook."""
    today = today or today_jakarta(datetime.now(UTC))
    volume_rows, received = _volume_rows(period, today)
    monev = get_monev(period)
    as_of = f"per {today:%d/%m/%Y}"
    sheets = [
        Sheet(
            title="Volume per bulan",
            headers=[
                "Bulan diterima",
                "Diterima",
                "Selesai ditangani",
                "Selesai",
                "Ditolak",
                "Dialihkan",
                f"Masih diproses {as_of}",
                "Selesai tepat waktu",
                "% tepat waktu (dari yang selesai ditangani)",
            ],
            rows=volume_rows,
            widths=[26, 10, 12, 10, 10, 10, 16, 12, 16],
            number_formats={8: "0.0%"},
        ),
        Sheet(
            title="Waktu penanganan",
            headers=["Tahap", "Jumlah pengaduan", "Median (hari kerja)", "Persentil ke-90 (hari kerja)"],
            rows=_duration_rows(period),
            widths=[40, 12, 14, 14],
            number_formats={2: "0.0", 3: "0.0"},
        ),
        Sheet(title="Penilaian", headers=["Uraian", "Nilai"], rows=_rating_rows(period), widths=[30, 12]),
        Sheet(
            title="Belum selesai",
            headers=[
                "Nomor pengaduan",
                "Diterima",
                "Kategori",
                f"Status {as_of}",
                "Bidang",
                "Batas verifikasi",
                "Batas tindak lanjut",
                "Batas penyelesaian",
                "Terlambat",
                "Tenggat terlewati",
            ],
            rows=_open_rows(period, today),
            widths=[18, 17, 28, 16, 32, 12, 12, 12, 10, 30],
        ),
        Sheet(
            title="Evaluasi dan rekomendasi",
            headers=["Bagian", "Isi"],
            rows=[
                ["Periode", period.label_id],
                ["Evaluasi", monev.evaluation if monev and monev.evaluation else "(belum diisi)"],
                ["Rekomendasi", monev.recommendations if monev and monev.recommendations else "(belum diisi)"],
                ["Terakhir diperbarui", local_datetime(monev.updated_at) if monev else None],
            ],
            widths=[20, 120],
            wrap=frozenset({1}),
        ),
    ]
    return Export(content=write_workbook(sheets), rows=received)
