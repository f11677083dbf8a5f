"""The Tim SKM's import of a quarter's population (services delivered per layanan) from an xlsx or CSV
file: a heading row naming the layanan column (code or name) and the number column, then one row a layanan.
Every row is checked first and the problems listed by row and column; nothing is stored unless all rows are
valid. A row without a number leaves that layanan as it was. The numbers are stored through
services/skm/population.py (each change audit-logged there), the file itself as skm.population_import.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

import openpyxl
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from zi_public.exports.xlsx import Sheet, write_workbook
from zi_public.extensions import db
from zi_public.models import Layanan, User
from zi_public.security import office
from zi_public.services import audit
from zi_public.services.skm.population import PopulationRefused, check_quarter, parse_served, quarter_entries, set_one

#: A population file has one row a layanan: a few dozen rows, a few kilobytes.
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Accepted column headings (compared without case, spaces, underscores or dashes).
CODE_HEADINGS = frozenset({"kodelayanan", "kode", "code", "layanancode"})
NAME_HEADINGS = frozenset({"layanan", "namalayanan", "nama", "name", "layananname"})
SERVED_HEADINGS = frozenset({"jumlahdilayani", "dilayani", "jumlah", "served", "populasi", "jumlahlayanan", "n"})
#: The template's headings (each one of the sets above).
TEMPLATE_HEADINGS = ("kode_layanan", "nama_layanan", "jumlah_dilayani")


@dataclass(frozen=True)
class RowError:
    """One problem of an imported file: its row (1 = the first row; 0 = the file as a whole), the column's
    heading as written in the file ("" for the whole row), the message."""

    row: int
    column: str
    message: object


class PopulationImportRefused(ValueError):
    """Nothing was imported: `errors` lists every problem found, by row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass(frozen=True)
class ImportOutcome:
    rows: int  # rows with a number
    changed: int  # layanan whose number changed


def _heading_key(value: object) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(value or "")).casefold())


def _name_key(value: object) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(value or "")).casefold().split())


def _file_error(message: object) -> PopulationImportRefused:
    return PopulationImportRefused([RowError(0, "", message)])


def _xlsx_rows(data: bytes) -> list[tuple[int, list[object]]]:
    try:
        office.check_office(data)
    except office.OfficeRefused as exc:
        raise _file_error(_l("Berkas xlsx rusak atau berisi makro/tautan luar.")) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = []
                for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                    if number > MAX_IMPORT_ROWS + 1:
                        raise _file_error(_l("Berkas terlalu panjang: paling banyak %(n)d baris.", n=MAX_IMPORT_ROWS))
                    rows.append((number, list(values)))
            finally:
                workbook.close()
    except PopulationImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same
        raise _file_error(_l("Berkas xlsx tidak dapat dibaca.")) from exc
    return rows


def _csv_rows(data: bytes) -> list[tuple[int, list[object]]]:
    if b"\x00" in data:
        raise _file_error(_l("Unggah berkas xlsx atau CSV."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows is ANSI, not UTF-8
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        rows = []
        for number, values in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
            if number > MAX_IMPORT_ROWS + 1:
                raise _file_error(_l("Berkas terlalu panjang: paling banyak %(n)d baris.", n=MAX_IMPORT_ROWS))
            rows.append((number, list(values)))
    except csv.Error as exc:
        raise _file_error(_l("Berkas CSV tidak dapat dibaca.")) from exc
    return rows


def read_rows(data: bytes) -> list[tuple[int, list[object]]]:
    """The rows of an xlsx (first sheet) or CSV file, numbered as a spreadsheet shows them; refused files
    raise PopulationImportRefused with a row-0 error."""
    if not data:
        raise _file_error(_l("Berkas kosong."))
    if len(data) > MAX_IMPORT_BYTES:
        raise _file_error(_l("Berkas terlalu besar: paling besar %(n)d KB.", n=MAX_IMPORT_BYTES // 1024))
    if data.startswith(b"PK\x03\x04"):
        if office.sniff_office(data) != XLSX_TYPE:
            raise _file_error(_l("Unggah berkas xlsx atau CSV."))
        return _xlsx_rows(data)
    return _csv_rows(data)


def _columns(header: list[object]) -> tuple[int | None, int | None, int | None]:
    keys = [_heading_key(value) for value in header]

    def find(headings: frozenset[str]) -> int | None:
        return next((i for i, key in enumerate(keys) if key in headings), None)

    return find(CODE_HEADINGS), find(NAME_HEADINGS), find(SERVED_HEADINGS)


def _cell(values: list[object], index: int | None) -> object:
    return values[index] if index is not None and index < len(values) else None


def check_rows(rows: list[tuple[int, list[object]]]) -> tuple[dict[Layanan, int], list[RowError]]:
    """The number for each layanan named in the rows, or every problem by row and column."""
    content = [(number, values) for number, values in rows if any(str(v or "").strip() for v in values)]
    if not content:
        return {}, [RowError(0, "", _l("Berkas tidak berisi data."))]
    (header_row, header), data_rows = content[0], content[1:]
    code_at, name_at, served_at = _columns(header)
    if (code_at is None and name_at is None) or served_at is None:
        message = _l(
            "Baris judul harus memuat kolom kode atau nama layanan dan kolom jumlah dilayani (%(headings)s).",
            headings=", ".join(TEMPLATE_HEADINGS),
        )
        return {}, [RowError(header_row, "", message)]
    catalogue = list(db.session.scalars(sa.select(Layanan)))  # retired layanan too: a past quarter had them
    by_code = {item.code.casefold(): item for item in catalogue}
    by_name: dict[str, Layanan] = {}
    for item in catalogue:
        for key in (item.name, item.name_en):
            if key:
                by_name.setdefault(_name_key(key), item)

    def lookup(text: str) -> Layanan | None:
        return by_code.get(text.casefold()) or by_name.get(_name_key(text))

    errors: list[RowError] = []
    found: dict[Layanan, int] = {}
    seen: dict[int, int] = {}
    layanan_heading = str(header[code_at if code_at is not None else name_at] or "")[:80]
    served_heading = str(header[served_at] or "")[:80]
    for number, values in data_rows:
        code = str(_cell(values, code_at) or "").strip()
        name = str(_cell(values, name_at) or "").strip()
        item = lookup(code or name) if code or name else None
        try:
            served = parse_served(_cell(values, served_at))
        except ValueError as exc:
            errors.append(RowError(number, served_heading, exc.args[0]))
            served = None
        if item is None:
            message = (
                _l("Layanan tidak dikenal: %(value)s.", value=(code or name)[:80])
                if code or name
                else _l("Wajib diisi.")
            )
            errors.append(RowError(number, layanan_heading, message))
            continue
        if item.id in seen:
            errors.append(
                RowError(number, layanan_heading, _l("Layanan ini sudah ada di baris %(row)d.", row=seen[item.id]))
            )
            continue
        seen[item.id] = number
        if served is not None:
            found[item] = served
    return found, errors


def import_populations(actor: User | str, year: int, quarter: int, data: bytes, filename: str) -> ImportOutcome:
    """Import one quarter's numbers from an xlsx or CSV file, all or nothing (PopulationImportRefused with
    every problem by row and column; PopulationRefused for a bad quarter). A row without a number leaves
    that layanan as it was. Audit-logged: the file (skm.population_import) and each change."""
    quarter_errors = check_quarter(year, quarter)
    if quarter_errors:
        raise PopulationRefused(quarter_errors)
    found, errors = check_rows(read_rows(data))
    if errors:
        raise PopulationImportRefused(errors)
    changed = sum(set_one(actor, year, quarter, layanan, served) for layanan, served in found.items())
    audit.record(
        actor,
        "skm.population_import",
        target_type="skm_population",
        target_id=f"{year}-Q{quarter}",
        data={
            "filename": (filename or "")[:200],
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(found),
            "changed": changed,
        },
    )
    db.session.flush()
    return ImportOutcome(rows=len(found), changed=changed)


def template_xlsx(year: int, quarter: int) -> bytes:
    """An xlsx to fill in: one row per active layanan, with the quarter's numbers as entered so far."""
    entered = quarter_entries(year, quarter)
    items = db.session.scalars(
        sa.select(Layanan).where(Layanan.is_active.is_(True)).order_by(Layanan.sort_order, Layanan.id)
    )
    rows = [[item.code, item.name, entered.get(item.id)] for item in items]
    sheet = Sheet(title=f"{year}-Q{quarter}", headers=TEMPLATE_HEADINGS, rows=rows, widths=(18, 60, 18))
    return write_workbook([sheet])
