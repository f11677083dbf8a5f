"""Case numbers of every service: PREFIX-YYYY-NNNNNN, e.g. PGD-2026-000123.

The one place that formats, parses and validates them. A service names its kind (the same kind keys
the per-year counter, services/numbering.py); the prefix tells people which service a number belongs
to. WBS reports have no number (only a receipt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Case kind -> prefix of its numbers.
PREFIXES = {"pengaduan": "PGD", "gratifikasi": "GRT", "benturan": "BTK"}
SEQUENCE_DIGITS = 6
#: The longest text that could be a case number; anything longer is refused before any regex runs.
MAX_LENGTH = 40
# [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits.
_NUMBER = re.compile(r"([A-Z]{3})-([0-9]{4})-([0-9]{6})")
#: What a team's number search may contain once normalised: "PGD-2026-0000", "2026-000012", "PGD".
_SEARCH = re.compile(r"[A-Z0-9-]{1,20}")


@dataclass(frozen=True)
class CaseNumber:
    kind: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return format_number(self.kind, self.year, self.sequence)


def prefix(kind: str) -> str:
    """The prefix of `kind`'s numbers; KeyError for a kind that has none."""
    return PREFIXES[kind]


def format_number(kind: str, year: int, sequence: int) -> str:
    """PGD-2026-000123 for ("pengaduan", 2026, 123)."""
    if not 0 <= year <= 9999 or not 0 < sequence < 10**SEQUENCE_DIGITS:
        raise ValueError(f"no {kind} number for year {year}, sequence {sequence}")
    return f"{prefix(kind)}-{year:04d}-{sequence:0{SEQUENCE_DIGITS}d}"


def normalize(text: str | None) -> str:
    """What people type, as numbers are stored: without surrounding blanks, in upper case."""
    return (text or "").strip().upper()


def parse_number(text: str | None, kind: str) -> CaseNumber | None:
    """The number of `kind` written in `text` (blanks and case forgiven); None for anything else."""
    value = normalize(text)
    match = _NUMBER.fullmatch(value) if len(value) <= MAX_LENGTH else None
    if match is None or match.group(1) != prefix(kind) or int(match.group(3)) == 0:
        return None  # sequences start at 1: "PGD-2026-000000" names no case (and format_number refuses it)
    return CaseNumber(kind, int(match.group(2)), int(match.group(3)))


def is_number(text: str | None, kind: str) -> bool:
    """Whether `text` is a well-formed number of `kind` (says nothing about whether the case exists)."""
    return parse_number(text, kind) is not None


def example(kind: str, year: int = 2026) -> str:
    """A number to show in hints and placeholders."""
    return format_number(kind, year, 123)


def pattern(kind: str) -> str:
    """The regular expression of a stored number of `kind`, for documents such as the OpenAPI schema."""
    return f"^{prefix(kind)}-[0-9]{{4}}-[0-9]{{{SEQUENCE_DIGITS}}}$"


def is_search_prefix(text: str | None) -> bool:
    """Whether `text` (normalised) may start a case number: the team's inbox searches by prefix."""
    return _SEARCH.fullmatch(normalize(text)) is not None
