"""The one spreadsheet writer every export goes through: (sheets of headers and rows) -> xlsx bytes.

Safe by construction: text that a spreadsheet could read as a formula is neutralised, characters
XML cannot carry are dropped instead of crashing the export, and rows are streamed (openpyxl
write-only mode) so that a large sheet is never held as cell objects in memory.

A report is also a document an office files: given a `Document`, every sheet opens with a title block
(unit, report title, the sheet's own heading, period, "keadaan per" date, when it was made), ends with
the signature block of the signing officers, and prints on A4 landscape, one page wide, with its
column headers repeated on every printed page and page numbers in the footer. The writer only lays
out what it is given: the words (and their language) come from the report builder.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from lxml.etree import fromstring
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from zi_public.localtime import to_jakarta

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
TIME_FORMAT = "hh:mm"
#: Excel refuses longer cell text; longer values are cut with a visible marker.
MAX_CELL_CHARS = 32_767
_CUT_MARKER = " [...]"
#: A leading character that makes Excel, LibreOffice or Sheets evaluate text (CSV re-imports
#: included): = + - @, tab and carriage return, and their full-width forms (Excel folds those).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_TITLE_MAX = 31
#: Fonts name the workbook's default face: a font without a name prints in another face in LibreOffice.
_FACE = "Calibri"
_BOLD = Font(name=_FACE, bold=True)
#: Wrapped text keeps the default bottom alignment of the plain cells beside it (a style per plain cell
#: would cost more than writing it).
_WRAP = Alignment(wrap_text=True)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNIT_FONT = Font(name=_FACE, bold=True, size=12)
_TITLE_FONT = Font(name=_FACE, bold=True, size=14)
_NAME_FONT = Font(name=_FACE, bold=True, underline="single")

#: Print setup of a document: A4 landscape with 1.5 cm side margins (inches, as the format wants them).
PAPER_A4 = 9
MARGINS = PageMargins(left=0.6, right=0.6, top=0.75, bottom=0.75, header=0.3, footer=0.3)
#: Column width (characters) assumed for columns without one; Excel's and openpyxl's default.
DEFAULT_WIDTH = 8.43
#: A document sheet is at least this wide (characters), so the title block and signatures fit on it.
MIN_DOCUMENT_WIDTH = 130
#: Empty rows left between a signer's position and name, for the signature and stamp.
SIGNATURE_SPACE = 3
#: Points per line of 11-point text, for the height of rows whose text wraps (LibreOffice does not
#: compute it when it opens a file) and the most Excel allows.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
#: Longest line of a position in the signature block before it wraps onto the next row.
POSITION_LINE = 42


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
    #: The sheet's heading in a document's title block (default: its title).
    heading: str = ""


@dataclass(frozen=True)
class Signature:
    """One signing officer's block: a caption ("Mengetahui," or "Magelang, 2 Desember 2026"), the
    position (line breaks kept), the name (blank: a dotted line to sign over) and an identifier line
    such as "NIP. 19700101 199001 1 001" (blank: none)."""

    caption: str
    position: str
    name: str
    identifier: str = ""


@dataclass(frozen=True)
class Document:
    """What makes a workbook a document: the title block, the signatures and the page footer."""

    unit: str
    title: str
    #: Lines under the title, e.g. "Periode: November 2026", "Keadaan per: 30 November 2026".
    details: Sequence[str] = ()
    signatures: Sequence[Signature] = ()
    #: Footer text on the left of every printed page (right: the page number).
    footer: str = ""
    #: The page-number text in the header/footer language: &P is the page, &N the number of pages.
    page_label: str = "&P / &N"


@dataclass(frozen=True)
class Export:
    """What a report builder returns: the xlsx bytes and how many cases (rows) the report covers;
    build_report adds the day it is as of and its language (what an audit entry should say)."""

    content: bytes
    rows: int
    as_of: date | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Formatted:
    """A number with a number format of its own, for a cell whose column has another: the NRR (0.000) under
    a column of whole answers. Checked only after every plain type, so plain cells pay nothing for it."""

    value: int | float | Decimal
    number_format: str


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


class _DataRows:
    """Writes a sheet's data rows as XML row elements straight into the sheet's stream.

    openpyxl's write-only sheet makes a cell object of every value, infers its type, looks up its style
    and writes it element by element: most of a report's time. A report's values are only text, numbers,
    booleans and dates, so this writes them directly (inline strings, numbers, Excel date serials with the
    style id of their number format), several times faster: each row is composed as XML text (labels that
    repeat on every row are neutralised and escaped once) and the rows are parsed back into elements a batch
    at a time, which costs half of building each cell as an element. It hooks two internals of openpyxl 3.1's
    write-only sheet, WriteOnlyWorksheet._values_to_row and WorksheetWriter.write_row (pyproject pins
    openpyxl below 3.2; the tests read every kind of value back), and only between `open` and `close`;
    `flush` writes the last batch.
    """

    def __init__(self, ws: Worksheet, formats: Mapping[int, str], wrap_beyond: Mapping[int, int]) -> None:
        self.ws = ws
        self.formats = formats
        self.wrap_beyond = wrap_beyond
        self.epoch = ws.parent.epoch
        self._style_ids: dict[tuple[str | None, bool], str] = {}
        self._letters: list[str] = []
        #: Short texts already neutralised and escaped: a report repeats its labels on every row.
        self._texts: dict[str, tuple[str, int, bool, bool]] = {}
        #: Excel serials of the days, times and moments already written.
        self._serials: dict[object, str] = {}
        self._batch: list[str] = []
        self._batch_chars = 0
        self._xf = None

    def open(self) -> None:
        """From now on ws.append([values, height]) writes one data row (the sheet has written its first row)."""
        self.ws._values_to_row = lambda payload, row_idx: payload
        self.ws._writer.write_row = self._write_row

    def flush(self) -> None:
        """Write the rows composed but not yet written (before anything else is appended to the sheet)."""
        if self._batch:
            for row in fromstring("<rows>" + "".join(self._batch) + "</rows>"):
                self._xf.write(row)
            self._batch, self._batch_chars = [], 0

    def close(self) -> None:
        """Back to openpyxl's own rows (for the signatures)."""
        del self.ws._values_to_row
        del self.ws._writer.write_row

    def _style_id(self, number_format: str | None, wrap: bool) -> str:
        style = self._style_ids.get((number_format, wrap))
        if style is None:
            template = WriteOnlyCell(self.ws)
            if number_format:
                template.number_format = number_format
            if wrap:
                template.alignment = _WRAP
            style = self._style_ids[(number_format, wrap)] = str(template.style_id)
        return style

    def _letter(self, column: int) -> str:
        while len(self._letters) <= column:
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters[column]

    def _write_row(self, xf, payload: list, row_idx: int) -> None:
        values, height = payload
        number = str(row_idx)
        parts = [f'<row r="{number}" ht="{height}" customHeight="1">' if height else f'<row r="{number}">']
        if len(self._letters) < len(values):
            self._letter(len(values) - 1)
        letters = self._letters
        for column, value in enumerate(values):
            if value is not None:
                parts.append(self._cell(letters[column] + number, column, value))
        parts.append("</row>")
        text = "".join(parts)
        self._batch.append(text)
        self._batch_chars += len(text)
        self._xf = xf
        if len(self._batch) >= _BATCH_ROWS or self._batch_chars >= _BATCH_CHARS:
            self.flush()

    def _cell(self, ref: str, column: int, value: object) -> str:
        """One cell as XML text ("" when there is nothing to write)."""
        kind = type(value)
        if kind is str:  # most values: checked first
            return self._text(ref, column, value)  # type: ignore[arg-type]
        if kind is int and -_EXACT_INT < value < _EXACT_INT and column not in self.formats:  # type: ignore[operator]
            # The next commonest (answers, counts, numbering): written as safe_string would, without its checks.
            return f'<c r="{ref}" t="n"><v>{value}</v></c>'
        number_format = self.formats.get(column)
        if isinstance(value, datetime | date | time):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = to_jakarta(value)  # Excel has no time zones: the office's wall clock
            style = self._style_id(number_format or _default_format(value), False)
            serial = self._serials.get(value)
            if serial is None:
                serial = safe_string(to_excel(value, self.epoch))
                if len(self._serials) < _CACHED_TEXTS:
                    self._serials[value] = serial
            return f'<c r="{ref}" s="{style}" t="n"><v>{serial}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{"1" if value else "0"}</v></c>'
        if isinstance(value, int | float | Decimal):
            text = safe_string(value)
            if not text:  # NaN and the infinities have no spreadsheet value
                return ""
            style = f' s="{self._style_id(number_format, False)}"' if number_format else ""
            return f'<c r="{ref}" t="n"{style}><v>{text}</v></c>'
        if isinstance(value, Formatted):
            text = safe_string(value.value)
            if not text:
                return ""
            return f'<c r="{ref}" t="n" s="{self._style_id(value.number_format, False)}"><v>{text}</v></c>'
        return self._text(ref, column, str(value))

    def _text(self, ref: str, column: int, value: str) -> str:
        # An inline string is text, never a formula or an error value; neutralising still guards the day
        # the file is saved as CSV or typed over.
        known = self._texts.get(value)
        if known is None:
            text = neutralise_text(value)
            edge_space = bool(text) and (text[0].isspace() or text[-1].isspace())
            known = (_escape(text), len(text), "\n" in text, edge_space)
            if len(value) <= _CACHED_TEXT and len(self._texts) < _CACHED_TEXTS:
                self._texts[value] = known
        escaped, length, lines, edge_space = known
        if not length:
            return ""
        number_format = self.formats.get(column)
        limit = self.wrap_beyond.get(column)
        wrap = limit is not None and (length > limit or lines)
        style = f' s="{self._style_id(number_format, wrap)}"' if number_format or wrap else ""
        space = ' xml:space="preserve"' if edge_space else ""
        return f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{escaped}</t></is></c>'


#: Rows composed as text before they are parsed and written together (fewer when their text is long).
_BATCH_ROWS, _BATCH_CHARS = 256, 1_000_000
#: Whole numbers below this print the same through str() as through openpyxl's "%.16g".
_EXACT_INT = 10**16
#: Per sheet: texts up to this long are escaped once, and at most this many texts (and dates) are kept.
_CACHED_TEXT, _CACHED_TEXTS = 120, 20_000


def _escape(text: str) -> str:
    """Text as XML character data, as lxml writes it (a carriage return as a reference: parsing would drop it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _default_format(value: date | time) -> str:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    return TIME_FORMAT if isinstance(value, time) else DATE_FORMAT


def _text_cell(ws, text: str, font: Font | None = None) -> Cell:
    """A cell holding already neutralised `text`."""
    cell = WriteOnlyCell(ws, value=text)
    # Always plain text: openpyxl would otherwise infer a formula ("=...") or an error ("#N/A").
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _header_cell(ws, text: str, boxed: bool) -> Cell:
    cell = _text_cell(ws, neutralise_text(str(text)), _BOLD)
    if boxed:
        cell.alignment = _HEADER_ALIGNMENT
        cell.fill = _HEADER_FILL
        cell.border = _GRID
    return cell


def write_workbook(sheets: Sequence[Sheet], document: Document | None = None) -> bytes:
    """Write `sheets` to an xlsx file in memory: bold frozen header row, set widths, safe cells, print setup.

    With a `document`, each sheet is laid out as a document page (title block, boxed table, signatures).
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for position, sheet in enumerate(sheets, start=1):
        ws = workbook.create_sheet(safe_sheet_title(sheet.title, taken, position))
        _write_sheet(ws, sheet, document)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(ws: Worksheet, sheet: Sheet, document: Document | None) -> None:
    columns = max(len(sheet.headers), 1)
    widths = [float(w) for w in sheet.widths[:columns]]
    widths += [DEFAULT_WIDTH] * (columns - len(widths))
    if document is not None:
        # Empty columns after the table give a narrow table's title block and signatures room to print.
        while sum(widths) < MIN_DOCUMENT_WIDTH:
            widths.append(min(20.0, MIN_DOCUMENT_WIDTH - sum(widths) + 1))
    title_rows = _title_rows(ws, sheet, document)
    header_row = len(title_rows) + 1
    # Everything written before the first row (widths, frozen panes, sheet properties) is set first.
    for index, width in enumerate(widths, start=1):
        if index <= len(sheet.widths) or document is not None:
            ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    _print_setup(ws, document)
    for row in title_rows:
        ws.append(row)
    if document is not None:
        _set_height(ws, header_row, _lines_needed(sheet.headers, range(columns), widths, bold=True))
    ws.append([_header_cell(ws, header, boxed=document is not None) for header in sheet.headers])
    # Text wraps only where it would not fit its column: a short value stays an unstyled cell.
    wrap_beyond = {i: _chars_per_line(widths[i] if i < len(widths) else DEFAULT_WIDTH) for i in sheet.wrap}
    wrapped = sorted(i for i in sheet.wrap if i < columns)
    data = _DataRows(ws, dict(sheet.number_formats), wrap_beyond)
    data.open()
    last_row = header_row
    try:
        for row in sheet.rows:
            last_row += 1
            lines = _lines_needed(row, wrapped, widths) if wrapped else 1
            ws.append([row, min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT) if lines > 1 else None])
        data.flush()
    finally:
        data.close()
    ws.print_title_rows = f"{header_row}:{header_row}"
    if document is None:
        return
    last_table_column = get_column_letter(columns)
    if last_row > header_row:
        # One conditional format boxes every data cell: per-cell borders would cost a styled cell each.
        ws.conditional_formatting.add(
            f"A{header_row + 1}:{last_table_column}{last_row}", FormulaRule(formula=["TRUE"], border=_GRID)
        )
    for row in _signature_rows(ws, document.signatures, widths):
        ws.append(row)
        last_row += 1
    ws.print_area = f"A1:{get_column_letter(len(widths))}{last_row}"


def _lines_needed(values: Sequence[object], columns: Iterable[int], widths: Sequence[float], bold: bool = False) -> int:
    """How many lines the tallest of `columns` needs when its text wraps at the column's width."""
    lines = 1
    for i in columns:
        value = values[i] if i < len(values) else None
        if not isinstance(value, str) or not value:
            continue
        per_line = _chars_per_line(widths[i], bold)
        if len(value) > per_line or "\n" in value:
            lines = max(lines, _wrapped_lines(value, per_line))
    return lines


@lru_cache(maxsize=4096)  # a report repeats its category, layanan and bidang names on every row
def _wrapped_lines(text: str, per_line: int) -> int:
    """Lines of `text` wrapped at `per_line` characters, breaking between words as spreadsheets do:
    counting characters alone gives "Persetujuan Bangunan Gedung (PBG)" two lines of 16 instead of three."""
    return sum(len(textwrap.wrap(part, per_line)) or 1 for part in text.split("\n"))


def _chars_per_line(width: float, bold: bool = False) -> int:
    """How many characters of text fit on one line of a column `width` wide (a little less in bold)."""
    return max(1, int(width * (0.9 if bold else 1.0)) - 1)


def _set_height(ws: Worksheet, row: int, lines: int) -> None:
    if lines > 1:
        ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT)


def _print_setup(ws: Worksheet, document: Document | None) -> None:
    """A4 landscape, as many pages down as needed but one page wide, header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=MARGINS.left,
        right=MARGINS.right,
        top=MARGINS.top,
        bottom=MARGINS.bottom,
        header=MARGINS.header,
        footer=MARGINS.footer,
    )
    if document is not None:
        ws.oddFooter.left.text = _footer_text(document.footer)
        ws.oddFooter.left.size = 8
        ws.oddFooter.right.text = document.page_label
        ws.oddFooter.right.size = 8


def _footer_text(text: str) -> str:
    """Header/footer text is a small language of its own: a literal ampersand is written twice."""
    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("&", "&&")


def _title_rows(ws: Worksheet, sheet: Sheet, document: Document | None) -> list[list[object]]:
    if document is None:
        return []
    rows: list[list[object]] = [
        [_text_cell(ws, neutralise_text(document.unit), _UNIT_FONT)],
        [_text_cell(ws, neutralise_text(document.title), _TITLE_FONT)],
    ]
    heading = sheet.heading or sheet.title
    if heading and heading != document.title:
        rows.append([_text_cell(ws, neutralise_text(heading), _BOLD)])
    rows += [[_text_cell(ws, neutralise_text(line))] for line in document.details]
    rows.append([])
    return rows


_Line = tuple[str, Font | None]


def _signature_lines(signature: Signature) -> tuple[list[_Line], list[_Line]]:
    """One signature block as (caption and position lines, signing space and name lines), each with its font."""
    head: list[_Line] = [(signature.caption, None)]
    for part in (signature.position or "").splitlines():
        head += [(line, None) for line in textwrap.wrap(part, POSITION_LINE) or [""]]
    tail: list[_Line] = [("", None)] * SIGNATURE_SPACE
    tail.append((signature.name, _NAME_FONT) if signature.name.strip() else ("(" + "." * 40 + ")", None))
    if signature.identifier:
        tail.append((signature.identifier, None))
    return head, tail


def _block_width(block: tuple[list[_Line], list[_Line]]) -> float:
    # Bold and title-case text runs wider than the width unit (the default font's digit): allow a fifth.
    return max(len(text) for part in block for text, _font in part) * 1.2 + 2


def _signature_rows(ws: Worksheet, signatures: Sequence[Signature], widths: list[float]) -> list[list[object]]:
    """Two empty rows, then the signature blocks: the last signer on the right, the others from the left.

    Blocks sit side by side when the page is wide enough (their names on one row), else one below the
    other on the right.
    """
    if not signatures:
        return []
    blocks = [_signature_lines(signature) for signature in signatures]
    right = _right_start(widths, _block_width(blocks[-1]))
    lines = [[(right, blocks[-1])]]
    left_blocks = blocks[:-1]
    if left_blocks and sum(_block_width(b) for b in left_blocks) <= sum(widths[:right]):
        start = 0
        for block in left_blocks:
            lines[0].insert(len(lines[0]) - 1, (start, block))
            start = _next_start(widths, start, _block_width(block))
    else:
        lines += [[(_right_start(widths, _block_width(block)), block)] for block in left_blocks]
    rows: list[list[object]] = [[], []]
    for line in lines:
        head_height = max(len(head) for _column, (head, _tail) in line)
        placed = [(column, head + [("", None)] * (head_height - len(head)) + tail) for column, (head, tail) in line]
        for i in range(max(len(block) for _column, block in placed)):
            row: list[object] = [None] * len(widths)
            for column, block in placed:
                if i < len(block) and block[i][0]:
                    text, font = block[i]
                    row[column] = _text_cell(ws, neutralise_text(text), font)
            rows.append(row)
        rows.append([])
    return rows[:-1]


def _right_start(widths: list[float], need: float) -> int:
    """The rightmost column from which `need` characters still fit before the page's right edge."""
    total, column = 0.0, len(widths)
    while column > 0 and total < need:
        column -= 1
        total += widths[column]
    return column


def _next_start(widths: list[float], start: int, need: float) -> int:
    """The first column after a block of `need` characters that starts at column `start`."""
    total, column = 0.0, start
    while column < len(widths) and total < need:
        total += widths[column]
        column += 1
    return column
