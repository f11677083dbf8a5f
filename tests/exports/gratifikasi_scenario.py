"""The gratifikasi recap's scenario (November 2026), shared by the export tests and the CLI test.

Reports reach the UPG on fixed days; each step of the UPG is a change of the report's columns with its history
event recorded at a fixed moment, as services/gratifikasi/flow.act records it (same actions, same statuses),
so that "as of" a day can be checked against what had been recorded by then. Working days (2026): October,
November and early December have no holiday. The UPG forwards within 10 working days (the default).

As of 30 November (stage one; `later_steps` adds what was recorded in December):
  A  barang     750.000  received 2 Nov, reported Wed 4 Nov (on time); forwarded 10 Nov (due 18 Nov: met);
                decided milik negara (SK 18 Nov, recorded 20 Nov); finished 25 Nov (handed to KPK).
  B  uang     2.000.000  received 15 Sep, reported Thu 5 Nov: 37 working days, late; forwarded 25 Nov (due
                19 Nov: missed). December: decided milik penerima (SK 1 Dec, recorded 3 Dec).
  C  tiket    5.000.000  refused on 1 Sep, reported Mon 9 Nov: never late; not forwarded (due 23 Nov: overdue).
  D  barang     300.000  received 20 Nov, reported Fri 27 Nov: on time; forwarding running (due 11 Dec).
  G  komisi   1.000.000  received 13 Nov, reported Mon 16 Nov; forwarding due 30 Nov: running. December:
                forwarded on 20 Nov, recorded on 2 Dec (met, but only from 2 December on).
  E             reported 30 Oct: another period. F: reported 1 Dec (December).
"""

from __future__ import annotations

from datetime import date, datetime

from tests.exports.reports import HOSTILE_TITLE
from tests.factories import make_gratifikasi, make_user
from zi_public.extensions import db
from zi_public.localtime import JAKARTA, naive_utc
from zi_public.models import (
    Attachment,
    GratifikasiCustody,
    GratifikasiEvent,
    GratifikasiReport,
    Role,
    UpgCampaignActivity,
)
from zi_public.rules.gratifikasi import Action, CustodyExit, Decision, Disposition, Status

#: Personal data every reporter leaves and no cell of the recap may hold.
SECRETS = {
    "nik": "3371010101900001",
    "phone": "081234567890",
    "email": "budi.rahasia@example.com",
    "address": "Jl. Pahlawan 1, Magelang",
    "giver_name": "Andi Wijaya Pemberi",
    "chronology": "Kronologi rahasia: pemohon datang membawa parsel.",
}


def wib(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def file(when: datetime, received_on: date, **fields) -> GratifikasiReport:
    return make_gratifikasi(now=when, received_on=received_on, **{**SECRETS, **fields}).report


def step(report: GratifikasiReport, action: Action, to_status: Status | None, when: datetime, **columns) -> None:
    """One step of the UPG recorded at `when`: the columns it sets, the status it moves to, its history event."""
    for name, value in columns.items():
        setattr(report, name, value)
    old = report.status
    new = to_status or old
    report.status = new
    report.events.append(GratifikasiEvent(action=action, from_status=old, to_status=new, created_at=naive_utc(when)))
    db.session.flush()


def forward(report: GratifikasiReport, on: date, when: datetime) -> None:
    step(report, Action.FORWARD, Status.DITERUSKAN, when, forwarded_on=on, kpk_reference=f"KPK/{report.number}")


def decide(report: GratifikasiReport, decision: Decision, sk_date: date, when: datetime) -> None:
    step(
        report,
        Action.DECIDE,
        Status.DITETAPKAN,
        when,
        decision=decision,
        decision_number=f"SK-{report.number}",
        decision_date=sk_date,
    )


def custody(received_on: date, left_on: date | None = None, **fields) -> GratifikasiCustody:
    item = GratifikasiCustody(
        received_from=fields.pop("received_from", "Pelapor"),
        received_on=received_on,
        description=fields.pop("description", "Parsel"),
        condition="Baik",
        storage_location="Lemari UPG",
        value_idr=fields.pop("value_idr", 500_000),
        left_on=left_on,
        left_how=CustodyExit.DISERAHKAN_KPK if left_on else None,
        created_at=naive_utc(wib(received_on.month, received_on.day, year=received_on.year)),
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    return item


def activity(held_on: date, recorded: datetime, files: int = 0, **fields):
    row = UpgCampaignActivity(
        held_on=held_on,
        topic=fields.pop("topic", "no_calo_no_pungli"),
        medium=fields.pop("medium", "Banner / poster"),
        audience=fields.pop("audience", "Pemohon izin di ruang layanan"),
        summary=fields.pop("summary", "Pemasangan banner No Calo, No Pungli."),
        created_at=naive_utc(recorded),
    )
    for n in range(files):
        row.attachments.append(
            Attachment(
                stored_name=f"campaign-{held_on}-{n}",
                original_name=f"bukti-{n}.jpg",
                content_type="image/jpeg",
                size=10,
                sha256="0" * 64,
            )
        )
    db.session.add(row)
    db.session.flush()
    return row


def file_scenario() -> dict[str, object]:
    """Stage one: everything recorded by the end of 30 November 2026 (committed)."""
    make_user(role=Role.UPG)
    r: dict[str, object] = {}
    r["E"] = file(wib(10, 30), date(2026, 10, 28))
    a = r["A"] = file(wib(11, 4), date(2026, 11, 2), gift_type="barang", value_idr=750_000)
    b = r["B"] = file(wib(11, 5), date(2026, 9, 15), gift_type="uang", value_idr=2_000_000)
    c = r["C"] = file(
        wib(11, 9),
        date(2026, 9, 1),
        kind="ditolak",
        gift_type="tiket",
        value_idr=5_000_000,
        gift_location="tidak_ada",
        giver_institution=HOSTILE_TITLE,
        gift_description="@SUM(A1:A9) tiket pesawat",
    )
    g = r["G"] = file(wib(11, 16), date(2026, 11, 13), gift_type="komisi", value_idr=1_000_000)
    d = r["D"] = file(wib(11, 27), date(2026, 11, 20), gift_type="barang", value_idr=300_000)
    step(a, Action.VERIFY, Status.DIVERIFIKASI, wib(11, 5), verified_on=date(2026, 11, 5))
    forward(a, date(2026, 11, 10), wib(11, 10))
    decide(a, Decision.MILIK_NEGARA, date(2026, 11, 18), wib(11, 20))
    step(a, Action.FINISH, Status.SELESAI, wib(11, 25), disposition=Disposition.DISERAHKAN_KPK)
    step(b, Action.VERIFY, Status.DIVERIFIKASI, wib(11, 6), verified_on=date(2026, 11, 6))
    forward(b, date(2026, 11, 25), wib(11, 25, 23, 30))  # still 25 November in Jakarta
    step(g, Action.VERIFY, Status.DIVERIFIKASI, wib(11, 17), verified_on=date(2026, 11, 17))
    step(c, Action.NOTE, None, wib(11, 30, 23, 59))
    assert d.status == Status.BARU
    r["K1"] = custody(date(2026, 11, 5), date(2026, 11, 26), report_id=a.id, received_from="Budi Santoso")
    r["K2"] = custody(date(2026, 10, 20), description="Jam tangan", value_idr=None)
    r["K3"] = custody(date(2026, 9, 1), date(2026, 10, 15), description="Sudah keluar Oktober")
    r["K4"] = custody(date(2026, 11, 25), description="Kain batik")
    r["W1"] = activity(date(2026, 11, 12), wib(11, 12), files=2)
    r["W0"] = activity(date(2026, 10, 1), wib(10, 1), summary="Oktober")
    db.session.commit()
    return r


def later_steps(r: dict[str, object]) -> None:
    """Stage two: what the UPG recorded in December, some of it about November (committed)."""
    file(wib(12, 1, 0, 30), date(2026, 11, 30))  # F
    forward(r["G"], date(2026, 11, 20), wib(12, 2))
    decide(r["B"], Decision.MILIK_PENERIMA, date(2026, 12, 1), wib(12, 3))
    k4 = r["K4"]
    k4.left_on, k4.left_how, k4.left_note = date(2026, 12, 2), CustodyExit.DIKEMBALIKAN, "Dikembalikan"
    custody(date(2026, 12, 1), description="Desember")
    activity(date(2026, 11, 28), wib(12, 2), summary="Dicatat bulan Desember")
    db.session.commit()
