"""Declarations of conflicts of interest (benturan kepentingan, PermenPANRB 37/2012): an employee's
declaration for a specific matter or the yearly declaration of no conflict, filed on the public form with a
number (BTK-YYYY-NNNNNN) and an access code; the declarant's status look-up; the UPG recording the superior's
decision and when it was carried out; and the quarter's figures for the evaluation (part G).

A specific declaration: diterima -> diputuskan (the superior's decision, recorded by the UPG) -> dilaksanakan
(when the decision leaves something to carry out, rules.NEEDS_CARRYING_OUT). A yearly declaration of none is
recorded (dicatat) and gets no decision.

The declarant's NIK, name, phone, email and the related party are encrypted at rest (the model); the access
code is kept only as a keyed hash. Every filing, look-up and UPG read and write is audit-logged, with the number
and the step only (never personal data nor the declaration's text). A wrong number and a wrong code get the same
answer at the same cost.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from zi_public.extensions import db
from zi_public.localtime import naive_utc, today_jakarta
from zi_public.models import Role, User
from zi_public.models.benturan import ConflictDeclaration, ConflictDeclarationEvent
from zi_public.models.reference import Layanan
from zi_public.rules import benturan as rules
from zi_public.rules import case_numbers, contact
from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus
from zi_public.rules.gratifikasi import Channel
from zi_public.rules.periods import Period
from zi_public.rules.text import TextProblem, has_visible_content, is_readable, text_problem
from zi_public.rules.working_days import WorkCalendar
from zi_public.security import codes
from zi_public.services import audit, reference
from zi_public.services.calendar import work_calendar
from zi_public.services.numbering import next_sequence
from zi_public.unit_of_work import savepoint

KIND = "benturan"
#: Longest accepted value per text field (characters); the form uses the same numbers.
LIMITS = {
    "nik": 16,
    "name": 120,
    "position": 200,
    "unit": 200,
    "phone": 30,
    "email": 254,
    "matter": 300,
    "related_party": 200,
    "relationship": 200,
    "description": 10_000,
}
#: Fields that may hold line breaks.
MULTILINE = frozenset({"description"})
#: Required of every declaration (email is optional).
REQUIRED = ("nik", "name", "position", "unit", "phone")
#: Required of a specific declaration only.
REQUIRED_SPECIFIC = ("matter", "related_party", "relationship", "description")
#: The UPG's text fields (superior, notes).
SUPERIOR_MAX = 200
NOTE_MAX = 10_000
TEXT_PROBLEMS = {
    TextProblem.UNREADABLE: _l("Isian memuat karakter yang tidak dapat dibaca."),
    TextProblem.LINE_BREAK: _l("Tulis isian ini dalam satu baris."),
}
#: The field of the UPG's form a general refusal is shown on.
FORM = "form"
MESSAGES = {
    "not_upg": _l("Hanya anggota UPG yang aktif yang dapat menangani pernyataan benturan kepentingan."),
    "flow": _l("Tindakan ini tidak dapat dilakukan pada status pernyataan saat ini."),
    "stale": _l(
        "Pernyataan ini sudah berubah sejak halaman dibuka (oleh Anda atau anggota UPG lain). "
        "Periksa keadaannya sekarang, lalu ulangi bila masih perlu."
    ),
    "required": _l("Wajib diisi."),
    "date_required": _l("Isi tanggal."),
    "date_future": _l("Tanggal tidak boleh setelah hari ini."),
    "decided_before_declared": _l("Tanggal keputusan tidak boleh sebelum tanggal pernyataan."),
    "carried_before_decided": _l("Tanggal pelaksanaan tidak boleh sebelum tanggal keputusan."),
    "decision_required": _l("Pilih keputusan atasan dari daftar."),
    "note_required": _l("Jelaskan keputusan atasan (pilihan 'Lainnya')."),
    "unreadable": _l("Teks berisi karakter yang tidak dapat dibaca; ketik ulang bagian ini."),
}
_NO_HASH = "0" * 64


# --- filing --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationInput:
    """What a declarant sends, before validation. `year`: the year a yearly declaration of none is for (an int,
    or text as typed); ignored for a specific declaration (its year is the day's). `layanan`: a catalogue code
    ("" none)."""

    kind: str
    nik: str
    name: str
    position: str
    unit: str
    phone: str
    email: str = ""
    year: int | str | None = None
    conflict_type: str = ""
    layanan: str = ""
    matter: str = ""
    related_party: str = ""
    relationship: str = ""
    description: str = ""


class InvalidDeclaration(ValueError):
    """The declaration (or the UPG's step) cannot be accepted; `errors` maps each field to a message."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class DuplicateSubmission(Exception):
    """The same form was already submitted; `existing` is that declaration."""

    def __init__(self, existing: ConflictDeclaration) -> None:
        super().__init__(existing.number)
        self.existing = existing


@dataclass(frozen=True)
class Filed:
    declaration: ConflictDeclaration
    access_code: str  # shown once to the declarant; only its keyed hash is stored


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def yearly_years(today: date) -> tuple[int, int]:
    """The years a yearly declaration of none may be filed for: this year and the next."""
    return today.year, today.year + 1


def _parse_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) == 4:
        return int(value.strip())
    return None


def validate(data: DeclarationInput, today: date) -> tuple[dict[str, object], Layanan | None]:
    """Check a declaration; returns (errors by field, the layanan chosen). Empty errors: acceptable."""
    errors: dict[str, object] = {}
    kind = data.kind if isinstance(data.kind, str) and data.kind in {k.value for k in DeclarationKind} else None
    if kind is None:
        errors["kind"] = _l("Pilih: pernyataan benturan kepentingan atau pernyataan tahunan tidak ada benturan.")
    specific = kind == DeclarationKind.KHUSUS
    required = REQUIRED + (REQUIRED_SPECIFIC if specific else ())
    for field, limit in LIMITS.items():
        value = getattr(data, field)
        if value is not None and not isinstance(value, str):
            errors[field] = _l("Isian tidak valid.")
        elif value and (problem := text_problem(value, multiline=field in MULTILINE)):
            errors[field] = TEXT_PROBLEMS[problem]
        elif len(_clean(value)) > limit:
            errors[field] = _l("Paling banyak %(n)d karakter.", n=limit)
        elif field in required and not has_visible_content(_clean(value)):
            errors[field] = _l("Wajib diisi.")
    if "nik" not in errors and not contact.is_nik(_clean(data.nik)):
        errors["nik"] = _l("NIK terdiri dari 16 angka.")
    if "phone" not in errors and not contact.is_phone(_clean(data.phone)):
        errors["phone"] = _l("Nomor telepon hanya berisi angka, spasi, tanda hubung dan + di depan.")
    email = _clean(data.email)
    if email and "email" not in errors and not contact.is_email(email):
        errors["email"] = _l("Alamat email tidak valid.")
    layanan = None
    if kind == DeclarationKind.TAHUNAN_NIHIL:
        if _parse_year(data.year) not in yearly_years(today):
            errors["year"] = _l(
                "Pilih tahun %(this)d atau %(next)d.", this=yearly_years(today)[0], next=yearly_years(today)[1]
            )
    elif specific:
        if not isinstance(data.conflict_type, str) or data.conflict_type not in {t.value for t in ConflictType}:
            errors["conflict_type"] = _l("Pilih jenis benturan kepentingan dari daftar.")
        code = data.layanan if isinstance(data.layanan, str) else None
        if code is None or (code.strip() and text_problem(code, multiline=False)):
            errors["layanan"] = _l("Pilih layanan dari daftar.")
        elif code.strip():
            layanan = reference.active_by_code(Layanan, code.strip())
            if layanan is None:
                errors["layanan"] = _l("Pilih layanan dari daftar.")
    return errors, layanan


def file_declaration(
    data: DeclarationInput,
    *,
    channel: Channel = Channel.WEB,
    submission_key: str | None = None,
    now: datetime | None = None,
) -> Filed:
    """Validate and record a new declaration with its first history event and audit entry; the access code is
    returned once. A `submission_key` makes a resend file nothing (DuplicateSubmission names the first)."""
    _refuse_duplicate(submission_key)
    now = now or datetime.now(UTC)
    today = today_jakarta(now)
    errors, layanan = validate(data, today)
    if errors:
        raise InvalidDeclaration(errors)
    try:
        with savepoint():
            filed = _record(data, layanan, channel, submission_key, now, today)
    except IntegrityError:
        existing = _by_submission_key(submission_key)
        if existing is None:
            raise
        raise DuplicateSubmission(existing) from None
    return filed


def _record(
    data: DeclarationInput,
    layanan: Layanan | None,
    channel: Channel,
    submission_key: str | None,
    now: datetime,
    today: date,
) -> Filed:
    kind = DeclarationKind(data.kind)
    specific = kind == DeclarationKind.KHUSUS
    status = rules.initial_status(kind)
    access_code = codes.new_access_code()
    declaration = ConflictDeclaration(
        number=case_numbers.format_number(KIND, today.year, next_sequence(KIND, today.year)),
        access_code_hash=codes.hash_access_code(access_code),
        submission_key=submission_key,
        channel=channel,
        kind=kind,
        status=status,
        year=today.year if specific else _parse_year(data.year),
        declarant_nik=_clean(data.nik),
        declarant_name=_clean(data.name),
        declarant_phone=_clean(data.phone),
        declarant_email=_clean(data.email) or None,
        declarant_position=_clean(data.position),
        declarant_unit=_clean(data.unit),
        conflict_type=ConflictType(data.conflict_type) if specific else None,
        layanan_id=layanan.id if layanan is not None and specific else None,
        matter=_clean(data.matter) if specific else "",
        related_party=_clean(data.related_party) if specific else None,
        relationship_text=_clean(data.relationship) if specific else "",
        description=_clean(data.description) if specific else "",
        declared_on=today,
        received_at=naive_utc(now),
    )
    db.session.add(declaration)
    declaration.events.append(
        ConflictDeclarationEvent(action="submit", to_status=status, is_public=True, created_at=naive_utc(now))
    )
    db.session.flush()
    audit.record(
        "reporter",
        "benturan.create",
        declaration,
        data={"number": declaration.number, "channel": channel.value, "kind": kind.value},
    )
    return Filed(declaration, access_code)


def _by_submission_key(submission_key: str | None) -> ConflictDeclaration | None:
    if not submission_key:
        return None
    return db.session.scalar(sa.select(ConflictDeclaration).where(ConflictDeclaration.submission_key == submission_key))


def _refuse_duplicate(submission_key: str | None) -> None:
    existing = _by_submission_key(submission_key)
    if existing is not None:
        raise DuplicateSubmission(existing)


# --- the declarant's look-up -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvent:
    action: str
    status: DeclarationStatus
    created_at: datetime
    on: date | None  # the day it happened (decided_on, carried_out_on), when the step has one


@dataclass(frozen=True)
class DeclarantStatus:
    """What the declarant sees: never the UPG's notes, nor the superior's name."""

    number: str
    kind: DeclarationKind
    status: DeclarationStatus
    year: int
    declared_on: date
    conflict_type: ConflictType | None
    decision: Decision | None
    decided_on: date | None
    carried_out_on: date | None
    needs_carrying_out: bool
    history: list[PublicEvent]


def find_for_declarant(number: str, access_code: str) -> ConflictDeclaration | None:
    """The declaration if number AND access code match; None otherwise (the same for both mistakes)."""
    parsed = case_numbers.parse_number(number if isinstance(number, str) else "", KIND)
    declaration = (
        db.session.scalar(sa.select(ConflictDeclaration).where(ConflictDeclaration.number == str(parsed)))
        if parsed
        else None
    )
    code = access_code if isinstance(access_code, str) else ""
    matches = codes.check_code(code, declaration.access_code_hash if declaration else _NO_HASH)
    return declaration if declaration is not None and matches else None


def status_for_declarant(number: str, access_code: str) -> DeclarantStatus | None:
    """What the declarant may see if number AND access code match (audit-logged); None otherwise."""
    declaration = find_for_declarant(number, access_code)
    if declaration is None:
        return None
    audit.record("reporter", "benturan.status_read", declaration, data={"number": declaration.number})
    days = {"decide": declaration.decided_on, "carry_out": declaration.carried_out_on}
    return DeclarantStatus(
        number=declaration.number,
        kind=declaration.kind,
        status=declaration.status,
        year=declaration.year,
        declared_on=declaration.declared_on,
        conflict_type=declaration.conflict_type,
        decision=declaration.decision,
        decided_on=declaration.decided_on,
        carried_out_on=declaration.carried_out_on,
        needs_carrying_out=rules.can_carry_out(declaration.status, declaration.decision),
        history=[
            PublicEvent(event.action, event.to_status, event.created_at, days.get(event.action))
            for event in declaration.events
            if event.is_public
        ],
    )


# --- the UPG: list, read, decide, carried out ------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilters:
    """The list's filters, as parsed by the view (None: any)."""

    kind: DeclarationKind | None = None
    status: DeclarationStatus | None = None
    year: int | None = None
    number_prefix: str = ""  # normalised (case_numbers.is_search_prefix)


def list_query(filters: ListFilters) -> sa.Select:
    """The declarations matching `filters` (the view pages it, newest first, with zi_public.paging)."""
    model = ConflictDeclaration
    stmt = sa.select(model)
    if filters.kind is not None:
        stmt = stmt.where(model.kind == filters.kind)
    if filters.status is not None:
        stmt = stmt.where(model.status == filters.status)
    if filters.year is not None:
        stmt = stmt.where(model.year == filters.year)
    if filters.number_prefix:
        stmt = stmt.where(model.number.startswith(filters.number_prefix, autoescape=True))
    return stmt


def years_with_declarations() -> list[int]:
    """The years declared for, newest first (the list's year filter)."""
    return list(
        db.session.scalars(sa.select(ConflictDeclaration.year).distinct().order_by(ConflictDeclaration.year.desc()))
    )


def read_for_staff(actor: User, declaration: ConflictDeclaration) -> ConflictDeclaration:
    """The declaration as the UPG or the pimpinan opens it: every view is audit-logged."""
    audit.record(actor, "benturan.read", declaration, data={"number": declaration.number})
    return declaration


def actor_names(events: list[ConflictDeclarationEvent]) -> dict[int, str]:
    """Usernames of the staff in a declaration's history, in one query."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).tuples().all())


def require_upg(actor: object) -> None:
    """Only an active UPG member records decisions (the guard checks too: this is the service's own)."""
    if not isinstance(actor, User) or actor.role != Role.UPG or not actor.is_active:
        raise PermissionError("not_upg")


def last_event_id(declaration: ConflictDeclaration) -> int | None:
    """The newest history event (read from the database: what another member added counts)."""
    return db.session.scalar(
        sa.select(sa.func.max(ConflictDeclarationEvent.id)).where(
            ConflictDeclarationEvent.declaration_id == declaration.id
        )
    )


@dataclass(frozen=True)
class DecisionInput:
    """The superior's decision as the UPG records it. `seen_status`/`seen_event_id`: what the form was rendered
    with (a stale form is refused); "" / None skip the check."""

    superior: str
    decision: str
    decided_on: date | None
    note: str = ""
    seen_status: str = ""
    seen_event_id: int | None = None


@dataclass(frozen=True)
class CarryOutInput:
    carried_out_on: date | None
    note: str = ""
    seen_status: str = ""
    seen_event_id: int | None = None


def decide(
    actor: User, declaration: ConflictDeclaration, data: DecisionInput, *, today: date | None = None
) -> ConflictDeclarationEvent:
    """Record the superior's decision: diterima -> diputuskan (a public step). InvalidDeclaration when the rules,
    a stale form or the input do not allow it; PermissionError for anyone but an active UPG member."""
    require_upg(actor)
    today = today or today_jakarta()
    if not rules.can_decide(declaration.kind, declaration.status):
        raise InvalidDeclaration({FORM: MESSAGES["flow"]})
    _check_fresh(declaration, data.seen_status, data.seen_event_id)
    errors: dict[str, object] = {}
    superior = _text(data.superior, SUPERIOR_MAX, "superior", errors, required=True, multiline=False)
    if not isinstance(data.decision, str) or data.decision not in {d.value for d in Decision}:
        errors["decision"] = MESSAGES["decision_required"]
    other = data.decision == Decision.LAINNYA.value
    note = _text(data.note, NOTE_MAX, "note", errors, required=False)
    if other and "note" not in errors and not has_visible_content(note):
        errors["note"] = MESSAGES["note_required"]
    _check_day(data.decided_on, declaration.declared_on, "decided_on", "decided_before_declared", today, errors)
    if errors:
        raise InvalidDeclaration(errors)
    decision = Decision(data.decision)
    new = DeclarationStatus.DIPUTUSKAN
    with savepoint():
        declaration.superior = superior
        declaration.decision = decision
        declaration.decision_note = note
        declaration.decided_on = data.decided_on
        db.session.flush()
        _move_status(declaration, DeclarationStatus.DITERIMA, new)
        event = ConflictDeclarationEvent(action="decide", to_status=new, actor_id=actor.id, is_public=True)
        declaration.events.append(event)
        db.session.flush()
        audit.record(
            actor,
            "benturan.decide",
            declaration,
            data={"number": declaration.number, "decision": decision.value, "decided_on": data.decided_on},
        )
    return event


def carry_out(
    actor: User, declaration: ConflictDeclaration, data: CarryOutInput, *, today: date | None = None
) -> ConflictDeclarationEvent:
    """Record when the decision was carried out: diputuskan -> dilaksanakan (a public step), only for the
    decisions that leave something to carry out."""
    require_upg(actor)
    today = today or today_jakarta()
    if not rules.can_carry_out(declaration.status, declaration.decision):
        raise InvalidDeclaration({FORM: MESSAGES["flow"]})
    _check_fresh(declaration, data.seen_status, data.seen_event_id)
    errors: dict[str, object] = {}
    note = _text(data.note, NOTE_MAX, "note", errors, required=False)
    earliest = declaration.decided_on or declaration.declared_on
    _check_day(data.carried_out_on, earliest, "carried_out_on", "carried_before_decided", today, errors)
    if errors:
        raise InvalidDeclaration(errors)
    new = DeclarationStatus.DILAKSANAKAN
    with savepoint():
        declaration.carried_out_on = data.carried_out_on
        declaration.carried_out_note = note
        db.session.flush()
        _move_status(declaration, DeclarationStatus.DIPUTUSKAN, new)
        event = ConflictDeclarationEvent(action="carry_out", to_status=new, actor_id=actor.id, is_public=True)
        declaration.events.append(event)
        db.session.flush()
        audit.record(
            actor,
            "benturan.carry_out",
            declaration,
            data={"number": declaration.number, "carried_out_on": data.carried_out_on},
        )
    return event


def _check_fresh(declaration: ConflictDeclaration, seen_status: str, seen_event_id: int | None) -> None:
    stale = bool(seen_status) and seen_status != declaration.status.value
    if seen_event_id is not None and seen_event_id != last_event_id(declaration):
        stale = True
    if stale:
        raise InvalidDeclaration({FORM: MESSAGES["stale"]})


def _text(
    value: object, limit: int, field: str, errors: dict[str, object], *, required: bool, multiline: bool = True
) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not has_visible_content(text):
        errors[field] = MESSAGES["required"]
    elif len(text) > limit:
        errors[field] = _l("Paling banyak %(n)d karakter.", n=limit)
    elif not is_readable(text, multiline=multiline):
        errors[field] = MESSAGES["unreadable"]
    return text


def _check_day(
    day: date | None, earliest: date, field: str, too_early: str, today: date, errors: dict[str, object]
) -> None:
    if day is None:
        errors[field] = MESSAGES["date_required"]
    elif day > today:
        errors[field] = MESSAGES["date_future"]
    elif day < earliest:
        errors[field] = MESSAGES[too_early]


def _move_status(declaration: ConflictDeclaration, old: DeclarationStatus, new: DeclarationStatus) -> None:
    """UPDATE ... WHERE status = old: the second of two members acting at once finds it moved and is refused."""
    result = db.session.execute(
        sa.update(ConflictDeclaration)
        .where(ConflictDeclaration.id == declaration.id, ConflictDeclaration.status == old)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise InvalidDeclaration({FORM: MESSAGES["stale"]})
    set_committed_value(declaration, "status", new)


# --- the quarter's figures (the evaluation, part G) ---------------------------------------------------------


@dataclass(frozen=True)
class KindDecisionCount:
    """How many declarations of `kind`, declared in the period, have `decision` (None: none recorded yet, or
    a yearly declaration of none, which never gets one)."""

    kind: DeclarationKind
    decision: Decision | None
    count: int


@dataclass(frozen=True)
class DeclarationFigures:
    """The declarations of one period: counts by kind and decision (declared in the period), and the working
    days from declaration to decision of those decided in the period (work calendar)."""

    period: Period
    counts: list[KindDecisionCount]
    decided: int  # decided within the period (whenever declared)
    median_days_to_decision: float | None
    max_days_to_decision: int | None

    @property
    def total(self) -> int:
        return sum(row.count for row in self.counts)

    def count_of(self, kind: DeclarationKind, decision: Decision | None = None, *, any_decision: bool = False) -> int:
        """The count of `kind` with `decision` (or with any decision, undecided included, if any_decision)."""
        return sum(row.count for row in self.counts if row.kind == kind and (any_decision or row.decision == decision))

    def by_kind(self) -> dict[DeclarationKind, int]:
        totals = dict.fromkeys(DeclarationKind, 0)
        for row in self.counts:
            totals[row.kind] += row.count
        return totals


def quarter_figures(period: Period, *, calendar: WorkCalendar | None = None) -> DeclarationFigures:
    """The declarations of `period` (a quarter, or any Period): counts by kind and decision with one GROUP BY
    over those declared in it; working days declared_on -> decided_on (median, max) of those decided in it."""
    calendar = calendar or work_calendar()
    model = ConflictDeclaration
    rows = db.session.execute(
        sa.select(model.kind, model.decision, sa.func.count())
        .where(model.declared_on.between(period.start, period.end))
        .group_by(model.kind, model.decision)
    ).all()
    order = {kind: i for i, kind in enumerate(DeclarationKind)}
    decision_order = {decision: i for i, decision in enumerate(Decision)}
    counts = sorted(
        (
            KindDecisionCount(DeclarationKind(kind), Decision(decision) if decision else None, count)
            for kind, decision, count in rows
        ),
        key=lambda row: (order[row.kind], -1 if row.decision is None else decision_order[row.decision]),
    )
    pairs = db.session.execute(
        sa.select(model.declared_on, model.decided_on).where(model.decided_on.between(period.start, period.end))
    ).all()
    days = sorted(calendar.count_working_days(declared, decided) for declared, decided in pairs)
    return DeclarationFigures(
        period=period,
        counts=counts,
        decided=len(days),
        median_days_to_decision=float(statistics.median(days)) if days else None,
        max_days_to_decision=days[-1] if days else None,
    )


def days_to_decision(declared_on: date, decided_on: date | None, calendar: WorkCalendar) -> int | None:
    """Working days from the declaration to the superior's decision (None while undecided)."""
    return None if decided_on is None else calendar.count_working_days(declared_on, decided_on)
