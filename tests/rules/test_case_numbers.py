"""Case numbers: formatted, parsed and validated in one place for every service."""

from __future__ import annotations

import re

import pytest

from zi_public.rules.case_numbers import (
    CaseNumber,
    example,
    format_number,
    is_number,
    is_search_prefix,
    normalize,
    parse_number,
    pattern,
    prefix,
)


@pytest.mark.parametrize(
    ("year", "sequence", "text"),
    [(2026, 1, "PGD-2026-000001"), (2026, 123, "PGD-2026-000123"), (2031, 999_999, "PGD-2031-999999")],
)
def test_format_and_parse_are_inverse(year, sequence, text):
    assert format_number("pengaduan", year, sequence) == text
    assert parse_number(text, "pengaduan") == CaseNumber("pengaduan", year, sequence)
    assert str(parse_number(text, "pengaduan")) == text


@pytest.mark.parametrize(("year", "sequence"), [(2026, 0), (2026, 1_000_000), (2026, -1), (10_000, 1)])
def test_a_number_outside_its_format_is_never_produced(year, sequence):
    with pytest.raises(ValueError):
        format_number("pengaduan", year, sequence)


def test_a_kind_without_a_prefix_has_no_numbers():
    with pytest.raises(KeyError):
        format_number("wbs", 2026, 1)  # WBS reports have a receipt, never a number
    assert (prefix("pengaduan"), prefix("gratifikasi"), prefix("benturan")) == ("PGD", "GRT", "BTK")


@pytest.mark.parametrize("text", [" pgd-2026-000123 ", "PGD-2026-000123\n", "Pgd-2026-000123"])
def test_blanks_and_case_are_forgiven(text):
    assert parse_number(text, "pengaduan") == CaseNumber("pengaduan", 2026, 123)
    assert normalize(text) == "PGD-2026-000123"


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "PGD-2026-00012",  # five digits
        "PGD-2026-0000123",  # seven digits
        "PGD-26-000123",
        "PGD2026000123",
        "PGD 2026 000123",
        "PGD–2026–000123",  # en dashes
        "GRT-2026-000123",  # another service's prefix
        "XYZ-2026-000123",
        "PGD-٢٠٢٦-000123",  # Arabic-Indic digits
        "PGD-2026-000123-1",
        "PGD-0000-000000",  # sequences start at 1 (once a 500 in the status API, found by schemathesis)
        "PGD-2026-000123" * 10,
    ],
)
def test_anything_else_is_not_a_pengaduan_number(text):
    assert parse_number(text, "pengaduan") is None
    assert not is_number(text, "pengaduan")


def test_the_documented_pattern_accepts_exactly_the_stored_numbers():
    regex = re.compile(pattern("pengaduan"))
    assert pattern("pengaduan") == "^PGD-[0-9]{4}-[0-9]{6}$"
    assert regex.match(format_number("pengaduan", 2026, 1)) and regex.match(example("pengaduan"))
    assert not regex.match("pgd-2026-000001") and not regex.match("PGD-2026-0000001")


def test_the_example_is_a_valid_number():
    assert example("pengaduan") == "PGD-2026-000123" and is_number(example("pengaduan"), "pengaduan")


@pytest.mark.parametrize("text", ["PGD", "pgd-2026", "2026-000012", "PGD-2026-000012", " 000012 ", "-"])
def test_a_search_may_be_any_beginning_or_part(text):
    assert is_search_prefix(text)


@pytest.mark.parametrize("text", ["", "   ", "PGD_2026", "PGD%", "PGD 2026", "x" * 21, "PGD-2026-000012'--"])
def test_a_search_with_other_characters_is_refused(text):
    assert not is_search_prefix(text)
