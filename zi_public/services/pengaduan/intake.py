"""The Tim Pengaduan records a complaint that reached the office by box, telephone, WhatsApp, letter, walk-in,
e-mail, social media or SP4N-LAPOR!: the checks only such a complaint has (the channel, the day received,
LAPOR!'s tracking number and flags), then the one filing path (filing.file_with_uploads with a Recording).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from zi_public.localtime import today_jakarta
from zi_public.models import Pengaduan, User
from zi_public.rules.pengaduan import (
    INTAKE_BACKDATE_DAYS,
    LAPOR_NUMBER,
    STAFF_CHANNELS,
    Channel,
    lapor_identity,
    normalize_lapor_number,
    received_on_problem,
)
from zi_public.services.pengaduan.filing import (
    DuplicateLaporNumber,
    Filed,
    InvalidPengaduan,
    PengaduanInput,
    Recording,
    by_lapor_number,
    file_with_uploads,
    refuse_duplicate,
    validate,
)

_RECEIVED_ON_PROBLEMS = {
    "future": _l("Tanggal diterima tidak boleh setelah hari ini."),
    "too_old": _l("Tanggal diterima paling lama %(n)d hari sebelum hari ini.", n=INTAKE_BACKDATE_DAYS),
}


@dataclass(frozen=True)
class IntakeInput:
    """What the team types on the intake form, before validation."""

    complaint: PengaduanInput  # its identity is the form's choice; for LAPOR! the two flags decide instead
    channel: str
    received_on: date | None
    lapor_number: str | None = None
    lapor_anonim: bool = False
    lapor_rahasia: bool = False


def _channel(value: str) -> Channel | None:
    try:
        channel = Channel(value)
    except ValueError:
        return None
    return channel if channel in STAFF_CHANNELS else None  # web, kiosk and API are the reporter's own


def complaint_of(data: IntakeInput) -> PengaduanInput:
    """The complaint as filing takes it: a LAPOR! complaint's identity from LAPOR!'s flags (DESIGN.md)."""
    if _channel(data.channel) != Channel.LAPOR:
        return data.complaint
    identity = lapor_identity(anonim=data.lapor_anonim, rahasia=data.lapor_rahasia)
    return dataclasses.replace(data.complaint, identity=identity.value)


def check(data: IntakeInput, today: date) -> dict[str, object]:
    """Every reason the team's entry cannot be recorded, by field (the complaint's own rules included)."""
    complaint = complaint_of(data)
    errors, _category, _layanan = validate(complaint, today, contact_required=False)
    channel = _channel(data.channel)
    if channel is None:
        errors["channel"] = _l("Pilih kanal dari daftar.")
    if data.received_on is None:
        errors["received_on"] = _l("Isi tanggal pengaduan diterima.")
    else:
        problem = received_on_problem(data.received_on, today)
        if problem is not None:
            errors["received_on"] = _RECEIVED_ON_PROBLEMS[problem]
        elif complaint.incident_date is not None and complaint.incident_date > data.received_on:
            errors.setdefault("incident_date", _l("Tanggal kejadian tidak boleh setelah tanggal diterima."))
    number = normalize_lapor_number(data.lapor_number)
    if channel == Channel.LAPOR:
        if not number:
            errors["lapor_number"] = _l("Isi nomor pelacakan SP4N-LAPOR!.")
        elif not LAPOR_NUMBER.fullmatch(number):  # its length too (LAPOR_NUMBER_MAX)
            errors["lapor_number"] = _l("Nomor SP4N-LAPOR! berisi huruf, angka, titik, garis miring atau tanda hubung.")
        elif (first := by_lapor_number(number)) is not None:
            errors["lapor_number"] = lapor_taken(number, first)
    elif channel is not None:
        if number:
            errors["lapor_number"] = _l("Nomor SP4N-LAPOR! hanya diisi untuk kanal SP4N-LAPOR!.")
        if data.lapor_anonim or data.lapor_rahasia:
            errors["lapor_anonim"] = _l(
                "Tanda anonim/rahasia SP4N-LAPOR! hanya untuk kanal SP4N-LAPOR!; pilih identitas pelapor di atas."
            )
    return errors


def lapor_taken(number: str, first: Pengaduan) -> object:
    """The refusal of a second entry of a LAPOR! number, naming the complaint that has it."""
    return _l(
        "Nomor SP4N-LAPOR! %(lapor)s sudah dicatat sebagai pengaduan %(number)s.", lapor=number, number=first.number
    )


def record(
    actor: User,
    data: IntakeInput,
    files: Sequence[FileStorage] = (),
    *,
    submission_key: str | None = None,
    now: datetime | None = None,
) -> Filed:
    """Record a complaint the office received by another channel, for `actor` of the Tim Pengaduan.

    All of it or nothing: the complaint with its clocks counted from the day received, its attachments, its
    history and audit entry (naming `actor`, the channel and a day received before the day of recording); the
    reporter's mail carries the number only. Raises InvalidPengaduan (with a LAPOR! number another complaint
    has, also one a concurrent request recorded first), UploadRejected or DuplicateSubmission.
    """
    now = now or datetime.now(UTC)
    refuse_duplicate(submission_key)  # a double click finds the first entry, not "number already recorded"
    errors = check(data, today_jakarta(now))
    if errors:
        raise InvalidPengaduan(errors)
    assert data.received_on is not None  # check() refused it otherwise
    number = normalize_lapor_number(data.lapor_number) or None
    recording = Recording(by=actor, received_on=data.received_on, lapor_number=number)
    try:
        return file_with_uploads(
            complaint_of(data),
            files,
            channel=Channel(data.channel),
            submission_key=submission_key,
            recording=recording,
            now=now,
        )
    except DuplicateLaporNumber as exc:
        raise InvalidPengaduan({"lapor_number": lapor_taken(number or "", exc.existing)}) from None
