"""Retention dates: the SQL cut-off and the purge date shown to the team agree on every day, leap days included."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from zi_public.rules.retention import closed_by, purge_date


@pytest.mark.parametrize(("years", "days"), [(1, None), (4, None), (5, None), (0, 30), (0, 1826)])
def test_cut_off_and_purge_date_agree(years, days):
    start = date(2023, 12, 1)
    closings = [start + timedelta(days=n) for n in range(0, 500, 1)]  # spans 29 February 2024
    for offset in range(-3, 4):
        for closed_on in closings[::7] + [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]:
            today = purge_date(closed_on, years=years, days=days) + timedelta(days=offset)
            due = closed_on <= closed_by(today, years=years, days=days)
            assert due == (purge_date(closed_on, years=years, days=days) <= today), (closed_on, today)


def test_examples():
    assert purge_date(date(2024, 2, 29), years=5) == date(2029, 3, 1)
    assert purge_date(date(2021, 6, 30), years=5) == date(2026, 6, 30)
    assert purge_date(date(2021, 6, 30), years=5, days=10) == date(2021, 7, 10)
    assert closed_by(date(2028, 2, 29), years=5) == date(2023, 2, 28)
