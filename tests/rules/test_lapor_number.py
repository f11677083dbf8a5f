"""SP4N-LAPOR!'s tracking number: one normalisation for the intake (stored) and the inbox (searched)."""

from __future__ import annotations

import pytest

from zi_public.rules.pengaduan import LAPOR_NUMBER, LAPOR_NUMBER_MAX, is_lapor_search, normalize_lapor_number


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("#4291234", "4291234"),
        ("  # 4291234 ", "4291234"),
        ("lap-2026/0012", "LAP-2026/0012"),
        ("##12", "12"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_a_number_is_the_same_however_it_was_typed(typed, stored):
    assert normalize_lapor_number(typed) == stored


@pytest.mark.parametrize(
    ("typed", "searchable"),
    [
        ("4", True),  # the beginning of a number
        ("#lap-2026/", True),
        ("LAP.2026", True),
        ("A" * LAPOR_NUMBER_MAX, True),
        ("#" + "A" * LAPOR_NUMBER_MAX, True),
        ("A" * (LAPOR_NUMBER_MAX + 1), False),
        ("#", False),
        ("", False),
        ("/LAP", False),  # a number starts with a letter or digit
        ("LAP 2026", False),
        ("LAP_2026", False),
        ("LAP%", False),
        ("LAP٣", False),  # an Arabic-Indic digit is not a digit of a number
    ],
)
def test_what_the_inbox_may_search_for(typed, searchable):
    assert is_lapor_search(typed) is searchable


def test_every_whole_number_is_also_a_search():
    for number in ("4291234", "LAP-2026/0012", "A" * LAPOR_NUMBER_MAX):
        assert LAPOR_NUMBER.fullmatch(number) and is_lapor_search(number)


@pytest.mark.parametrize("number", ["AB", "A" * (LAPOR_NUMBER_MAX + 1), "#4291234", "-12", "lap-12"])
def test_what_is_not_a_stored_number(number):
    # Too short, longer than LAPOR_NUMBER_MAX, or not yet normalised: the intake refuses it.
    assert LAPOR_NUMBER.fullmatch(number) is None
