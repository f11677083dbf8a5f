"""The survey's population N: entered per quarter and layanan, summed over a semester or a year, audited,
validated all or nothing."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, Layanan, Role, SkmPopulation
from zi_public.rules.periods import last_twelve_months, parse_period
from zi_public.services.skm import population as pop
from zi_public.services.skm.population import MAX_SERVED, PopulationRefused


@pytest.fixture
def member(seeded, db):
    return make_user(role=Role.SKM)


def layanan(code: str) -> Layanan:
    return db.session.scalar(sa.select(Layanan).where(Layanan.code == code))


def audit_entries() -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "skm.population_set")))


def test_nothing_entered_is_none_not_zero(member):
    assert pop.population(parse_period("2026-Q1")) is None
    assert pop.population(parse_period("2026"), layanan("pbg")) is None
    pop.set_population(member, 2026, 1, layanan("pbg"), 0)
    assert pop.population(parse_period("2026-Q1")) == 0
    assert pop.population(parse_period("2026-Q1"), layanan("slf")) is None


def test_sums_over_quarter_semester_and_year(member):
    pbg, slf = layanan("pbg"), layanan("slf")
    for quarter, (a, b) in enumerate([(100, 10), (200, 20), (300, 30), (400, 40)], start=1):
        pop.set_population(member, 2026, quarter, pbg, a)
        pop.set_population(member, 2026, quarter, slf, b)
    pop.set_population(member, 2025, 4, pbg, 9999)  # another year never leaks in
    assert pop.population(parse_period("2026-Q2")) == 220
    assert pop.population(parse_period("2026-Q2"), pbg) == 200
    assert pop.population(parse_period("2026-S1")) == 330
    assert pop.population(parse_period("2026-S2"), slf) == 70
    assert pop.population(parse_period("2026")) == 1100
    assert pop.population(parse_period("2026"), pbg) == 1000
    assert pop.population(parse_period("2025")) == 9999
    assert pop.population_by_layanan(parse_period("2026-S1")) == {pbg.id: 300, slf.id: 30}


def test_a_partly_entered_period_sums_what_was_entered(member):
    pop.set_population(member, 2026, 1, layanan("pbg"), 120)
    assert pop.population(parse_period("2026")) == 120
    assert pop.population(parse_period("2026-S2")) is None


def test_quarters_of_each_kind():
    assert pop.quarters_of(parse_period("2026-Q3")) == [(2026, 3)]
    assert pop.quarters_of(parse_period("2026-S2")) == [(2026, 3), (2026, 4)]
    assert pop.quarters_of(parse_period("2026")) == [(2026, q) for q in (1, 2, 3, 4)]
    assert pop.quarters_of(parse_period("2026-05")) == []  # N is counted per quarter, never per month
    from datetime import date

    assert pop.quarters_of(last_twelve_months(date(2026, 6, 30))) == [(2025, 3), (2025, 4), (2026, 1), (2026, 2)]


def test_every_change_is_audited_and_an_unchanged_number_is_not(member):
    pbg = layanan("pbg")
    assert pop.set_population(member, 2026, 3, pbg, 150) is True
    assert pop.set_population(member, 2026, 3, pbg, "150") is False
    assert pop.set_population(member, 2026, 3, pbg, 175) is True
    assert pop.set_population(member, 2026, 3, pbg, "") is True  # cleared: not entered any more
    assert db.session.get(SkmPopulation, (2026, 3, pbg.id)) is None
    entries = audit_entries()
    assert [json.loads(e.data)["to"] for e in entries] == [150, 175, None]
    assert [json.loads(e.data)["from"] for e in entries] == [None, 150, 175]
    assert {e.actor_id for e in entries} == {member.id}
    assert entries[0].target_id == "2026-Q3:pbg"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (0, 0),
        ("250", 250),
        (" 250 ", 250),
        ("1.234", 1234),
        ("1,234", 1234),
        ("12.345", 12345),
        ("1.000.000", MAX_SERVED),
        (40.0, 40),
    ],
)
def test_numbers_as_typed(member, typed, stored):
    pop.set_population(member, 2026, 1, layanan("pbg"), typed)
    assert pop.population(parse_period("2026-Q1")) == stored


@pytest.mark.parametrize(
    "typed",
    [
        -1,
        "-5",
        "abc",
        "12a",
        "2.5",
        2.5,
        "1.23",
        "١٢٣",
        True,
        MAX_SERVED + 1,
        "9" * 40,
        str(2**63),
        [],
        "1e3",
        "12.345.67",
        "1.2345",
    ],
)
def test_bad_numbers_are_refused_and_nothing_stored(member, typed):
    with pytest.raises(PopulationRefused) as refused:
        pop.set_population(member, 2026, 1, layanan("pbg"), typed)
    assert set(refused.value.errors) == {"pbg"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmPopulation)) == 0
    assert audit_entries() == []


@pytest.mark.parametrize(("year", "quarter"), [(1999, 1), (2101, 1), (2026, 0), (2026, 5), ("2026", 1), (2026, True)])
def test_bad_quarter_is_refused(member, year, quarter):
    with pytest.raises(PopulationRefused):
        pop.set_population(member, year, quarter, layanan("pbg"), 10)
    assert audit_entries() == []


def test_a_quarter_form_is_all_or_nothing(member):
    pbg, slf, kkpr = layanan("pbg"), layanan("slf"), layanan("kkpr")
    pop.set_population(member, 2026, 2, kkpr, 5)
    with pytest.raises(PopulationRefused) as refused:
        pop.set_populations(member, 2026, 2, {pbg: "10", slf: "-3", kkpr: "7"})
    assert set(refused.value.errors) == {"slf"}
    assert pop.quarter_entries(2026, 2) == {kkpr.id: 5}
    assert pop.set_populations(member, 2026, 2, {pbg: "10", slf: "", kkpr: "7"}) == 2
    assert pop.quarter_entries(2026, 2) == {pbg.id: 10, kkpr.id: 7}
    assert len(audit_entries()) == 3
