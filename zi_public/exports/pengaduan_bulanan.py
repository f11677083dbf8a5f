"""Laporan tindak lanjut pengaduan: every complaint handled in a month (or a year), as of one day (see
services.pengaduan.asof): those carried over from earlier (sisa bulan lalu) and those received in it (masuk bulan
ini), with their channel, LAPOR! number, clocks and state; then what was done and told to the reporter in
the period; then the recap "sisa bulan lalu + masuk - selesai = sisa" by channel, category, layanan and
bidang with the share of follow-ups on time (services.pengaduan.recap); a year adds that recap per month.

It goes into the ZI evidence file and to evaluators, so it carries no personal data at all (only the
identity *kind*), and a rahasia or anonim complaint shows no title or text: its cells read "dirahasiakan"
(the text is never selected). Rows stream from one query per sheet (the notes merged beside their
complaints in the same order); the recaps are GROUP BY queries.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zi_public.exports.document import document, period_label
from zi_public.exports.xlsx import CountingRows, Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.labels import CLOCK_ON_TIME_LABELS
from zi_public.localtime import end_of_day_utc, jakarta_date_sql, start_of_day_utc, to_jakarta
from zi_public.models import Bidang, Category, Layanan, Pengaduan, PengaduanEvent
from zi_public.rules.clocks import STOPPED_STATES, ClockState
from zi_public.rules.pengaduan import Action, Identity, Status
from zi_public.rules.periods import YEAR, Period
from zi_public.services.pengaduan import recap as recap_service
from zi_public.services.pengaduan.asof import PeriodCases, handled_in
from zi_public.services.pengaduan.clocks import CLOCKS, FOLLOW_UP, SETTLE, VERIFY
from zi_public.services.pengaduan.labels import CHANNEL_LABELS, IDENTITY_LABELS, STATUS_LABELS
from zi_public.services.reference import localized_name_sql

#: Who signs: the head of the Tim Pengaduan prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "pengaduan")
#: What a rahasia or anonim complaint shows instead of its title and any text about it.
CONFIDENTIAL = _l("dirahasiakan")

#: Per clock: the headers of its deadline, the day it stopped, and its state.
CLOCK_HEADERS = {
    VERIFY: (_l("Batas verifikasi"), _l("Diverifikasi/ditelaah"), _l("Verifikasi tepat waktu")),
    FOLLOW_UP: (_l("Batas tindak lanjut"), _l("Pelapor diberi informasi"), _l("Tindak lanjut tepat waktu")),
    SETTLE: (_l("Batas penyelesaian"), _l("Selesai ditangani"), _l("Penyelesaian tepat waktu")),
}
#: The words of a month's report and of a year's: which complaints were carried over or received, and the
#: recap's columns and heading.
WORDS = {
    "month": {
        "carried": _l("Sisa bulan lalu"),
        "received": _l("Masuk bulan ini"),
        "remaining": _l("Sisa akhir bulan"),
        "heading": _l("Sisa bulan lalu + masuk - selesai = sisa, menurut kanal, kategori, layanan dan bidang"),
    },
    YEAR: {
        "carried": _l("Sisa tahun lalu"),
        "received": _l("Masuk tahun ini"),
        "remaining": _l("Sisa akhir tahun"),
        "heading": _l("Sisa tahun lalu + masuk - selesai = sisa, menurut kanal, kategori, layanan dan bidang"),
    },
}

#: Dates in the register print as 30/11/26: 25 columns must fit one landscape page across.
SHORT_DATE = "dd/mm/yy"
# (header, width in characters, wraps, number format); the clock columns go in between, three per clock.
_LEADING = (
    (_l("No."), 4, False, None),
    (_l("Nomor pengaduan"), 16, False, None),
    (_l("Nomor LAPOR!"), 11, True, None),
    (_l("Kelompok"), 8.5, True, None),
    (_l("Diterima"), 9, False, SHORT_DATE),
    (_l("Kanal"), 9, True, None),
    (_l("Kategori"), 13, True, None),
    (_l("Layanan"), 14, True, None),
    (_l("Identitas pelapor"), 8.5, False, None),
    (_l("Judul"), 18, True, None),
    (_l("Status"), 11, True, None),
    (_l("Bidang"), 13, True, None),
)
_CLOCK_COLUMNS = ((9, SHORT_DATE), (9, SHORT_DATE), (9, None))
_TRAILING = (
    (_l("Keterangan"), 15, True, None),
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


def _open_text(column: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
    """SQL: `column` for a terbuka complaint, NULL for a rahasia or anonim one (its text never leaves the DB)."""
    return sa.case((Pengaduan.identity == Identity.TERBUKA, column))


def _ordered(stmt: sa.Select) -> sa.Select:
    """The register's order, shared by every sheet that lists its complaints: carried over ones come first."""
    p = Pengaduan
    return stmt.order_by(p.received_on, p.received_at, p.id).execution_options(yield_per=1000)


def _case_query(cases: PeriodCases, lang: str) -> sa.Select:
    p, snap = Pengaduan, cases.snap
    states = snap.clock_states()
    clock_columns = []
    for clock in CLOCKS:
        clock_columns += [snap.column(clock.due), snap.column(clock.done), states[clock.name]]
    return _ordered(
        sa.select(
            p.number,
            p.lapor_number,
            cases.carried,
            p.received_on,
            p.channel,
            localized_name_sql(Category, lang),
            localized_name_sql(Layanan, lang),
            p.identity,
            _open_text(p.title),
            snap.status,
            localized_name_sql(Bidang, lang),
            *clock_columns,
            _open_text(p.rejection_reason),
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
        .where(cases.where)
    )


def _follow_up_rows(cases: PeriodCases, start: date) -> Iterator[list[object]]:
    """The register's complaints again (same order and numbers) with their internal follow-up notes and
    their answers recorded in the period (from `start` to the end of as_of), a confidential complaint's
    with the date only: one query, each complaint beside its notes (if any) in the notes' order."""
    p, e = Pengaduan, PengaduanEvent
    in_period = sa.and_(
        e.pengaduan_id == p.id,
        e.action.in_((Action.FOLLOW_UP, Action.ANSWER)),
        e.created_at >= start_of_day_utc(start),
        e.created_at < end_of_day_utc(cases.snap.as_of),
    )
    stmt = _ordered(
        sa.select(p.id, p.number, _open_text(p.title), e.action, e.created_at, _open_text(e.body))
        .select_from(cases.snap.from_clause.outerjoin(e, in_period))
        .where(cases.where)
    ).order_by(e.id)
    confidential = str(CONFIDENTIAL)
    rows = itertools.groupby(db.session.execute(stmt), key=lambda row: row[:3])
    for position, ((_case_id, number, title), events) in enumerate(rows, start=1):
        notes: dict[Action, list[str]] = {Action.FOLLOW_UP: [], Action.ANSWER: []}
        for *_case, action, created_at, body in events:
            if action is not None:
                text = confidential if body is None else body
                notes[Action(action)].append(f"{to_jakarta(created_at):%d/%m/%Y}: {text}")
        yield [
            position,
            number,
            confidential if title is None else title,
            "\n\n".join(notes[Action.FOLLOW_UP]) or None,
            "\n\n".join(notes[Action.ANSWER]) or None,
        ]


def _remark(status: Status, is_open: bool, rejection_reason: str | None, forwarded_to: str | None) -> str | None:
    if status == Status.DITOLAK:
        return _("Ditolak: %(reason)s", reason=(rejection_reason or "") if is_open else str(CONFIDENTIAL))
    if status == Status.DIALIHKAN:
        return _("Dialihkan ke %(target)s", target=forwarded_to or "")
    return None


def _rows(cases: PeriodCases, words: dict, lang: str) -> Iterator[list[object]]:
    clock_labels = {state.value: label and str(label) for state, label in CLOCK_ON_TIME_LABELS.items()}
    status_labels = {status.value: str(label) for status, label in STATUS_LABELS.items()}
    channel_labels = {channel.value: str(label) for channel, label in CHANNEL_LABELS.items()}
    identity_labels = {identity.value: str(label) for identity, label in IDENTITY_LABELS.items()}
    carried_label, received_label, confidential = str(words["carried"]), str(words["received"]), str(CONFIDENTIAL)
    leading = 11
    for position, row in enumerate(db.session.execute(_case_query(cases, lang)), start=1):
        number, lapor_number, carried, received_on, channel, category, layanan, identity, title, status, bidang = row[
            :leading
        ]
        clock_values = row[leading : leading + 3 * len(CLOCKS)]
        reason, forwarded_to, reopens, closed_on, rating = row[leading + 3 * len(CLOCKS) :]
        clocks: list[object] = []
        for due, done_on, state in zip(*[iter(clock_values)] * 3, strict=True):
            clocks += [
                due if state != ClockState.NOT_APPLICABLE.value else None,
                done_on if state in STOPPED_STATES else None,
                clock_labels[state],
            ]
        is_open = identity == Identity.TERBUKA
        yield [
            position,
            number,
            lapor_number,
            carried_label if carried else received_label,
            received_on,
            channel_labels.get(channel, channel),
            category,
            layanan,
            identity_labels.get(identity, identity),
            title if is_open else confidential,
            status_labels.get(status, status),
            bidang,
            *clocks,
            _remark(Status(status), is_open, reason, forwarded_to),
            reopens,
            closed_on,
            rating,
        ]


def _recap_headers(words: dict) -> list[str]:
    return [
        str(words["carried"]),
        str(words["received"]),
        _("Selesai ditangani"),
        str(words["remaining"]),
        _("Tindak lanjut jatuh tempo atau dipenuhi"),
        _("Tindak lanjut tepat waktu"),
        _("% tindak lanjut tepat waktu"),
    ]


def _recap_sheet(recaps: dict[str, list[recap_service.RecapRow]], total: recap_service.RecapRow, words: dict) -> Sheet:
    """Per dimension (`recaps`, recap_by of the period): a row per channel or catalogue entry, then the total."""
    rows: list[list[object]] = []
    for dimension, lines in recaps.items():
        name = str(recap_service.DIMENSION_LABELS[dimension])
        rows += [[name, line.label, *line.figures()] for line in lines]
        rows.append([name, total.label, *total.figures()])
    return Sheet(
        title=_("Rekap"),
        heading=str(words["heading"]),
        headers=[_("Menurut"), _("Uraian"), *_recap_headers(words)],
        rows=rows,
        widths=[10, 40, 11, 11, 11, 11, 14, 12, 12],
        wrap=frozenset({1}),
        number_formats={8: "0.0%"},
    )


def _month_recap_sheet(period: Period, year: recap_service.RecapRow, as_of: date, lang: str) -> Sheet:
    """A year's recap per month (the months begun by as_of), then the year's (`year`, its recap total)."""
    rows: list[list[object]] = []
    for month in period.months():
        if month.start <= as_of:
            line = recap_service.recap_total(month, as_of=as_of, lang=lang)
            rows.append([period_label(month, lang), *line.figures()])
    rows.append([_("Jumlah %(period)s", period=period_label(period, lang)), *year.figures()])
    return Sheet(
        title=_("Rekap per bulan"),
        heading=_("Sisa bulan lalu + masuk - selesai = sisa, per bulan"),
        headers=[_("Bulan"), *_recap_headers(WORDS["month"])],
        rows=rows,
        widths=[22, 11, 11, 11, 11, 14, 12, 12],
        number_formats={7: "0.0%"},
    )


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The follow-up report of `period` (a month, or a year with its recap per month) as of `as_of`."""
    cases = handled_in(period.start, period.end, as_of)
    words = WORDS[YEAR if period.kind == YEAR else "month"]
    label = period_label(period, lang)
    listed = CountingRows(_rows(cases, words, lang))
    sheets = [
        _sheet(_("Pengaduan %(period)s", period=label), _("Daftar pengaduan yang ditangani"), _columns(), listed),
        _sheet(
            _("Tindak lanjut %(period)s", period=label),
            _("Tindak lanjut dan tanggapan kepada pelapor dalam periode ini"),
            [(str(h), w, wrap, fmt) for h, w, wrap, fmt in _FOLLOW_UP_COLUMNS],
            _follow_up_rows(cases, period.start),
        ),
    ]
    recaps = recap_service.recap_by(period, as_of=as_of, lang=lang)
    total = recap_service.total_of_channels(recaps["channel"], lang)
    if period.kind == YEAR:
        sheets.append(_month_recap_sheet(period, total, as_of, lang))
    sheets.append(_recap_sheet(recaps, total, words))
    title = _("Laporan Tindak Lanjut Pengaduan")
    content = write_workbook(sheets, document(title, period, as_of, generated_at, lang, SIGNERS))
    return Export(content=content, rows=listed.count)
