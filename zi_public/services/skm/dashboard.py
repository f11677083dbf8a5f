"""The SKM figures the Tim SKM (and the pimpinan) see first: the current quarter's respondents and IKM so far,
its population and sample sufficiency, and the follow-up items still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zi_public.rules.periods import QUARTER, Period, period_of
from zi_public.services.skm import follow_up, results
from zi_public.services.skm.results import Result


@dataclass(frozen=True)
class SkmDashboard:
    quarter: Period
    so_far: Result  # the current quarter up to today
    open_items: int  # follow-up items the quarter shows that are not done


def dashboard_figures(today: date) -> SkmDashboard:
    """The current quarter's figures up to `today` (a few aggregate queries, no rows loaded)."""
    quarter = period_of(QUARTER, today)
    return SkmDashboard(quarter, results.result(quarter, as_of=today), follow_up.open_count(quarter))
