"""SKM results from SQL aggregates: per quarter, semester and year (pooled, never averaged), overall and per
layanan, cut off at a date, with the population and the sample's sufficiency; on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
import sqlalchemy as sa

from tests.factories import make_skm_responses, make_user
from tests.rules.test_ikm import WORKED_ROWS, WORKED_SUMS
from zi_public.extensions import db
from zi_public.models import Layanan, Role, SkmPopulation
from zi_public.rules.periods import MIN_YEAR, make_period, parse_period
from zi_public.services.settings import set_setting
from zi_public.services.skm import follow_up, results
from zi_public.services.skm.dashboard import dashboard_figures
from zi_public.services.skm.follow_up import ItemInput
from zi_public.services.skm.settings import KEY as LEGACY_KEY

Q1 = parse_period("2026-Q1")
Q2 = parse_period("2026-Q2")
S1 = parse_period("2026-S1")
YEAR = parse_period("2026")
TODAY = date(2026, 12, 1)


@pytest.fixture
def skm(seeded, db):
    return db


def layanan(code: str) -> Layanan:
    found = db.session.scalar(sa.select(Layanan).where(Layanan.code == code))
    assert found is not None
    return found


def served(year: int, quarter: int, code: str, number: int) -> None:
    db.session.add(SkmPopulation(year=year, quarter=quarter, layanan_id=layanan(code).id, served=number))
    db.session.flush()


@pytest.fixture
def statements(skm) -> Iterator[list[str]]:
    """Every SQL statement the test runs after this fixture."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
        seen.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", record)


def test_nothing_answered(skm):
    found = results.result(Q1, as_of=TODAY)
    assert found.ikm is None
    assert found.respondents == 0
    assert (found.population, found.minimum_sample, found.sample_sufficient) == (None, None, None)
    assert results.unsur_sums(Q1, as_of=TODAY) == (0, [0] * 9)
    assert results.results_by_layanan(Q1, as_of=TODAY) == []
    assert results.latest_quarter(TODAY) is None
    assert results.years_with_responses(TODAY) == []


def test_worked_example(skm):
    """The ten respondents of tests/rules/test_ikm.py, stored: 83.06 B, NRR 3.4 … 3.1."""
    make_skm_responses(WORKED_ROWS, on=date(2026, 2, 10))
    assert results.unsur_sums(Q1, as_of=TODAY) == (10, WORKED_SUMS)
    found = results.result(Q1, as_of=TODAY, legacy=False)
    assert found.ikm is not None
    assert found.ikm.ikm == Decimal("83.06")
    assert found.ikm.ikm_exact == Fraction(299 * 25, 90)
    assert (found.ikm.mutu, found.ikm.kinerja) == ("B", "baik")
    assert found.ikm.nrr["U8"] == Fraction("2.8")
    assert found.respondents == 10
    assert found.as_of == Q1.end
    assert found.layanan is None
    legacy = results.result(Q1, as_of=TODAY, legacy=True)
    assert legacy.ikm is not None and legacy.ikm.ikm == Decimal("82.97") and legacy.ikm.legacy


def test_the_office_setting_chooses_the_weighting_unless_told(skm):
    make_skm_responses([(4,) * 9], on=date(2026, 1, 5))
    assert results.result(Q1, as_of=TODAY).ikm.ikm == Decimal("100.00")
    set_setting("test", LEGACY_KEY, True)
    assert results.result(Q1, as_of=TODAY).ikm.ikm == Decimal("99.90")
    assert results.result(Q1, as_of=TODAY, legacy=False).ikm.ikm == Decimal("100.00")
    assert results.results_by_layanan(Q1, as_of=TODAY)[0].ikm.legacy is True
    assert results.quarter_series(Q1, 1, as_of=TODAY)[0].ikm.ikm == Decimal("99.90")


def test_cut_off_at_a_date(skm):
    """The March report made on 20 March counts what came in up to that day."""
    make_skm_responses([(4,) * 9], on=date(2026, 1, 1))
    make_skm_responses([(2,) * 9], on=date(2026, 3, 20))
    make_skm_responses([(1,) * 9], on=date(2026, 3, 21))
    make_skm_responses([(1,) * 9], on=date(2025, 12, 31))  # the quarter before: never counted
    make_skm_responses([(1,) * 9], on=date(2026, 4, 1))  # the quarter after: never counted
    march = results.result(Q1, as_of=date(2026, 3, 20), legacy=False)
    assert march.as_of == date(2026, 3, 20)
    assert march.respondents == 2
    assert march.ikm.ikm == Decimal("75.00")  # (4 + 2) / 2 × 25
    whole = results.result(Q1, as_of=date(2026, 6, 30), legacy=False)
    assert whole.as_of == Q1.end  # never after the period's end
    assert whole.respondents == 3
    assert whole.ikm.ikm == Decimal("58.33")  # 7 / 3 × 25 = 58.333…
    before = results.result(Q1, as_of=date(2025, 12, 31), legacy=False)
    assert before.ikm is None
    assert results.unsur_sums(Q1, as_of=date(2026, 3, 20)) == (2, [6] * 9)


def test_without_a_cut_off_the_whole_period_counts(skm):
    make_skm_responses([(4,) * 9], on=date(2026, 2, 1))
    make_skm_responses([(1,) * 9], on=date(2026, 3, 31))
    found = results.result(Q1, legacy=False)
    assert found.as_of == Q1.end
    assert found.respondents == 2
    assert results.unsur_sums(Q1) == (2, [5] * 9)
    assert results.cut_off(Q1) == Q1.end
    assert results.cut_off(Q1, date(2026, 2, 15)) == date(2026, 2, 15)
    assert results.cut_off(Q1, date(2027, 1, 1)) == Q1.end


def test_semester_and_year_pool_the_responses(skm):
    """Q1: one respondent, all 4 (100.00); Q2: three respondents, all 1 (25.00). The mean of the two IKMs
    would be 62.50; the pooled IKM of the four is (36 + 27) / 36 × 25 = 43.75."""
    make_skm_responses([(4,) * 9], on=date(2026, 3, 31))
    make_skm_responses([(1,) * 9] * 3, on=date(2026, 4, 1))
    assert results.result(Q1, as_of=TODAY, legacy=False).ikm.ikm == Decimal("100.00")
    assert results.result(Q2, as_of=TODAY, legacy=False).ikm.ikm == Decimal("25.00")
    semester = results.result(S1, as_of=TODAY, legacy=False)
    assert semester.respondents == 4
    assert semester.ikm.ikm == Decimal("43.75")
    assert semester.ikm.mutu == "D"
    assert results.result(YEAR, as_of=TODAY, legacy=False).ikm.ikm == Decimal("43.75")
    assert results.result(parse_period("2026-S2"), as_of=TODAY, legacy=False).ikm is None


def test_per_layanan(skm):
    pbg, slf = layanan("pbg"), layanan("slf")
    make_skm_responses([(4,) * 9, (3,) * 9], layanan="pbg", on=date(2026, 2, 1))
    make_skm_responses([(2,) * 9], layanan="slf", on=date(2026, 2, 2))
    make_skm_responses([(1,) * 9], layanan="kkpr", on=date(2026, 4, 2))  # another quarter
    by_layanan = results.results_by_layanan(Q1, as_of=TODAY, legacy=False)
    assert [r.layanan.code for r in by_layanan] == ["pbg", "slf"]  # the catalogue's order
    assert [r.respondents for r in by_layanan] == [2, 1]
    assert [r.ikm.ikm for r in by_layanan] == [Decimal("87.50"), Decimal("50.00")]
    assert all(r.period == Q1 and r.as_of == Q1.end for r in by_layanan)
    assert results.result(Q1, layanan=pbg, as_of=TODAY, legacy=False).ikm == by_layanan[0].ikm
    assert results.result(Q1, layanan=slf, as_of=TODAY, legacy=False).ikm == by_layanan[1].ikm
    assert results.result(Q1, layanan=layanan("kkpr"), as_of=TODAY).ikm is None
    assert results.unsur_sums(Q1, layanan=pbg, as_of=TODAY) == (2, [7] * 9)
    overall = results.result(Q1, as_of=TODAY, legacy=False)
    assert overall.respondents == 3
    assert overall.ikm.ikm == Decimal("75.00")  # pooled: 9 / 3 × 25


def test_catalogue_order_follows_sort_order(skm):
    layanan("slf").sort_order = -5
    make_skm_responses([(4,) * 9], layanan="pbg", on=date(2026, 2, 1))
    make_skm_responses([(2,) * 9], layanan="slf", on=date(2026, 2, 2))
    assert [r.layanan.code for r in results.results_by_layanan(Q1, as_of=TODAY)] == ["slf", "pbg"]


def test_population_and_sample(skm):
    """N = 100 needs 80 respondents, N = 60 needs 53 (52.01 rounded up); a semester's N is the sum of its
    quarters'."""
    make_skm_responses([(3,) * 9] * 79, on=date(2026, 2, 1))
    served(2026, 1, "pbg", 60)
    served(2026, 1, "slf", 40)
    short = results.result(Q1, as_of=TODAY)
    assert (short.population, short.minimum_sample, short.sample_sufficient) == (100, 80, False)
    make_skm_responses([(3,) * 9], on=date(2026, 2, 2))
    enough = results.result(Q1, as_of=TODAY)
    assert (enough.respondents, enough.sample_sufficient) == (80, True)
    pbg = results.result(Q1, layanan=layanan("pbg"), as_of=TODAY)
    assert (pbg.population, pbg.minimum_sample, pbg.sample_sufficient) == (60, 53, True)
    by_layanan = results.results_by_layanan(Q1, as_of=TODAY)
    assert [(r.layanan.code, r.population, r.minimum_sample) for r in by_layanan] == [("pbg", 60, 53)]
    served(2026, 2, "pbg", 900)
    semester = results.result(S1, as_of=TODAY)
    assert (semester.population, semester.minimum_sample, semester.sample_sufficient) == (1000, 278, False)
    assert results.result(Q2, as_of=TODAY).ikm is None
    assert results.result(Q2, as_of=TODAY).population == 900


def test_population_without_responses(skm):
    served(2026, 1, "pbg", 10)
    found = results.result(Q1, as_of=TODAY)
    assert found.ikm is None
    assert (found.population, found.minimum_sample, found.sample_sufficient) == (10, 10, False)


def test_quarter_series(skm):
    make_skm_responses([(4,) * 9], on=date(2025, 5, 1))  # 2025-Q2
    make_skm_responses([(2,) * 9, (4,) * 9], on=date(2026, 2, 1))  # 2026-Q1
    make_skm_responses([(1,) * 9], on=date(2026, 7, 1))  # after the series
    served(2026, 1, "pbg", 3)
    series = results.quarter_series(Q1, as_of=TODAY, legacy=False)
    assert [r.period.code for r in series] == [
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    assert [None if r.ikm is None else str(r.ikm.ikm) for r in series] == [None] * 4 + ["100.00"] + [None] * 2 + [
        "75.00"
    ]
    assert series[-1].respondents == 2
    assert (series[-1].population, series[-1].minimum_sample, series[-1].sample_sufficient) == (3, 3, False)
    assert series[4].population is None
    # A semester or a year ends the series at its last quarter.
    assert results.quarter_series(YEAR, 4, as_of=TODAY)[-1].period.code == "2026-Q4"
    assert results.quarter_series(S1, 2, as_of=TODAY)[0].period.code == "2026-Q1"


def test_quarter_series_cut_off(skm):
    make_skm_responses([(4,) * 9], on=date(2026, 1, 10))
    make_skm_responses([(1,) * 9], on=date(2026, 3, 10))
    series = results.quarter_series(Q1, 2, as_of=date(2026, 2, 1), legacy=False)
    assert [r.as_of for r in series] == [date(2025, 12, 31), date(2026, 2, 1)]
    assert series[-1].respondents == 1
    assert series[-1].ikm.ikm == Decimal("100.00")


def test_quarter_series_stops_at_the_first_year(skm):
    series = results.quarter_series(make_period("quarter", MIN_YEAR, 2), 8, as_of=TODAY)
    assert [r.period.code for r in series] == [f"{MIN_YEAR}-Q1", f"{MIN_YEAR}-Q2"]
    assert len(results.quarter_series(Q1, 0, as_of=TODAY)) == 1


def test_latest_quarter(skm):
    make_skm_responses([(3,) * 9], on=date(2026, 5, 1))
    make_skm_responses([(3,) * 9], on=date(2025, 11, 1))
    assert results.latest_quarter(date(2026, 12, 1)) == Q2
    assert results.latest_quarter(date(2026, 4, 30)) == parse_period("2025-Q4")
    assert results.latest_quarter(date(2025, 10, 31)) is None
    assert results.years_with_responses(date(2026, 12, 1)) == [2026, 2025]
    assert results.years_with_responses(date(2026, 1, 1)) == [2025]


def test_aggregates_only(skm, statements):
    """No statement reads skm_response rows: each is a COUNT/SUM or MIN/MAX aggregate."""
    make_skm_responses([(3,) * 9] * 50, on=date(2026, 2, 1))
    make_skm_responses([(2,) * 9] * 50, layanan="slf", on=date(2026, 3, 1))
    statements.clear()
    results.result(S1, as_of=TODAY, legacy=False)
    assert len(statements) == 2  # the answers' aggregate, the population's
    results.results_by_layanan(S1, as_of=TODAY, legacy=False)
    results.quarter_series(S1, as_of=TODAY, legacy=False)
    results.latest_quarter(TODAY)
    results.years_with_responses(TODAY)
    reading = [s for s in statements if "FROM skm_response" in s]
    assert len(reading) == 6
    for statement in reading:
        lowered = statement.lower()
        assert "sum(skm_response.u1)" in lowered or "max(" in lowered or "min(" in lowered, statement
        assert "skm_response.suggestion" not in lowered


def test_sums_of_a_result(skm):
    make_skm_responses(WORKED_ROWS, on=date(2026, 2, 10))
    assert list(results.result(Q1).sums().values()) == WORKED_SUMS
    assert results.result(Q2).sums() == dict.fromkeys(["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"], 0)


def test_published_by_layanan_pools_small_layanan_and_the_smallest_shown_one(skm):
    """The public split (rules/skm.publishable_groups) on real results: kkpr's 2 answers are pooled, and as a pool
    of 2 would be kkpr's own figure, the smallest shown layanan (pbg, 6) joins it; slf (7) alone is published."""
    make_skm_responses([(4,) * 9] * 6, layanan="pbg", on=date(2026, 2, 1))
    make_skm_responses([(3,) * 9] * 7, layanan="slf", on=date(2026, 2, 1))
    make_skm_responses([(1,) * 9] * 2, layanan="kkpr", on=date(2026, 2, 1))
    split = results.published_by_layanan(Q1, as_of=TODAY, legacy=False)
    assert [r.layanan.code for r in split.shown] == ["slf"]
    assert {r.layanan.code for r in split.pooled} == {"pbg", "kkpr"}
    assert split.pooled_respondents == 8
    assert split.withholds(layanan("kkpr")) and split.withholds(layanan("pbg"))
    assert not split.withholds(layanan("slf"))


def test_published_by_layanan_with_nobody_answering(skm):
    split = results.published_by_layanan(Q1, as_of=TODAY)
    assert (split.shown, split.pooled, split.pooled_respondents) == ([], [], 0)
    assert not split.withholds(layanan("pbg"))


def test_published_by_layanan_with_one_small_layanan_publishes_nothing_of_it(skm):
    make_skm_responses([(4,) * 9] * 4, layanan="pbg", on=date(2026, 2, 1))
    split = results.published_by_layanan(Q1, as_of=TODAY)
    assert split.shown == []
    assert [r.layanan.code for r in split.pooled] == ["pbg"]
    assert split.pooled_respondents == 4


def test_dashboard_figures_before_any_response(skm):
    figures = dashboard_figures(date(2026, 2, 10))
    assert figures.quarter == Q1
    assert (figures.so_far.ikm, figures.so_far.respondents, figures.so_far.population) == (None, 0, None)
    assert figures.open_items == 0


def test_dashboard_figures_count_the_quarter_up_to_today_and_its_open_items(skm):
    make_skm_responses([(4,) * 9], on=date(2026, 1, 5))
    make_skm_responses([(2,) * 9], on=date(2026, 2, 20))  # after "today": not counted yet
    make_skm_responses([(1,) * 9], on=date(2025, 12, 31))  # the previous quarter
    served(2026, 1, "pbg", 2)
    member = make_user(role=Role.SKM)
    item = ItemInput(unsur="U3", action="Percepat verifikasi", owner="Kabid")
    follow_up.create_item(member, parse_period("2025-Q4"), item, today=date(2026, 1, 10))  # carried, open
    follow_up.create_item(member, Q1, item, today=date(2026, 1, 10))
    done = ItemInput(unsur="U5", action="Papan informasi", owner="Kabid", done_on=date(2026, 1, 9))
    follow_up.create_item(member, parse_period("2025-Q3"), done, today=date(2026, 1, 10))  # done before Q1
    follow_up.create_item(member, parse_period("2026-Q2"), item, today=date(2026, 1, 10))  # a later quarter's
    figures = dashboard_figures(date(2026, 2, 10))
    assert figures.quarter == Q1
    assert figures.so_far.as_of == date(2026, 2, 10)
    assert figures.so_far.respondents == 1
    assert figures.so_far.ikm.ikm == results.result(Q1, as_of=date(2026, 2, 10)).ikm.ikm
    assert (figures.so_far.population, figures.so_far.minimum_sample, figures.so_far.sample_sufficient) == (
        2,
        2,
        False,
    )
    assert figures.open_items == 2
