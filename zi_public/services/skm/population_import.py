"""The Tim SKM's import of a quarter's population (services delivered per layanan) from an xlsx or CSV
file: a heading row naming the layanan column (code or name) and the number column, then one row a layanan.
Every row is checked first and the problems listed by row and column; nothing is stored unless all rows are
valid. A row without a number leaves that layanan as it was. The numbers are stored through
services/skm/population.py (each change audit-logged there), the file itself as skm.population_import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from zi_public.exports.xlsx import Sheet, write_workbook
from zi_public.extensions import db
from zi_public.models import Layanan, User
from zi_public.services import audit, reference, tables
from zi_public.services.skm.population import PopulationRefused, check_quarter, parse_served, quarter_entries, set_one

#: A population file has one row a layanan: a few dozen rows, a few kilobytes.
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2_000
#: Accepted column headings (compared through tables.find_columns: no case, spaces, underscores or punctuation).
CODE_HEADINGS = frozenset({"kodelayanan", "kode", "code", "layanancode"})
NAME_HEADINGS = frozenset({"layanan", "namalayanan", "nama", "name", "layananname"})
SERVED_HEADINGS = frozenset({"jumlahdilayani", "dilayani", "jumlah", "served", "populasi", "jumlahlayanan", "n"})
#: The template's headings (each one of the sets above).
TEMPLATE_HEADINGS = ("kode_layanan", "nama_layanan", "jumlah_dilayani")
_COLUMNS = {"code": CODE_HEADINGS, "name": NAME_HEADINGS, "served": SERVED_HEADINGS}


class PopulationImportRefused(tables.RowsRefused):
    """Nothing was imported: `errors` lists every problem found, by row and column (row 0: the file)."""


@dataclass(frozen=True)
class ImportOutcome:
    rows: int  # rows with a number
    changed: int  # layanan whose number changed


def check_file(data: bytes) -> tuple[dict[Layanan, int], tables.Problems]:
    """The number for each layanan named in an xlsx (first sheet) or CSV file, or every problem by row and
    column (a file refused as a whole: one problem at row 0)."""
    problems = tables.Problems()
    try:
        data = tables.read_capped(data, MAX_IMPORT_BYTES)
        with tables.open_rows(data, csv=True, formula_values=True) as rows:
            return _check_rows(rows, problems), problems
    except tables.FileRefused as refused:
        problems = tables.Problems()  # the rows read before the file broke off are not the point
        problems.file(refused)
        return {}, problems


def _check_rows(rows: Iterator[tables.Row], problems: tables.Problems) -> dict[Layanan, int]:
    header = tables.find_header(rows)
    if header is None:
        problems.add(0, "", _l("Berkas tidak berisi data."))
        return {}
    header_row, headings = header
    columns = tables.find_columns(headings, _COLUMNS)
    layanan_at = columns.get("code", columns.get("name"))
    if layanan_at is None or "served" not in columns:
        message = _l(
            "Baris judul harus memuat kolom kode atau nama layanan dan kolom jumlah dilayani (%(headings)s).",
            headings=", ".join(TEMPLATE_HEADINGS),
        )
        problems.add(header_row, "", message)
        return {}
    # Retired layanan too: a past quarter had them.
    catalogue = reference.by_code_or_name(Layanan, include_retired=True)
    found: dict[Layanan, int] = {}
    seen: dict[int, int] = {}
    layanan_heading = headings[layanan_at][:80]
    served_heading = headings[columns["served"]][:80]
    for number, record in tables.records(rows, columns, max_rows=MAX_IMPORT_ROWS):
        code = tables.cell_text(record.get("code"))
        name = tables.cell_text(record.get("name"))
        try:
            served = parse_served(record["served"])
        except ValueError as exc:
            problems.add(number, served_heading, exc.args[0])
            served = None
        try:
            item = catalogue.find(code or name)
        except reference.AmbiguousName:
            problems.add(number, layanan_heading, reference.AMBIGUOUS_LAYANAN, code or name)
            continue
        if item is None:
            message = (
                _l("Layanan tidak dikenal: %(value)s.", value=(code or name)[:80])
                if code or name
                else _l("Wajib diisi.")
            )
            problems.add(number, layanan_heading, message)
            continue
        if item.id in seen:
            problems.add(number, layanan_heading, _l("Layanan ini sudah ada di baris %(row)d.", row=seen[item.id]))
            continue
        seen[item.id] = number
        if served is not None:
            found[item] = served
    return found


def import_populations(actor: User | str, year: int, quarter: int, data: bytes, filename: str) -> ImportOutcome:
    """Import one quarter's numbers from an xlsx or CSV file, all or nothing (PopulationImportRefused with
    every problem by row and column; PopulationRefused for a bad quarter). A row without a number leaves
    that layanan as it was. Audit-logged: the file (skm.population_import) and each change."""
    quarter_errors = check_quarter(year, quarter)
    if quarter_errors:
        raise PopulationRefused(quarter_errors)
    found, problems = check_file(data)
    if problems:
        raise PopulationImportRefused(problems)
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
    """An xlsx to fill in: one row per active layanan (named in the current language; the import reads either
    name or the code), with the quarter's numbers as entered so far."""
    entered = quarter_entries(year, quarter)
    lang = str(get_locale())
    rows = [[row.code, reference.localized_name(row, lang), entered.get(row.id)] for row in reference.active(Layanan)]
    sheet = Sheet(title=f"{year}-Q{quarter}", headers=TEMPLATE_HEADINGS, rows=rows, widths=(18, 60, 18))
    return write_workbook([sheet])
