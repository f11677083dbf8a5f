"""Working days: Monday to Friday, minus national holidays and cuti bersama, plus overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Protocol

import holidays

#: The `government` category is what carries cuti bersama; it is not in the library's default.
HOLIDAY_CATEGORIES = ("public", "government")
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class HolidayLookup(Protocol):
    """Anything that names the holiday on a day or answers None (a plain dict will do)."""

    def get(self, day: date, /) -> str | None: ...


#: The holidays library's language code for each language the app speaks; the days are the same in all of them.
_LIBRARY_LANGUAGES = {"id": "id", "en": "en_US"}


def national_holidays(years: int | Iterable[int], language: str = "id") -> dict[date, str]:
    """National holidays and cuti bersama of `years`, named in `language` ("id" or "en"); a day the library has
    no name for in that language, or a language it does not name days in, keeps the Indonesian name."""
    wanted = [years] if isinstance(years, int) else list(years)
    result: dict[date, str] = {}
    for year in wanted:
        result.update(_national_holidays_of(year, language))
    return dict(sorted(result.items()))


@lru_cache(maxsize=128)  # bounded: a year is asked by dates that callers compute
def _national_holidays_of(year: int, language: str = "id") -> Mapping[date, str]:
    # One fixed dict per year instead of a lazily expanding HolidayBase: the latter mutates
    # itself on lookup, which is not safe under a threaded server. A year is ~30 entries.
    days = dict(holidays.country_holidays("ID", categories=HOLIDAY_CATEGORIES, years=year, language="id").items())
    library_language = _LIBRARY_LANGUAGES.get(language, "id")
    if library_language != "id":
        named = holidays.country_holidays("ID", categories=HOLIDAY_CATEGORIES, years=year, language=library_language)
        days = {day: named.get(day) or name for day, name in days.items()}
    return MappingProxyType(days)


class NationalHolidays:
    """The Indonesian national calendar for whichever year is asked (clocks cross year ends)."""

    def get(self, day: date, /) -> str | None:
        """The holiday or cuti bersama name of `day`, None on an ordinary day."""
        return _national_holidays_of(day.year, "id").get(day)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NationalHolidays)

    def __hash__(self) -> int:
        return hash(NationalHolidays)

    def __repr__(self) -> str:
        return "NationalHolidays()"


@dataclass(frozen=True)
class WorkCalendar:
    """Which days count as working days for the unit's clocks."""

    holidays: HolidayLookup = field(default_factory=NationalHolidays)
    #: Days declared off locally (a regional holiday, a new SKB).
    extra_off: frozenset[date] = frozenset()
    #: Days declared working locally (a cancelled cuti bersama, a working Saturday); wins over
    #: weekends and holidays.
    extra_on: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        both = self.extra_off & self.extra_on
        if both:
            raise ValueError(f"days both off and working: {sorted(both)}")

    def is_working_day(self, day: date) -> bool:
        """Mon-Fri and not a holiday, unless a local override says otherwise."""
        if day in self.extra_on:
            return True
        if day in self.extra_off:
            return False
        return day.weekday() < _SATURDAY and self.holidays.get(day) is None

    def holiday_name(self, day: date) -> str | None:
        """The national holiday or cuti bersama name of `day`, for display (overrides ignored)."""
        return self.holidays.get(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after `start` (`start` never counts); n=0 gives `start`."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        day = start
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def count_working_days(self, start: date, end: date) -> int:
        """How many working days d satisfy start < d <= end (0 when end <= start)."""
        if end <= start:
            return 0
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += _ONE_DAY
        return count
