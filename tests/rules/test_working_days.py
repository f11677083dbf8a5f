"""Working days: weekends, holidays, cuti bersama, overrides, year ends, leap years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from zi_public.rules.working_days import NationalHolidays, WorkCalendar, national_holidays

NATIONAL = WorkCalendar()
#: No holidays at all: isolates the weekend and calendar arithmetic from the holidays data.
PLAIN = WorkCalendar(holidays={})


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- the data we rely on: a library upgrade that changes it must fail here, loudly

CUTI_BERSAMA_2026 = {
    date(2026, 2, 16),
    date(2026, 3, 18),
    date(2026, 3, 20),
    date(2026, 3, 23),
    date(2026, 3, 24),
    date(2026, 5, 15),
    date(2026, 5, 28),
    date(2026, 12, 24),
}


def test_library_gives_the_2026_cuti_bersama():
    names = national_holidays(2026)
    cuti = {day for day, name in names.items() if name.startswith("Cuti Bersama")}
    assert cuti == CUTI_BERSAMA_2026
    assert names[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert names[date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert names[date(2026, 3, 19)] == "Hari Suci Nyepi"


def test_library_gives_idul_fitri_2025_with_its_cuti_bersama():
    names = national_holidays([2025])
    assert names[date(2025, 3, 31)] == "Hari Raya Idul Fitri"
    assert names[date(2025, 4, 1)] == "Hari kedua dari Hari Raya Idul Fitri"
    for day in (date(2025, 4, 2), date(2025, 4, 3), date(2025, 4, 4), date(2025, 4, 7)):
        assert names[day] == "Cuti Bersama Hari Raya Idul Fitri"


def test_working_days_in_2026_per_the_library():
    # 261 weekdays minus 21 holidays and cuti bersama falling on a weekday.
    assert NATIONAL.count_working_days(date(2025, 12, 31), date(2026, 12, 31)) == 240


def test_national_holidays_covers_several_years_in_date_order():
    both = national_holidays([2027, 2026])
    assert date(2026, 12, 25) in both and date(2027, 1, 1) in both
    assert list(both) == sorted(both)
    assert national_holidays(1900) == {}


def test_national_holidays_named_in_english_are_the_same_days():
    indonesian, english = national_holidays(2026), national_holidays(2026, "en")
    assert list(english) == list(indonesian)
    assert english[date(2026, 3, 20)] == "Eid al-Fitr Joint Holiday"
    assert english[date(2026, 8, 17)] == "Independence Day"
    assert national_holidays(2026, "fr") == indonesian  # a language the app does not speak: Indonesian names


def test_the_national_calendar_covers_any_year_that_is_asked():
    assert not NATIONAL.is_working_day(date(2030, 12, 25))
    assert NATIONAL.holiday_name(date(2035, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert NATIONAL.is_working_day(date(1900, 1, 1))  # a Monday, before the data begins


# --- the example every clock is explained with


def test_received_friday_three_working_days_is_wednesday():
    assert NATIONAL.add_working_days(date(2026, 11, 27), 3) == date(2026, 12, 2)
    assert NATIONAL.count_working_days(date(2026, 11, 27), date(2026, 12, 2)) == 3


# --- weekends


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 7, 6), True),  # Monday
        (date(2026, 7, 10), True),  # Friday
        (date(2026, 7, 11), False),  # Saturday
        (date(2026, 7, 12), False),  # Sunday
    ],
)
def test_weekends_are_off(day, working):
    assert NATIONAL.is_working_day(day) is working
    assert PLAIN.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 7, 10), 1, date(2026, 7, 13)),  # Friday -> Monday
        (date(2026, 7, 11), 1, date(2026, 7, 13)),  # start on Saturday
        (date(2026, 7, 12), 1, date(2026, 7, 13)),  # start on Sunday
        (date(2026, 7, 12), 5, date(2026, 7, 17)),
        (date(2026, 7, 10), 5, date(2026, 7, 17)),
        (date(2026, 7, 9), 10, date(2026, 7, 23)),
    ],
)
def test_add_skips_weekends(start, n, expected):
    assert NATIONAL.add_working_days(start, n) == expected


# --- Idul Fitri: the longest run of days off in the year


def test_idul_fitri_2025_block_is_off():
    for day in days(date(2025, 3, 28), date(2025, 4, 7)):  # cuti Nyepi Friday through the last cuti
        assert not NATIONAL.is_working_day(day), day
    assert NATIONAL.is_working_day(date(2025, 3, 27))
    assert NATIONAL.is_working_day(date(2025, 4, 8))


def test_idul_fitri_2025_one_working_day_spans_the_whole_block():
    assert NATIONAL.add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 8)
    assert NATIONAL.add_working_days(date(2025, 3, 26), 3) == date(2025, 4, 9)
    assert NATIONAL.count_working_days(date(2025, 3, 27), date(2025, 4, 7)) == 0


def test_idul_fitri_2026_block_is_off():
    for day in days(date(2026, 3, 18), date(2026, 3, 24)):
        assert not NATIONAL.is_working_day(day), day
    assert NATIONAL.is_working_day(date(2026, 3, 17))
    assert NATIONAL.is_working_day(date(2026, 3, 25))
    assert NATIONAL.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    # March 2026: 22 weekdays minus five days of Nyepi and Idul Fitri.
    assert NATIONAL.count_working_days(date(2026, 2, 28), date(2026, 3, 31)) == 17


def test_start_on_a_holiday_does_not_count_the_holiday():
    assert NATIONAL.add_working_days(date(2026, 3, 19), 1) == date(2026, 3, 25)  # Nyepi
    assert NATIONAL.add_working_days(date(2026, 12, 25), 1) == date(2026, 12, 28)  # Christmas


# --- year ends


def test_christmas_and_new_year_2026_to_2027():
    assert NATIONAL.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert NATIONAL.add_working_days(date(2026, 12, 23), 4) == date(2026, 12, 31)
    assert NATIONAL.add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert NATIONAL.count_working_days(date(2026, 12, 23), date(2027, 1, 4)) == 5
    assert not NATIONAL.is_working_day(date(2027, 1, 1))


def test_christmas_and_new_year_2025_to_2026():
    assert not NATIONAL.is_working_day(date(2025, 12, 26))  # cuti bersama Natal
    assert NATIONAL.add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    assert NATIONAL.add_working_days(date(2025, 12, 24), 4) == date(2026, 1, 2)
    assert NATIONAL.add_working_days(date(2025, 12, 24), 5) == date(2026, 1, 5)
    assert NATIONAL.count_working_days(date(2025, 12, 24), date(2026, 1, 2)) == 4


# --- leap years


def test_february_29_is_a_day_like_any_other():
    assert PLAIN.add_working_days(date(2028, 2, 28), 1) == date(2028, 2, 29)  # Monday -> Tuesday
    assert PLAIN.add_working_days(date(2028, 2, 28), 2) == date(2028, 3, 1)
    assert PLAIN.count_working_days(date(2028, 2, 27), date(2028, 3, 1)) == 3
    assert PLAIN.add_working_days(date(2027, 2, 26), 1) == date(2027, 3, 1)  # no 29th in 2027


def test_february_29_2028_with_the_estimated_idul_fitri():
    assert NATIONAL.holiday_name(date(2028, 2, 28)) == "Hari kedua dari Hari Raya Idul Fitri (perkiraan)"
    assert NATIONAL.is_working_day(date(2028, 2, 29))
    assert NATIONAL.add_working_days(date(2028, 2, 25), 1) == date(2028, 2, 29)
    assert NATIONAL.count_working_days(date(2028, 2, 25), date(2028, 3, 1)) == 2


# --- n and ranges at their edges


@pytest.mark.parametrize("start", [date(2026, 7, 8), date(2026, 7, 11), date(2026, 12, 25)])
def test_zero_working_days_is_the_start_itself(start):
    assert NATIONAL.add_working_days(start, 0) == start


@pytest.mark.parametrize("n", [-1, -30])
def test_negative_n_is_refused(n):
    with pytest.raises(ValueError, match="negative"):
        NATIONAL.add_working_days(date(2026, 7, 8), n)


def test_count_is_zero_when_end_is_not_after_start():
    assert NATIONAL.count_working_days(date(2026, 7, 8), date(2026, 7, 8)) == 0
    assert NATIONAL.count_working_days(date(2026, 7, 8), date(2026, 7, 1)) == 0
    assert NATIONAL.count_working_days(date(2026, 7, 8), date(2026, 7, 9)) == 1
    assert NATIONAL.count_working_days(date.max, date.max) == 0


# --- overrides


def test_extra_off_makes_a_working_day_off():
    regional = WorkCalendar(extra_off=frozenset({date(2026, 4, 6)}))  # Monday, e.g. Hari Jadi Kota
    assert NATIONAL.is_working_day(date(2026, 4, 6))
    assert not regional.is_working_day(date(2026, 4, 6))
    assert regional.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Fri 3 Apr is Good Friday
    assert regional.count_working_days(date(2026, 4, 2), date(2026, 4, 10)) == 4


def test_extra_on_cancels_a_cuti_bersama():
    cancelled = WorkCalendar(extra_on=frozenset({date(2026, 12, 24)}))
    assert cancelled.is_working_day(date(2026, 12, 24))
    assert cancelled.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)
    assert cancelled.holiday_name(date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"  # still shown


def test_extra_on_makes_a_saturday_working():
    saturday = date(2026, 7, 11)
    calendar = WorkCalendar(extra_on=frozenset({saturday}))
    assert calendar.is_working_day(saturday)
    assert calendar.add_working_days(date(2026, 7, 10), 1) == saturday
    assert calendar.count_working_days(date(2026, 7, 10), date(2026, 7, 13)) == 2


def test_a_day_cannot_be_both_off_and_working():
    day = date(2026, 7, 8)
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(extra_off=frozenset({day}), extra_on=frozenset({day}))


def test_holiday_name_for_display():
    assert NATIONAL.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert NATIONAL.holiday_name(date(2026, 7, 8)) is None
    assert PLAIN.holiday_name(date(2026, 12, 25)) is None
    assert WorkCalendar(holidays={date(2026, 7, 8): "Libur daerah"}).holiday_name(date(2026, 7, 8)) == "Libur daerah"


def test_national_calendars_compare_equal():
    assert WorkCalendar() == WorkCalendar(holidays=NationalHolidays())


# --- count and add agree everywhere

PROPERTY_CALENDARS = {
    "national": NATIONAL,
    "overrides": WorkCalendar(
        extra_off=frozenset({date(2026, 4, 6), date(2026, 12, 31)}),
        extra_on=frozenset({date(2026, 3, 20), date(2026, 7, 11), date(2027, 1, 1)}),
    ),
    "plain": PLAIN,
}


@pytest.mark.parametrize("name", PROPERTY_CALENDARS)
def test_count_and_add_are_inverse_over_a_year_and_its_edges(name):
    calendar = PROPERTY_CALENDARS[name]
    for start in days(date(2025, 12, 1), date(2027, 1, 31)):
        for n in range(16):
            end = calendar.add_working_days(start, n)
            assert calendar.count_working_days(start, end) == n, (start, n)
            if n:
                # the n-th working day is a working day, and no earlier day would do
                assert calendar.is_working_day(end), (start, n)
                assert calendar.count_working_days(start, end - timedelta(days=1)) == n - 1, (
                    start,
                    n,
                )
