"""Readable text: what a person may put into a field, one rule for the web form, the kiosk and the API.

A single-line field (a name, a title, a code) holds printable characters, spaces and tabs. A multi-line
field (a description, an answer) may also hold line breaks. Refused everywhere:
- control characters (Unicode category Cc: C0 except tab and line breaks, DEL, C1): nobody types
  them; they hide text in terminals and spreadsheets, and NUL breaks PostgreSQL text columns;
- U+FFFD, what undecodable bytes become: a broken upload, not a person;
- lone surrogates, which JSON can carry but UTF-8 cannot store.
A single-line field also refuses line breaks (CR, LF and the Unicode line and paragraph separators).

Text is stored as it was typed, without Unicode normalisation (neither channel ever normalised it).
"""

from __future__ import annotations

import enum
import re


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
