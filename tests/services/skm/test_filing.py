"""services/skm/filing: the (year, quarter) stored with each response for the index is rules/periods' quarter of
its day, so the quarterly series (grouped by those columns) and every other figure (filtered by the day) agree."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_skm_responses
from zi_public.rules.periods import QUARTER, period_of
from zi_public.services.skm import results
from zi_public.services.skm.filing import quarter_of


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 1), date(2026, 12, 31)],
)
def test_quarter_of_is_the_periods_quarter(day):
    quarter = period_of(QUARTER, day)
    assert quarter_of(day) == (quarter.year, quarter.index)


def test_every_month_falls_in_its_quarter():
    assert [quarter_of(date(2026, month, 15))[1] for month in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]


def test_the_series_and_the_quarters_result_count_a_boundary_day_alike(seeded, db):
    make_skm_responses([(4,) * 9], on=date(2026, 3, 31))
    make_skm_responses([(1,) * 9, (1,) * 9], on=date(2026, 4, 1))
    q1, q2 = period_of(QUARTER, date(2026, 3, 31)), period_of(QUARTER, date(2026, 4, 1))
    series = results.quarter_series(q2, 2, as_of=date(2026, 12, 1), legacy=False)
    assert [r.respondents for r in series] == [1, 2]
    assert [r.respondents for r in series] == [
        results.result(q1, as_of=date(2026, 12, 1)).respondents,
        results.result(q2, as_of=date(2026, 12, 1)).respondents,
    ]
