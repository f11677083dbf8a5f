"""The mapping of potential conflicts of interest: add, change (fields logged), retire (never deleted), the
January copy of last year's active rows (once), the stale-save guard, the changes of a period, only the UPG
writes, and every write audit-logged without the free text."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, Role
from zi_public.models.benturan import ConflictMapping, ConflictMappingChange
from zi_public.rules.benturan import ConflictType, Risk
from zi_public.rules.periods import parse_period
from zi_public.services.gratifikasi import benturan_mapping as mapping
from zi_public.services.gratifikasi.benturan_mapping import (
    MappingConflict,
    MappingInput,
    MappingRefused,
    MappingRetired,
    YearAlreadyMapped,
)

TODAY = date(2026, 1, 12)
SECRET = "Sepupu kepala bidang mengurus PBG"


@pytest.fixture
def upg(seeded, db):
    return make_user(role=Role.UPG)


def row_input(**overrides) -> MappingInput:
    values = {
        "task": "Verifikasi teknis PBG",
        "layanan": "pbg",
        "bidang": "perizinan-b",
        "conflict_type": "keluarga",
        "description": SECRET,
        "risk": "tinggi",
        "control": "Verifikator yang berhubungan keluarga diganti",
    }
    return MappingInput(**{**values, **overrides})


def add(upg, year: int = 2026, today: date = TODAY, **overrides) -> ConflictMapping:
    return mapping.add_row(upg, year, row_input(**overrides), today=today)


def entries(prefix: str = "benturan.mapping") -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.action.like(f"{prefix}%")).order_by(AuditEntry.id)
    return list(db.session.scalars(stmt))


def changes(row: ConflictMapping) -> list[tuple[str, str, date]]:
    stmt = sa.select(ConflictMappingChange).where(ConflictMappingChange.mapping_id == row.id)
    return [(c.change, c.fields, c.changed_on) for c in db.session.scalars(stmt.order_by(ConflictMappingChange.id))]


def test_add_stores_the_row_logs_it_and_audits_codes_only(upg):
    row = add(upg)
    assert (row.year, row.task, row.layanan.code, row.bidang.code) == (
        2026,
        "Verifikasi teknis PBG",
        "pbg",
        "perizinan-b",
    )
    assert (row.conflict_type, row.risk, row.retired_on) == (ConflictType.KELUARGA, Risk.TINGGI, None)
    assert changes(row) == [("added", "", TODAY)]
    [entry] = entries()
    assert entry.action == "benturan.mapping_add" and entry.actor_id == upg.id
    data = json.loads(entry.data)
    assert data == {
        "year": 2026,
        "layanan": "pbg",
        "bidang": "perizinan-b",
        "conflict_type": "keluarga",
        "risk": "tinggi",
    }
    assert SECRET not in entry.data and "Verifikasi" not in entry.data


def test_layanan_bidang_and_control_are_optional(upg):
    row = add(upg, layanan="", bidang=None, control="  ")
    assert (row.layanan, row.bidang, row.control) == (None, None, "")


def test_update_logs_the_changed_fields(upg):
    row = add(upg)
    later = date(2026, 5, 4)
    version = mapping.row_version(row)
    changed = mapping.update_row(
        upg,
        row,
        row_input(risk="sedang", bidang="perizinan-a", description="Lain\r\nbaris"),
        version=version,
        today=later,
    )
    assert changed == ["bidang", "description", "risk"]
    assert (row.risk, row.bidang.code, row.description) == (Risk.SEDANG, "perizinan-a", "Lain\nbaris")
    assert changes(row)[-1] == ("changed", "bidang,description,risk", later)
    entry = entries()[-1]
    assert entry.action == "benturan.mapping_update"
    assert json.loads(entry.data)["fields"] == ["bidang", "description", "risk"]
    assert "Lain" not in entry.data
    # Saving the same values again changes nothing and logs nothing.
    assert mapping.update_row(upg, row, row_input(risk="sedang", bidang="perizinan-a", description="Lain\nbaris")) == []
    assert len(changes(row)) == 2 and len(entries()) == 2


def test_a_stale_save_is_refused(upg):
    row = add(upg)
    opened = mapping.row_version(row)
    mapping.update_row(upg, row, row_input(risk="rendah"), version=opened)
    with pytest.raises(MappingConflict):
        mapping.update_row(upg, row, row_input(risk="sedang"), version=opened)
    with pytest.raises(MappingConflict):
        mapping.retire_row(upg, row, version=opened)
    assert row.risk == Risk.RENDAH and row.retired_on is None


def test_retire_keeps_the_row_and_refuses_further_changes(upg):
    row = add(upg)
    mapping.retire_row(upg, row, version=mapping.row_version(row), today=date(2026, 3, 2))
    assert db.session.get(ConflictMapping, row.id).retired_on == date(2026, 3, 2)
    assert changes(row)[-1] == ("retired", "", date(2026, 3, 2))
    assert entries()[-1].action == "benturan.mapping_retire"
    with pytest.raises(MappingRetired):
        mapping.retire_row(upg, row)
    with pytest.raises(MappingRetired):
        mapping.update_row(upg, row, row_input(risk="rendah"))


def test_copy_takes_last_years_active_rows_once(upg):
    kept = add(upg, year=2025, today=date(2025, 1, 6))
    gone = add(upg, year=2025, today=date(2025, 1, 6), task="Loket", layanan="", conflict_type="gratifikasi")
    mapping.retire_row(upg, gone, today=date(2025, 7, 1))
    copied = mapping.copy_previous_year(upg, 2026, today=TODAY)
    assert (copied.year, copied.from_year, len(copied.rows)) == (2026, 2025, 1)
    [new] = copied.rows
    assert new.id != kept.id and (new.year, new.task, new.layanan_id, new.bidang_id) == (
        2026,
        kept.task,
        kept.layanan_id,
        kept.bidang_id,
    )
    assert (new.description, new.risk, new.control, new.conflict_type) == (
        kept.description,
        kept.risk,
        kept.control,
        kept.conflict_type,
    )
    assert changes(new) == [("added", "", TODAY)]
    entry = entries("benturan.mapping_copy")[-1]
    assert json.loads(entry.data) == {"year": 2026, "from_year": 2025, "rows": 1}
    with pytest.raises(YearAlreadyMapped):
        mapping.copy_previous_year(upg, 2026, today=TODAY)
    assert mapping.count_of(2026) == 1


def test_copy_into_a_year_with_rows_is_refused(upg):
    add(upg, year=2025)
    add(upg, year=2026)
    with pytest.raises(YearAlreadyMapped):
        mapping.copy_previous_year(upg, 2026, today=TODAY)
    assert mapping.count_of(2026) == 1


def test_listing_active_first_and_paged(upg):
    rows = [add(upg, task=f"Tugas {n}") for n in range(5)]
    mapping.retire_row(upg, rows[1])
    page = mapping.active_page(2026, args={}, size=3)
    assert [r.id for r in page.items] == [rows[4].id, rows[3].id, rows[2].id] and page.has_next
    page2 = mapping.active_page(2026, args={k: str(v) for k, v in page.next_args.items()}, size=3)
    assert [r.id for r in page2.items] == [rows[0].id]
    assert [r.id for r in mapping.retired_rows(2026)] == [rows[1].id]
    assert [r.id for r in mapping.rows_of(2026)] == [rows[0].id, rows[2].id, rows[3].id, rows[4].id, rows[1].id]
    assert mapping.years() == [2026]


def test_changes_in_a_period(upg):
    row = add(upg, today=date(2026, 1, 12))
    mapping.update_row(upg, row, row_input(risk="rendah"), today=date(2026, 4, 2))
    mapping.retire_row(upg, row, today=date(2026, 6, 30))
    q1 = mapping.changes_in(parse_period("2026-Q1"))
    q2 = mapping.changes_in(parse_period("2026-Q2"))
    assert [(c.change, c.mapping.task) for c in q1] == [("added", "Verifikasi teknis PBG")]
    assert [(c.change, mapping.changed_fields(c)) for c in q2] == [("changed", ["risk"]), ("retired", [])]
    assert [c.change for c in mapping.changes_in(parse_period("2026-Q2"), as_of=date(2026, 6, 1))] == ["changed"]
    assert [c.change for c in mapping.changes_in(parse_period("2026"))] == ["added", "changed", "retired"]


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.ADMIN, Role.PENGADUAN, Role.WBS, Role.SKM])
def test_other_roles_are_refused(seeded, db, role):
    other = make_user(role=role)
    with pytest.raises(PermissionError):
        mapping.add_row(other, 2026, row_input(), today=TODAY)
    with pytest.raises(PermissionError):
        mapping.copy_previous_year(other, 2026, today=TODAY)
    assert mapping.count_of(2026) == 0


def test_an_inactive_upg_user_is_refused(upg):
    row = add(upg)
    upg.is_active = False
    with pytest.raises(PermissionError):
        mapping.update_row(upg, row, row_input(risk="rendah"))
    with pytest.raises(PermissionError):
        mapping.retire_row(upg, row)


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        (
            {"task": "", "description": " \u200b ", "conflict_type": "", "risk": None},
            {"task", "description", "conflict_type", "risk"},
        ),
        ({"task": "a" * 301, "description": "x" * 5001, "control": "y" * 5001}, {"task", "description", "control"}),
        (
            {"task": "baris\nkedua", "description": "nul\x00byte", "control": "\ud800"},
            {"task", "description", "control"},
        ),
        ({"task": 12, "description": ["x"], "control": {"a": 1}}, {"task", "description", "control"}),
        (
            {"layanan": "tidak-ada", "bidang": "x" * 500, "risk": "ekstrem", "conflict_type": "KELUARGA "},
            {"layanan", "bidang", "risk", "conflict_type"},
        ),
        ({"layanan": "pbg\x00", "bidang": 7}, {"layanan", "bidang"}),
    ],
)
def test_bad_input_names_every_field_and_stores_nothing(upg, overrides, fields):
    with pytest.raises(MappingRefused) as refused:
        add(upg, **overrides)
    assert set(refused.value.errors) >= fields
    assert mapping.count_of(2026) == 0 and entries() == []


def test_bad_years_are_refused(upg):
    for year in (1999, 2028, "2026", True):
        with pytest.raises(MappingRefused):
            mapping.add_row(upg, year, row_input(), today=TODAY)
    with pytest.raises(MappingRefused):
        mapping.copy_previous_year(upg, 2030, today=TODAY)
    assert mapping.count_of(2026) == 0


def test_a_retired_catalogue_row_stays_on_its_mapping_row(upg):
    row = add(upg)
    row.layanan.is_active = False
    db.session.flush()
    assert mapping.update_row(upg, row, row_input(risk="rendah")) == ["risk"]
    with pytest.raises(MappingRefused):
        add(upg)
