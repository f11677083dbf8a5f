"""Retention of closed WBS reports: when one is purged, and when the team is warned (issue 8, point 11).

The period is whole years after the day a report closed (a 29 February closing is purged on 1 March, the
first day a whole number of years has passed), or a number of days when the office counts in days. Pure.
"""

from __future__ import annotations

from datetime import date, timedelta


def _minus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def purge_date(closed_on: date, *, years: int, days: int | None = None) -> date:
    """The first day a report closed on `closed_on` is due for the purge."""
    if days is not None:
        return closed_on + timedelta(days=days)
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:
        return date(closed_on.year + years, 3, 1)


def closed_by(today: date, *, years: int, days: int | None = None) -> date:
    """The last closing day due for the purge on `today` (closed_on <= this  <=>  purge_date <= today)."""
    if days is not None:
        return today - timedelta(days=days)
    return _minus_years(today, years)
