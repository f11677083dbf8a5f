"""The rules of a complaint the team records: how far back its day received may go, and SP4N-LAPOR!'s two flags
as one identity (rules.pengaduan; the intake service words the refusals)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from zi_public.rules.pengaduan import INTAKE_BACKDATE_DAYS, Identity, lapor_identity, received_on_problem

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("received_on", "problem"),
    [
        (TODAY, None),
        (TODAY + timedelta(days=1), "future"),
        (TODAY - timedelta(days=INTAKE_BACKDATE_DAYS), None),  # the oldest day allowed
        (TODAY - timedelta(days=INTAKE_BACKDATE_DAYS + 1), "too_old"),
        (date.max, "future"),
        (date.min, "too_old"),
    ],
)
def test_how_far_back_the_day_received_may_go(received_on, problem):
    assert received_on_problem(received_on, TODAY) == problem


def test_a_year_back_across_a_leap_day_is_still_allowed():
    # 29 February 2028 lies in the year before 1 March 2028: a year back is 366 days then.
    today = date(2028, 3, 1)
    assert received_on_problem(date(2027, 3, 1), today) is None
    assert received_on_problem(date(2027, 2, 28), today) == "too_old"


@pytest.mark.parametrize(("anonim", "rahasia"), list(itertools.product([False, True], repeat=2)))
def test_lapor_flags_anonim_wins_then_rahasia(anonim, rahasia):
    expected = Identity.ANONIM if anonim else Identity.RAHASIA if rahasia else Identity.TERBUKA
    assert lapor_identity(anonim=anonim, rahasia=rahasia) is expected
