"""The one spreadsheet writer every export goes through: (sheets of headers and rows) -> xlsx bytes.

Safe by construction: text that a spreadsheet could read as a formula is neutralised, characters
XML cannot carry are dropped instead of crashing the export, and rows are streamed (openpyxl
write-only mode) so that a large sheet is never held as cell objects in memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
#: Excel refuses longer cell text; longer values are cut with a visible marker.
MAX_CELL_CHARS = 32_767
_CUT_MARKER = " [...]"
#: A leading character that makes Excel, LibreOffice or Sheets evaluate text (CSV re-imports
#: included): = + - @, tab and carriage return, and their full-width forms (Excel folds those).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_TITLE_MAX = 31
_JAKARTA = ZoneInfo("Asia/Jakarta")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a header row, then `rows` (any iterable; consumed once, while writing)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    #: Column widths in characters, by column position; missing ones keep the default.
    widths: Sequence[float] = ()
    #: Excel number formats by column position (0-based), e.g. {3: "0.0%"}; dates get theirs anyway.
    number_formats: Mapping[int, str] = field(default_factory=dict)
    #: Columns (0-based) whose long text should wrap.
    wrap: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Export:
    """What a report builder returns: the xlsx bytes and how many cases (rows) the report covers."""

    content: bytes
    rows: int


class CountingRows:
    """Wraps a row iterable and counts the rows as the writer consumes them (for 'N rows')."""

    def __init__(self, rows: Iterable[Sequence[object]]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[object]]:
        for row in self._rows:
            self.count += 1
            yield row


def neutralise_text(value: str) -> str:
    """Text safe to put in a cell: XML-illegal characters dropped, formula triggers quoted, cut to size."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text and text[0] in FORMULA_TRIGGERS:
        text = "'" + text
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(_CUT_MARKER)] + _CUT_MARKER
    return text


def safe_sheet_title(title: str, taken: set[str], position: int) -> str:
    """A title Excel accepts: no []:*?/\\, no edge apostrophes, at most 31 characters, unique."""
    text = _TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title or "")).strip().strip("'").strip()
    text = text[:_TITLE_MAX].strip() or f"Sheet{position}"
    candidate, n = text, 2
    while candidate.casefold() in taken:  # Excel compares sheet names case-insensitively
        suffix = f" ({n})"
        candidate = text[: _TITLE_MAX - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _cell(ws, value: object, number_format: str | None, wrap: bool) -> object:
    """What to append for `value`: a plain value where openpyxl infers it right, else a styled cell."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # Excel has no time zones: show the office's wall clock
            value = value.astimezone(_JAKARTA).replace(tzinfo=None)
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format or DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format or DATE_FORMAT
        return cell
    if isinstance(value, bool | int | float | Decimal | time):
        if not number_format:
            return value
        cell = WriteOnlyCell(ws, value=value)
    else:
        text = neutralise_text(str(value))
        # Plain text needs no cell object (that saves time on large sheets): after neutralising it
        # cannot start with "=", so openpyxl will not make it a formula; error literals still need one.
        if not (number_format or wrap or text in ERROR_CODES):
            return text
        cell = _text_cell(ws, text)
        if wrap:
            cell.alignment = _WRAP
    if number_format:
        cell.number_format = number_format
    return cell


def _text_cell(ws, text: str) -> Cell:
    """A cell holding already neutralised `text`."""
    cell = WriteOnlyCell(ws, value=text)
    # Always plain text: openpyxl would otherwise infer a formula ("=...") or an error ("#N/A").
    cell.data_type = "s"
    return cell


def _header_cell(ws, text: str) -> Cell:
    cell = _text_cell(ws, neutralise_text(str(text)))
    cell.font = _BOLD
    return cell


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Write `sheets` to an xlsx file in memory: bold frozen header row, set widths, safe cells."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for position, sheet in enumerate(sheets, start=1):
        ws = workbook.create_sheet(safe_sheet_title(sheet.title, taken, position))
        ws.freeze_panes = "A2"
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.append([_header_cell(ws, header) for header in sheet.headers])
        formats = dict(sheet.number_formats)
        for row in sheet.rows:
            ws.append([_cell(ws, value, formats.get(i), i in sheet.wrap) for i, value in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
