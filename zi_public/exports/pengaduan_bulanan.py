"""Laporan tindak lanjut pengaduan: every complaint received in a month (or a year) with its clocks, then
the same complaints with their follow-up notes and answers, then a recap (a year adds one per month), all
as of one day (see pengaduan_asof).

For the ZI evidence file, so it carries no personal data at all: only the identity *kind*
(terbuka/rahasia/anonim), never a name, email, phone or NIK. Rows stream from one query per sheet (the
notes merged beside their complaints in the same order); the recaps are GROUP BY queries.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zi_public.exports.document import document, period_label
from zi_public.exports.pengaduan_asof import Snapshot, received_in, snapshot
from zi_public.exports.xlsx import CountingRows, Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.labels import CLOCK_ON_TIME_LABELS
from zi_public.localtime import end_of_day_utc, jakarta_date_sql, to_jakarta
from zi_public.models import Bidang, Category, Layanan, Pengaduan, PengaduanEvent
from zi_public.rules.clocks import STOPPED_STATES, ClockState
from zi_public.rules.pengaduan import Action, Status
from zi_public.rules.periods import YEAR, Period
from zi_public.services.pengaduan.clocks import CLOCKS, FOLLOW_UP, SETTLE, VERIFY
from zi_public.services.pengaduan.labels import CHANNEL_LABELS, IDENTITY_LABELS, STATUS_LABELS

#: Who signs: the head of the Tim Pengaduan prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "pengaduan")

#: Per clock: the headers of its deadline, the day it stopped, and its state.
CLOCK_HEADERS = {
    VERIFY: (_l("Batas verifikasi"), _l("Diverifikasi/ditelaah"), _l("Verifikasi tepat waktu")),
    FOLLOW_UP: (_l("Batas tindak lanjut"), _l("Pelapor diberi informasi"), _l("Tindak lanjut tepat waktu")),
    SETTLE: (_l("Batas penyelesaian"), _l("Selesai ditangani"), _l("Penyelesaian tepat waktu")),
}

#: Dates in the register print as 30/11/26: 23 columns must fit one landscape page across.
SHORT_DATE = "dd/mm/yy"
SHORT_DATETIME = "dd/mm/yy hh:mm"
# (header, width in characters, wraps, number format); the clock columns go in between, three per clock.
_LEADING = (
    (_l("No."), 4, False, None),
    (_l("Nomor pengaduan"), 16, False, None),
    (_l("Diterima"), 13.5, False, SHORT_DATETIME),
    (_l("Kanal"), 6, False, None),
    (_l("Kategori"), 14, True, None),
    (_l("Layanan"), 16, True, None),
    (_l("Identitas pelapor"), 8.5, False, None),
    (_l("Judul"), 20, True, None),
    (_l("Status"), 11, True, None),
    (_l("Bidang"), 14, True, None),
)
_CLOCK_COLUMNS = ((9, SHORT_DATE), (9, SHORT_DATE), (9, None))
_TRAILING = (
    (_l("Keterangan"), 16, True, None),
    (_l("Dibuka kembali"), 6.5, False, None),
    (_l("Ditutup"), 9, False, SHORT_DATE),
    (_l("Penilaian (1-4)"), 7, False, None),
)
#: The follow-up sheet: what was done and what the reporter was told, beside the number and title.
_FOLLOW_UP_COLUMNS = (
    (_l("No."), 4, False, None),
    (_l("Nomor pengaduan"), 16, False, None),
    (_l("Judul"), 26, True, None),
    (_l("Tindak lanjut (internal)"), 48, True, None),
    (_l("Tanggapan kepada pelapor"), 48, True, None),
)


def _columns() -> list[tuple[str, float, bool, str | None]]:
    columns = [(str(h), w, wrap, fmt) for h, w, wrap, fmt in _LEADING]
    for clock in CLOCKS:
        columns += [
            (str(h), w, True, fmt) for h, (w, fmt) in zip(CLOCK_HEADERS[clock.name], _CLOCK_COLUMNS, strict=True)
        ]
    columns += [(str(h), w, wrap, fmt) for h, w, wrap, fmt in _TRAILING]
    return columns


def _sheet(title: str, heading: str, columns, rows) -> Sheet:
    return Sheet(
        title=title,
        heading=heading,
        headers=[str(header) for header, *_rest in columns],
        rows=rows,
        widths=[width for _header, width, *_rest in columns],
        wrap=frozenset(i for i, (_header, _width, wrap, _fmt) in enumerate(columns) if wrap),
        number_formats={i: fmt for i, (*_rest, fmt) in enumerate(columns) if fmt},
    )


def localized_name(model, lang: str) -> sa.ColumnElement[str]:
    """SQL: a catalogue entry's English name when exporting in English and it has one, else its name."""
    if lang == "en" and hasattr(model, "name_en"):
        return sa.func.coalesce(sa.func.nullif(model.name_en, ""), model.name)
    return model.name


def _case_query(snap: Snapshot, lang: str) -> sa.Select:
    p = Pengaduan
    states = snap.clock_states()
    clock_columns = []
    for clock in CLOCKS:
        clock_columns += [snap.column(clock.due), snap.column(clock.done), states[clock.name]]
    return (
        sa.select(
            p.id,
            p.number,
            p.received_at,
            p.channel,
            localized_name(Category, lang),
            localized_name(Layanan, lang),
            p.identity,
            p.title,
            snap.status,
            Bidang.name,
            *clock_columns,
            p.rejection_reason,
            p.forwarded_to,
            snap.reopen_count,
            jakarta_date_sql(snap.closed_at),
            sa.case((snap.is_rated, p.rating)),
        )
        .select_from(
            snap.from_clause.join(Category, Category.id == p.category_id)
            .outerjoin(Layanan, Layanan.id == p.layanan_id)
            .outerjoin(Bidang, Bidang.id == snap.bidang_id)
        )
        .where(snap.where)
        .order_by(p.received_at, p.id)
        .execution_options(yield_per=1000)
    )


def _notes(snap: Snapshot) -> Iterator[tuple[int, dict[Action, list[str]]]]:
    """Per complaint, in the rows' order: its internal follow-up notes and its answers recorded by as_of."""
    e = PengaduanEvent
    stmt = (
        sa.select(e.pengaduan_id, e.action, e.created_at, e.body)
        .join(Pengaduan, Pengaduan.id == e.pengaduan_id)  # the rows' complaints, in the rows' order
        .where(
            snap.where,
            e.action.in_((Action.FOLLOW_UP, Action.ANSWER)),
            e.created_at < end_of_day_utc(snap.as_of),
        )
        .order_by(Pengaduan.received_at, Pengaduan.id, e.id)
        .execution_options(yield_per=1000)
    )
    for case_id, events in itertools.groupby(db.session.execute(stmt), key=lambda row: row[0]):
        notes: dict[Action, list[str]] = {Action.FOLLOW_UP: [], Action.ANSWER: []}
        for _case_id, action, created_at, body in events:
            notes[Action(action)].append(f"{to_jakarta(created_at):%d/%m/%Y}: {body}")
        yield case_id, notes


def _follow_up_rows(snap: Snapshot) -> Iterator[list[object]]:
    """The register's complaints again (same order and numbers) with their notes and answers."""
    p = Pengaduan
    cases = (
        sa.select(p.id, p.number, p.title)
        .where(snap.where)
        .order_by(p.received_at, p.id)
        .execution_options(yield_per=1000)
    )
    notes = _notes(snap)
    pending = next(notes, None)
    for position, (case_id, number, title) in enumerate(db.session.execute(cases), start=1):
        case_notes: dict[Action, list[str]] = {}
        if pending is not None and pending[0] == case_id:
            case_notes = pending[1]
            pending = next(notes, None)
        yield [
            position,
            number,
            title,
            "\n\n".join(case_notes.get(Action.FOLLOW_UP, ())) or None,
            "\n\n".join(case_notes.get(Action.ANSWER, ())) or None,
        ]


def _remark(status: Status, rejection_reason: str | None, forwarded_to: str | None) -> str | None:
    if status == Status.DITOLAK:
        return _("Ditolak: %(reason)s", reason=rejection_reason or "")
    if status == Status.DIALIHKAN:
        return _("Dialihkan ke %(target)s", target=forwarded_to or "")
    return None


def _rows(snap: Snapshot, lang: str) -> Iterator[list[object]]:
    clock_labels = {state.value: label and str(label) for state, label in CLOCK_ON_TIME_LABELS.items()}
    status_labels = {status.value: str(label) for status, label in STATUS_LABELS.items()}
    channel_labels = {channel.value: str(label) for channel, label in CHANNEL_LABELS.items()}
    identity_labels = {identity.value: str(label) for identity, label in IDENTITY_LABELS.items()}
    for position, row in enumerate(db.session.execute(_case_query(snap, lang)), start=1):
        _case_id, number, received_at, channel, category, layanan, identity, title, status, bidang = row[:10]
        clock_values = row[10 : 10 + 3 * len(CLOCKS)]
        reason, forwarded_to, reopens, closed_on, rating = row[10 + 3 * len(CLOCKS) :]
        clocks: list[object] = []
        for due, done_on, state in zip(*[iter(clock_values)] * 3, strict=True):
            clocks += [
                due if state != ClockState.NOT_APPLICABLE.value else None,
                done_on if state in STOPPED_STATES else None,
                clock_labels[state],
            ]
        yield [
            position,
            number,
            to_jakarta(received_at),
            channel_labels.get(channel, channel),
            category,
            layanan,
            identity_labels.get(identity, identity),
            title,
            status_labels.get(status, status),
            bidang,
            *clocks,
            _remark(Status(status), reason, forwarded_to),
            reopens,
            closed_on,
            rating,
        ]


def _status_counts(snap: Snapshot, key: sa.ColumnElement) -> dict[tuple[object, str], int]:
    """Complaints counted in SQL by (`key`, status as of the day)."""
    stmt = (
        sa.select(snap.status, key, sa.func.count(Pengaduan.id))
        .select_from(snap.from_clause)
        .where(snap.where)
        # Status first: grouped by a column with an index of its own (category_id), SQLite would walk
        # that index over every complaint ever received instead of the period's range of received_on.
        .group_by(snap.status, key)
    )
    return {(k, status): int(n) for status, k, n in db.session.execute(stmt)}


def _recap(labelled_keys: list[tuple[object, str]], counts: dict[tuple[object, str], int]) -> list[list[object]]:
    rows: list[list[object]] = []
    totals = [0] * (len(Status) + 1)
    for key, label in labelled_keys:
        values = [counts.get((key, status.value), 0) for status in Status]
        values.append(sum(values))
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([label, *values])
    rows.append([_("Jumlah"), *totals])
    return rows


def _category_recap(snap: Snapshot, lang: str) -> list[list[object]]:
    counts = _status_counts(snap, Pengaduan.category_id)
    used = {category_id for category_id, _status in counts}
    categories = db.session.execute(
        sa.select(Category.id, localized_name(Category, lang))
        .where(sa.or_(Category.is_active.is_(True), Category.id.in_(used) if used else sa.false()))
        .order_by(Category.sort_order, Category.name)
    ).all()
    return _recap([(category_id, name) for category_id, name in categories], counts)


def _month_recap(snap: Snapshot, period: Period, lang: str) -> list[list[object]]:
    month = sa.cast(sa.extract("month", Pengaduan.received_on), sa.Integer)
    counts = {(int(m), status): n for (m, status), n in _status_counts(snap, month).items()}
    return _recap([(item.index, period_label(item, lang)) for item in period.months()], counts)


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The follow-up report of `period` (a month, or a year with its recap per month) as of `as_of`."""
    snap = snapshot(as_of, received_in(period.start, period.end))
    label = period_label(period, lang)
    listed = CountingRows(_rows(snap, lang))
    statuses = [str(STATUS_LABELS[s]) for s in Status]
    sheets = [
        _sheet(_("Pengaduan %(period)s", period=label), _("Daftar pengaduan yang diterima"), _columns(), listed),
        _sheet(
            _("Tindak lanjut %(period)s", period=label),
            _("Tindak lanjut dan tanggapan kepada pelapor"),
            [(str(h), w, wrap, fmt) for h, w, wrap, fmt in _FOLLOW_UP_COLUMNS],
            _follow_up_rows(snap),
        ),
    ]
    if period.kind == YEAR:
        sheets.append(
            Sheet(
                title=_("Rekap per bulan"),
                heading=_("Rekap per bulan diterima dan status"),
                headers=[_("Bulan diterima"), *statuses, _("Jumlah")],
                rows=_month_recap(snap, period, lang),
                widths=[22, *([13] * len(Status)), 10],
            )
        )
    sheets.append(
        Sheet(
            title=_("Rekap per kategori") if period.kind == YEAR else _("Rekap"),
            heading=_("Rekap per kategori dan status"),
            headers=[_("Kategori"), *statuses, _("Jumlah")],
            rows=_category_recap(snap, lang),
            widths=[36, *([13] * len(Status)), 10],
        )
    )
    title = _("Laporan Tindak Lanjut Pengaduan")
    content = write_workbook(sheets, document(title, period, as_of, generated_at, lang, SIGNERS))
    return Export(content=content, rows=listed.count)
