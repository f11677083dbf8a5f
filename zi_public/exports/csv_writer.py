"""The CSV twin of the xlsx writer: (headers and rows) -> bytes that a spreadsheet in the office's locale opens
correctly with a double click.

- UTF-8 with a byte-order mark: without it Excel reads the file in the machine's ANSI code page and breaks
  every non-ASCII name ("Pelayanan – izin", "Sekretariat’s").
- Semicolons between fields: Excel splits a CSV at the *list separator* of the Windows regional settings,
  which is ";" wherever the decimal separator is a comma, as in Indonesian (id-ID); a comma-separated file
  opens there as one column. LibreOffice and Google Sheets detect the semicolon themselves. A "sep=;" first
  line would force it in any locale, but Excel then ignores the byte-order mark (and other programs show the
  line as data), so it is not written.
- Text cells go through xlsx.neutralise_text, the one rule for cells: a value starting with = + - @ (or a
  tab, a carriage return, their full-width forms) is quoted with an apostrophe so no program runs it as a
  formula. Whole numbers are written as numbers. A fraction is refused (TypeError): "0.5" is text, or a date,
  to a spreadsheet whose decimal separator is a comma, so the caller formats it in the reader's language.
- Lines end with CRLF (RFC 4180); fields with a separator, a quote or a line break are quoted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from zi_public.exports.xlsx import neutralise_text

BOM = "\ufeff"
DELIMITER = ";"
#: What a CSV download is sent as (Flask adds "; charset=utf-8", so a browser that shows it reads it right).
CSV_MIMETYPE = "text/csv"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    if isinstance(value, float | Decimal):
        raise TypeError(f"a fraction ({value!r}) has no locale-free CSV form: format it in the reader's language")
    return neutralise_text(str(value))


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """`headers` then `rows` as a semicolon-separated UTF-8 file with a byte-order mark; text cells neutralised."""
    buffer = io.StringIO(newline="")
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_cell(header) for header in headers])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")
