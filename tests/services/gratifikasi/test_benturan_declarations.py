"""Declarations of conflicts of interest: filing, the declarant's look-up, the UPG's decision and carrying
out, and the quarter's figures for the evaluation. The factories here are used by the blueprint tests too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db as _db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Role
from zi_public.models.benturan import ConflictDeclaration, ConflictDeclarationEvent
from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus
from zi_public.rules.gratifikasi import Channel
from zi_public.rules.periods import QUARTER, make_period
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.gratifikasi import benturan_declarations as service
from zi_public.services.gratifikasi.benturan_declarations import (
    CarryOutInput,
    DecisionInput,
    DeclarationInput,
    DuplicateSubmission,
    InvalidDeclaration,
)

db = _db
NIK = "3201234567890123"
NAME = "Siti Rahmawati Declarant"


def declaration_input(**overrides: Any) -> DeclarationInput:
    """A valid specific declaration ("the applicant is my cousin") unless overridden."""
    values: dict[str, Any] = {
        "kind": "khusus",
        "nik": NIK,
        "name": NAME,
        "position": "Analis Perizinan",
        "unit": "Bidang Perizinan",
        "phone": "0812-3456-7890",
        "email": "siti@example.go.id",
        "conflict_type": "keluarga",
        "matter": "Permohonan izin usaha PT Maju Jaya",
        "related_party": "Budi Santoso Relative",
        "relationship": "Sepupu",
        "description": "Pemohon izin adalah sepupu saya.",
    }
    values.update(overrides)
    return DeclarationInput(**values)


def yearly_input(**overrides: Any) -> DeclarationInput:
    values: dict[str, Any] = {
        "kind": "tahunan_nihil",
        "year": today_jakarta().year,
        "conflict_type": "",
        "matter": "",
        "related_party": "",
        "relationship": "",
        "description": "",
    }
    values.update(overrides)
    return declaration_input(**values)


def make_declaration(*, now: datetime | None = None, **overrides: Any) -> service.Filed:
    """A declaration filed through the real service (returns the Filed: .declaration, .access_code)."""
    filed = service.file_declaration(declaration_input(**overrides), channel=Channel.WEB, now=now)
    _db.session.flush()
    return filed


def _audit(action: str) -> list[AuditEntry]:
    return list(_db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def _row(number: str, kind: DeclarationKind, declared_on: date, decision: Decision | None = None, decided_on=None):
    row = ConflictDeclaration(
        number=number,
        access_code_hash="x" * 64,
        channel=Channel.WEB,
        kind=kind,
        status=DeclarationStatus.DIPUTUSKAN if decision else DeclarationStatus.DITERIMA,
        year=declared_on.year,
        declarant_position="Analis",
        declarant_unit="Bidang Perizinan",
        conflict_type=ConflictType.KELUARGA if kind == DeclarationKind.KHUSUS else None,
        declared_on=declared_on,
        decision=decision,
        decided_on=decided_on,
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_quarter_figures_counts_by_kind_and_decision_and_working_days(db):
    # 2026-04-01 is a Wednesday; the calendar here has no holidays.
    calendar = WorkCalendar(holidays=_NoHolidays())  # plain Mon-Fri
    _row("BTK-2026-000001", DeclarationKind.KHUSUS, date(2026, 4, 1), Decision.TUGAS_DIALIHKAN, date(2026, 4, 8))
    _row("BTK-2026-000002", DeclarationKind.KHUSUS, date(2026, 4, 6), Decision.TUGAS_DIALIHKAN, date(2026, 4, 7))
    _row("BTK-2026-000003", DeclarationKind.KHUSUS, date(2026, 5, 4))
    _row("BTK-2026-000004", DeclarationKind.TAHUNAN_NIHIL, date(2026, 6, 30))
    _row("BTK-2026-000005", DeclarationKind.KHUSUS, date(2026, 7, 1), Decision.LANJUT_DIAWASI, date(2026, 7, 2))
    # Declared in Q1, decided in Q2: counted in Q1's counts, in Q2's working days.
    _row("BTK-2026-000006", DeclarationKind.KHUSUS, date(2026, 3, 31), Decision.LANJUT_DIAWASI, date(2026, 4, 2))

    figures = service.quarter_figures(make_period(QUARTER, 2026, 2), calendar=calendar)

    assert figures.total == 4
    assert figures.count_of(DeclarationKind.KHUSUS, Decision.TUGAS_DIALIHKAN) == 2
    assert figures.count_of(DeclarationKind.KHUSUS, None) == 1
    assert figures.count_of(DeclarationKind.TAHUNAN_NIHIL, None) == 1
    assert figures.by_kind() == {DeclarationKind.KHUSUS: 3, DeclarationKind.TAHUNAN_NIHIL: 1}
    assert figures.decided == 3
    # 1 -> 8 April: 5 working days; 6 -> 7: 1; 31 March -> 2 April: 2.
    assert figures.median_days_to_decision == 2.0
    assert figures.max_days_to_decision == 5


def test_quarter_figures_of_an_empty_quarter(db):
    figures = service.quarter_figures(make_period(QUARTER, 2026, 1), calendar=WorkCalendar(holidays=_NoHolidays()))
    assert figures.counts == [] and figures.decided == 0
    assert figures.median_days_to_decision is None and figures.max_days_to_decision is None


class _NoHolidays:
    def get(self, day: date, /) -> str | None:
        return None


# --- filing -------------------------------------------------------------------------------------------------


def test_a_specific_declaration_is_filed_with_number_code_event_and_audit(db):
    filed = make_declaration()
    declaration = filed.declaration
    today = today_jakarta()
    assert declaration.number == f"BTK-{today.year}-000001"
    assert declaration.kind == DeclarationKind.KHUSUS and declaration.status == DeclarationStatus.DITERIMA
    assert declaration.year == today.year and declaration.declared_on == today
    assert declaration.conflict_type == ConflictType.KELUARGA
    assert [(e.action, e.to_status, e.is_public) for e in declaration.events] == [
        ("submit", DeclarationStatus.DITERIMA, True)
    ]
    assert service.find_for_declarant(declaration.number, filed.access_code) is declaration
    [entry] = _audit("benturan.create")
    assert entry.target_id == str(declaration.id)
    assert NIK not in entry.data and NAME not in entry.data
    assert make_declaration().declaration.number == f"BTK-{today.year}-000002"


def test_the_yearly_declaration_of_none_is_recorded_without_a_decision(db):
    filed = service.file_declaration(yearly_input(year=str(today_jakarta().year + 1)), submission_key=None)
    declaration = filed.declaration
    assert declaration.kind == DeclarationKind.TAHUNAN_NIHIL
    assert declaration.status == DeclarationStatus.DICATAT
    assert declaration.year == today_jakarta().year + 1
    assert declaration.decision is None and declaration.conflict_type is None and declaration.related_party is None
    upg = make_user(role=Role.UPG)
    with pytest.raises(InvalidDeclaration) as refused:
        service.decide(upg, declaration, DecisionInput("Kepala Kantor", "lanjut_diawasi", today_jakarta()))
    assert service.FORM in refused.value.errors
    assert declaration.decision is None and declaration.status == DeclarationStatus.DICATAT


def test_the_yearly_declaration_only_for_this_or_next_year(db):
    today = today_jakarta()
    for year in (today.year - 1, today.year + 2, "20x6", None, True, "２０２６"):
        with pytest.raises(InvalidDeclaration) as refused:
            service.file_declaration(yearly_input(year=year))
        assert set(refused.value.errors) == {"year"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConflictDeclaration)) == 0


def test_personal_data_and_code_are_not_in_clear_in_the_database(db):
    filed = make_declaration()
    db.session.commit()
    row = db.session.execute(
        sa.text(
            "SELECT declarant_nik, declarant_name, declarant_phone, declarant_email, related_party, access_code_hash "
            "FROM conflict_declaration"
        )
    ).one()
    stored = " ".join(str(value) for value in row)
    for clear in (NIK, NAME, "0812-3456-7890", "siti@example.go.id", "Budi Santoso Relative", filed.access_code):
        assert clear not in stored
    assert filed.access_code.replace("-", "") not in stored
    db.session.expire_all()
    again = db.session.get(ConflictDeclaration, filed.declaration.id)
    assert again.declarant_nik == NIK and again.declarant_name == NAME


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"nik": "123"}, {"nik"}),
        ({"nik": "3201\x00234567890123"}, {"nik"}),
        ({"name": "x" * 121}, {"name"}),
        ({"name": ["a", "b"]}, {"name"}),
        ({"phone": "call me"}, {"phone"}),
        ({"email": "not-an-email"}, {"email"}),
        ({"kind": "lainnya"}, {"kind"}),
        ({"kind": ["khusus"]}, {"kind"}),
        ({"conflict_type": "teman"}, {"conflict_type"}),
        ({"layanan": "NO-SUCH-CODE"}, {"layanan"}),
        ({"layanan": "A\x00B"}, {"layanan"}),
        (
            {"matter": " ", "related_party": "", "relationship": "", "description": ""},
            {"matter", "related_party", "relationship", "description"},
        ),
        ({"description": "y" * 10_001}, {"description"}),
        ({"matter": "two\nlines"}, {"matter"}),
    ],
)
def test_broken_input_is_refused_by_field_and_nothing_is_saved(db, overrides, fields):
    with pytest.raises(InvalidDeclaration) as refused:
        service.file_declaration(declaration_input(**overrides), submission_key="k" * 20)
    assert set(refused.value.errors) == fields
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConflictDeclaration)) == 0
    assert _audit("benturan.create") == []


def test_a_resent_form_files_once(db):
    first = service.file_declaration(declaration_input(), submission_key="key-" + "a" * 20)
    with pytest.raises(DuplicateSubmission) as again:
        service.file_declaration(declaration_input(), submission_key="key-" + "a" * 20)
    assert again.value.existing is first.declaration
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConflictDeclaration)) == 1


def test_a_layanan_from_the_catalogue_is_kept(seeded, db):
    from zi_public.services.reference import active_layanan

    layanan = active_layanan()[0]
    filed = make_declaration(layanan=layanan.code)
    assert filed.declaration.layanan_id == layanan.id


# --- the declarant's look-up ----------------------------------------------------------------------------------


def test_status_needs_number_and_code_and_answers_both_mistakes_alike(db):
    filed = make_declaration()
    number = filed.declaration.number
    assert service.status_for_declarant(number, "ABCDE-FGHJK") is None
    assert service.status_for_declarant(number.replace("000001", "000009"), filed.access_code) is None
    assert service.status_for_declarant("garbage\x00", filed.access_code) is None
    assert service.status_for_declarant(None, None) is None  # type: ignore[arg-type]
    assert _audit("benturan.status_read") == []
    seen = service.status_for_declarant(number.lower(), filed.access_code.lower())
    assert seen is not None and seen.status == DeclarationStatus.DITERIMA and seen.decision is None
    assert [event.action for event in seen.history] == ["submit"]
    assert len(_audit("benturan.status_read")) == 1


# --- the UPG's steps -------------------------------------------------------------------------------------------


def test_a_declaration_gets_a_decision_is_carried_out_and_counts_in_the_quarter(db):
    upg = make_user(role=Role.UPG)
    today = today_jakarta()
    filed = make_declaration()
    declaration = filed.declaration
    service.decide(
        upg,
        declaration,
        DecisionInput(
            superior="Kepala Seksi Perizinan",
            decision="tugas_dialihkan",
            decided_on=today,
            note="Berkas dialihkan ke analis lain.",
            seen_status="diterima",
            seen_event_id=service.last_event_id(declaration),
        ),
        today=today,
    )
    assert declaration.status == DeclarationStatus.DIPUTUSKAN
    assert declaration.decision == Decision.TUGAS_DIALIHKAN and declaration.decided_on == today
    service.carry_out(upg, declaration, CarryOutInput(today, "Selesai", seen_status="diputuskan"), today=today)
    assert declaration.status == DeclarationStatus.DILAKSANAKAN and declaration.carried_out_on == today

    seen = service.status_for_declarant(declaration.number, filed.access_code)
    assert seen.decision == Decision.TUGAS_DIALIHKAN and seen.carried_out_on == today
    assert [event.action for event in seen.history] == ["submit", "decide", "carry_out"]
    [decided] = _audit("benturan.decide")
    assert decided.actor_id == upg.id and "Kepala Seksi" not in decided.data
    assert len(_audit("benturan.carry_out")) == 1

    quarter = make_period(QUARTER, today.year, (today.month - 1) // 3 + 1)
    figures = service.quarter_figures(quarter)
    assert figures.count_of(DeclarationKind.KHUSUS, Decision.TUGAS_DIALIHKAN) == 1
    assert figures.decided == 1 and figures.max_days_to_decision == 0


def test_a_decision_needing_nothing_more_cannot_be_carried_out(db):
    upg = make_user(role=Role.UPG)
    declaration = make_declaration().declaration
    service.decide(upg, declaration, DecisionInput("Atasan", "tidak_ada_benturan", today_jakarta()))
    with pytest.raises(InvalidDeclaration) as refused:
        service.carry_out(upg, declaration, CarryOutInput(today_jakarta()))
    assert set(refused.value.errors) == {service.FORM}


def test_decision_input_is_checked_and_a_refusal_changes_nothing(db):
    upg = make_user(role=Role.UPG)
    declaration = make_declaration(now=datetime.now(UTC) - timedelta(days=3)).declaration
    today = today_jakarta()
    cases = [
        (DecisionInput("", "", None), {"superior", "decision", "decided_on"}),
        (DecisionInput("A" * 201, "teleport", today + timedelta(days=1)), {"superior", "decision", "decided_on"}),
        (DecisionInput("Atasan", "lainnya", declaration.declared_on - timedelta(days=1)), {"note", "decided_on"}),
        (DecisionInput("Atasan\x00", "lanjut_diawasi", today, note="a\x00b"), {"superior", "note"}),
    ]
    for data, fields in cases:
        with pytest.raises(InvalidDeclaration) as refused:
            service.decide(upg, declaration, data, today=today)
        assert set(refused.value.errors) == fields
    assert declaration.status == DeclarationStatus.DITERIMA and declaration.decision is None
    assert len(declaration.events) == 1 and _audit("benturan.decide") == []


def test_a_stale_form_is_refused(db):
    upg = make_user(role=Role.UPG)
    declaration = make_declaration().declaration
    seen = service.last_event_id(declaration)
    db.session.add(ConflictDeclarationEvent(declaration_id=declaration.id, action="note", to_status="diterima"))
    db.session.flush()
    with pytest.raises(InvalidDeclaration) as refused:
        service.decide(upg, declaration, DecisionInput("Atasan", "lanjut_diawasi", today_jakarta(), seen_event_id=seen))
    assert refused.value.errors == {service.FORM: service.MESSAGES["stale"]}
    with pytest.raises(InvalidDeclaration):
        service.decide(
            upg, declaration, DecisionInput("Atasan", "lanjut_diawasi", today_jakarta(), seen_status="diputuskan")
        )
    assert declaration.decision is None


def test_only_an_active_upg_member_decides(db):
    declaration = make_declaration().declaration
    for user in (make_user(role=Role.PIMPINAN), make_user(role=Role.UPG, is_active=False), "reporter"):
        with pytest.raises(PermissionError):
            service.decide(user, declaration, DecisionInput("Atasan", "lanjut_diawasi", today_jakarta()))


def test_every_staff_read_is_audit_logged(db):
    declaration = make_declaration().declaration
    pimpinan = make_user(role=Role.PIMPINAN)
    service.read_for_staff(pimpinan, declaration)
    service.read_for_staff(pimpinan, declaration)
    entries = _audit("benturan.read")
    assert len(entries) == 2 and {entry.actor_id for entry in entries} == {pimpinan.id}


def test_the_list_filters_by_kind_status_year_and_number_prefix(db):
    specific = make_declaration().declaration
    yearly = service.file_declaration(yearly_input(year=today_jakarta().year + 1)).declaration

    def numbers(**filters: Any) -> set[str]:
        rows = db.session.scalars(service.list_query(service.ListFilters(**filters)))
        return {row.number for row in rows}

    assert numbers() == {specific.number, yearly.number}
    assert numbers(kind=DeclarationKind.TAHUNAN_NIHIL) == {yearly.number}
    assert numbers(status=DeclarationStatus.DITERIMA) == {specific.number}
    assert numbers(year=today_jakarta().year + 1) == {yearly.number}
    assert numbers(number_prefix=specific.number) == {specific.number}
    assert numbers(number_prefix="BTK-1999") == set()
    assert service.years_with_declarations() == [today_jakarta().year + 1, today_jakarta().year]
