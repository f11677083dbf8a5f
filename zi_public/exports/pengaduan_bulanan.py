"""Laporan tindak lanjut pengaduan bulanan: every complaint received in one month, plus a recap.

For the ZI evidence file, so it carries no personal data at all: only the identity *kind*
(terbuka/rahasia/anonim), never a name, email, phone or NIK. Headers are Indonesian whatever the
exporting user's language: the report is an official document of the unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from zi_public.exports.xlsx import CountingRows, Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Category, Pengaduan, PengaduanEvent
from zi_public.rules.clocks import ClockState
from zi_public.rules.pengaduan import Action, Channel, Identity, Status
from zi_public.rules.periods import Period
from zi_public.services.pengaduan.clocks import clocks_of

JAKARTA = ZoneInfo("Asia/Jakarta")

STATUS_LABELS = {
    Status.BARU: "Baru",
    Status.TERVERIFIKASI: "Terverifikasi",
    Status.DITINDAKLANJUTI: "Ditindaklanjuti",
    Status.SELESAI: "Selesai",
    Status.DITOLAK: "Ditolak",
    Status.DIALIHKAN: "Dialihkan",
}
CHANNEL_LABELS = {Channel.WEB: "Web", Channel.KIOSK: "Kios", Channel.API: "API"}
IDENTITY_LABELS = {Identity.TERBUKA: "Terbuka", Identity.RAHASIA: "Rahasia", Identity.ANONIM: "Anonim"}
#: Whether a clock was met. An overdue clock that still runs is already missed: "Tidak".
CLOCK_LABELS = {
    ClockState.MET: "Ya",
    ClockState.MISSED: "Tidak",
    ClockState.OVERDUE: "Tidak",
    ClockState.RUNNING: "Berjalan",
    ClockState.NOT_APPLICABLE: None,
}

HEADERS = (
    ("No.", 6),
    ("Nomor pengaduan", 18),
    ("Diterima", 17),
    ("Kanal", 8),
    ("Kategori", 28),
    ("Layanan", 32),
    ("Identitas pelapor", 12),
    ("Judul", 40),
    ("Status", 15),
    ("Bidang", 32),
    ("Batas verifikasi", 12),
    ("Diverifikasi/ditelaah", 12),
    ("Verifikasi tepat waktu", 11),
    ("Batas tindak lanjut", 12),
    ("Ditindaklanjuti", 12),
    ("Tindak lanjut tepat waktu", 11),
    ("Batas penyelesaian", 12),
    ("Selesai", 12),
    ("Penyelesaian tepat waktu", 11),
    ("Ditutup", 17),
    ("Keterangan", 30),
    ("Tindak lanjut (internal)", 60),
    ("Tanggapan kepada pelapor", 60),
    ("Dibuka kembali", 9),
    ("Penilaian (1-4)", 9),
)
_WRAPPED = frozenset({7, 20, 21, 22})


def local_datetime(value: datetime | None) -> datetime | None:
    """A stored UTC timestamp as a naive Asia/Jakarta one (what Excel shows)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(JAKARTA).replace(tzinfo=None)


def in_period(period: Period) -> sa.ColumnElement[bool]:
    """SQL: received (Jakarta calendar date) within `period`."""
    return Pengaduan.received_on.between(period.start, period.end)


def _notes(period: Period) -> dict[int, dict[Action, list[str]]]:
    """Tindak lanjut and tanggapan texts of the month's complaints, each prefixed by its date."""
    stmt = (
        sa.select(PengaduanEvent.pengaduan_id, PengaduanEvent.action, PengaduanEvent.created_at, PengaduanEvent.body)
        .join(Pengaduan, Pengaduan.id == PengaduanEvent.pengaduan_id)
        .where(in_period(period), PengaduanEvent.action.in_((Action.FOLLOW_UP, Action.ANSWER)))
        .order_by(PengaduanEvent.pengaduan_id, PengaduanEvent.id)
    )
    notes: dict[int, dict[Action, list[str]]] = defaultdict(lambda: defaultdict(list))
    for case_id, action, created_at, body in db.session.execute(stmt):
        notes[case_id][action].append(f"{local_datetime(created_at):%d/%m/%Y}: {body}")
    return notes


def _remark(case: Pengaduan) -> str | None:
    if case.status == Status.DITOLAK:
        return f"Ditolak: {case.rejection_reason}"
    if case.status == Status.DIALIHKAN:
        return f"Dialihkan ke {case.forwarded_to}"
    return None


def _rows(period: Period, today: date) -> Iterator[list[object]]:
    notes = _notes(period)
    stmt = (
        sa.select(Pengaduan)
        .options(joinedload(Pengaduan.category), joinedload(Pengaduan.layanan), joinedload(Pengaduan.bidang))
        .where(in_period(period))
        .order_by(Pengaduan.received_at, Pengaduan.id)
        .execution_options(yield_per=500)
    )
    for position, case in enumerate(db.session.scalars(stmt), start=1):
        verify, follow_up, settle = clocks_of(case, today)
        case_notes = notes.get(case.id, {})
        yield [
            position,
            case.number,
            local_datetime(case.received_at),
            CHANNEL_LABELS.get(case.channel, case.channel),
            case.category.name,
            case.layanan.name if case.layanan else None,
            IDENTITY_LABELS.get(case.identity, case.identity),
            case.title,
            STATUS_LABELS.get(case.status, case.status),
            case.bidang.name if case.bidang else None,
            case.verify_by,
            verify.done_on,
            CLOCK_LABELS[verify.state],
            follow_up.due,
            follow_up.done_on,
            CLOCK_LABELS[follow_up.state],
            case.settle_by,
            settle.done_on,
            CLOCK_LABELS[settle.state],
            local_datetime(case.closed_at),
            _remark(case),
            "\n\n".join(case_notes.get(Action.FOLLOW_UP, ())) or None,
            "\n\n".join(case_notes.get(Action.ANSWER, ())) or None,
            case.reopen_count,
            case.rating,
        ]


def recap_counts(period: Period) -> dict[tuple[int, Status], int]:
    """Complaints received in `period` by (category id, current status), counted in SQL."""
    stmt = (
        sa.select(Pengaduan.category_id, Pengaduan.status, sa.func.count(Pengaduan.id))
        .where(in_period(period))
        .group_by(Pengaduan.category_id, Pengaduan.status)
    )
    return {(category_id, Status(status)): int(n) for category_id, status, n in db.session.execute(stmt)}


def _recap_rows(period: Period) -> list[list[object]]:
    counts = recap_counts(period)
    used = {category_id for category_id, _ in counts}
    categories = db.session.scalars(
        sa.select(Category)
        .where(sa.or_(Category.is_active.is_(True), Category.id.in_(used) if used else sa.false()))
        .order_by(Category.sort_order, Category.name)
    )
    rows: list[list[object]] = []
    totals = [0] * (len(Status) + 1)
    for category in categories:
        values = [counts.get((category.id, status), 0) for status in Status]
        values.append(sum(values))
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([category.name, *values])
    rows.append(["Jumlah", *totals])
    return rows


def build(period: Period, *, today: date | None = None) -> Export:
    """The monthly follow-up report of `period` (a month) as an xlsx workbook."""
    today = today or today_jakarta(datetime.now(UTC))
    listed = CountingRows(_rows(period, today))
    cases = Sheet(
        title=f"Pengaduan {period.label_id}",
        headers=[header for header, _ in HEADERS],
        rows=listed,
        widths=[width for _, width in HEADERS],
        wrap=_WRAPPED,
    )
    recap = Sheet(
        title="Rekap",
        headers=[f"Kategori (status per {today:%d/%m/%Y})", *(STATUS_LABELS[s] for s in Status), "Jumlah"],
        rows=_recap_rows(period),
        widths=[40, *([15] * len(Status)), 10],
    )
    content = write_workbook([cases, recap])
    return Export(content=content, rows=listed.count)
