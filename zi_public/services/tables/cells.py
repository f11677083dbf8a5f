"""Words and cells: headings and values compared normalised, a cell read as text, number or date."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[^\W_]+")
_FILLER = frozenset({"dan"})
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
SHOWN_CHARS = 60


def heading_key(text: str) -> str:
    """A heading as compared: NFKC, case-folded, hints in brackets and punctuation dropped, "dan" ignored."""
    text = _BRACKETS.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(word for word in _WORD.findall(text) if word not in _FILLER)


def value_key(text: str) -> str:
    """A cell's text as compared with codes and names: NFKC, case-folded, words only."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: stripped; a whole float without ".0"; a date as dd/mm/yyyy; "" when empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def shown(value: object) -> str:
    """A cell as a list of problems shows it: its text, cut to SHOWN_CHARS characters."""
    text = " ".join(cell_text(value).split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def as_number(value: object) -> object:
    """A whole number from a number cell (Excel may store 3 as 3.0); text stripped; anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def as_text(value: object) -> str | None:
    """A text field (a permit number, a suggestion): a number typed in it is read as its digits."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return cell_text(value)


def cell_date(value: object) -> date | None:
    """A date cell, or text dd/mm/yyyy (also with - or .) or yyyy-mm-dd; None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DAY_FIRST.match(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (match := _ISO_DAY.match(text)):
        parts = (match.group(1), match.group(2), match.group(3))
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
