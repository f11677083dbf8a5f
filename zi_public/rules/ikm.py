"""IKM (Indeks Kepuasan Masyarakat, PermenPANRB 14/2017), computed exactly.

NRR of an unsur = the mean of its answers (1-4). IKM = the mean of the nine NRR × 25, in exact rational
arithmetic, rounded half-up to two decimals only at the end; mutu and kinerja come from that rounded value
(the bands leave gaps such as 88.30/88.31). The legacy spreadsheets' weighting — each NRR × 0.111, which caps
a perfect score at 99.90 — is available as an explicit, labelled option, never the default.

The sample: Krejcie–Morgan, S = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)) with χ² = 3.841, P = 0.5, d = 0.05,
rounded up.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from zi_public.rules.skm import ANSWERS, UNSUR

#: The weight of each NRR: 1/9 exactly, or the legacy spreadsheets' 0.111.
EXACT_WEIGHT = Fraction(1, 9)
LEGACY_WEIGHT = Fraction(111, 1000)
CONVERSION = 25  # a 1-4 mean × 25 gives the 25-100 scale
#: The lowest and highest IKM (every answer 1, every answer 4).
IKM_MIN, IKM_MAX = Decimal(min(ANSWERS) * CONVERSION), Decimal(max(ANSWERS) * CONVERSION)

#: (lowest converted IKM, mutu, kinerja code); the kinerja's words are in services/skm/labels.py.
BANDS = (
    (Decimal("88.31"), "A", "sangat_baik"),
    (Decimal("76.61"), "B", "baik"),
    (Decimal("65.00"), "C", "kurang_baik"),
    (Decimal("25.00"), "D", "tidak_baik"),
)

_CHI_SQUARE = Fraction(3841, 1000)
_P_Q = Fraction(1, 4)  # P(1-P) with P = 0.5
_D_SQUARE = Fraction(1, 400)  # 0.05²


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """`value` rounded half-up (never banker's rounding) to `places` decimals."""
    scaled = value * 10**places
    # floor(x + 1/2) for x >= 0 is half-up; IKM values are never negative.
    whole = math.floor(scaled + Fraction(1, 2))
    return (Decimal(whole) / Decimal(10**places)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja code) for an IKM already rounded to two decimals."""
    for lowest, mutu, kinerja in BANDS:
        if ikm >= lowest:
            return mutu, kinerja
    return BANDS[-1][1], BANDS[-1][2]


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: dict[str, Fraction]  # exact, per unsur
    ikm_exact: Fraction  # before rounding
    ikm: Decimal  # rounded half-up to two decimals
    mutu: str
    kinerja: str
    legacy: bool

    def nrr_rounded(self, places: int = 3) -> dict[str, Decimal]:
        """Each NRR for display, rounded half-up (the IKM never uses these)."""
        return {code: round_half_up(value, places) for code, value in self.nrr.items()}

    def weighted_nrr(self) -> dict[str, Fraction]:
        """NRR × the weight in use (1/9, or 0.111 under the legacy option)."""
        weight = LEGACY_WEIGHT if self.legacy else EXACT_WEIGHT
        return {code: value * weight for code, value in self.nrr.items()}


def ikm_from_sums(
    respondents: int, sums: Mapping[str, int] | Sequence[int], *, legacy: bool = False
) -> IkmResult | None:
    """The IKM of `respondents` responses whose answers to each unsur add up to `sums` (U1..U9, as a
    mapping by code or a sequence in order). None when there are no responses."""
    if respondents <= 0:
        return None
    values = [sums[code] for code in UNSUR] if isinstance(sums, Mapping) else list(sums)
    if len(values) != len(UNSUR):
        raise ValueError(f"expected {len(UNSUR)} sums, got {len(values)}")
    for value in values:
        if not respondents * 1 <= value <= respondents * 4:
            raise ValueError(f"a sum of {value} cannot come from {respondents} answers of 1-4")
    nrr = {code: Fraction(value, respondents) for code, value in zip(UNSUR, values, strict=True)}
    weight = LEGACY_WEIGHT if legacy else EXACT_WEIGHT
    exact = sum((value * weight for value in nrr.values()), Fraction(0)) * CONVERSION
    rounded = round_half_up(exact, 2)
    mutu, kinerja = grade(rounded)
    return IkmResult(respondents, nrr, exact, rounded, mutu, kinerja, legacy)


def ikm_from_answers(rows: Sequence[Sequence[int]], *, legacy: bool = False) -> IkmResult | None:
    """The IKM of a list of responses, each nine answers U1..U9 (for tests and small imports)."""
    sums = [sum(row[i] for row in rows) for i in range(len(UNSUR))]
    return ikm_from_sums(len(rows), sums, legacy=legacy)


def minimum_sample(population: int) -> int:
    """Krejcie–Morgan minimum sample for a population of `population` (rounded up); 0 for none."""
    if population <= 0:
        return 0
    n = Fraction(population)
    s = _CHI_SQUARE * n * _P_Q / (_D_SQUARE * (n - 1) + _CHI_SQUARE * _P_Q)
    return math.ceil(s)
