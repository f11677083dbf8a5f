"""Gratifikasi: what a report is, its flow, and the deadlines of UU 20/2001 Pasal 12C and of the regulation
in force on a given day (PerKPK 2/2019, amended by PerKPK 1/2026 from 20 January 2026).

Deadlines, all in working days on the shared work calendar (national holidays, cuti bersama, local overrides):
  report    Pasal 12C ayat (2): a gift *received* is reported within 30 working days of the day it was
            received. A report after that is still taken and marked late (never refused). A gift *refused*
            may be reported too: it has no deadline and is never late.
  office    the office's own, shorter deadline for reporting to its UPG (configuration, shown beside it).
  forward   the UPG forwards a report to KPK within its own deadline (10 working days by default).
  complete  a report the UPG finds incomplete is completed within the days of the regulation in force on
            the report's date (30 before 20 January 2026, 20 from then: gratifikasi_regulations).

Flow: baru -> diverifikasi (complete) -> diteruskan (to KPK, with date and reference) -> ditetapkan (KPK's
decision: milik negara / milik penerima, SK number and date) -> selesai (what happened to the gift recorded).
baru -> perlu_kelengkapan (reporter asked to complete) -> diverifikasi, or -> tidak_lengkap when the completion
deadline passed. A refused gift's report is forwarded and then finished: KPK decides nothing about it.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from zi_public.rules.working_days import WorkCalendar

#: UU 20/2001 Pasal 12C ayat (2): working days from receiving a gift to reporting it.
REPORT_DAYS = 30
#: Largest value in Rupiah a report may state (a typo guard, not a legal limit: 1 trillion).
MAX_VALUE_IDR = 10**15


class Kind(enum.StrEnum):
    DITERIMA = "diterima"  # received
    DITOLAK = "ditolak"  # refused


class Status(enum.StrEnum):
    BARU = "baru"
    PERLU_KELENGKAPAN = "perlu_kelengkapan"
    DIVERIFIKASI = "diverifikasi"
    DITERUSKAN = "diteruskan"
    DITETAPKAN = "ditetapkan"
    SELESAI = "selesai"
    TIDAK_LENGKAP = "tidak_lengkap"  # not completed in time: not followed up


class Decision(enum.StrEnum):
    """KPK's decision on a received gift (SK penetapan status)."""

    MILIK_NEGARA = "milik_negara"
    MILIK_PENERIMA = "milik_penerima"


class GiftType(enum.StrEnum):
    """Forms of gratifikasi named in the elucidation of UU 20/2001 Pasal 12B ayat (1)."""

    UANG = "uang"
    BARANG = "barang"
    RABAT = "rabat"  # discount
    KOMISI = "komisi"
    PINJAMAN = "pinjaman"  # loan without interest
    TIKET = "tiket"  # travel ticket
    PENGINAPAN = "penginapan"
    WISATA = "wisata"  # pleasure trip
    PENGOBATAN = "pengobatan"  # free medical care
    FASILITAS = "fasilitas"  # other facilities
    LAINNYA = "lainnya"


#: Gift types that are money or its equivalent (an exemption for non-cash gifts never covers them).
CASH_TYPES = frozenset({GiftType.UANG})


class GiftLocation(enum.StrEnum):
    """Where a received gift is when it is reported."""

    PELAPOR = "pelapor"  # still held by the reporter
    UPG = "upg"  # handed to the UPG (barang titipan)
    TIDAK_ADA = "tidak_ada"  # consumed, perishable, or (refused) never held


class Disposition(enum.StrEnum):
    """What finally happened to the gift (recorded when a case is finished)."""

    DISERAHKAN_KPK = "diserahkan_kpk"  # handed to KPK / the state
    DIKEMBALIKAN = "dikembalikan"  # returned to the reporter (milik penerima)
    DIMANFAATKAN = "dimanfaatkan"  # used per KPK's decision (e.g. perishable goods given to a social institution)
    DITOLAK_PELAPOR = "ditolak_pelapor"  # refused at the time: nothing was held
    LAINNYA = "lainnya"


class Action(enum.StrEnum):
    SUBMIT = "submit"
    REQUEST_COMPLETION = "request_completion"
    COMPLETE = "complete"  # the reporter's completion recorded by the UPG; leads on to diverifikasi
    VERIFY = "verify"
    FORWARD = "forward"
    DECIDE = "decide"
    FINISH = "finish"
    CLOSE_INCOMPLETE = "close_incomplete"
    NOTE = "note"


FLOW: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.REQUEST_COMPLETION: (frozenset({Status.BARU}), Status.PERLU_KELENGKAPAN),
    Action.COMPLETE: (frozenset({Status.PERLU_KELENGKAPAN}), Status.DIVERIFIKASI),
    Action.VERIFY: (frozenset({Status.BARU}), Status.DIVERIFIKASI),
    Action.FORWARD: (frozenset({Status.DIVERIFIKASI}), Status.DITERUSKAN),
    Action.DECIDE: (frozenset({Status.DITERUSKAN}), Status.DITETAPKAN),
    Action.FINISH: (frozenset({Status.DITETAPKAN, Status.DITERUSKAN}), Status.SELESAI),
    Action.CLOSE_INCOMPLETE: (frozenset({Status.PERLU_KELENGKAPAN}), Status.TIDAK_LENGKAP),
    Action.NOTE: (frozenset(Status), None),
}
#: Statuses in which a case needs nothing more from the UPG.
FINAL = frozenset({Status.SELESAI, Status.TIDAK_LENGKAP})


def can(action: Action, status: Status, kind: Kind) -> bool:
    """Whether `action` may be taken on a case of `kind` in `status`.

    A refused gift gets no KPK decision: it is finished straight after forwarding.
    """
    if action not in FLOW:
        return False
    sources, _target = FLOW[action]
    if status not in sources:
        return False
    if kind == Kind.DITOLAK and action == Action.DECIDE:
        return False
    if kind == Kind.DITERIMA and action == Action.FINISH and status == Status.DITERUSKAN:
        return False  # a received gift waits for KPK's decision
    return True


def actions_for(status: Status, kind: Kind) -> list[Action]:
    """The actions open on a case, in the order the UPG usually takes them (NOTE last)."""
    return [action for action in FLOW if can(action, status, kind)]


def report_due(received_on: date, calendar: WorkCalendar) -> date:
    """The last day a gift received on `received_on` is reported on time (Pasal 12C ayat 2)."""
    return calendar.add_working_days(received_on, REPORT_DAYS)


def working_days_since_received(received_on: date, reported_on: date, calendar: WorkCalendar) -> int:
    """Working days from the day after `received_on` up to and including `reported_on`."""
    return calendar.count_working_days(received_on, reported_on)


def is_late(kind: Kind, received_on: date, reported_on: date, calendar: WorkCalendar) -> bool:
    """A received gift reported after 30 working days; a refused gift is never late."""
    if kind != Kind.DITERIMA:
        return False
    return working_days_since_received(received_on, reported_on, calendar) > REPORT_DAYS


@dataclass(frozen=True)
class Deadline:
    """One reporting deadline as a reporter sees it on a given day."""

    due: date
    length: int  # working days
    elapsed: int  # working days since the gift was received, up to the day asked about
    remaining: int  # working days left (0 on the last day and after)
    is_late: bool


def deadline(received_on: date, today: date, length: int, calendar: WorkCalendar) -> Deadline:
    """The deadline `length` working days after `received_on`, as of `today`."""
    elapsed = calendar.count_working_days(received_on, today)
    return Deadline(
        due=calendar.add_working_days(received_on, length),
        length=length,
        elapsed=elapsed,
        remaining=max(length - elapsed, 0),
        is_late=elapsed > length,
    )


class Channel(enum.StrEnum):
    """How a report reached the UPG (gratifikasi and declarations alike)."""

    WEB = "web"
    API = "api"


class CustodyExit(enum.StrEnum):
    """How an entrusted gift (barang titipan) left the UPG's custody."""

    DISERAHKAN_KPK = "diserahkan_kpk"
    DIKEMBALIKAN = "dikembalikan"  # returned to the reporter (milik penerima)
    DIMANFAATKAN = "dimanfaatkan"  # used per KPK's decision
    LAINNYA = "lainnya"


def parse_rupiah(text: object) -> int | None:
    """A Rupiah amount as people write it — "1.500.000", "Rp 1.500.000,00", "1500000" — as an integer;
    None when it is not one (letters, a negative sign, cents other than ,00 or ,-, more than MAX_VALUE_IDR).

    Dots and blanks group thousands (Indonesian style); a trailing ",00" or ",-" is dropped.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 <= text <= MAX_VALUE_IDR else None
    if not isinstance(text, str):
        return None
    value = text.strip()
    if value[:2].lower() == "rp":
        value = value[2:].lstrip(" .")
    for tail in (",00", ",-", ",0"):
        if value.endswith(tail):
            value = value[: -len(tail)]
            break
    value = value.replace(".", "").replace(" ", "").replace("\u00a0", "")
    if not value or len(value) > 16 or not all("0" <= char <= "9" for char in value):
        return None
    amount = int(value)
    return amount if amount <= MAX_VALUE_IDR else None
