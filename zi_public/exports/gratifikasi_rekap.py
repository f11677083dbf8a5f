"""Rekapitulasi Laporan Gratifikasi (`gratifikasi-rekap`, issue 10 point 7): the reports the UPG received in
a month, quarter, semester or year, as of one day, for the UPG and the pimpinan.

Four sheets:
  Rekap           totals: received vs refused, late vs on time (Pasal 12C), per gift type (count and value),
                  KPK's decision, and the UPG's own forwarding clock (GROUP BY queries, one pass).
  Daftar laporan  one row per report: dates, the reporter's name, position and unit (decrypted: this report is
                  the UPG's and the pimpinan's), the giver's institution and relationship (never the giver's
                  name), the gift, its value, late or on time, the office's deadline, the status, forwarding,
                  decision and what happened to the gift. Never the NIK, address, phone or email.
  Barang titipan  the custody register: gifts held by the UPG at any time during the period.
  Kampanye        the campaign and socialisation activities held in the period.

"As of" a day means what had been recorded by the end of that day (Asia/Jakarta), so the same period exported
later with the same as_of gives the same workbook:
- reports reached the UPG (reported_on) in the period and by as_of;
- the status is that of the last history event recorded by then;
- forwarding, KPK's decision and the disposition count only when their history event (FORWARD, DECIDE,
  FINISH) had been recorded by then: a date typed later for an earlier day does not change an old report;
- the forwarding clock is services/gratifikasi/clocks' FORWARD clock with that as-of forwarding date;
- custody exits and campaign activities count when dated (and, for activities, recorded) by then.
Rows stream from one query (yield_per), like pengaduan_bulanan: memory stays flat however many reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from zi_public.exports.document import document
from zi_public.exports.xlsx import CountingRows, Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.labels import CLOCK_ON_TIME_LABELS
from zi_public.localtime import end_of_day_utc
from zi_public.models import Attachment, GratifikasiCustody, GratifikasiEvent, GratifikasiReport, UpgCampaignActivity
from zi_public.models.attachment import AttachmentVariant
from zi_public.rules.clocks import ClockState
from zi_public.rules.gratifikasi import Action, Decision, GiftType, Kind, Status
from zi_public.rules.periods import Period
from zi_public.security.permissions import case_kind_of
from zi_public.services import clocks as engine
from zi_public.services.gratifikasi import campaign
from zi_public.services.gratifikasi.clocks import BY_NAME, FORWARD
from zi_public.services.gratifikasi.labels import (
    CUSTODY_EXIT_LABELS,
    DECISION_LABELS,
    DISPOSITION_LABELS,
    GIFT_TYPE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
)

#: Who signs: the head of the UPG prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "upg")
#: Whole Rupiah with thousands grouped, as the pages print them ("Rp1.500.000"; the separator is the reader's).
RUPIAH_FORMAT = '"Rp"#,##0'
SHORT_DATE = "dd/mm/yy"

#: The decision of a report as of the day (a Decision value, or one of these).
NOT_DECIDED, NO_DECISION = "belum", "tanpa_penetapan"
#: The forwarding clock of a report closed as incomplete and never forwarded: it will not be forwarded.
NOT_FORWARDED = "tidak_diteruskan"

DECISION_ROWS = {
    Decision.MILIK_NEGARA.value: DECISION_LABELS[Decision.MILIK_NEGARA],
    Decision.MILIK_PENERIMA.value: DECISION_LABELS[Decision.MILIK_PENERIMA],
    NOT_DECIDED: _l("Belum ditetapkan"),
    NO_DECISION: _l("Tanpa penetapan (gratifikasi ditolak)"),
}
FORWARD_ROWS = {
    ClockState.MET.value: _l("Diteruskan tepat waktu"),
    ClockState.MISSED.value: _l("Diteruskan melewati batas waktu"),
    ClockState.RUNNING.value: _l("Belum diteruskan, masih dalam batas waktu"),
    ClockState.OVERDUE.value: _l("Belum diteruskan, melewati batas waktu"),
    NOT_FORWARDED: _l("Tidak diteruskan (ditutup karena tidak lengkap)"),
}
LATE_ROWS = {
    "on_time": _l("Tepat waktu"),
    "late": _l("Terlambat"),
    "refused": _l("Tanpa batas waktu (gratifikasi ditolak)"),
}


@dataclass(frozen=True)
class AsOf:
    """The period's reports as recorded by the end of `as_of`: select FROM `from_clause` WHERE `where`."""

    as_of: date
    from_clause: sa.FromClause
    where: sa.ColumnElement[bool]
    status: sa.ColumnElement[str]
    forwarded_on: sa.ColumnElement[date]  # NULL unless the forwarding had been recorded by then
    is_decided: sa.ColumnElement[bool]
    is_finished: sa.ColumnElement[bool]
    forward_state: sa.ColumnElement[str]  # a ClockState value or NOT_FORWARDED
    decision_key: sa.ColumnElement[str]  # a Decision value, NOT_DECIDED or NO_DECISION
    late_key: sa.ColumnElement[str]  # a key of LATE_ROWS


def as_of_view(period: Period, as_of: date) -> AsOf:
    """The reports that reached the UPG in `period` (up to `as_of`), with their state at the end of `as_of`."""
    r, e = GratifikasiReport, GratifikasiEvent
    cutoff = end_of_day_utc(as_of)
    cases = sa.and_(r.reported_on.between(period.start, min(period.end, as_of)), r.received_at < cutoff)
    history = (
        sa.select(
            e.report_id.label("report_id"),
            sa.func.max(e.id).label("last_event_id"),
            sa.func.max(sa.case((e.action == Action.FORWARD.value, 1), else_=0)).label("forwarded"),
            sa.func.max(sa.case((e.action == Action.DECIDE.value, 1), else_=0)).label("decided"),
            sa.func.max(sa.case((e.action == Action.FINISH.value, 1), else_=0)).label("finished"),
        )
        # IN, not a join: the period's reports' events by index, not every event there is.
        .where(e.report_id.in_(sa.select(r.id).where(cases)), e.created_at < cutoff)
        .group_by(e.report_id)
        .subquery("history")
    )
    last = aliased(GratifikasiEvent, name="last_event")
    from_clause = sa.outerjoin(r, history, history.c.report_id == r.id).outerjoin(
        last, last.id == history.c.last_event_id
    )
    status = sa.func.coalesce(sa.type_coerce(last.to_status, sa.String), Status.BARU.value)
    forwarded_on = sa.case((history.c.forwarded == 1, r.forwarded_on))
    is_decided = sa.func.coalesce(history.c.decided, 0) == 1
    start, due, _done = BY_NAME[FORWARD].columns()
    clock = engine.state_sql(due, forwarded_on, as_of, started_col=start)
    forward_state = sa.case(
        (sa.and_(status == Status.TIDAK_LENGKAP.value, forwarded_on.is_(None)), NOT_FORWARDED), else_=clock
    )
    decision_key = sa.case(
        (r.kind == Kind.DITOLAK.value, NO_DECISION),
        (sa.and_(is_decided, r.decision.is_not(None)), sa.type_coerce(r.decision, sa.String)),
        else_=NOT_DECIDED,
    )
    late_key = sa.case((r.kind == Kind.DITOLAK.value, "refused"), (r.is_late, "late"), else_="on_time")
    return AsOf(
        as_of=as_of,
        from_clause=from_clause,
        where=cases,
        status=status,
        forwarded_on=forwarded_on,
        is_decided=is_decided,
        is_finished=sa.func.coalesce(history.c.finished, 0) == 1,
        forward_state=forward_state,
        decision_key=decision_key,
        late_key=late_key,
    )


# --- Rekap -----------------------------------------------------------------------------------------------------


def _groups(view: AsOf) -> list[tuple[str, str, str, str, str, int, int]]:
    """(kind, late key, gift type, decision key, forward state, count, value) per group, counted in SQL."""
    r = GratifikasiReport
    keys = (r.kind, view.late_key, r.gift_type, view.decision_key, view.forward_state)
    stmt = (
        sa.select(*keys, sa.func.count(r.id), sa.func.coalesce(sa.func.sum(r.value_idr), 0))
        .select_from(view.from_clause)
        .where(view.where)
        .group_by(*keys)
    )
    return [(*(str(k) for k in row[:5]), int(row[5]), int(row[6])) for row in db.session.execute(stmt)]


def _recap_rows(view: AsOf) -> list[list[object]]:
    """Each section's lines (count and value) from the groups: the few groups are summed here, not the rows."""
    counts: dict[str, Counter] = {name: Counter() for name in ("kind", "late", "type", "decision", "forward")}
    values: dict[str, Counter] = {name: Counter() for name in counts}
    total = total_value = 0
    for *keys, n, value in _groups(view):
        for name, key in zip(counts, keys, strict=True):
            counts[name][key] += n
            values[name][key] += value
        total += n
        total_value += value

    def section(group: str, name: str, labels: dict[str, object]) -> list[list[object]]:
        rows: list[list[object]] = [
            [group, str(label), counts[name][key], values[name][key]] for key, label in labels.items()
        ]
        rows.append([group, _("Jumlah"), sum(counts[name].values()), sum(values[name].values())])
        return rows

    forward_days = int(current_app.config["GRATIFIKASI_FORWARD_DAYS"])
    rows: list[list[object]] = [[_("Seluruh laporan"), _("Laporan diterima UPG dalam periode"), total, total_value]]
    rows += section(_("Jenis laporan"), "kind", {kind.value: KIND_LABELS[kind] for kind in Kind})
    rows += section(_("Ketepatan waktu pelaporan (Pasal 12C UU 20/2001)"), "late", LATE_ROWS)
    rows += section(_("Jenis gratifikasi"), "type", {t.value: GIFT_TYPE_LABELS[t] for t in GiftType})
    rows += section(_("Penetapan status oleh KPK"), "decision", DECISION_ROWS)
    rows += section(
        _("Penerusan ke KPK (batas waktu UPG: %(days)d hari kerja)", days=forward_days), "forward", FORWARD_ROWS
    )
    return rows


# --- Daftar laporan --------------------------------------------------------------------------------------------

#: (header, width in characters, wraps, number format)
_LIST_COLUMNS = (
    (_l("No."), 4, False, None),
    (_l("Nomor laporan"), 16, False, None),
    (_l("Dilaporkan ke UPG"), 9.5, False, SHORT_DATE),
    (_l("Tanggal diterima/ditolak"), 9.5, False, SHORT_DATE),
    (_l("Diterima/ditolak"), 9, False, None),
    (_l("Nama pelapor"), 16, True, None),
    (_l("Jabatan"), 14, True, None),
    (_l("Unit kerja"), 14, True, None),
    (_l("Instansi pemberi"), 14, True, None),
    (_l("Hubungan dengan pemberi"), 12, True, None),
    (_l("Jenis gratifikasi"), 11, True, None),
    (_l("Uraian"), 20, True, None),
    (_l("Nilai (Rp)"), 13, False, RUPIAH_FORMAT),
    (_l("Hari kerja sejak diterima"), 8, False, None),
    (_l("Ketepatan pelaporan"), 10, True, None),
    (_l("Batas waktu kantor terpenuhi"), 9, False, None),
    (_l("Status"), 11, True, None),
    (_l("Diteruskan ke KPK"), 9.5, False, SHORT_DATE),
    (_l("Penerusan tepat waktu"), 9, False, None),
    (_l("Nomor agenda KPK"), 13, True, None),
    (_l("Penetapan KPK"), 10, True, None),
    (_l("Nomor SK"), 13, True, None),
    (_l("Tanggal SK"), 9.5, False, SHORT_DATE),
    (_l("Tindak lanjut atas barang"), 14, True, None),
)


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


def _list_query(view: AsOf) -> sa.Select:
    r = GratifikasiReport
    return (
        sa.select(
            r.number,
            r.reported_on,
            r.received_on,
            r.kind,
            r.reporter_name,
            r.reporter_position,
            r.reporter_unit,
            r.giver_institution,
            r.giver_relationship,
            r.gift_type,
            r.gift_description,
            r.value_idr,
            r.working_days_since_received,
            view.late_key,
            r.reported_on <= r.office_due,
            view.status,
            view.forwarded_on,
            view.forward_state,
            sa.case((view.forwarded_on.is_not(None), r.kpk_reference)),
            view.decision_key,
            sa.case((view.is_decided, r.decision_number)),
            sa.case((view.is_decided, r.decision_date)),
            sa.case((view.is_finished, r.disposition)),
        )
        .select_from(view.from_clause)
        .where(view.where)
        .order_by(r.reported_on, r.id)
        .execution_options(yield_per=1000)
    )


def _list_rows(view: AsOf) -> Iterator[list[object]]:
    kinds = {key.value: str(label) for key, label in KIND_LABELS.items()}
    types = {key.value: str(label) for key, label in GIFT_TYPE_LABELS.items()}
    statuses = {key.value: str(label) for key, label in STATUS_LABELS.items()}
    dispositions = {key.value: str(label) for key, label in DISPOSITION_LABELS.items()}
    lateness = {key: str(label) for key, label in LATE_ROWS.items()}
    lateness["refused"] = _("Tanpa batas waktu")
    decisions = {key: str(label) for key, label in DECISION_ROWS.items()}
    clock = {state.value: label and str(label) for state, label in CLOCK_ON_TIME_LABELS.items()}
    clock[NOT_FORWARDED] = None
    yes, no = _("Ya"), _("Tidak")
    for position, row in enumerate(db.session.execute(_list_query(view)), start=1):
        (number, reported_on, received_on, kind, name, job, unit, institution, relationship, gift_type) = row[:10]
        (description, value, days, late, office_met, status, forwarded_on, forward_state) = row[10:18]
        (reference, decision, sk_number, sk_date, disposition) = row[18:]
        yield [
            position,
            number,
            reported_on,
            received_on,
            kinds.get(str(kind), kind),
            name,
            job,
            unit,
            institution,
            relationship,
            types.get(str(gift_type), gift_type),
            description,
            value,
            days if kind == Kind.DITERIMA.value else None,
            lateness[late],
            None if office_met is None else (yes if office_met else no),
            statuses.get(str(status), status),
            forwarded_on,
            clock.get(forward_state, forward_state),
            reference,
            decisions.get(decision),
            sk_number,
            sk_date,
            dispositions.get(str(disposition)) if disposition else None,
        ]


# --- Barang titipan --------------------------------------------------------------------------------------------

_CUSTODY_COLUMNS = (
    (_l("No."), 4, False, None),
    (_l("Nomor laporan"), 16, False, None),
    (_l("Diterima dari"), 18, True, None),
    (_l("Tanggal diterima"), 10, False, SHORT_DATE),
    (_l("Uraian barang"), 28, True, None),
    (_l("Kondisi"), 14, True, None),
    (_l("Tempat penyimpanan"), 14, True, None),
    (_l("Nilai (Rp)"), 13, False, RUPIAH_FORMAT),
    (_l("Tanggal keluar"), 10, False, SHORT_DATE),
    (_l("Cara keluar"), 16, True, None),
    (_l("Keterangan"), 24, True, None),
)


def _custody_rows(period: Period, as_of: date) -> Iterator[list[object]]:
    """Gifts held by the UPG at some time in the period (and recorded by as_of); their exit when dated by then."""
    c = GratifikasiCustody
    has_left = sa.and_(c.left_on.is_not(None), c.left_on <= as_of)
    stmt = (
        sa.select(
            GratifikasiReport.number,
            c.received_from,
            c.received_on,
            c.description,
            c.condition,
            c.storage_location,
            c.value_idr,
            sa.case((has_left, c.left_on)),
            sa.case((has_left, c.left_how)),
            sa.case((has_left, c.left_note)),
        )
        .outerjoin(GratifikasiReport, GratifikasiReport.id == c.report_id)
        .where(
            c.received_on <= min(period.end, as_of),
            c.created_at < end_of_day_utc(as_of),
            sa.or_(c.left_on.is_(None), c.left_on >= period.start),
        )
        .order_by(c.received_on, c.id)
        .execution_options(yield_per=1000)
    )
    exits = {key.value: str(label) for key, label in CUSTODY_EXIT_LABELS.items()}
    for position, row in enumerate(db.session.execute(stmt), start=1):
        *head, left_how, left_note = row
        yield [position, *head, exits.get(str(left_how)) if left_how else None, left_note or None]


# --- Kampanye --------------------------------------------------------------------------------------------------


def _campaign_rows(period: Period, as_of: date) -> list[list[object]]:
    """The activities held in the period and recorded by as_of, with their number of evidence files."""
    cutoff = end_of_day_utc(as_of)
    activities = [
        activity
        for activity in campaign.activities_in(period)
        if activity.held_on <= as_of and activity.created_at < cutoff
    ]
    files: dict[int, int] = {}
    if activities:
        a = Attachment
        files = dict(
            db.session.execute(
                sa.select(a.case_id, sa.func.count(a.id))
                .where(
                    a.case_kind == case_kind_of(UpgCampaignActivity),
                    a.case_id.in_([activity.id for activity in activities]),
                    a.variant == AttachmentVariant.ORIGINAL.value,
                    a.created_at < cutoff,
                )
                .group_by(a.case_id)
            ).all()
        )
    return [
        [
            position,
            activity.held_on,
            str(campaign.topic_label(activity.topic)),
            activity.medium,
            activity.audience,
            activity.summary or None,
            files.get(activity.id, 0),
        ]
        for position, activity in enumerate(activities, start=1)
    ]


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The recap of `period` as of `as_of` as an xlsx workbook (rows: the reports it lists)."""
    view = as_of_view(period, as_of)
    listed = CountingRows(_list_rows(view))
    sheets = [
        Sheet(
            title=_("Rekap"),
            heading=_("Rekapitulasi laporan gratifikasi yang diterima UPG"),
            headers=[_("Kelompok"), _("Uraian"), _("Jumlah laporan"), _("Nilai (Rp)")],
            rows=_recap_rows(view),
            widths=[40, 46, 14, 20],
            wrap=frozenset({0, 1}),
            number_formats={3: RUPIAH_FORMAT},
        ),
        _sheet(_("Daftar laporan"), _("Daftar laporan gratifikasi"), _LIST_COLUMNS, listed),
        _sheet(
            _("Barang titipan"),
            _("Register barang titipan gratifikasi yang disimpan UPG dalam periode"),
            _CUSTODY_COLUMNS,
            _custody_rows(period, as_of),
        ),
        Sheet(
            title=_("Kampanye"),
            heading=_("Kegiatan kampanye dan sosialisasi UPG"),
            headers=[
                _("No."),
                _("Tanggal"),
                _("Tema"),
                _("Media"),
                _("Peserta / sasaran"),
                _("Uraian"),
                _("Jumlah bukti"),
            ],
            rows=_campaign_rows(period, as_of),
            widths=[4, 11, 20, 20, 26, 50, 9],
            wrap=frozenset({2, 3, 4, 5}),
            number_formats={1: SHORT_DATE},
        ),
    ]
    title = _("Rekapitulasi Laporan Gratifikasi")
    content = write_workbook(sheets, document(title, period, as_of, generated_at, lang, SIGNERS))
    return Export(content=content, rows=listed.count)
