"""Readable text: what a person may put into a field, one rule for the web form, the kiosk and the API.

A single-line field (a name, a title, a code) holds printable characters, spaces and tabs. A multi-line
field (a description, an answer) may also hold line breaks. Refused everywhere:
- control characters (Unicode category Cc: C0 except tab and line breaks, DEL, C1): nobody types
  them; they hide text in terminals and spreadsheets, and NUL breaks PostgreSQL text columns;
- U+FFFD, what undecodable bytes become: a broken upload, not a person;
- lone surrogates, which JSON can carry but UTF-8 cannot store.
A single-line field also refuses line breaks (CR, LF and the Unicode line and paragraph separators).

A required field must also have *visible content* (`has_visible_content`): a value made only of spaces,
format characters (Cf: zero-width space and joiners, bidi controls, soft hyphen, word joiner, BOM) and the
other characters Unicode says a renderer ignores (Default_Ignorable_Code_Point: variation selectors, Hangul
fillers, tags) — plus the blank Braille pattern — shows an empty title on every screen and in every report.
Such characters stay allowed inside text (a zero-width joiner builds 👩‍👩‍👧; a bidi mark orders Arabic).

Text is stored as it was typed, without Unicode normalisation (neither channel ever normalised it).
"""

from __future__ import annotations

import enum
import re
import unicodedata


class TextProblem(enum.StrEnum):
    UNREADABLE = "unreadable"  # a control character, U+FFFD or a lone surrogate
    LINE_BREAK = "line_break"  # a line break in a single-line field


_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")


def text_problem(value: str, *, multiline: bool) -> TextProblem | None:
    """What makes `value` unacceptable in a single-line (or multi-line) field; None when it is readable."""
    if _UNREADABLE.search(value):
        return TextProblem.UNREADABLE
    if not multiline and _LINE_BREAK.search(value):
        return TextProblem.LINE_BREAK
    return None


def is_readable(value: str, *, multiline: bool) -> bool:
    """Whether `value` may be stored in a single-line (or multi-line) field."""
    return text_problem(value, multiline=multiline) is None


#: Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) outside category Cf, and U+2800 (a Braille
#: cell with no dots): characters that draw nothing although they are not spaces or format characters.
_DRAW_NOTHING = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2065\u2800\u3164\ufe00-\ufe0f\uffa0"
    "\ufff0-\ufff8\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]"
)


def is_invisible(char: str) -> bool:
    """Whether the single character `char` shows nothing on its own: a space, a format character or one
    that Unicode says a renderer ignores."""
    return char.isspace() or unicodedata.category(char) == "Cf" or _DRAW_NOTHING.match(char) is not None


def has_visible_content(value: str) -> bool:
    """Whether `value` shows at least one character: a required field holds more than invisible ones."""
    return any(not is_invisible(char) for char in value)
