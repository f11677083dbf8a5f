"""Report periods: every kind, every boundary, leap years, and everything that is not a period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from zi_public.rules.periods import (
    LAST_TWELVE_MONTHS,
    MONTH,
    QUARTER,
    SEMESTER,
    YEAR,
    Period,
    last_twelve_months,
    latest,
    make_period,
    parse_period,
    period_of,
    previous,
)


@pytest.mark.parametrize(
    ("text", "kind", "year", "index", "start", "end", "label"),
    [
        ("2024-01", MONTH, 2024, 1, date(2024, 1, 1), date(2024, 1, 31), "Januari 2024"),
        ("2024-02", MONTH, 2024, 2, date(2024, 2, 1), date(2024, 2, 29), "Februari 2024"),  # leap
        ("2023-02", MONTH, 2023, 2, date(2023, 2, 1), date(2023, 2, 28), "Februari 2023"),
        ("2100-02", MONTH, 2100, 2, date(2100, 2, 1), date(2100, 2, 28), "Februari 2100"),  # not leap
        ("2000-02", MONTH, 2000, 2, date(2000, 2, 1), date(2000, 2, 29), "Februari 2000"),  # leap (400)
        ("2024-03", MONTH, 2024, 3, date(2024, 3, 1), date(2024, 3, 31), "Maret 2024"),
        ("2024-04", MONTH, 2024, 4, date(2024, 4, 1), date(2024, 4, 30), "April 2024"),
        ("2026-11", MONTH, 2026, 11, date(2026, 11, 1), date(2026, 11, 30), "November 2026"),
        ("2024-12", MONTH, 2024, 12, date(2024, 12, 1), date(2024, 12, 31), "Desember 2024"),
        ("2024-Q1", QUARTER, 2024, 1, date(2024, 1, 1), date(2024, 3, 31), "Triwulan I 2024"),
        ("2024-Q2", QUARTER, 2024, 2, date(2024, 4, 1), date(2024, 6, 30), "Triwulan II 2024"),
        ("2024-Q3", QUARTER, 2024, 3, date(2024, 7, 1), date(2024, 9, 30), "Triwulan III 2024"),
        ("2024-Q4", QUARTER, 2024, 4, date(2024, 10, 1), date(2024, 12, 31), "Triwulan IV 2024"),
        ("2024-S1", SEMESTER, 2024, 1, date(2024, 1, 1), date(2024, 6, 30), "Semester I 2024"),
        ("2026-S2", SEMESTER, 2026, 2, date(2026, 7, 1), date(2026, 12, 31), "Semester II 2026"),
        ("2024", YEAR, 2024, 1, date(2024, 1, 1), date(2024, 12, 31), "2024"),
    ],
)
def test_valid_periods(text, kind, year, index, start, end, label):
    period = parse_period(text)
    assert period == Period(kind, year, index, start, end, label)
    assert period.code == text
    assert period.label_id == label


def test_lower_case_and_surrounding_spaces_are_accepted_and_normalised():
    assert parse_period(" 2024-q1 ").code == "2024-Q1"
    assert parse_period("2024-s2\n").code == "2024-S2"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-13", "outside 1-12"),
        ("2024-00", "outside 1-12"),
        ("2024-Q5", "outside 1-4"),
        ("2024-Q0", "outside 1-4"),
        ("2024-S3", "outside 1-2"),
        ("2024-S0", "outside 1-2"),
        ("1999", "outside 2000-2100"),
        ("2101-01", "outside 2000-2100"),
        ("24-01", "use 2024-03"),
        ("2024-1", "use 2024-03"),
        ("2024-001", "use 2024-03"),
        ("2024-Q12", "use 2024-03"),
        ("2024/03", "use 2024-03"),
        ("03-2024", "use 2024-03"),
        ("2024-03-01", "use 2024-03"),
        ("2024-H1", "use 2024-03"),
        ("20245", "use 2024-03"),
        ("٢٠٢٤", "use 2024-03"),  # Arabic-Indic digits are digits to \d, not to us
        ("2024-0３", "use 2024-03"),  # a full-width digit
        ("", "empty"),
        ("   ", "empty"),
        ("2024-03" * 800, "too long"),
        ("x" * 5000, "too long"),
        ("2024-03\x00", "use 2024-03"),
        ("2024 03", "use 2024-03"),
    ],
)
def test_invalid_periods_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(text)


def test_a_long_input_is_not_echoed_whole_in_the_message():
    with pytest.raises(ValueError) as info:
        parse_period("9" * 5000)
    assert len(str(info.value)) < 200


def test_non_text_is_refused():
    with pytest.raises(ValueError):
        parse_period(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2100])
def test_the_months_of_a_year_tile_it_without_gaps(year):
    months = parse_period(str(year)).months()
    assert [m.index for m in months] == list(range(1, 13))
    assert months[0].start == date(year, 1, 1) and months[-1].end == date(year, 12, 31)
    for before, after in zip(months, months[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    days = sum((m.end - m.start).days + 1 for m in months)
    assert days == (366 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 365)


def test_semester_and_quarter_months():
    assert [m.code for m in parse_period("2026-S2").months()] == [f"2026-{m:02d}" for m in range(7, 13)]
    assert [m.code for m in parse_period("2024-Q1").months()] == ["2024-01", "2024-02", "2024-03"]
    assert parse_period("2024-03").months() == [parse_period("2024-03")]


def test_contains_is_inclusive_at_both_ends():
    q = parse_period("2024-Q1")
    assert q.contains(date(2024, 1, 1)) and q.contains(date(2024, 3, 31)) and q.contains(date(2024, 2, 29))
    assert not q.contains(date(2023, 12, 31)) and not q.contains(date(2024, 4, 1))


@pytest.mark.parametrize(
    ("kind", "day", "code"),
    [
        (MONTH, date(2024, 2, 29), "2024-02"),
        (QUARTER, date(2024, 3, 31), "2024-Q1"),
        (QUARTER, date(2024, 4, 1), "2024-Q2"),
        (SEMESTER, date(2024, 6, 30), "2024-S1"),
        (SEMESTER, date(2024, 7, 1), "2024-S2"),
        (YEAR, date(2024, 12, 31), "2024"),
    ],
)
def test_period_of_a_day(kind, day, code):
    assert period_of(kind, day).code == code


def test_previous_crosses_year_ends():
    assert previous(parse_period("2024-01")).code == "2023-12"
    assert previous(parse_period("2024-Q1")).code == "2023-Q4"
    assert previous(parse_period("2024-S1")).code == "2023-S2"
    assert previous(parse_period("2024-S2")).code == "2024-S1"
    assert previous(parse_period("2024")).code == "2023"


def test_make_period_refuses_unknown_kinds_and_ranges():
    with pytest.raises(ValueError, match="unknown period kind"):
        make_period("week", 2024, 1)
    with pytest.raises(ValueError, match="unknown period kind"):
        period_of("week", date(2024, 1, 1))
    with pytest.raises(ValueError):
        make_period(MONTH, 2024, 13)


def test_periods_are_frozen_and_hashable():
    period = parse_period("2024-03")
    with pytest.raises(AttributeError):
        period.year = 2025  # type: ignore[misc]
    assert {period, parse_period("2024-03")} == {period}


@pytest.mark.parametrize(
    ("text", "kinds", "code"),
    [("2026-11", (MONTH,), "2026-11"), (" 2026 ", (YEAR,), "2026"), ("2026-S1", (SEMESTER, YEAR), "2026-S1")],
)
def test_parse_can_be_narrowed_to_some_kinds(text, kinds, code):
    assert parse_period(text, kinds).code == code


@pytest.mark.parametrize(
    ("text", "kinds", "reason"),
    [
        ("2026", (MONTH,), "is a year; expected a month"),
        ("2026-11", (YEAR,), "is a month; expected a year"),
        ("2026-Q1", (SEMESTER, YEAR), "expected a semester or a year"),
        ("2026-13", (MONTH,), "outside 1-12"),
        ("0000-01", (MONTH,), "outside 2000-2100"),
        ("kemarin", (MONTH,), "use 2024-03"),
    ],
)
def test_a_narrowed_parse_says_what_it_expected(text, kinds, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(text, kinds)


@pytest.mark.parametrize(
    ("today", "start", "first_month", "label"),
    [
        (date(2026, 11, 29), date(2025, 12, 1), "2025-12", "Desember 2025 – November 2026"),
        (date(2026, 12, 31), date(2026, 1, 1), "2026-01", "Januari 2026 – Desember 2026"),  # one calendar year
        (date(2026, 1, 1), date(2025, 2, 1), "2025-02", "Februari 2025 – Januari 2026"),
        (date(2024, 2, 29), date(2023, 3, 1), "2023-03", "Maret 2023 – Februari 2024"),  # leap day
        (date(2001, 1, 31), date(2000, 2, 1), "2000-02", "Februari 2000 – Januari 2001"),
    ],
)
def test_last_twelve_months_ends_today_and_starts_eleven_whole_months_before(today, start, first_month, label):
    period = last_twelve_months(today)
    assert (period.kind, period.start, period.end, period.label_id) == (LAST_TWELVE_MONTHS, start, today, label)
    months = period.months()
    assert len(months) == 12 and months[0].code == first_month and months[-1] == period_of(MONTH, today)
    for before, after in zip(months, months[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    assert period.contains(start) and period.contains(today)
    assert not period.contains(start - timedelta(days=1)) and not period.contains(today + timedelta(days=1))
    assert period.code == f"{start.isoformat()}..{today.isoformat()}"


@pytest.mark.parametrize("today", [date(2000, 11, 30), date(2101, 1, 1)])
def test_last_twelve_months_stays_within_the_supported_years(today):
    with pytest.raises(ValueError, match="2000-2100"):
        last_twelve_months(today)


def test_the_rolling_range_has_no_previous_period():
    with pytest.raises(ValueError, match="no previous"):
        previous(last_twelve_months(date(2026, 11, 29)))


def test_latest_counts_back_from_the_day_and_stops_at_the_first_year():
    assert [p.code for p in latest(QUARTER, date(2026, 11, 30), 3)] == ["2026-Q4", "2026-Q3", "2026-Q2"]
    assert [p.code for p in latest(SEMESTER, date(2027, 1, 2), 2)] == ["2027-S1", "2026-S2"]
    assert [p.code for p in latest(MONTH, date(2026, 1, 31), 2)] == ["2026-01", "2025-12"]
    assert [p.code for p in latest(YEAR, date(2000, 6, 1), 5)] == ["2000"]  # nothing before MIN_YEAR
    assert [p.code for p in latest(QUARTER, date(2000, 5, 1), 8)] == ["2000-Q2", "2000-Q1"]
