"""The benturan kepentingan evaluation's figures: declarations by kind and decision (a declaration that got a
decision appears in its quarter), the mapping's changes, WBS counts in the category (1 and 2 as "< 3"), the
campaign activities on the topic, as of a day; and the evaluation month of each quarter."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from tests.factories import make_user, make_wbs
from tests.services.gratifikasi.test_benturan_declarations import make_declaration
from zi_public.models import Role, WbsCategory
from zi_public.rules.benturan import Decision, DeclarationKind
from zi_public.rules.periods import parse_period
from zi_public.services import reference
from zi_public.services.gratifikasi import benturan_declarations, benturan_evaluation, benturan_mapping, campaign
from zi_public.services.gratifikasi.benturan_declarations import DecisionInput
from zi_public.services.gratifikasi.benturan_mapping import MappingInput
from zi_public.services.gratifikasi.campaign import ActivityInput
from zi_public.services.wbs import stats

Q2, Q3, Q4 = (parse_period(f"2026-Q{i}") for i in (2, 3, 4))


@pytest.fixture
def upg(seeded, db):
    return make_user(role=Role.UPG)


def declare_and_decide(upg, declared: datetime, decided_on: date | None, decision: Decision = Decision.LANJUT_DIAWASI):
    declaration = make_declaration(now=declared).declaration
    if decided_on is not None:
        benturan_declarations.decide(
            upg,
            declaration,
            DecisionInput(superior="Kepala Bidang Perizinan", decision=decision.value, decided_on=decided_on),
            today=decided_on,
        )
    return declaration


def test_a_declaration_that_got_a_decision_appears_in_the_quarterly_evaluation(upg):
    declare_and_decide(upg, datetime(2026, 5, 4, 3, tzinfo=UTC), date(2026, 5, 6), Decision.TUGAS_DIALIHKAN)
    declare_and_decide(upg, datetime(2026, 5, 11, 3, tzinfo=UTC), None)
    declare_and_decide(upg, datetime(2026, 7, 6, 3, tzinfo=UTC), date(2026, 7, 7))  # the next quarter

    figures = benturan_evaluation.figures(Q2, as_of=Q2.end)

    [q2] = figures.declarations
    assert q2.total == 2
    assert q2.count_of(DeclarationKind.KHUSUS, Decision.TUGAS_DIALIHKAN) == 1
    assert q2.count_of(DeclarationKind.KHUSUS, None) == 1
    assert q2.decided == 1 and q2.max_days_to_decision == 2  # Monday 4 May -> Wednesday 6 May
    assert figures.declarations_total is None


def test_as_of_a_day_inside_the_quarter_leaves_out_what_came_later(upg):
    declare_and_decide(upg, datetime(2026, 5, 4, 3, tzinfo=UTC), date(2026, 6, 8))
    early = benturan_evaluation.figures(Q2, as_of=date(2026, 5, 31))
    assert early.declarations[0].total == 1 and early.declarations[0].decided == 0
    assert benturan_evaluation.figures(Q2, as_of=Q2.end).declarations[0].decided == 1


def test_a_year_is_its_four_quarters(upg):
    declare_and_decide(upg, datetime(2026, 5, 4, 3, tzinfo=UTC), date(2026, 5, 6))
    declare_and_decide(upg, datetime(2026, 8, 3, 3, tzinfo=UTC), date(2026, 8, 4))
    figures = benturan_evaluation.figures(parse_period("2026"), as_of=date(2026, 11, 30))
    assert [d.period.code for d in figures.declarations] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [d.total for d in figures.declarations] == [0, 1, 1, 0]
    assert figures.declarations_total.total == 2 and figures.declarations_total.decided == 2
    assert [w.quarter.code for w in figures.wbs] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def test_the_mappings_changes_are_counted_and_listed(upg):
    data = MappingInput(
        task="Verifikasi teknis PBG",
        layanan="pbg",
        bidang="perizinan-b",
        conflict_type="keluarga",
        description="Potensi hubungan keluarga",
        risk="tinggi",
        control="Verifikator diganti",
    )
    row = benturan_mapping.add_row(upg, 2026, data, today=date(2026, 10, 5))
    other = benturan_mapping.add_row(upg, 2026, data, today=date(2026, 10, 5))
    benturan_mapping.update_row(upg, row, dataclasses.replace(data, risk="sedang"), today=date(2026, 11, 2))
    benturan_mapping.retire_row(upg, other, today=date(2026, 11, 3))
    benturan_mapping.add_row(upg, 2026, data, today=date(2026, 7, 1))  # Q3: not in Q4's evaluation

    changes = benturan_evaluation.figures(Q4, as_of=date(2026, 11, 30)).mapping
    assert changes.counts == {"added": 2, "changed": 1, "retired": 1}
    assert [(c.change, c.changed_on) for c in changes.rows] == [
        ("added", date(2026, 10, 5)),
        ("added", date(2026, 10, 5)),
        ("changed", date(2026, 11, 2)),
        ("retired", date(2026, 11, 3)),
    ]
    assert changes.rows[2].fields == "risk"
    assert benturan_evaluation.figures(Q4, as_of=date(2026, 10, 31)).mapping.counts["changed"] == 0


@pytest.mark.parametrize("reports", [0, 1, 2, 3, 4])
def test_wbs_counts_in_the_category_are_the_public_figures_row(seeded, db, reports):
    """The UPG sees the category's WBS row exactly as the public WBS figures publish it: a small count is never
    shown exactly, nor one that could be worked out from the others (rules/disclosure via stats.public_tables)."""
    for _ in range(reports):
        make_wbs(today=date(2026, 5, 4), category="benturan-kepentingan")
    for _ in range(5):  # other categories are not counted
        make_wbs(today=date(2026, 5, 4), category="pungli-calo")
    make_wbs(today=date(2026, 8, 4), category="benturan-kepentingan")  # another quarter

    [row] = benturan_evaluation.figures(Q2, as_of=Q2.end).wbs
    assert row.quarter == Q2
    [public] = stats.public_tables([Q2])
    category = public.category_ids.index(reference.active_by_code(WbsCategory, "benturan-kepentingan").id)
    assert row.cells == public.cells[category]
    assert row.received == (public.row_totals[category] or stats.HIDDEN_MARK)
    shown = {row.received, *row.cells}
    assert not shown & {"1", "2"}  # a count of 1 or 2 never appears as such
    if reports < 3:
        assert row.received in (stats.SMALL_MARK, stats.HIDDEN_MARK)


def test_quarters_without_any_wbs_report_show_zero(seeded, db):
    [row] = benturan_evaluation.figures(Q2, as_of=Q2.end).wbs
    assert (row.received, row.cells) == ("0", ("0", "0", "0", "0"))


def test_only_campaign_activities_on_benturan_kepentingan_in_the_period(upg):
    def record(day: date, topic: str):
        data = ActivityInput(day, topic, "Apel pagi", "Seluruh pegawai", "")
        return campaign.record_activity(upg, data, today=date(2026, 11, 30))

    wanted = record(date(2026, 10, 12), "benturan_kepentingan")
    record(date(2026, 10, 13), "gratifikasi")
    record(date(2026, 9, 30), "benturan_kepentingan")
    late = record(date(2026, 11, 20), "benturan_kepentingan")
    assert benturan_evaluation.figures(Q4, as_of=date(2026, 11, 30)).activities == [wanted, late]
    assert benturan_evaluation.figures(Q4, as_of=date(2026, 11, 19)).activities == [wanted]


def test_each_quarters_evaluation_month():
    months = [benturan_evaluation.evaluation_month(parse_period(f"2026-Q{i}")) for i in range(1, 5)]
    assert [m.code for m in months] == ["2026-04", "2026-07", "2026-10", "2026-12"]
    with pytest.raises(ValueError):
        benturan_evaluation.evaluation_month(parse_period("2026"))


def test_a_quarter_not_begun_has_no_figures_yet(db):
    figures = benturan_evaluation.figures(parse_period("2026"), as_of=date(2026, 5, 31))
    assert [d.period.code for d in figures.declarations] == ["2026-Q1", "2026-Q2"]
    assert [w.quarter.code for w in figures.wbs] == ["2026-Q1", "2026-Q2"]
