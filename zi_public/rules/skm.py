"""SKM (Survei Kepuasan Masyarakat, PermenPANRB 14/2017): the nine unsur, the answers, the respondent's
profile codes and the checks one response must pass. The words for all of these live in
services/skm/labels.py; the IKM arithmetic in rules/ikm.py.

Everything here is pure: plain values in, plain values out (no database, no Flask).
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from zi_public.rules.text import is_invisible

K = TypeVar("K")

#: The nine unsur, in the order of PermenPANRB 14/2017 (and of every form and report).
UNSUR = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
#: The answer scale: 1 (worst) to 4 (best).
ANSWERS = (1, 2, 3, 4)


class Channel(enum.StrEnum):
    """How a response reached us: it keeps this for life."""

    WEB = "web"
    KIOSK = "kiosk"
    PAPER = "paper"
    API = "api"


# The respondent's profile: codes only (labels in services/skm/labels.py). Order = order on the forms.
GENDERS = ("l", "p")
EDUCATIONS = ("tidak-sekolah", "sd", "smp", "sma", "diploma", "s1", "s2", "s3")
OCCUPATIONS = ("pns", "tni", "polri", "swasta", "wirausaha", "pelajar", "lainnya")
#: kelompok rentan (optional): what the ZI plan's target for vulnerable groups is measured with.
VULNERABLE_GROUPS = ("disabilitas", "lansia", "ibu-hamil-menyusui", "anak")
MIN_AGE, MAX_AGE = 10, 110
#: Age bands of the profile sheet: (lowest age, highest age or None).
AGE_BANDS = ((10, 19), (20, 29), (30, 39), (40, 49), (50, 59), (60, None))

LIMITS = {"permit_number": 60, "suggestion": 2000}


def age_band(age: int) -> str:
    """'20-29' for 25; '60+' for 60 and over; '<20' below 20."""
    for low, high in AGE_BANDS:
        if high is None:
            return f"{low}+"
        if age <= high:
            return f"<{high + 1}" if low == AGE_BANDS[0][0] else f"{low}-{high}"
    raise AssertionError("unreachable")


def normalise_permit_number(text: str | None) -> str | None:
    """The permit/registration number as stored and compared: NFKC, upper case, spaces and invisible
    characters removed (a zero-width space or soft hyphen must not make one permit count as another).
    None when empty (the number is optional)."""
    if text is None:
        return None
    value = "".join(char for char in unicodedata.normalize("NFKC", text) if not is_invisible(char)).upper()
    return value or None


@dataclass(frozen=True)
class Answers:
    """U1..U9, each 1-4."""

    values: tuple[int, int, int, int, int, int, int, int, int]

    def as_dict(self) -> dict[str, int]:
        return dict(zip(UNSUR, self.values, strict=True))


def parse_answer(value: object) -> int | None:
    """1-4 from an int or a text "1".."4"; None for anything else (0, 5, 2.5, True, "tiga", "")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in ANSWERS else None
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 1 and text in "1234":
            return int(text)
    return None


def parse_answers(raw: Mapping[str, object]) -> tuple[Answers | None, dict[str, str]]:
    """All nine answers, or the problem with each: "missing" or "invalid" per unsur code."""
    errors: dict[str, str] = {}
    values: list[int] = []
    for code in UNSUR:
        value = raw.get(code)
        if value is None or (isinstance(value, str) and not value.strip()):  # blank counts as not answered
            errors[code] = "missing"
            continue
        answer = parse_answer(value)
        if answer is None:
            errors[code] = "invalid"
        else:
            values.append(answer)
    if errors:
        return None, errors
    return Answers(tuple(values)), {}  # type: ignore[arg-type]


def parse_age(value: object) -> int | None:
    """An age in whole years between MIN_AGE and MAX_AGE, from an int or digits; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 3:
            return None
        value = int(text)
    if isinstance(value, int) and MIN_AGE <= value <= MAX_AGE:
        return value
    return None


#: The fewest respondents whose answers a published per-layanan figure may rest on: with fewer, the NRR of a
#: rarely used layanan would be one or two people's own answers.
MIN_PUBLISHED_RESPONDENTS = 5


def publishable_groups(counts: dict[K, int], minimum: int = MIN_PUBLISHED_RESPONDENTS) -> tuple[list[K], list[K]]:
    """Split groups (e.g. layanan) with `counts` respondents into those published alone and those pooled.

    A group with fewer than `minimum` respondents is pooled. The pooled groups' figures can be worked out
    from the total and the published groups, so their pool must hold at least `minimum` respondents too:
    while it holds fewer (but some), the smallest published group joins it. Groups with no respondents are
    neither. Both lists keep the order of `counts`.
    """
    answered = {key: n for key, n in counts.items() if n > 0}
    pooled = {key for key, n in answered.items() if n < minimum}
    by_size = sorted((key for key in answered if key not in pooled), key=lambda key: answered[key])
    while pooled and sum(answered[key] for key in pooled) < minimum and by_size:
        pooled.add(by_size.pop(0))
    shown = [key for key in answered if key not in pooled]
    return shown, [key for key in answered if key in pooled]
