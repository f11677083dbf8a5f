"""Filing complaints: validation, numbering, access codes, clocks, attachments (finding one: lookup.py).

One path for every channel: the reporter's own (web, kiosk, API) and the ones the Tim Pengaduan records
(services/pengaduan/intake.py checks those and passes a `Recording`: who, the day received, LAPOR!'s number).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.localtime import naive_utc, today_jakarta
from zi_public.models import Category, Layanan, Pengaduan, PengaduanEvent, User
from zi_public.rows import insert_row, loaded_collection
from zi_public.rules import case_numbers, contact
from zi_public.rules import pengaduan as rules
from zi_public.rules.pengaduan import Action, Channel, ClockPolicy, Identity, Status
from zi_public.rules.text import has_visible_content
from zi_public.rules.working_days import WorkCalendar
from zi_public.security import codes
from zi_public.security.uploads import StoredFile, UploadRejected, removed_on_error
from zi_public.services import attachments as attachment_files
from zi_public.services import audit, reference
from zi_public.services.calendar import work_calendar
from zi_public.services.numbering import next_sequence
from zi_public.services.pengaduan import notifications, visibility
from zi_public.services.pengaduan.clocks import SETTLE, VERIFY, clock_policy, due_on
from zi_public.unit_of_work import begin_writing, savepoint

#: Encryption context of complaint attachment files (services.attachments owns it; kept for callers).
ATTACHMENT_CONTEXT = attachment_files.context_for("pengaduan")

#: Longest accepted value per field (characters); the columns and the forms use the same numbers.
LIMITS = {
    "title": 200,
    "description": 10_000,
    "requested_resolution": 5_000,
    "location": 200,
    "name": 120,
    "email": 254,
    "phone": 30,
    "nik": 16,
}
#: What a reporter may attach (checked by content): photos and PDF documents.
ALLOWED_UPLOADS = frozenset({"image", "pdf"})


@dataclass(frozen=True)
class PengaduanInput:
    """What a reporter sends, from the web form, the kiosk or the API, before validation."""

    category: str
    title: str
    description: str
    identity: str
    layanan: str | None = None
    requested_resolution: str = ""
    location: str = ""
    incident_date: date | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    nik: str | None = None


class InvalidPengaduan(ValueError):
    """The submission cannot be accepted; `errors` maps each field to a message for the reporter."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class DuplicateSubmission(Exception):
    """The same form (or API Idempotency-Key) was already submitted; `existing` is that complaint."""

    def __init__(self, existing: Pengaduan) -> None:
        super().__init__(existing.number)
        self.existing = existing


class DuplicateLaporNumber(Exception):
    """SP4N-LAPOR!'s tracking number is already on `existing` (the database's unique constraint decided)."""

    def __init__(self, existing: Pengaduan) -> None:
        super().__init__(existing.number)
        self.existing = existing


@dataclass(frozen=True)
class Recording:
    """A complaint the Tim Pengaduan records for the reporter (box, telephone, letter, LAPOR!...), checked by
    services/pengaduan/intake.py: who recorded it, the day the office received it (the clocks count from it)
    and, for LAPOR!, its tracking number."""

    by: User
    received_on: date
    lapor_number: str | None = None


@dataclass(frozen=True)
class Filed:
    pengaduan: Pengaduan
    access_code: str  # shown once to the reporter; only its keyed hash is stored


def _clean(value: str | None) -> str:
    return (value or "").strip()


def validate(
    data: PengaduanInput, today: date, *, contact_required: bool = True
) -> tuple[dict[str, object], Category | None, Layanan | None]:
    """Check a submission against the domain rules; returns (errors, category, layanan).

    A named reporter must leave an email or a telephone number (`contact_required`), except on a complaint
    the team records: a letter or a LAPOR! complaint may come with neither, and is answered the same way."""
    errors: dict[str, object] = {}
    category = reference.active_by_code(Category, _clean(data.category))
    if category is None:
        errors["category"] = _l("Pilih kategori pengaduan dari daftar.")
    layanan = None
    if _clean(data.layanan):
        layanan = reference.active_by_code(Layanan, _clean(data.layanan))
        if layanan is None:
            errors["layanan"] = _l("Pilih layanan dari daftar.")
    if data.identity not in {i.value for i in Identity}:
        errors["identity"] = _l("Pilih salah satu: terbuka, rahasia, atau anonim.")
    for field, label in (("title", _l("Judul")), ("description", _l("Uraian kejadian"))):
        if not has_visible_content(getattr(data, field) or ""):  # zero-width characters alone are no title
            errors[field] = _l("%(label)s wajib diisi.", label=label)
    for field, limit in LIMITS.items():
        if len(_clean(getattr(data, field))) > limit:
            errors[field] = _l("Paling banyak %(n)d karakter.", n=limit)
    if data.incident_date is not None and data.incident_date > today:
        errors["incident_date"] = _l("Tanggal kejadian tidak boleh setelah hari ini.")
    if data.identity in (Identity.TERBUKA, Identity.RAHASIA):
        _validate_identity(data, errors, contact_required=contact_required)
    return errors, category, layanan


def _validate_identity(data: PengaduanInput, errors: dict[str, object], *, contact_required: bool) -> None:
    if not has_visible_content(data.name or "") and "name" not in errors:
        errors["name"] = _l("Nama wajib diisi, kecuali Anda memilih anonim.")
    email, phone = _clean(data.email), _clean(data.phone)
    if contact_required and not email and not phone:
        errors.setdefault("email", _l("Isi email atau nomor telepon agar kami dapat menghubungi Anda."))
    if email and "email" not in errors and not contact.is_email(email):
        errors["email"] = _l("Alamat email tidak valid.")
    if phone and "phone" not in errors and not contact.is_phone(phone):
        errors["phone"] = _l("Nomor telepon hanya berisi angka, spasi, tanda hubung dan + di depan.")
    nik = _clean(data.nik)
    if nik and "nik" not in errors and not contact.is_nik(nik):
        errors["nik"] = _l("NIK terdiri dari 16 angka.")


def file_with_uploads(
    data: PengaduanInput,
    files: Sequence[FileStorage],
    *,
    channel: Channel,
    submission_key: str | None = None,
    kiosk_id: int | None = None,
    recording: Recording | None = None,
    now: datetime | None = None,
) -> Filed:
    """File a complaint with the files the reporter sent: all of it, or nothing and no stray file.

    Each file is checked by its content and stored encrypted, then the complaint is filed with them.
    If filing fails the stored files are deleted at once; if the request's transaction is rolled back
    later (a failed commit included), services.attachments deletes them then.
    Raises UploadRejected, InvalidPengaduan, DuplicateSubmission or DuplicateLaporNumber.
    """
    limit = int(current_app.config["PENGADUAN_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    refuse_duplicate(submission_key)  # before storing anything: a double click costs no disk space
    budget = attachment_files.pixel_budget()  # one for all the files: five bombs cost no more than one
    with removed_on_error(attachment_files.upload_dir()) as stored:
        for file in files:
            stored.append(attachment_files.store_file("pengaduan", file, allowed=ALLOWED_UPLOADS, budget=budget))
        return file_pengaduan(
            data,
            channel=channel,
            attachments=stored,
            submission_key=submission_key,
            kiosk_id=kiosk_id,
            recording=recording,
            now=now,
        )


def file_pengaduan(
    data: PengaduanInput,
    *,
    channel: Channel,
    attachments: Sequence[StoredFile] = (),
    submission_key: str | None = None,
    kiosk_id: int | None = None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    policy: ClockPolicy | None = None,
    recording: Recording | None = None,
) -> Filed:
    """Validate and record a new complaint with its (stored) attachments, history and audit entry.

    A `submission_key` (the form's hidden key, the API's Idempotency-Key) makes a retry file nothing:
    DuplicateSubmission names the complaint filed first, also when a concurrent request with the same
    key won the race to the database. The unique constraint decides that race inside a savepoint, so
    the request goes on without a commit or rollback of its own. The reporter (if they left an email)
    and the team are notified with the change.

    A `recording` (checked by services/pengaduan/intake.py) names the team member who records the complaint
    and the day the office received it, which the clocks count from. A LAPOR! tracking number taken by
    another complaint raises DuplicateLaporNumber, also when a concurrent request took it first.
    """
    refuse_duplicate(submission_key)
    now = now or datetime.now(UTC)
    today = today_jakarta(now)
    errors, category, layanan = validate(data, today, contact_required=recording is None)
    if errors:
        raise InvalidPengaduan(errors)
    calendar = calendar or work_calendar()
    policy = policy or clock_policy()
    # Everything above only reads. On SQLite the write transaction begins here: a transaction that read
    # first cannot wait for another writer's lock, it fails at once. Only a submission key can collide with
    # another request's (or LAPOR!'s number), so only then does the step need a savepoint to turn that into
    # DuplicateSubmission (or DuplicateLaporNumber).
    lapor_number = recording.lapor_number if recording else None
    try:
        with savepoint() if submission_key or lapor_number else _writing():
            filed = _record(
                data,
                category,
                layanan,
                channel=channel,
                attachments=attachments,
                submission_key=submission_key,
                kiosk_id=kiosk_id,
                now=now,
                today=today,
                calendar=calendar,
                policy=policy,
                recording=recording,
            )
    except IntegrityError:
        existing = _by_submission_key(submission_key)
        if existing is not None:  # a double click with a LAPOR! number: the same complaint, not a second one
            raise DuplicateSubmission(existing) from None
        first = by_lapor_number(lapor_number)
        if first is None:
            raise
        raise DuplicateLaporNumber(first) from None
    notifications.notify_new_case(filed.pengaduan)
    return filed


@contextmanager
def _writing() -> Iterator[None]:
    begin_writing()
    yield


def _by_submission_key(submission_key: str | None) -> Pengaduan | None:
    if not submission_key:
        return None
    return db.session.scalar(sa.select(Pengaduan).where(Pengaduan.submission_key == submission_key))


def by_lapor_number(lapor_number: str | None) -> Pengaduan | None:
    """The complaint recorded with SP4N-LAPOR!'s tracking number `lapor_number`, if any."""
    if not lapor_number:
        return None
    return db.session.scalar(sa.select(Pengaduan).where(Pengaduan.lapor_number == lapor_number))


def refuse_duplicate(submission_key: str | None) -> None:
    """DuplicateSubmission when a complaint was already filed with `submission_key`."""
    existing = _by_submission_key(submission_key)
    if existing is not None:
        raise DuplicateSubmission(existing)


def _record(
    data: PengaduanInput,
    category: Category | None,
    layanan: Layanan | None,
    *,
    channel: Channel,
    attachments: Sequence[StoredFile],
    submission_key: str | None,
    kiosk_id: int | None,
    now: datetime,
    today: date,
    calendar: WorkCalendar,
    policy: ClockPolicy,
    recording: Recording | None,
) -> Filed:
    """Number and record a validated complaint (inside file_pengaduan's savepoint)."""
    identity = Identity(data.identity)
    received_on = recording.received_on if recording else today  # the clocks count from it
    keeps_identity = identity != Identity.ANONIM
    access_code = codes.new_access_code()
    # One INSERT per row, not a flush (the hot path of every filing: zi_public.rows); the statistics'
    # after_insert hook runs all the same.
    case = insert_row(
        Pengaduan,
        number=case_numbers.format_number("pengaduan", today.year, next_sequence("pengaduan", today.year)),
        access_code_hash=codes.hash_access_code(access_code),
        channel=channel,
        identity=identity,
        reporter_name=_clean(data.name) or None if keeps_identity else None,
        reporter_email=_clean(data.email) or None if keeps_identity else None,
        reporter_phone=_clean(data.phone) or None if keeps_identity else None,
        reporter_nik=_clean(data.nik) or None if keeps_identity else None,
        category_id=category.id if category else None,
        layanan_id=layanan.id if layanan else None,
        title=_clean(data.title),
        description=_clean(data.description),
        requested_resolution=_clean(data.requested_resolution),
        location=_clean(data.location),
        incident_date=data.incident_date,
        status=Status.BARU,
        received_at=naive_utc(now),
        received_on=received_on,
        verify_by=due_on(VERIFY, received_on, calendar, policy),
        settle_by=due_on(SETTLE, received_on, calendar, policy),
        submission_key=submission_key,
        kiosk_id=kiosk_id,
        recorded_by_id=recording.by.id if recording else None,
        lapor_number=recording.lapor_number if recording else None,
    )
    submitted = insert_row(
        PengaduanEvent,
        pengaduan_id=case.id,
        action=Action.SUBMIT,
        from_status=Status.BARU,
        to_status=Status.BARU,
        is_public=visibility.is_public_action(Action.SUBMIT),
        created_at=case.received_at,
        actor_id=recording.by.id if recording else None,  # the history names who recorded it
    )
    loaded_collection(case, "events", [submitted])
    loaded_collection(case, "attachments", [])
    if attachments:
        attachment_files.attach(case, attachments)
        db.session.flush()  # inside this step, like the rest of the complaint
    audit.record(
        recording.by if recording else "reporter",
        "pengaduan.create",
        case,
        data={"number": case.number, "channel": channel.value, "attachments": len(attachments)}
        | (_recording_data(recording, today) if recording else {}),
    )
    return Filed(case, access_code)


def _recording_data(recording: Recording, today: date) -> dict[str, object]:
    """What the audit entry of a recorded complaint adds: the day received and, when it is not the day of
    recording, that day too (a backdated complaint is visible as such); LAPOR!'s number."""
    data: dict[str, object] = {"received_on": recording.received_on.isoformat()}
    if recording.received_on != today:
        data["recorded_on"] = today.isoformat()
        data["backdated"] = True
    if recording.lapor_number:
        data["lapor_number"] = recording.lapor_number
    return data


def is_late(case: Pengaduan, policy: ClockPolicy | None = None) -> bool:
    """Filed more than the accepted number of days after the service (shown to the team)."""
    return rules.is_late_complaint(case.incident_date, case.received_on, policy or clock_policy())
