"""The SKM rules (rules/skm.py): the unsur and profile codes, answers, ages, age bands and permit numbers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from zi_public.rules.skm import (
    AGE_BANDS,
    ANSWERS,
    EDUCATIONS,
    GENDERS,
    MAX_AGE,
    MIN_AGE,
    MIN_PUBLISHED_RESPONDENTS,
    OCCUPATIONS,
    UNSUR,
    VULNERABLE_GROUPS,
    Answers,
    Channel,
    age_band,
    normalise_permit_number,
    parse_age,
    parse_answer,
    parse_answers,
    publishable_groups,
)


def test_the_nine_unsur_in_order() -> None:
    assert UNSUR == ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
    assert ANSWERS == (1, 2, 3, 4)


def test_codes_are_unique_and_short() -> None:
    for codes in (GENDERS, EDUCATIONS, OCCUPATIONS, VULNERABLE_GROUPS):
        assert len(set(codes)) == len(codes)
        assert all(code == code.strip().lower() and 0 < len(code) <= 24 for code in codes)  # the columns' size
    assert {channel.value for channel in Channel} == {"web", "kiosk", "paper", "api"}


# --- one answer -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1),
        (4, 4),
        ("1", 1),
        ("4", 4),
        (" 3 ", 3),
        ("2\n", 2),
        (0, None),
        (5, None),
        (-1, None),
        ("0", None),
        ("5", None),
        ("", None),
        (" ", None),
        ("12", None),
        ("3.0", None),
        ("+3", None),
        ("tiga", None),
        ("٣", None),  # Arabic-Indic three
        ("３", None),  # full-width three
        (3.0, None),
        (2.5, None),
        (Decimal(3), None),
        (Fraction(3), None),
        (True, None),  # a bool is an int in Python, never an answer
        (False, None),
        (None, None),
        ([3], None),
        ({"3": 3}, None),
        (b"3", None),
        (10**100, None),
    ],
)
def test_parse_answer(value: object, expected: int | None) -> None:
    assert parse_answer(value) == expected


# --- nine answers -----------------------------------------------------------------------------------------------


def test_parse_answers_all_given() -> None:
    answers, errors = parse_answers({code: str(i % 4 + 1) for i, code in enumerate(UNSUR)})
    assert errors == {}
    assert answers == Answers((1, 2, 3, 4, 1, 2, 3, 4, 1))
    assert answers.as_dict() == {"U1": 1, "U2": 2, "U3": 3, "U4": 4, "U5": 1, "U6": 2, "U7": 3, "U8": 4, "U9": 1}


def test_parse_answers_ignores_extra_keys() -> None:
    answers, errors = parse_answers({**dict.fromkeys(UNSUR, 4), "U10": 9, "u1": "x"})
    assert errors == {}
    assert answers is not None and answers.values == (4,) * 9


def test_parse_answers_empty_names_every_unsur() -> None:
    answers, errors = parse_answers({})
    assert answers is None
    assert errors == dict.fromkeys(UNSUR, "missing")


@pytest.mark.parametrize("blank", [None, "", " ", "\t\n"])
def test_parse_answers_blank_is_missing(blank: object) -> None:
    answers, errors = parse_answers({**dict.fromkeys(UNSUR, 3), "U8": blank})
    assert answers is None
    assert errors == {"U8": "missing"}


@pytest.mark.parametrize("bad", [0, 5, "5", "tiga", 2.5, True, [], "3 4"])
def test_parse_answers_invalid(bad: object) -> None:
    answers, errors = parse_answers({**dict.fromkeys(UNSUR, 3), "U4": bad})
    assert answers is None
    assert errors == {"U4": "invalid"}


def test_parse_answers_reports_every_problem_at_once() -> None:
    raw = {"U1": 1, "U2": 0, "U3": "", "U5": "4", "U6": 7, "U7": "x", "U8": 2, "U9": None}
    answers, errors = parse_answers(raw)
    assert answers is None
    assert errors == {
        "U2": "invalid",
        "U3": "missing",
        "U4": "missing",
        "U6": "invalid",
        "U7": "invalid",
        "U9": "missing",
    }


def test_parse_answers_keys_are_case_sensitive() -> None:
    """The form, the API and the import all send U1..U9; u1 is not U1 (the import maps names itself)."""
    _answers, errors = parse_answers({code.lower(): 3 for code in UNSUR})
    assert errors == dict.fromkeys(UNSUR, "missing")


# --- age --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (MIN_AGE, MIN_AGE),
        (MAX_AGE, MAX_AGE),
        (MIN_AGE - 1, None),
        (MAX_AGE + 1, None),
        (34, 34),
        ("34", 34),
        (" 34 ", 34),
        ("010", 10),
        ("0034", None),  # more than three digits
        ("10", 10),
        ("110", 110),
        ("111", None),
        ("9", None),
        ("0", None),
        ("-20", None),
        ("+20", None),
        ("20.0", None),
        ("20,5", None),
        ("", None),
        ("  ", None),
        ("dua puluh", None),
        ("２０", None),  # full-width digits
        ("٢٠", None),  # Arabic-Indic digits
        ("²⁰", None),  # superscripts: str.isdigit() says yes
        (20.0, None),
        (20.5, None),
        (Decimal(20), None),
        (True, None),
        (None, None),
        ([20], None),
        ("9" * 5000, None),  # refused before int() (which refuses > 4300 digits with a ValueError)
        (10**100, None),
        (-(10**100), None),
    ],
)
def test_parse_age(value: object, expected: int | None) -> None:
    assert parse_age(value) == expected


# --- age bands --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (10, "<20"),
        (19, "<20"),
        (20, "20-29"),
        (29, "20-29"),
        (30, "30-39"),
        (39, "30-39"),
        (40, "40-49"),
        (49, "40-49"),
        (50, "50-59"),
        (59, "50-59"),
        (60, "60+"),
        (110, "60+"),
        (9, "<20"),  # below the form's minimum: still a band, never an exception
    ],
)
def test_age_band(age: int, band: str) -> None:
    assert age_band(age) == band


def test_every_age_has_one_band_in_order() -> None:
    bands = [age_band(age) for age in range(MIN_AGE, MAX_AGE + 1)]
    order = ["<20", "20-29", "30-39", "40-49", "50-59", "60+"]
    assert sorted(set(bands), key=order.index) == order
    assert bands == sorted(bands, key=order.index)  # never goes back to a lower band
    assert len(AGE_BANDS) == len(order)


# --- permit numbers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\t\n", None),
        ("\u200b", None),  # only a zero-width space: nothing
        ("503/123/PBG/2026", "503/123/PBG/2026"),
        (" 503 / 123 / pbg / 2026 ", "503/123/PBG/2026"),
        ("pbg-2026-0001", "PBG-2026-0001"),
        ("ＰＢＧ－２０２６", "PBG-2026"),  # full-width → NFKC
        ("PBG\u00a02026", "PBG2026"),  # no-break space
        ("PBG\u30002026", "PBG2026"),  # ideographic space
        ("PBG\u200b2026", "PBG2026"),  # zero-width space: the same permit, not another one
        ("PBG\u00ad2026", "PBG2026"),  # soft hyphen
        ("\ufeffPBG2026", "PBG2026"),  # byte order mark
        ("PBG\u20602026", "PBG2026"),  # word joiner
        ("ﬁ-1", "FI-1"),  # ligature → NFKC
        ("nib 9120001234567", "NIB9120001234567"),
    ],
)
def test_normalise_permit_number(text: str | None, expected: str | None) -> None:
    assert normalise_permit_number(text) == expected


def test_normalised_permit_numbers_compare_equal() -> None:
    variants = [
        "503/123/PBG/2026",
        "503/123/pbg/2026",
        " 503/123/PBG/2026",
        "503 / 123 / PBG / 2026",
        "503/1\u200b23/PBG/2026",
    ]
    assert {normalise_permit_number(text) for text in variants} == {"503/123/PBG/2026"}


def test_normalise_is_idempotent() -> None:
    for text in ("a b c", "ＰＢＧ－２０２６", "ﬁ", "x\u200by", "ß-1"):
        once = normalise_permit_number(text)
        assert normalise_permit_number(once) == once


@pytest.mark.parametrize(
    ("counts", "shown", "pooled"),
    [
        ({}, [], []),
        ({"a": 0, "b": 0}, [], []),
        ({"a": 5, "b": 12}, ["a", "b"], []),
        ({"a": 4}, [], ["a"]),  # alone and small: nothing is published for it
        ({"a": 1, "b": 4, "c": 9}, ["c"], ["a", "b"]),  # the pool of 5 may be shown as a pool
        ({"a": 2, "b": 30, "c": 6}, ["b"], ["a", "c"]),  # a pool of 2 takes the smallest published group
        ({"a": 1, "b": 1, "c": 0, "d": 7, "e": 8}, ["e"], ["a", "b", "d"]),
        ({"a": 5, "b": 0, "c": 4, "d": 4}, ["a"], ["c", "d"]),
    ],
)
def test_small_groups_are_pooled_so_that_no_published_figure_rests_on_fewer_than_five(counts, shown, pooled):
    assert publishable_groups(counts) == (shown, pooled)
    answered_pool = sum(counts[key] for key in pooled)
    # A pool under the minimum only when every group is in it (the total is then all that can be known).
    assert answered_pool == 0 or answered_pool >= MIN_PUBLISHED_RESPONDENTS or not shown
    assert all(counts[key] >= MIN_PUBLISHED_RESPONDENTS for key in shown)
