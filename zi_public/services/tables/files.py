"""The file: its bytes within a cap, its kind by its content, and its rows as they stream past (the package's
docstring says how)."""

from __future__ import annotations

import codecs
import csv as _csv  # `csv` is the keyword that says whether a CSV is taken
import io
import itertools
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL

from zi_public.i18n import format_size
from zi_public.security import office, uploads
from zi_public.services.tables.cells import is_blank

XLSX = office.OOXML_TYPES["xl/workbook.xml"]
CSV = "text/csv"
#: The shared-strings part (every text cell's text) is held in memory by openpyxl: cap what it may inflate to.
MAX_SHARED_STRINGS = 32 * 1024 * 1024
#: Cells read from each row: far more than any of our templates has, far fewer than a sheet's 16,384.
MAX_COLUMNS = 60
#: The most rows a spreadsheet can hold: a row number beyond it is no Excel file (and would stream for ever).
SHEET_MAX_ROWS = 1_048_576
#: Rows taken from openpyxl at a time, with its warnings about parts it does not read silenced.
_BATCH = 256
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an xlsx protected by a password
_DELIMITERS = (";", ",", "\t")

Row = tuple[int, tuple[object, ...]]


class FileRefused(ValueError):
    """The file as a whole cannot be read or imported (`code`: empty, too_large, type, unsafe, corrupt,
    too_many_rows, or the caller's own); `problems`: what to do instead, one message each."""

    def __init__(self, code: str, *problems: object) -> None:
        super().__init__(code, *problems)
        self.code = code
        self.problems = list(problems)


class Formula(str):
    """A formula cell's text ("=1+2"): the value was never computed by us, so the caller refuses it."""

    __slots__ = ()


def read_capped(source: bytes | BinaryIO, max_bytes: int) -> bytes:
    """The uploaded bytes (or a stream of them, read by security/uploads.read_capped: in chunks, abandoned as
    soon as it passes `max_bytes`), refused in the words the staff need for a spreadsheet."""
    try:
        return uploads.read_capped(source, max_bytes)
    except uploads.UploadRejected as rejected:
        if rejected.code != "too_large":
            raise FileRefused("empty", _l("Berkas kosong. Pilih berkas xlsx yang berisi data.")) from None
        message = _l(
            "Berkas terlalu besar; paling besar %(limit)s. Bagi barisnya ke beberapa berkas, lalu unggah "
            "satu per satu.",
            limit=format_size(max_bytes),
        )
        raise FileRefused("too_large", message) from None


def check_kind(data: bytes, *, csv: bool = False) -> str:
    """XLSX, or CSV where `csv` is taken, by the file's content; FileRefused naming what it is instead."""
    kind = office.sniff_office(data)
    if kind == XLSX:
        return XLSX
    if kind is None and data.startswith(b"PK\x03\x04"):  # a ZIP, but cut short or not an office file
        raise corrupt()
    if kind is None and csv and _looks_like_text(data):
        return CSV
    raise FileRefused("type", _not_accepted(data, kind, csv=csv))


def check_xlsx(data: bytes) -> None:
    """An xlsx safe to open: no ZIP bomb, macro or external link (security/office.py), shared strings capped."""
    try:
        office.check_office(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            strings = sum(i.file_size for i in archive.infolist() if i.filename.lower() == "xl/sharedstrings.xml")
    except office.OfficeRefused as refused:
        raise FileRefused(*_OFFICE_REFUSALS.get(refused.reason, _OFFICE_REFUSALS["corrupt"])) from refused
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise corrupt() from exc
    if strings > MAX_SHARED_STRINGS:
        raise FileRefused(*_OFFICE_REFUSALS["too_complex"])


@contextmanager
def open_rows(data: bytes, *, csv: bool = False, formula_values: bool = False) -> Iterator[Iterator[Row]]:
    """The checked file's non-blank rows as (row number, values): the first sheet of an xlsx, or a CSV where
    `csv` is taken. `formula_values`: a formula cell gives the value Excel saved with it, not a Formula."""
    if check_kind(data, csv=csv) == CSV:
        yield _csv_rows(data)
        return
    check_xlsx(data)
    try:
        with _openpyxl_quiet():
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=formula_values, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything from KeyError to XML errors on a bad file
        raise corrupt() from exc
    try:
        yield _xlsx_rows(workbook)
    finally:
        workbook.close()


def _xlsx_rows(workbook: Any) -> Iterator[Row]:
    if not workbook.worksheets:
        raise corrupt()
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # a declared size of A1:XFD1048576 must not make every row 16,384 cells wide
    cells = sheet.iter_rows(max_col=MAX_COLUMNS)
    number = 0
    gap: object = None  # the one tuple openpyxl repeats for each row missing from the file
    while batch := _next_batch(cells):
        for row in batch:
            number += 1
            if number > SHEET_MAX_ROWS:
                raise corrupt()
            if row is gap:
                continue
            if row and all(cell is EMPTY_CELL for cell in row):
                gap = row
                continue
            values = [Formula(cell.value) if cell.data_type == "f" else cell.value for cell in row]
            while values and values[-1] is None:  # openpyxl pads each row to MAX_COLUMNS cells
                values.pop()
            if not all(is_blank(value) for value in values):
                yield number, tuple(values)


def _next_batch(cells: Iterator[Any]) -> list[Any]:
    try:
        with _openpyxl_quiet():
            return list(itertools.islice(cells, _BATCH))
    except Exception as exc:  # noqa: BLE001 - a sheet that breaks while streaming is a corrupt file
        raise corrupt() from exc


@contextmanager
def _openpyxl_quiet() -> Iterator[None]:
    # openpyxl warns about parts it drops (extensions, some styles): harmless here, and not the staff's concern.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _csv_rows(data: bytes) -> Iterator[Row]:
    text = decode_text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=max(_DELIMITERS, key=first.count))
    try:
        for number, values in enumerate(reader, start=1):
            if any(value.strip() for value in values):
                yield number, tuple(values[:MAX_COLUMNS])
    except _csv.Error as exc:
        raise FileRefused("corrupt", _l("Berkas CSV tidak dapat dibaca.")) from exc


def decode_text(data: bytes) -> str:
    """A text file's bytes as text: UTF-8 (with or without its byte-order mark), else Windows-1252 (Excel's
    "CSV" on Windows is ANSI), every byte readable."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _looks_like_text(data: bytes) -> bool:
    if data.startswith(b"%PDF"):
        return False
    text = decode_text(data[:4096])
    return "\x00" not in text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * len(text)


def _not_accepted(data: bytes, kind: str | None, *, csv: bool) -> object:
    if kind == "application/vnd.oasis.opendocument.spreadsheet":
        return _l(
            "Berkas ini lembar kerja OpenDocument (.ods). Simpan sebagai Excel Workbook (.xlsx), lalu unggah lagi."
        )
    if kind is not None:
        return _l("Berkas ini dokumen kantor, tetapi bukan lembar kerja Excel. Unggah templat xlsx yang sudah diisi.")
    if data.startswith(_OLE_MAGIC):
        return _l(
            "Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi. Simpan sebagai Excel Workbook "
            "(.xlsx) tanpa kata sandi, lalu unggah lagi."
        )
    if csv:
        return _l("Unggah berkas xlsx atau CSV.")
    if _looks_like_text(data):
        return _l(
            "Berkas ini teks (misalnya CSV), bukan xlsx, walaupun namanya mungkin berakhiran .xlsx. Buka di Excel, "
            "simpan sebagai Excel Workbook (.xlsx), lalu unggah lagi."
        )
    return _l("Berkas ini bukan berkas Excel (.xlsx). Unggah templat yang sudah diisi dan disimpan sebagai .xlsx.")


_OFFICE_REFUSALS: dict[str, tuple[str, object]] = {
    "active": (
        "unsafe",
        _l(
            "Berkas ini berisi makro, objek tersemat atau tautan ke berkas lain. Simpan sebagai Excel Workbook "
            "(.xlsx) biasa, lalu unggah lagi."
        ),
    ),
    "encrypted": ("unsafe", _l("Berkas ini dilindungi kata sandi. Simpan tanpa kata sandi, lalu unggah lagi.")),
    "too_complex": (
        "too_large",
        _l(
            "Isi berkas ini terlalu besar setelah dibuka (mungkin bukan berkas Excel biasa). Bagi barisnya ke "
            "beberapa berkas, atau simpan ulang sebagai Excel Workbook (.xlsx)."
        ),
    ),
    "corrupt": (
        "corrupt",
        _l(
            "Berkas ini rusak, tidak lengkap, atau bukan lembar kerja Excel, sehingga tidak dapat dibaca. Simpan "
            "ulang sebagai Excel Workbook (.xlsx), lalu unggah lagi."
        ),
    ),
}


def corrupt() -> FileRefused:
    """The refusal of a file that cannot be read, or breaks while it is read."""
    return FileRefused(*_OFFICE_REFUSALS["corrupt"])
