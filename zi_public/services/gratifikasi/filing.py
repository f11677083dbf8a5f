"""Filing a gratifikasi report (web form and API): validation, the number and access code, the reporting
deadlines of Pasal 12C and of the office, the UPG's forwarding clock, the evidence files.

A report is never refused for being late: it is recorded with `is_late` and the count of working days, and
the reporter is told what the regulation in force says about late reports. An exempt category the reporter
thinks may apply is recorded as they chose it; it never stops the report either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.localtime import naive_utc, today_jakarta
from zi_public.models.gratifikasi import GratifikasiEvent, GratifikasiReport
from zi_public.rules import case_numbers, contact
from zi_public.rules import gratifikasi as rules
from zi_public.rules.gratifikasi import Action, Channel, GiftLocation, GiftType, Kind, Status
from zi_public.rules.gratifikasi_regulations import Regulation, category_codes, regulation_on
from zi_public.rules.periods import MIN_YEAR
from zi_public.rules.text import TextProblem, has_visible_content, text_problem
from zi_public.rules.working_days import WorkCalendar
from zi_public.security import codes
from zi_public.security.uploads import StoredFile, UploadRejected, removed_on_error
from zi_public.services import attachments as attachment_files
from zi_public.services import audit
from zi_public.services.calendar import work_calendar
from zi_public.services.gratifikasi.clocks import FORWARD, GratifikasiClockPolicy, clock_policy, due_on
from zi_public.services.numbering import next_sequence
from zi_public.unit_of_work import savepoint

KIND = "gratifikasi"
#: Longest accepted value per text field (characters); the forms and the API schema use the same numbers.
LIMITS = {
    "nik": 16,
    "name": 120,
    "position": 200,
    "unit": 200,
    "phone": 30,
    "email": 254,
    "address": 500,
    "giver_name": 200,
    "giver_institution": 200,
    "giver_relationship": 200,
    "gift_description": 500,
    "place": 200,
    "occasion": 200,
    "chronology": 10_000,
}
#: Fields written on one line; the others (address, chronology) may hold line breaks.
MULTILINE = frozenset({"address", "chronology"})
#: Required text fields (email, institution, description and occasion are optional).
REQUIRED = (
    "nik",
    "name",
    "position",
    "unit",
    "phone",
    "address",
    "giver_name",
    "giver_relationship",
    "place",
    "chronology",
)
#: What a reporter may attach (checked by content): photos, PDF, office documents without macros.
ALLOWED_UPLOADS = frozenset({"image", "pdf", "office"})
TEXT_PROBLEMS = {
    TextProblem.UNREADABLE: _l("Isian memuat karakter yang tidak dapat dibaca."),
    TextProblem.LINE_BREAK: _l("Tulis isian ini dalam satu baris."),
}


@dataclass(frozen=True)
class GratifikasiInput:
    """What a reporter sends (web form or API), before validation. `value_idr`: an int, or text as typed
    ("Rp1.500.000"); `received_on`: a date (the form and the API parse it; None when missing or not a date)."""

    kind: str
    nik: str
    name: str
    position: str
    unit: str
    phone: str
    address: str
    giver_name: str
    giver_relationship: str
    gift_type: str
    value_idr: int | str | None
    received_on: date | None
    place: str
    chronology: str
    email: str = ""
    giver_institution: str = ""
    gift_description: str = ""
    occasion: str = ""
    gift_location: str = ""  # GiftLocation; "" for a refused gift (nothing held) or when not said
    exemption_code: str = ""  # an exempt category the reporter thinks may apply ("" none)


class InvalidGratifikasi(ValueError):
    """The submission cannot be accepted; `errors` maps each field to a message for the reporter."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class DuplicateSubmission(Exception):
    """The same form (or API Idempotency-Key) was already submitted; `existing` is that report."""

    def __init__(self, existing: GratifikasiReport) -> None:
        super().__init__(existing.number)
        self.existing = existing


@dataclass(frozen=True)
class Filed:
    report: GratifikasiReport
    access_code: str  # shown once to the reporter; only its keyed hash is stored


@dataclass(frozen=True)
class DeadlinePreview:
    """What the form says as the reporter types the date: Pasal 12C's deadline and the office's, as of today
    (both None for a refused gift: no deadline), and the regulation in force on the day received."""

    received_on: date
    today: date
    report: rules.Deadline | None
    office: rules.Deadline | None
    regulation: Regulation


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def deadline_preview(
    kind: str,
    received_on: date,
    *,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
    policy: GratifikasiClockPolicy | None = None,
) -> DeadlinePreview:
    """The reporting deadlines of a gift of `kind` received on `received_on`, as of `today`."""
    today = today or today_jakarta()
    calendar = calendar or work_calendar()
    policy = policy or clock_policy()
    received = kind == Kind.DITERIMA
    return DeadlinePreview(
        received_on=received_on,
        today=today,
        report=rules.deadline(received_on, today, rules.REPORT_DAYS, calendar) if received else None,
        office=rules.deadline(received_on, today, policy.office_days, calendar) if received else None,
        regulation=regulation_on(received_on),
    )


def validate(data: GratifikasiInput, today: date) -> dict[str, object]:
    """Check a submission; returns the errors by field (empty: acceptable)."""
    errors: dict[str, object] = {}
    for field, limit in LIMITS.items():
        value = getattr(data, field)
        if value is not None and not isinstance(value, str):
            errors[field] = _l("Isian tidak valid.")
        elif value and (problem := text_problem(value, multiline=field in MULTILINE)):
            errors[field] = TEXT_PROBLEMS[problem]
        elif len(_clean(value)) > limit:
            errors[field] = _l("Paling banyak %(n)d karakter.", n=limit)
        elif field in REQUIRED and not has_visible_content(_clean(value)):
            errors[field] = _l("Wajib diisi.")
    if "nik" not in errors and not contact.is_nik(_clean(data.nik)):
        errors["nik"] = _l("NIK terdiri dari 16 angka.")
    if "phone" not in errors and not contact.is_phone(_clean(data.phone)):
        errors["phone"] = _l("Nomor telepon hanya berisi angka, spasi, tanda hubung dan + di depan.")
    email = _clean(data.email)
    if email and "email" not in errors and not contact.is_email(email):
        errors["email"] = _l("Alamat email tidak valid.")
    if data.kind not in {kind.value for kind in Kind}:
        errors["kind"] = _l("Pilih: diterima atau ditolak.")
    if data.gift_type not in {gift.value for gift in GiftType}:
        errors["gift_type"] = _l("Pilih jenis gratifikasi dari daftar.")
    value = rules.parse_rupiah(data.value_idr)
    if data.value_idr is None or (isinstance(data.value_idr, str) and not data.value_idr.strip()):
        errors["value_idr"] = _l("Isi perkiraan nilai dalam Rupiah (0 bila tidak diketahui).")
    elif value is None:
        errors["value_idr"] = _l("Tulis nilai dalam Rupiah dengan angka, misalnya 1.500.000.")
    if data.received_on is None:
        errors["received_on"] = _l("Isi tanggal penerimaan (atau penolakan).")
    elif data.received_on > today:
        errors["received_on"] = _l("Tanggal tidak boleh setelah hari ini.")
    elif data.received_on.year < MIN_YEAR:
        errors["received_on"] = _l("Tanggal terlalu lama.")
    location = data.gift_location or ""
    if location and location not in {place.value for place in GiftLocation}:
        errors["gift_location"] = _l("Pilih keberadaan barang dari daftar.")
    elif data.kind == Kind.DITERIMA and not location:
        errors["gift_location"] = _l("Pilih: masih Anda simpan, sudah diserahkan ke UPG, atau tidak ada lagi.")
    if data.exemption_code and data.exemption_code not in category_codes():
        errors["exemption_code"] = _l("Pilih kategori dari daftar.")
    return errors


def file_with_uploads(
    data: GratifikasiInput, files: Sequence[FileStorage], *, channel: Channel, submission_key: str | None = None
) -> Filed:
    """File a report with the evidence files the reporter sent: all of it, or nothing and no stray file.

    Raises UploadRejected, InvalidGratifikasi or DuplicateSubmission.
    """
    limit = int(current_app.config["GRATIFIKASI_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    _refuse_duplicate(submission_key)
    errors = validate(data, today_jakarta())
    if errors:  # before storing anything
        raise InvalidGratifikasi(errors)
    budget = attachment_files.pixel_budget()
    with removed_on_error(attachment_files.upload_dir()) as stored:
        for file in files:
            stored.append(attachment_files.store_file(KIND, file, allowed=ALLOWED_UPLOADS, budget=budget))
        return file_report(data, channel=channel, attachments=stored, submission_key=submission_key)


def file_report(
    data: GratifikasiInput,
    *,
    channel: Channel,
    attachments: Sequence[StoredFile] = (),
    submission_key: str | None = None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    policy: GratifikasiClockPolicy | None = None,
) -> Filed:
    """Validate and record a new report with its (stored) files, history and audit entry; the access code
    is returned once. A `submission_key` makes a resend file nothing (DuplicateSubmission names the first)."""
    _refuse_duplicate(submission_key)
    now = now or datetime.now(UTC)
    today = today_jakarta(now)
    errors = validate(data, today)
    if errors:
        raise InvalidGratifikasi(errors)
    assert data.received_on is not None
    calendar = calendar or work_calendar()
    policy = policy or clock_policy()
    try:
        with savepoint():
            filed = _record(data, channel, attachments, submission_key, now, today, calendar, policy)
    except IntegrityError:
        existing = _by_submission_key(submission_key)
        if existing is None:
            raise
        raise DuplicateSubmission(existing) from None
    return filed


def _record(
    data: GratifikasiInput,
    channel: Channel,
    attachments: Sequence[StoredFile],
    submission_key: str | None,
    now: datetime,
    today: date,
    calendar: WorkCalendar,
    policy: GratifikasiClockPolicy,
) -> Filed:
    assert data.received_on is not None
    kind = Kind(data.kind)
    preview = deadline_preview(kind, data.received_on, today=today, calendar=calendar, policy=policy)
    access_code = codes.new_access_code()
    location = data.gift_location or GiftLocation.TIDAK_ADA
    report = GratifikasiReport(
        number=case_numbers.format_number(KIND, today.year, next_sequence(KIND, today.year)),
        access_code_hash=codes.hash_access_code(access_code),
        submission_key=submission_key,
        channel=channel,
        kind=kind,
        status=Status.BARU,
        reporter_nik=_clean(data.nik),
        reporter_name=_clean(data.name),
        reporter_phone=_clean(data.phone),
        reporter_email=_clean(data.email) or None,
        reporter_address=_clean(data.address),
        reporter_position=_clean(data.position),
        reporter_unit=_clean(data.unit),
        giver_name=_clean(data.giver_name),
        giver_institution=_clean(data.giver_institution),
        giver_relationship=_clean(data.giver_relationship),
        gift_type=GiftType(data.gift_type),
        gift_description=_clean(data.gift_description),
        value_idr=rules.parse_rupiah(data.value_idr),
        received_on=data.received_on,
        place=_clean(data.place),
        occasion=_clean(data.occasion),
        chronology=_clean(data.chronology),
        gift_location=GiftLocation(location),
        exemption_code=data.exemption_code or None,
        regulation_code=preview.regulation.code,
        received_at=naive_utc(now),
        reported_on=today,
        report_due=preview.report.due if preview.report else None,
        office_due=preview.office.due if preview.office else None,
        working_days_since_received=rules.working_days_since_received(data.received_on, today, calendar),
        is_late=rules.is_late(kind, data.received_on, today, calendar),
        forward_by=due_on(FORWARD, today, calendar, policy),
    )
    db.session.add(report)
    report.events.append(
        GratifikasiEvent(
            action=Action.SUBMIT,
            from_status=Status.BARU,
            to_status=Status.BARU,
            is_public=True,
            created_at=naive_utc(now),
        )
    )
    if attachments:
        attachment_files.attach(report, attachments)
    db.session.flush()
    audit.record(
        "reporter",
        "gratifikasi.create",
        report,
        data={
            "number": report.number,
            "channel": channel.value,
            "late": report.is_late,
            "attachments": len(attachments),
        },
    )
    return Filed(report, access_code)


def _by_submission_key(submission_key: str | None) -> GratifikasiReport | None:
    if not submission_key:
        return None
    return db.session.scalar(sa.select(GratifikasiReport).where(GratifikasiReport.submission_key == submission_key))


def _refuse_duplicate(submission_key: str | None) -> None:
    existing = _by_submission_key(submission_key)
    if existing is not None:
        raise DuplicateSubmission(existing)
