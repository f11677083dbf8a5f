"""Standar pelayanan and maklumat versions: the day each takes effect, what may still change, who writes, the audit."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.models import AuditEntry, Layanan, MaklumatPelayanan, Role, StandarPelayanan
from zi_public.services.audit import verify_chain
from zi_public.services.skm import standards
from zi_public.services.skm.standards import (
    COMPONENTS,
    LIMITS,
    InvalidVersion,
    MaklumatInput,
    NotAllowed,
    StandardInput,
    VersionInForce,
)

TODAY = date(2026, 12, 1)
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)


def standard(effective_on: object = TODAY, **overrides: object) -> StandardInput:
    texts = {name: f"{name} versi {effective_on}\nbaris kedua" for name in COMPONENTS}
    return StandardInput(effective_on=effective_on, **{**texts, **overrides})


def maklumat(effective_on: object = TODAY, **overrides: object) -> MaklumatInput:
    values = {
        "text": "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan.",
        "signer_name": "Dra. Sri Wahyuni, M.Si.",
        "signer_position": "Kepala Dinas Penanaman Modal dan PTSP",
    }
    return MaklumatInput(effective_on=effective_on, **{**values, **overrides})


@pytest.fixture(autouse=True)
def _request(app, db):
    """Messages are lazy strings, read in the request's language."""
    with app.test_request_context():
        yield


@pytest.fixture
def team(seeded, db):
    return make_user(role=Role.SKM, username="tim_skm")


@pytest.fixture
def pbg(seeded, db) -> Layanan:
    return db.session.scalar(sa.select(Layanan).where(Layanan.code == "pbg"))


def audit_entries(db, prefix: str) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.action.startswith(prefix)).order_by(AuditEntry.id)
    return list(db.session.scalars(stmt))


def count(db, model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- the version in force ------------------------------------------------------------------------------


def test_the_version_in_force_is_the_latest_not_after_the_day(db, team, pbg):
    first = standards.create_standard(team, pbg, standard(date(2025, 1, 6)), today=TODAY)  # recorded late
    second = standards.create_standard(team, pbg, standard(TODAY), today=TODAY)
    third = standards.create_standard(team, pbg, standard(date(2027, 1, 4)), today=TODAY)
    assert standards.current_standard(pbg, date(2025, 1, 5)) is None  # before the first took effect
    assert standards.current_standard(pbg, date(2025, 1, 6)) == first  # on its day
    assert standards.current_standard(pbg, YESTERDAY) == first
    assert standards.current_standard(pbg, TODAY) == second
    assert standards.current_standard(pbg, date(2027, 1, 3)) == second
    assert standards.current_standard(pbg, date(2027, 1, 4)) == third
    assert standards.current_standard(pbg, date(2099, 1, 1)) == third
    assert standards.next_standard(pbg, TODAY) == third
    assert standards.next_standard(pbg, date(2027, 1, 4)) is None
    assert standards.history(pbg) == [third, second, first]
    assert second.persyaratan == f"persyaratan versi {TODAY}\nbaris kedua"
    assert second.created_by_id == team.id


def test_in_force_and_scheduled_for_the_whole_catalogue_at_once(db, team, pbg):
    slf = db.session.scalar(sa.select(Layanan).where(Layanan.code == "slf"))
    old = standards.create_standard(team, pbg, standard(date(2026, 1, 2)), today=TODAY)
    new = standards.create_standard(team, pbg, standard(TODAY), today=TODAY)
    standards.create_standard(team, pbg, standard(date(2027, 2, 1)), today=TODAY)
    standards.create_standard(team, pbg, standard(date(2027, 3, 1)), today=TODAY)
    later = standards.create_standard(team, slf, standard(date(2027, 1, 1)), today=TODAY)
    assert standards.standards_in_force(TODAY) == {pbg.id: new}
    assert standards.standards_in_force(YESTERDAY) == {pbg.id: old}
    assert standards.standards_in_force(date(2027, 1, 1))[slf.id] == later
    assert standards.scheduled_standards(TODAY) == {pbg.id: date(2027, 2, 1), slf.id: date(2027, 1, 1)}


def test_a_layanan_without_a_standard_has_none(db, pbg):
    assert standards.current_standard(pbg, TODAY) is None
    assert standards.history(pbg) == []
    assert standards.standards_in_force(TODAY) == {}


# --- what may change ------------------------------------------------------------------------------------


def test_once_something_is_in_force_a_new_version_starts_today_at_the_earliest(db, team, pbg):
    standards.create_standard(team, pbg, standard(date(2026, 6, 1)), today=TODAY)
    with pytest.raises(InvalidVersion) as refused:
        standards.create_standard(team, pbg, standard(YESTERDAY), today=TODAY)
    assert set(refused.value.errors) == {"effective_on"}
    assert "paling cepat hari ini" in str(refused.value.errors["effective_on"])
    with pytest.raises(InvalidVersion):  # nor between two old versions
        standards.create_standard(team, pbg, standard(date(2026, 1, 1)), today=TODAY)
    assert standards.create_standard(team, pbg, standard(TODAY), today=TODAY).effective_on == TODAY
    assert count(db, StandarPelayanan) == 2


def test_before_anything_took_effect_the_first_version_may_be_backdated(db, team, pbg):
    standards.create_standard(team, pbg, standard(date(2027, 1, 4)), today=TODAY)  # only a scheduled one
    backdated = standards.create_standard(team, pbg, standard(date(2024, 7, 1)), today=TODAY)
    assert standards.current_standard(pbg, TODAY) == backdated


def test_two_versions_never_take_effect_on_the_same_day(db, team, pbg):
    standards.create_standard(team, pbg, standard(TOMORROW), today=TODAY)
    with pytest.raises(InvalidVersion) as refused:
        standards.create_standard(team, pbg, standard(TOMORROW), today=TODAY)
    assert "Sudah ada versi" in str(refused.value.errors["effective_on"])
    # A version in force today cannot be replaced today: the correction takes effect tomorrow at the earliest.
    standards.create_standard(team, pbg, standard(TODAY), today=TODAY)
    with pytest.raises(InvalidVersion):
        standards.create_standard(team, pbg, standard(TODAY), today=TODAY)


def test_a_concurrent_save_of_the_same_day_loses_with_the_fields_message(db, team, pbg, monkeypatch):
    kept = standards.create_standard(team, pbg, standard(TOMORROW), today=TODAY)
    # The other request checked before this one's row existed: its check saw no version that day.
    monkeypatch.setattr(
        standards, "_standard_versions", lambda layanan, excluding=None: sa.select(sa.null()).where(sa.false())
    )
    with pytest.raises(InvalidVersion) as refused:
        standards.create_standard(team, pbg, standard(TOMORROW, persyaratan="lain"), today=TODAY)
    assert set(refused.value.errors) == {"effective_on"}
    assert standards.history(pbg) == [kept] and kept.persyaratan.startswith("persyaratan versi")
    assert len(audit_entries(db, "skm.standard_create")) == 1


def test_a_version_in_force_is_never_changed_or_withdrawn(db, team, pbg):
    version = standards.create_standard(team, pbg, standard(TODAY), today=TODAY)
    with pytest.raises(VersionInForce):
        standards.update_standard(team, version, standard(TODAY, persyaratan="diubah"), today=TODAY)
    with pytest.raises(VersionInForce):
        standards.withdraw_standard(team, version, today=TODAY)
    db.session.refresh(version)
    assert version.persyaratan.startswith("persyaratan versi")
    # It took effect yesterday as seen from tomorrow: still never.
    scheduled = standards.create_standard(team, pbg, standard(TOMORROW), today=TODAY)
    with pytest.raises(VersionInForce):
        standards.update_standard(team, scheduled, standard(TOMORROW), today=TOMORROW)
    assert [e.action for e in audit_entries(db, "skm.")] == ["skm.standard_create", "skm.standard_create"]


def test_a_scheduled_version_may_be_corrected_with_the_audit_keeping_what_it_said(db, team, pbg):
    original = standard(date(2027, 1, 4))
    version = standards.create_standard(team, pbg, original, today=TODAY)
    before = version.persyaratan
    corrected = replace(original, effective_on=date(2027, 1, 11), persyaratan="KTP dan NIB")
    assert standards.update_standard(team, version, corrected, today=TODAY) is version
    db.session.refresh(version)
    assert (version.effective_on, version.persyaratan) == (date(2027, 1, 11), "KTP dan NIB")
    entry = audit_entries(db, "skm.standard_update")[-1]
    data = json.loads(entry.data)
    assert data["effective_on"] == "2027-01-11" and data["layanan"] == "pbg"
    assert data["previous"] == {"effective_on": "2027-01-04", "persyaratan": before}
    assert (entry.actor_id, entry.target_type, entry.target_id) == (team.id, "standar_pelayanan", str(version.id))


def test_a_correction_follows_the_date_rules_too(db, team, pbg):
    standards.create_standard(team, pbg, standard(date(2026, 6, 1)), today=TODAY)
    other = standards.create_standard(team, pbg, standard(date(2027, 2, 1)), today=TODAY)
    version = standards.create_standard(team, pbg, standard(date(2027, 1, 4)), today=TODAY)
    for day in (YESTERDAY, other.effective_on):
        with pytest.raises(InvalidVersion) as refused:
            standards.update_standard(team, version, standard(day), today=TODAY)
        assert set(refused.value.errors) == {"effective_on"}
    db.session.refresh(version)
    assert version.effective_on == date(2027, 1, 4)
    # Keeping its own date is no clash with itself; moving it to today makes it take effect now.
    standards.update_standard(team, version, standard(date(2027, 1, 4), biaya="Gratis"), today=TODAY)
    standards.update_standard(team, version, standard(TODAY, biaya="Gratis"), today=TODAY)
    assert standards.current_standard(pbg, TODAY) == version


def test_saving_an_unchanged_correction_records_nothing_changed(db, team, pbg):
    version = standards.create_standard(team, pbg, standard(TOMORROW), today=TODAY)
    standards.update_standard(team, version, standard(TOMORROW), today=TODAY)
    assert json.loads(audit_entries(db, "skm.standard_update")[-1].data)["previous"] == {}


def test_a_scheduled_version_may_be_withdrawn_and_the_audit_keeps_its_text(db, team, pbg):
    version = standards.create_standard(team, pbg, standard(TOMORROW, produk="Dokumen PBG"), today=TODAY)
    version_id = version.id
    standards.withdraw_standard(team, version, today=TODAY)
    assert db.session.get(StandarPelayanan, version_id) is None
    data = json.loads(audit_entries(db, "skm.standard_withdraw")[-1].data)
    assert data["previous"]["produk"] == "Dokumen PBG" and data["previous"]["effective_on"] == TOMORROW.isoformat()
    assert data["layanan"] == "pbg"
    assert verify_chain().ok


# --- validation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Wajib diisi"),
        ("   \n\t ", "Wajib diisi"),
        ("\u200b\u200d\ufeff", "Wajib diisi"),  # only invisible characters
        (None, "Wajib diisi"),
        ("a\x00b", "tidak dapat dibaca"),
        ("a\x1bb", "tidak dapat dibaca"),
        ("a\ufffdb", "tidak dapat dibaca"),
        ("a\ud800b", "tidak dapat dibaca"),
        ("x" * (LIMITS["persyaratan"] + 1), "Paling banyak 10000 karakter"),
        (12, "Isi dengan teks"),
        (["KTP"], "Isi dengan teks"),
        (b"KTP", "Isi dengan teks"),
        ({"a": 1}, "Isi dengan teks"),
    ],
)
def test_each_component_is_readable_text_with_something_visible(db, team, pbg, value, message):
    with pytest.raises(InvalidVersion) as refused:
        standards.create_standard(team, pbg, standard(TODAY, persyaratan=value), today=TODAY)
    assert set(refused.value.errors) == {"persyaratan"}
    assert message in str(refused.value.errors["persyaratan"])
    assert count(db, StandarPelayanan) == 0 and audit_entries(db, "skm.") == []


def test_every_bad_field_is_named_at_once(db, team, pbg):
    data = StandardInput(effective_on="kemarin", persyaratan="ok")
    with pytest.raises(InvalidVersion) as refused:
        standards.create_standard(team, pbg, data, today=TODAY)
    assert set(refused.value.errors) == {"effective_on", *COMPONENTS} - {"persyaratan"}


def test_text_is_trimmed_its_line_breaks_kept_as_lf_and_the_limit_is_inclusive(db, team, pbg):
    longest = "y" * LIMITS["biaya"]
    data = standard(TODAY, persyaratan="  1. KTP\r\n2. NIB\r3. Gambar\n\n  ", biaya=longest, produk="Dokumen 👩‍👩‍👧")
    version = standards.create_standard(team, pbg, data, today=TODAY)
    assert version.persyaratan == "1. KTP\n2. NIB\n3. Gambar"
    assert version.biaya == longest and version.produk == "Dokumen 👩‍👩‍👧"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "2026-13-01",
        "2026-02-30",
        "01-12-2026",
        "2026-12-1",
        "x" * 10,
        20261201,
        datetime(2026, 12, 1, 8),
        date(1999, 12, 31),
        date(2101, 1, 1),
        "1999-12-31",
    ],
)
def test_the_effective_date_is_a_real_date_within_reason(db, team, pbg, value):
    with pytest.raises(InvalidVersion) as refused:
        standards.create_standard(team, pbg, standard(value), today=TODAY)
    assert set(refused.value.errors) == {"effective_on"}


def test_the_effective_date_may_be_given_as_iso_text(db, team, pbg):
    assert standards.create_standard(team, pbg, standard(" 2026-12-01 "), today=TODAY).effective_on == TODAY


# --- who writes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SKM])
def test_only_the_tim_skm_writes(db, team, pbg, role):
    other = make_user(role=role)
    scheduled = standards.create_standard(team, pbg, standard(TOMORROW), today=TODAY)
    future_maklumat = standards.create_maklumat(team, maklumat(TOMORROW), today=TODAY)
    attempts = [
        lambda: standards.create_standard(other, pbg, standard(TODAY), today=TODAY),
        lambda: standards.update_standard(other, scheduled, standard(TOMORROW, biaya="x"), today=TODAY),
        lambda: standards.withdraw_standard(other, scheduled, today=TODAY),
        lambda: standards.create_maklumat(other, maklumat(TODAY), today=TODAY),
        lambda: standards.update_maklumat(other, future_maklumat, maklumat(TOMORROW, text="x"), today=TODAY),
        lambda: standards.withdraw_maklumat(other, future_maklumat, today=TODAY),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed):
            attempt()
    assert count(db, StandarPelayanan) == 1 and count(db, MaklumatPelayanan) == 1
    assert len(audit_entries(db, "skm.")) == 2


def test_a_system_actor_or_an_account_without_a_role_does_not_write(db, pbg):
    nobody = make_user(role=Role.SKM, username="tanpa_peran")
    nobody.role = None
    for actor in ("system", None, nobody):
        with pytest.raises(NotAllowed):
            standards.create_standard(actor, pbg, standard(TODAY), today=TODAY)  # type: ignore[arg-type]


# --- the maklumat ---------------------------------------------------------------------------------------


def test_the_maklumat_in_force_before_on_and_after_its_day(db, team):
    first = standards.create_maklumat(team, maklumat(date(2025, 3, 3)), today=TODAY)
    second = standards.create_maklumat(team, maklumat(date(2027, 1, 4), signer_name="Budi Santoso, S.H."), today=TODAY)
    assert standards.current_maklumat(date(2025, 3, 2)) is None
    assert standards.current_maklumat(date(2025, 3, 3)) == first
    assert standards.current_maklumat(date(2027, 1, 3)) == first
    assert standards.current_maklumat(date(2027, 1, 4)) == second
    assert standards.next_maklumat(TODAY) == second
    assert standards.maklumat_history() == [second, first]
    with pytest.raises(InvalidVersion):  # the first is in force: no new one before today
        standards.create_maklumat(team, maklumat(YESTERDAY), today=TODAY)
    assert [e.action for e in audit_entries(db, "skm.maklumat")] == ["skm.maklumat_create"] * 2


def test_the_maklumat_checks_its_fields(db, team):
    data = maklumat(
        TODAY,
        text="",
        signer_name="Budi\nSantoso",
        signer_position="x" * (LIMITS["signer_position"] + 1),
    )
    with pytest.raises(InvalidVersion) as refused:
        standards.create_maklumat(team, data, today=TODAY)
    assert set(refused.value.errors) == {"text", "signer_name", "signer_position"}
    assert "satu baris" in str(refused.value.errors["signer_name"])
    ok = replace(data, text="Janji", signer_name="B" * LIMITS["signer_name"], signer_position="K" * 200)
    assert standards.create_maklumat(team, ok, today=TODAY).signer_name == "B" * 160


def test_a_scheduled_maklumat_may_be_corrected_or_withdrawn_one_in_force_never(db, team):
    in_force = standards.create_maklumat(team, maklumat(TODAY), today=TODAY)
    scheduled = standards.create_maklumat(team, maklumat(date(2027, 1, 4)), today=TODAY)
    standards.update_maklumat(team, scheduled, maklumat(date(2027, 1, 4), signer_name="Budi"), today=TODAY)
    assert json.loads(audit_entries(db, "skm.maklumat_update")[-1].data)["previous"] == {
        "signer_name": "Dra. Sri Wahyuni, M.Si."
    }
    with pytest.raises(InvalidVersion):
        standards.update_maklumat(team, scheduled, maklumat(TODAY), today=TODAY)  # today is taken
    for change in (
        lambda: standards.update_maklumat(team, in_force, maklumat(TODAY, text="lain"), today=TODAY),
        lambda: standards.withdraw_maklumat(team, in_force, today=TODAY),
    ):
        with pytest.raises(VersionInForce):
            change()
    standards.withdraw_maklumat(team, scheduled, today=TODAY)
    assert standards.maklumat_history() == [in_force]
    assert json.loads(audit_entries(db, "skm.maklumat_withdraw")[-1].data)["previous"]["signer_name"] == "Budi"
    assert verify_chain().ok


# --- which layanan the public sees ----------------------------------------------------------------------


def test_only_an_active_layanan_is_published(db, pbg):
    assert standards.published_layanan("pbg") == pbg
    for code in ("tidak-ada", "PBG", "", "x" * 41, "pbg\x00"):
        assert standards.published_layanan(code) is None, code
    pbg.is_active = False
    db.session.flush()
    assert standards.published_layanan("pbg") is None


def test_the_api_form_of_a_version(db, team, pbg):
    version = standards.create_standard(team, pbg, standard(TODAY), today=TODAY)
    assert standards.standard_as_dict(version) == {
        "effective_on": "2026-12-01",
        **{name: f"{name} versi {TODAY}\nbaris kedua" for name in COMPONENTS},
    }
