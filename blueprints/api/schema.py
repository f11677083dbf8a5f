"""Building blocks of the OpenAPI document, derived from the rules the API enforces.

Every service's fragment (blueprints/<service>/openapi.py) describes its fields with these, so that the
document states what the server checks, from the same constants: `text()` from the readable-text rule
(zi_public.rules.text) and the parser's treatment of blank values, `pattern()` from a rule's regex,
`date_not_after()` for a date the server refuses in the future, `codes()` for catalogue codes.

Patterns are written for both Python's `re` and ECMAScript: only character classes with \\uXXXX
escapes, groups, alternation, quantifiers and lookaheads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from blueprints.api.parsing import HEADER_TOKEN_PATTERN, IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX
from zi_public.rules.text import is_invisible, is_readable

Schema = dict[str, Any]


@dataclass(frozen=True)
class Fragment:
    """A service's part of the document: paths relative to its API prefix, and the schemas they name."""

    paths: dict[str, Schema]
    schemas: dict[str, Schema] = field(default_factory=dict)


ISO_DATE: Schema = {"type": "string", "format": "date"}
NULLABLE_DATE: Schema = {"type": "string", "format": "date", "nullable": True}

#: End of the value. Not `$`: in Python that also matches before a final line break.
END = r"(?![\s\S])"
_BMP = range(0x10000)  # the readable-text rule and str.strip() only single out characters of the BMP
#: Lone surrogates are refused too, but cannot be written in a pattern that other tools compile (and valid
#: UTF-8 cannot carry them); the document says so in words.
_SURROGATES = range(0xD800, 0xE000)


def _char_class(code_points: Iterable[int]) -> str:
    """The inside of a regex character class listing `code_points` as \\uXXXX escapes and ranges."""
    points = sorted(set(code_points))
    parts: list[str] = []
    start = prev = None
    for point in [*points, None]:
        if point is not None and prev is not None and point == prev + 1:
            prev = point
            continue
        if start is not None:
            parts.append(f"\\u{start:04x}" if start == prev else f"\\u{start:04x}-\\u{prev:04x}")
        start = prev = point
    return "".join(parts)


@cache
def _unreadable(multiline: bool) -> str:
    """The characters the readable-text rule refuses, as a character class body."""
    return _char_class(c for c in _BMP if c not in _SURROGATES and not is_readable(chr(c), multiline=multiline))


@cache
def _spaces(multiline: bool) -> str:
    """The readable characters str.strip() removes: a value made only of them counts as absent."""
    return _char_class(c for c in _BMP if chr(c).isspace() and is_readable(chr(c), multiline=multiline))


@cache
def _invisible(multiline: bool) -> str:
    """The readable characters that show nothing (rules.text.is_invisible): a required value needs another."""
    return _char_class(c for c in _BMP if is_invisible(chr(c)) and is_readable(chr(c), multiline=multiline))


@cache
def readable_pattern(*, multiline: bool, required: bool) -> str:
    """Text the readable-text rule accepts; a required value also needs one visible character (not a space,
    a format character or another invisible one; rules.text.has_visible_content)."""
    # Written as "no refused character anywhere" (a lookahead) rather than ^[^…]*$: a generator then draws
    # whole strings instead of one character at a time, and a 10,000-character boundary value stays cheap.
    no_refused = f"^(?![\\s\\S]*[{_unreadable(multiline)}])"
    if not required:
        return no_refused
    return f"{no_refused}[\\s\\S]*[^{_invisible(multiline)}]"


def blank_pattern() -> str:
    """A single-line value the API treats as absent: empty or only spaces."""
    return f"^[{_spaces(False)}]*{END}"


def text(max_length: int, *, required: bool = False, multiline: bool = False, **extra: Any) -> Schema:
    """A free-text field read by `Fields.text`: readable, at most `max_length` characters; an optional one
    may be null, empty or blank (all read as absent)."""
    schema: Schema = {
        "type": "string",
        "maxLength": max_length,
        "pattern": readable_pattern(multiline=multiline, required=required),
    }
    if required:
        schema["minLength"] = 1
    else:
        schema["nullable"] = True
    return {**schema, **extra}


def formatted(max_length: int, rule_pattern: str, **extra: Any) -> Schema:
    """An optional field whose value, when not blank, must match `rule_pattern` whole, as sent."""
    return {
        "type": "string",
        "nullable": True,
        "maxLength": max_length,
        "pattern": f"^(?:[{_spaces(False)}]*|{rule_pattern}){END}",
        **extra,
    }


def codes(values: Sequence[str], max_length: int, *, required: bool, **extra: Any) -> Schema:
    """A code read by `Fields.code`: one of `values` exactly; an optional one may also be null or blank.

    The list is the catalogue as it is when the document is served (GET /kategori, GET /layanan);
    an empty catalogue accepts nothing.
    """
    choice: Schema = {"enum": list(values)} if values else {"not": {}}
    if required:
        return {"type": "string", "maxLength": max_length, **choice, **extra}
    return {
        "type": "string",
        "nullable": True,
        "maxLength": max_length,
        "anyOf": [choice, {"pattern": blank_pattern()}],
        **extra,
    }


def _digits_between(low: str, high: str) -> str:
    """A regex for the zero-padded numbers low..high, both written with the same number of digits."""
    if low == high:
        return low
    if len(low) == 1:
        return f"[{low}-{high}]"
    if low[0] == high[0]:
        return low[0] + _digits_between(low[1:], high[1:])
    rest = len(low) - 1
    parts = [low[0] + _digits_between(low[1:], "9" * rest)]
    if int(high[0]) - int(low[0]) > 1:
        parts.append(f"[{int(low[0]) + 1}-{int(high[0]) - 1}]" + "[0-9]" * rest)
    parts.append(high[0] + _digits_between("0" * rest, high[1:]))
    return "(?:" + "|".join(parts) + ")"


_ANY_MONTH = _digits_between("01", "12")
_ANY_DAY = _digits_between("01", "31")


def date_not_after_pattern(last: date) -> str:
    """YYYY-MM-DD dates from 0001-01-01 to `last`; `format: date` leaves out days a month lacks."""
    year, month, day = f"{last.year:04d}", f"{last.month:02d}", f"{last.day:02d}"
    branches = []
    if last.year > 1:
        branches.append(f"{_digits_between('0001', f'{last.year - 1:04d}')}-{_ANY_MONTH}-{_ANY_DAY}")
    if last.month > 1:
        branches.append(f"{year}-{_digits_between('01', f'{last.month - 1:02d}')}-{_ANY_DAY}")
    branches.append(f"{year}-{month}-{_digits_between('01', day)}")
    return "^(?:" + "|".join(branches) + ")" + END


def date_not_after(last: date, **extra: Any) -> Schema:
    """An optional calendar date, YYYY-MM-DD, not after `last` (the pattern is rebuilt every day)."""
    return {**NULLABLE_DATE, "pattern": date_not_after_pattern(last), **extra}


def json_response(schema_name: str, description: str, **extra: Any) -> Schema:
    """A JSON response whose body is the component schema `schema_name`."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
        **extra,
    }


def error_responses(*statuses: int) -> dict[str, Schema]:
    """The JSON error answer {"error": {code, message, fields?}} for each status."""
    return {str(status): {"$ref": "#/components/responses/Error"} for status in statuses}


def idempotency_key_parameter() -> Schema:
    """The optional Idempotency-Key header a filing POST reads (blueprints.api.parsing.idempotency_key)."""
    return {
        "name": IDEMPOTENCY_KEY_HEADER,
        "in": "header",
        "required": False,
        "description": "Kunci acak (mis. UUID) agar pengiriman ulang aman; huruf ASCII yang dapat "
        "dicetak, tanpa spasi di awal atau akhir.",
        "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX, "pattern": HEADER_TOKEN_PATTERN},
    }
