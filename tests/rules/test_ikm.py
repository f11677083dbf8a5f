"""The IKM rules (rules/ikm.py): exact NRR and IKM, half-up rounding only at the end, every band edge reached
through real sums, the legacy 0.111 option, and the Krejcie–Morgan minimum sample.

With the exact weighting the IKM depends only on the number of respondents n and the total T of all their
answers: IKM = (T / 9n) × 25 = 25T / 9n. The band edges below were found by searching (n, T) for the
smallest n that lands on each rounded value; each comment shows the exact value so it can be checked by hand.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest

from zi_public.rules.ikm import (
    BANDS,
    CONVERSION,
    EXACT_WEIGHT,
    LEGACY_WEIGHT,
    grade,
    ikm_from_answers,
    ikm_from_sums,
    minimum_sample,
    round_half_up,
)
from zi_public.rules.skm import UNSUR


def spread(respondents: int, total: int) -> list[int]:
    """Nine per-unsur sums adding up to `total`, each a possible sum of `respondents` answers of 1-4."""
    assert 9 * respondents <= total <= 36 * respondents
    base, extra = divmod(total, 9)
    sums = [base + (1 if i < extra else 0) for i in range(9)]
    assert all(respondents <= s <= 4 * respondents for s in sums)
    return sums


# --- the worked example -------------------------------------------------------------------------------------
#
# Ten respondents (rows) answer U1..U9:
#
#        U1 U2 U3 U4 U5 U6 U7 U8 U9
WORKED_ROWS = [
    (4, 4, 3, 4, 4, 4, 4, 2, 4),  # 1
    (4, 4, 3, 4, 4, 4, 4, 2, 3),  # 2
    (4, 4, 3, 4, 3, 4, 4, 3, 3),  # 3
    (4, 3, 3, 4, 3, 4, 4, 3, 3),  # 4
    (3, 3, 3, 4, 3, 4, 4, 3, 3),  # 5
    (3, 3, 3, 4, 3, 3, 4, 3, 3),  # 6
    (3, 3, 3, 4, 3, 3, 3, 3, 3),  # 7
    (3, 3, 3, 4, 3, 3, 3, 3, 3),  # 8
    (3, 3, 3, 4, 3, 3, 3, 3, 3),  # 9
    (3, 3, 3, 4, 3, 3, 3, 3, 3),  # 10
]
# Sums:   34 33 30 40 32 35 36 28 31            total T = 299
# NRR:   3.4 3.3 3.0 4.0 3.2 3.5 3.6 2.8 3.1    (sum / 10; exact, no rounding needed here)
# Mean of the nine NRR = 29.9 / 9 = 3.32222…
# IKM = 3.32222… × 25 = 83.05555…  → rounded half-up 83.06 → B (76.61 ≤ 83.06 < 88.31), Baik.
# Weighted NRR (× 1/9): 0.37777…, 0.36666…, 0.33333…, 0.44444…, 0.35555…, 0.38888…, 0.4, 0.31111…, 0.34444…
# Legacy (each NRR × 0.111): 29.9 × 0.111 = 3.3189; × 25 = 82.9725 → 82.97 (still B).
WORKED_SUMS = [34, 33, 30, 40, 32, 35, 36, 28, 31]
WORKED_NRR = ["3.4", "3.3", "3.0", "4.0", "3.2", "3.5", "3.6", "2.8", "3.1"]


def test_worked_example_by_hand() -> None:
    result = ikm_from_answers(WORKED_ROWS)
    assert result is not None
    assert result.respondents == 10
    assert [result.nrr[code] * 10 for code in UNSUR] == WORKED_SUMS
    assert result.nrr == {code: Fraction(value) for code, value in zip(UNSUR, WORKED_NRR, strict=True)}
    assert result.ikm_exact == Fraction(299 * 25, 90)
    assert result.ikm == Decimal("83.06")
    assert (result.mutu, result.kinerja, result.legacy) == ("B", "baik", False)
    assert result.nrr_rounded() == {
        code: Decimal(value).quantize(Decimal("0.001")) for code, value in zip(UNSUR, WORKED_NRR, strict=True)
    }
    assert result.weighted_nrr()["U7"] == Fraction(2, 5)
    assert sum(result.weighted_nrr().values()) * CONVERSION == result.ikm_exact


def test_worked_example_legacy() -> None:
    result = ikm_from_answers(WORKED_ROWS, legacy=True)
    assert result is not None
    assert result.ikm_exact == Fraction("82.9725")
    assert result.ikm == Decimal("82.97")
    assert (result.mutu, result.legacy) == ("B", True)
    assert result.weighted_nrr()["U4"] == Fraction("0.444")  # 4.0 × 0.111


def test_worked_example_from_sums_equals_from_answers() -> None:
    by_mapping = ikm_from_sums(10, dict(zip(UNSUR, WORKED_SUMS, strict=True)))
    assert by_mapping == ikm_from_sums(10, WORKED_SUMS) == ikm_from_sums(10, tuple(WORKED_SUMS))
    assert by_mapping == ikm_from_answers(WORKED_ROWS)


# A published worked example's way of going wrong: its NRR rounded to two or three decimals before the mean.
# 15 respondents, sums 17 (three unsur) and 50 (six unsur): NRR 1.1333… and 3.3333….
# Exact: T = 3×17 + 6×50 = 351; IKM = 25 × 351 / 135 = 65 exactly → 65.00 C.
# NRR rounded to 3 decimals first: (3 × 1.133 + 6 × 3.333) / 9 × 25 = 23.397 / 9 × 25 = 64.9916… → 64.99 D.
def test_rounding_nrr_first_would_change_the_grade() -> None:
    sums = [17, 17, 17, 50, 50, 50, 50, 50, 50]
    result = ikm_from_sums(15, sums)
    assert result is not None
    assert result.ikm_exact == 65
    assert (result.ikm, result.mutu, result.kinerja) == (Decimal("65.00"), "C", "kurang_baik")
    rounded_first = sum(result.nrr_rounded(3).values()) / 9 * 25
    assert rounded_first.quantize(Decimal("0.01")) == Decimal("64.99")
    assert grade(rounded_first.quantize(Decimal("0.01")))[0] == "D"


# n = 3, every unsur summing to 10: NRR 3.3333…; exact IKM 25 × 90 / 27 = 83.3333… → 83.33.
# NRR rounded to 2 decimals first (3.33) gives 83.25: rounding only at the end matters.
def test_rounding_nrr_first_changes_the_value() -> None:
    result = ikm_from_sums(3, [10] * 9)
    assert result is not None
    assert result.ikm == Decimal("83.33")
    assert Decimal("3.33") * 25 == Decimal("83.25")
    assert result.nrr_rounded(3)["U1"] == Decimal("3.333")
    assert result.nrr_rounded(2)["U1"] == Decimal("3.33")


# --- the extremes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("respondents", [1, 2, 7, 100, 12345])
def test_all_fours_is_100_a(respondents: int) -> None:
    result = ikm_from_sums(respondents, [4 * respondents] * 9)
    assert result is not None
    assert result.ikm == Decimal("100.00")
    assert str(result.ikm) == "100.00"
    assert (result.mutu, result.kinerja) == ("A", "sangat_baik")
    assert all(value == 4 for value in result.nrr.values())


@pytest.mark.parametrize("respondents", [1, 2, 7, 100, 12345])
def test_all_ones_is_25_d(respondents: int) -> None:
    result = ikm_from_sums(respondents, [respondents] * 9)
    assert result is not None
    assert result.ikm == Decimal("25.00")
    assert str(result.ikm) == "25.00"
    assert (result.mutu, result.kinerja) == ("D", "tidak_baik")


def test_all_fours_legacy_is_capped_at_99_90() -> None:
    result = ikm_from_answers([(4,) * 9] * 5, legacy=True)
    assert result is not None
    assert result.ikm_exact == Fraction("99.9")
    assert result.ikm == Decimal("99.90")
    assert (result.mutu, result.legacy) == ("A", True)


def test_all_ones_legacy() -> None:
    result = ikm_from_answers([(1,) * 9], legacy=True)
    assert result is not None
    assert result.ikm == Decimal("24.98")  # 9 × 0.111 × 25 = 24.975 → half-up 24.98
    assert result.mutu == "D"


def test_all_threes_is_75_c() -> None:
    result = ikm_from_answers([(3,) * 9] * 4)
    assert result is not None
    assert (result.ikm, result.mutu, result.kinerja) == (Decimal("75.00"), "C", "kurang_baik")


def test_weights() -> None:
    assert EXACT_WEIGHT * 9 == 1
    assert Fraction("0.111") == LEGACY_WEIGHT
    assert CONVERSION == 25


# --- every band edge, through real sums ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("respondents", "total", "exact", "rounded", "mutu", "kinerja"),
    [
        # 25 × 763 / 216 = 88.31018… → 88.31: the lowest A
        (24, 763, "88.31018", "88.31", "A", "sangat_baik"),
        # 25 × 604 / 171 = 88.30409… → 88.30: the highest B (the gap 88.30/88.31)
        (19, 604, "88.30409", "88.30", "B", "baik"),
        # 25 × 524 / 171 = 76.60818… → 76.61: the lowest B
        (19, 524, "76.60818", "76.61", "B", "baik"),
        # 25 × 717 / 234 = 76.60256… → 76.60: the highest C
        (26, 717, "76.60256", "76.60", "C", "kurang_baik"),
        # 25 × 117 / 45 = 65 exactly: the lowest C
        (5, 117, "65", "65.00", "C", "kurang_baik"),
        # 25 × 889 / 342 = 64.98538… → 64.99: the highest D
        (38, 889, "64.98538", "64.99", "D", "tidak_baik"),
    ],
)
def test_band_edges(respondents: int, total: int, exact: str, rounded: str, mutu: str, kinerja: str) -> None:
    result = ikm_from_sums(respondents, spread(respondents, total))
    assert result is not None
    assert result.ikm_exact == Fraction(25 * total, 9 * respondents)
    assert str(float(result.ikm_exact)).startswith(exact)
    assert str(result.ikm) == rounded
    assert (result.mutu, result.kinerja) == (mutu, kinerja)


# Values ending in exactly 5 at the third decimal: 25T / 9n = x.xx5 needs 9n to divide 25T × 200 … e.g.
# n = 5000 (the largest quarter an office might see) with T chosen so that T / n × 25 / 9 lands on the edge.
@pytest.mark.parametrize(
    ("respondents", "total", "exact", "half_up", "mutu", "half_even"),
    [
        # 158949 / 5000 = 31.7898; × 25 / 9 = 88.305 exactly → half-up 88.31 A (banker's: 88.30 B)
        (5000, 158949, "88.305", "88.31", "A", "88.30"),
        # 137889 / 5000 = 27.5778; × 25 / 9 = 76.605 exactly → 76.61 B (banker's: 76.60 C)
        (5000, 137889, "76.605", "76.61", "B", "76.60"),
        # 116991 / 5000 = 23.3982; × 25 / 9 = 64.995 exactly → 65.00 C (banker's too: 9 is odd)
        (5000, 116991, "64.995", "65.00", "C", "65.00"),
        # n = 8: 25 × 81 / 72 = 28.125 exactly → 28.13 (banker's: 28.12)
        (8, 81, "28.125", "28.13", "D", "28.12"),
        # 25 × 225 / 72 = 78.125 → 78.13 (banker's: 78.12)
        (8, 225, "78.125", "78.13", "B", "78.12"),
    ],
)
def test_exact_halves_round_up(
    respondents: int, total: int, exact: str, half_up: str, mutu: str, half_even: str
) -> None:
    result = ikm_from_sums(respondents, spread(respondents, total))
    assert result is not None
    assert result.ikm_exact == Fraction(exact)
    assert str(result.ikm) == half_up
    assert result.mutu == mutu
    assert Decimal(exact).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) == Decimal(half_even)


def test_float_rounding_would_get_halves_wrong() -> None:
    """Why the IKM is never a float: Python's round() of 78.125 (an exact binary half) is 78.12."""
    assert round(78.125, 2) == 78.12
    assert round(25 * 225 / 72, 2) == 78.12
    assert round_half_up(Fraction(25 * 225, 72)) == Decimal("78.13")


def reference_ikm(respondents: int, total: int, legacy: bool) -> Decimal:
    """An independent computation in integers: IKM × 100 = 2500·T / 9n (exact) or 2775·T / 10n (legacy,
    25 × 0.111 × 100 = 277.5), rounded half-up as ⌊(2·num + den) / 2·den⌋."""
    num, den = (2775 * total, 10 * respondents) if legacy else (2500 * total, 9 * respondents)
    return Decimal((2 * num + den) // (2 * den)).scaleb(-2)


@pytest.mark.parametrize("legacy", [False, True])
def test_every_total_for_up_to_30_respondents(legacy: bool) -> None:
    """Exhaustive: every possible (n, T) for n ≤ 30 agrees with the decimal reference, and its grade with
    the bands."""
    for respondents in range(1, 31):
        for total in range(9 * respondents, 36 * respondents + 1):
            result = ikm_from_sums(respondents, spread(respondents, total), legacy=legacy)
            assert result is not None
            assert result.ikm == reference_ikm(respondents, total, legacy), (respondents, total)
            expected = next((mutu for lowest, mutu, _k in BANDS if result.ikm >= lowest), "D")  # legacy: below 25
            assert result.mutu == expected


def test_ikm_does_not_depend_on_how_the_total_is_spread() -> None:
    a = ikm_from_sums(4, [16, 4, 16, 4, 16, 4, 16, 4, 10])
    b = ikm_from_sums(4, [10] * 9)
    assert a is not None and b is not None
    assert a.ikm_exact == b.ikm_exact == Fraction(25 * 90, 36)
    assert a.nrr != b.nrr


# --- grade and round_half_up directly ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "mutu", "kinerja"),
    [
        ("100.00", "A", "sangat_baik"),
        ("88.31", "A", "sangat_baik"),
        ("88.30", "B", "baik"),
        ("76.61", "B", "baik"),
        ("76.60", "C", "kurang_baik"),
        ("65.00", "C", "kurang_baik"),
        ("64.99", "D", "tidak_baik"),
        ("25.00", "D", "tidak_baik"),
        ("24.98", "D", "tidak_baik"),  # only reachable under the legacy weighting
        ("0.00", "D", "tidak_baik"),
    ],
)
def test_grade(value: str, mutu: str, kinerja: str) -> None:
    assert grade(Decimal(value)) == (mutu, kinerja)


def test_bands_are_in_descending_order() -> None:
    lows = [lowest for lowest, _m, _k in BANDS]
    assert lows == sorted(lows, reverse=True)
    assert [m for _l, m, _k in BANDS] == ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(1, 200), 2, "0.01"),  # 0.005 → up
        (Fraction(1, 201), 2, "0.00"),
        (Fraction(15, 1000), 2, "0.02"),  # 0.015 → up (banker's would keep 0.02 too)
        (Fraction(25, 1000), 2, "0.03"),  # 0.025 → up (banker's: 0.02)
        (Fraction(2, 3), 2, "0.67"),
        (Fraction(1, 3), 3, "0.333"),
        (Fraction(5, 3), 3, "1.667"),
        (Fraction(33325, 10000), 3, "3.333"),  # 3.3325 → 3.333
        (Fraction(100), 2, "100.00"),
        (Fraction(0), 2, "0.00"),
        (Fraction(999995, 10000), 2, "100.00"),  # 99.9995 carries all the way
        (Fraction(7, 2), 0, "4"),
    ],
)
def test_round_half_up(value: Fraction, places: int, expected: str) -> None:
    assert str(round_half_up(value, places)) == expected


# --- what ikm_from_sums refuses -------------------------------------------------------------------------------


@pytest.mark.parametrize("respondents", [0, -1])
def test_no_respondents_is_none(respondents: int) -> None:
    assert ikm_from_sums(respondents, [0] * 9) is None
    assert ikm_from_answers([]) is None


@pytest.mark.parametrize("sums", [[10] * 8, [10] * 10, []])
def test_wrong_number_of_sums(sums: list[int]) -> None:
    with pytest.raises(ValueError, match="expected 9 sums"):
        ikm_from_sums(3, sums)


@pytest.mark.parametrize(
    "sums",
    [
        [2] + [3] * 8,  # below n × 1 = 3
        [13] + [3] * 8,  # above n × 4 = 12
        [3] * 8 + [0],
    ],
)
def test_impossible_sums(sums: list[int]) -> None:
    with pytest.raises(ValueError, match="cannot come from"):
        ikm_from_sums(3, sums)


def test_mapping_missing_an_unsur() -> None:
    with pytest.raises(KeyError):
        ikm_from_sums(1, {code: 3 for code in UNSUR[:-1]})


# --- Krejcie–Morgan --------------------------------------------------------------------------------------------


def km_reference(population: int) -> int:
    """S = 3.841·N·0.25 / (0.0025·(N−1) + 3.841·0.25), rounded up, in exact decimals."""
    numerator = Decimal("3.841") * population * Decimal("0.25")
    denominator = Decimal("0.0025") * (population - 1) + Decimal("3.841") * Decimal("0.25")
    return math.ceil(Fraction(numerator) / Fraction(denominator))


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (1, 1),
        (2, 2),  # 1.9205 / 0.96275 = 1.9948… → 2
        (10, 10),  # Krejcie & Morgan's table: 10 → 10
        (50, 45),  # table: 44 (their table rounds to nearest); 44.34 rounded up is 45
        (100, 80),  # 79.5 → 80 (DESIGN.md)
        (1000, 278),  # 277.7 → 278 (DESIGN.md)
        (10_000, 370),  # table: 370
        (100_000, 383),  # 382.7 → 383 (table: 384 lists 1,000,000)
        (1_000_000, 384),
        (1_471_104, 384),  # the last N whose S stays at or below 384
        (1_471_105, 385),  # from here on S exceeds 384 (the limit is 384.1)
        (10**12, 385),
        (10**30, 385),
    ],
)
def test_minimum_sample(population: int, sample: int) -> None:
    assert minimum_sample(population) == sample == km_reference(population)


@pytest.mark.parametrize("population", [0, -1, -1000])
def test_minimum_sample_of_nothing(population: int) -> None:
    assert minimum_sample(population) == 0


def test_minimum_sample_never_exceeds_the_population_and_never_falls() -> None:
    previous = 0
    for population in range(1, 3000):
        sample = minimum_sample(population)
        assert 1 <= sample <= population
        assert sample >= previous
        previous = sample
