"""Spreadsheets the staff upload (a quarter's population, paper survey forms, paper perception forms), read one
way: the file checked and opened, its rows streamed, its header found, its cells read, every problem listed.
Use it as `from zi_public.services import tables`; files.py reads the file, rows.py the header, the rows and
their problems, cells.py the words in them.

- The bytes are read within a size cap (`read_capped`).
- The file is recognised by its content, never by its name or the browser's word (`open_rows`): an xlsx is opened
  only after zi_public/security/office.py has read every member within its caps (no ZIP bomb) and found no macro,
  OLE object, encryption or external link, and with its shared strings (which openpyxl holds in memory) capped;
  a CSV, where the caller takes one, is decoded as UTF-8, else as Windows-1252 (Excel's "CSV" on Windows), and
  split at the commas, semicolons or tabs its first line has most of.
- The rows stream past (openpyxl's read-only mode) as (row number as the spreadsheet shows it, values), blank
  rows left out, at most MAX_COLUMNS cells a row whatever size the file declares. A formula cell gives a
  `Formula` (its text), for the caller to refuse, unless the caller asks for the values Excel saved with it.
- The header row is found among the first rows (`find_header`); headings are compared normalised
  (`heading_key`, `find_columns`); each row below it is read as (row number, {key: value}) for the columns used
  (`records`), within a row cap.
- A cell's text, number, date: `cell_text`, `as_number`, `as_text`, `cell_date`, `shown`, `value_key`.
- Problems: `Problem` (row, column as headed, message, the cell as shown) collected by `Problems`: every one is
  counted and listed (up to a limit), and the caller imports nothing unless there are none (`RowsRefused`).

A file that cannot be read at all raises FileRefused (code: empty, too_large, type, unsafe, corrupt,
too_many_rows; the callers add their own, e.g. header), with what to do instead.
"""

from zi_public.services.tables.cells import (
    SHOWN_CHARS,
    as_number,
    as_text,
    cell_date,
    cell_text,
    heading_key,
    is_blank,
    shown,
    value_key,
)
from zi_public.services.tables.files import (
    CSV,
    MAX_COLUMNS,
    MAX_SHARED_STRINGS,
    SHEET_MAX_ROWS,
    XLSX,
    FileRefused,
    Formula,
    Row,
    check_kind,
    check_xlsx,
    corrupt,
    decode_text,
    open_rows,
    read_capped,
)
from zi_public.services.tables.rows import Problem, Problems, RowsRefused, find_columns, find_header, records

__all__ = [
    "CSV",
    "MAX_COLUMNS",
    "MAX_SHARED_STRINGS",
    "SHEET_MAX_ROWS",
    "SHOWN_CHARS",
    "XLSX",
    "FileRefused",
    "Formula",
    "Problem",
    "Problems",
    "Row",
    "RowsRefused",
    "as_number",
    "as_text",
    "cell_date",
    "cell_text",
    "check_kind",
    "check_xlsx",
    "corrupt",
    "decode_text",
    "find_columns",
    "find_header",
    "heading_key",
    "is_blank",
    "open_rows",
    "read_capped",
    "records",
    "shown",
    "value_key",
]
