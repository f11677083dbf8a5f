"""The paper-form file's rows: read as they stream past (openpyxl read-only mode), the header row mapped to
fields (paper_columns.py), and each row checked: filing.check for the response, like any channel, then the date
on the form and the one-response-per-permit-per-quarter rule, within the file and against what is stored."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL

from zi_public.extensions import db
from zi_public.models import Layanan, SkmResponse
from zi_public.rules.periods import QUARTER, make_period
from zi_public.rules.skm import UNSUR, Channel
from zi_public.services import reference
from zi_public.services.skm import filing
from zi_public.services.skm.paper_columns import (
    FIELD_NAMES,
    OPTION_FIELDS,
    Columns,
    HeaderProblems,
    Lookups,
    as_number,
    as_text,
    cell_text,
    form_date,
    map_columns,
    recognised,
    shown,
)
from zi_public.services.skm.paper_file import ImportRefused, corrupt

#: The header row is the first of these rows that names at least HEADER_MIN_FIELDS fields (a title may sit above).
HEADER_ROWS = 10
HEADER_MIN_FIELDS = 3
#: Columns read from each row: more than the template's 17, far fewer than a sheet's 16,384.
MAX_COLUMNS = 60
#: The most rows a spreadsheet can hold: a row number beyond it is no Excel file (and would stream for ever).
SHEET_MAX_ROWS = 1_048_576
#: Errors listed on the result page (all are counted).
MAX_ERRORS_SHOWN = 300
PERMIT_QUERY_CHUNK = 500
#: The date on a form may be at most this many years before 1 January of this year.
OLDEST_YEARS = 3


@dataclass(frozen=True)
class CellError:
    """One wrong cell: its spreadsheet row number, its column's header as written, what it held, and why."""

    row: int
    column: str
    value: str
    message: object


class RowsRefused(ValueError):
    """Some rows are wrong, so nothing was imported. `errors`: the first MAX_ERRORS_SHOWN, by row."""

    def __init__(self, errors: list[CellError], *, total: int, bad_rows: int, rows: int, columns: Columns) -> None:
        super().__init__(f"{total} errors in {bad_rows} of {rows} rows")
        self.errors = errors
        self.total = total
        self.bad_rows = bad_rows
        self.rows = rows
        self.columns = columns


@dataclass
class _Errors:
    shown: list[CellError] = field(default_factory=list)
    total: int = 0
    rows: set[int] = field(default_factory=set)

    def add(self, error: CellError) -> None:
        self.total += 1
        self.rows.add(error.row)
        if len(self.shown) < MAX_ERRORS_SHOWN:
            self.shown.append(error)


@dataclass
class ParsedFile:
    columns: Columns
    errors: _Errors = field(default_factory=_Errors)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the values of the valid rows, to insert
    digests: list[bytes] = field(default_factory=list)
    data_rows: int = 0
    #: (permit number, year, quarter) -> the first row that uses it
    permits: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def sha256(self) -> str:
        """The rows' checked content in any order: the same rows give the same hash whatever the file's bytes."""
        digest = hashlib.sha256()
        for row in sorted(self.digests):
            digest.update(row)
        return digest.hexdigest()

    def refusal(self) -> RowsRefused:
        errors = self.errors
        return RowsRefused(
            errors.shown, total=errors.total, bad_rows=len(errors.rows), rows=self.data_rows, columns=self.columns
        )


def parse(data: bytes, *, today: date, max_rows: int) -> ParsedFile:
    """Read the sheet once: find the header row, then check each row as it streams past."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything from KeyError to XML errors on a bad file
        raise corrupt() from exc
    try:
        rows = _sheet_rows(workbook)
        columns = _header(rows)
        parsed = ParsedFile(columns=columns)
        positions = [column.index for column in columns.by_field.values()]
        checker = _RowChecker(columns, Lookups(reference.active(Layanan)), today)
        for number, cells in rows:
            if all(_is_empty(cells[i].value) for i in positions if i < len(cells)):
                continue  # an empty row (or one with only a running number in an unused column)
            parsed.data_rows += 1
            if parsed.data_rows > max_rows:
                raise ImportRefused(
                    "too_many_rows",
                    _l("Berkas ini berisi lebih dari %(limit)d baris data. Bagi ke beberapa berkas.", limit=max_rows),
                )
            checker.check(number, cells, parsed)
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet that breaks while streaming is a corrupt file
        raise corrupt() from exc
    finally:
        workbook.close()
    if parsed.data_rows == 0:
        raise ImportRefused(
            "no_rows", _l("Tidak ada baris data di bawah judul kolom. Isi satu baris untuk setiap formulir.")
        )
    return parsed


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(workbook: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    """(row number, cells) of the first sheet, up to MAX_COLUMNS cells a row, whatever size the file declares."""
    if not workbook.worksheets:
        raise corrupt()
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # a declared size of A1:XFD1048576 must not make every row 16,384 cells wide
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > SHEET_MAX_ROWS:
            raise corrupt()
        yield number, cells


def _header(rows: Iterator[tuple[int, Sequence[Any]]]) -> Columns:
    """The columns named by the header row: the first of the first rows that names enough of them."""
    for number, cells in rows:
        values = [cell.value for cell in cells]
        if recognised(values) >= HEADER_MIN_FIELDS:
            try:
                return map_columns(values)
            except HeaderProblems as problems:
                raise ImportRefused("header", *problems.problems) from None
        if number >= HEADER_ROWS:
            break
    raise ImportRefused(
        "header",
        _l(
            "Baris judul kolom tidak ditemukan di %(rows)d baris pertama lembar pertama. Pakai templat dari halaman "
            "ini: satu baris judul (Tanggal, Layanan, …, U1 Persyaratan, …), lalu satu baris untuk setiap formulir.",
            rows=HEADER_ROWS,
        ),
    )


class _RowChecker:
    """Checks one row after another: filing.check for the response, then the date and the permit number."""

    def __init__(self, columns: Columns, lookups: Lookups, today: date) -> None:
        self.columns = columns.by_field
        self.lookups = lookups
        self.today = today
        self.oldest = date(today.year - OLDEST_YEARS, 1, 1)

    def check(self, number: int, cells: Sequence[Any], parsed: ParsedFile) -> None:
        cell = {name: cells[c.index] if c.index < len(cells) else EMPTY_CELL for name, c in self.columns.items()}
        raw = {name: c.value for name, c in cell.items()}
        errors: dict[str, object] = {}
        for name, c in cell.items():
            if c.data_type == "f":  # read-only mode gives a formula's text, never a value computed by us
                errors[name] = _l("Sel ini berisi rumus. Salin kolomnya lalu tempel sebagai nilai (Paste Values).")
        day = self._date(raw.get("submitted_on"), errors)
        checked = None
        try:
            checked = filing.check(self._input(raw))
        except filing.InvalidResponse as invalid:
            for name, message in invalid.errors.items():
                errors.setdefault(name, self._message(name, message, raw.get(name)))
        if checked is not None and day is not None and not errors:
            self._keep(number, checked, day, parsed, errors)
        for name, message in sorted(errors.items(), key=lambda item: self._position(item[0])):
            column = self.columns.get(name)
            header = column.header if column else FIELD_NAMES[name]
            parsed.errors.add(CellError(number, header, shown(raw.get(name)), message))

    def _position(self, name: str) -> int:
        column = self.columns.get(name)
        return column.index if column else MAX_COLUMNS

    def _input(self, raw: Mapping[str, Any]) -> filing.ResponseInput:
        layanan = self.lookups.layanan_code(raw.get("layanan"))
        return filing.ResponseInput(
            layanan=None if layanan == Lookups.AMBIGUOUS else layanan,
            gender=self.lookups.option("gender", raw.get("gender")),
            age=as_number(raw.get("age")),
            education=self.lookups.option("education", raw.get("education")),
            occupation=self.lookups.option("occupation", raw.get("occupation")),
            answers={code: as_number(raw.get(code)) for code in UNSUR},
            vulnerable_group=self.lookups.option("vulnerable_group", raw.get("vulnerable_group")),
            permit_number=as_text(raw.get("permit_number")),
            suggestion=as_text(raw.get("suggestion")),
        )

    def _date(self, value: object, errors: dict[str, object]) -> date | None:
        if cell_text(value) == "":
            errors["submitted_on"] = _l("Wajib diisi: tanggal pada formulir.")
            return None
        day = form_date(value)
        if day is None:
            errors["submitted_on"] = _l(
                "Tanggal tidak terbaca. Isi sebagai tanggal, atau sebagai teks dd/mm/yyyy, misalnya 15/08/2026."
            )
        elif day > self.today:
            errors["submitted_on"] = _l(
                "Tanggal ini belum tiba (hari ini %(today)s).", today=self.today.strftime("%d/%m/%Y")
            )
        elif day < self.oldest:
            errors["submitted_on"] = _l(
                "Tanggal ini terlalu lama; yang paling awal diterima %(oldest)s.",
                oldest=self.oldest.strftime("%d/%m/%Y"),
            )
        else:
            return day
        return None

    def _message(self, name: str, message: object, value: object) -> object:
        """The staff's words for a refused field (filing's are the respondent's: "Pilih jenis kelamin.")."""
        empty = cell_text(value) == ""
        if name in UNSUR:
            return _l("Kosong. Isi jawaban 1, 2, 3 atau 4.") if empty else filing.ANSWER_INVALID
        if name == "layanan":
            if empty:
                return _l("Wajib diisi: kode atau nama layanan.")
            if self.lookups.layanan_code(value) == Lookups.AMBIGUOUS:
                return _l("Nama ini dipakai lebih dari satu layanan; isi kode layanannya.")
            return _l("Layanan ini tidak ada di katalog. Isi kode atau nama layanan dari lembar “Pilihan”.")
        if name in OPTION_FIELDS:
            if empty:
                return _l("Wajib diisi: kode atau label dari lembar “Pilihan”.")
            return _l("Bukan pilihan yang dikenal. Isi kode atau label dari lembar “Pilihan”.")
        if name == "age" and empty:
            return _l("Wajib diisi: usia dalam tahun.")
        return message

    def _keep(self, number: int, checked: filing.CheckedResponse, day: date, parsed: ParsedFile, errors: dict) -> None:
        """Keep a valid row's values, unless its permit number already answered this quarter in the file."""
        values = filing.response_values(checked, channel=Channel.PAPER, submitted_on=day)
        if checked.permit_number:
            key = (checked.permit_number, int(values["year"]), int(values["quarter"]))
            first = parsed.permits.setdefault(key, number)
            if first != number:
                errors["permit_number"] = _l(
                    "Nomor izin ini sudah dipakai di baris %(row)d pada triwulan yang sama: satu tanggapan per izin "
                    "per triwulan.",
                    row=first,
                )
                return
        parsed.digests.append(hashlib.sha256(_canonical(values).encode()).digest())
        parsed.rows.append({**values, "import_row": number})


def _canonical(values: Mapping[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def check_stored_permits(parsed: ParsedFile) -> None:
    """Refuse the rows whose permit number already answered the survey in that quarter (a stored response)."""
    numbers = sorted({permit for permit, _year, _quarter in parsed.permits})
    header = parsed.columns.by_field.get("permit_number")
    for start in range(0, len(numbers), PERMIT_QUERY_CHUNK):
        chunk = numbers[start : start + PERMIT_QUERY_CHUNK]
        stmt = sa.select(SkmResponse.permit_number, SkmResponse.year, SkmResponse.quarter).where(
            SkmResponse.permit_number.in_(chunk)
        )
        for permit, year, quarter in db.session.execute(stmt):
            row = parsed.permits.get((permit, year, quarter))
            if row is not None and header is not None:
                message = _l(
                    "Nomor izin ini sudah mengisi survei pada %(quarter)s (tanggapan yang sudah tersimpan).",
                    quarter=make_period(QUARTER, year, quarter).label_id,
                )
                parsed.errors.add(CellError(row, header.header, permit, message))
    parsed.errors.shown.sort(key=lambda error: error.row)
