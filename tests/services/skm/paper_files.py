"""Paper-form xlsx files for the import's tests, written with openpyxl as an office's Excel would save them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook

from zi_public.rules.skm import UNSUR
from zi_public.services.skm.paper_columns import FIELDS, TEMPLATE_HEADERS

#: The template's columns: (header, field).
TEMPLATE_COLUMNS = [(TEMPLATE_HEADERS[field], field) for field in FIELDS]


def paper_row(**overrides: Any) -> dict[str, Any]:
    """One valid respondent as the Tim SKM types it (layanan 'pbg' from the seeded catalogue)."""
    values: dict[str, Any] = {
        "submitted_on": date(2026, 11, 2),
        "layanan": "pbg",
        "permit_number": None,
        "gender": "P",
        "age": 34,
        "education": "S1",
        "occupation": "wirausaha",
        "vulnerable_group": None,
        **dict.fromkeys(UNSUR, 3),
        "suggestion": "Antrean cepat.",
    }
    values.update(overrides)
    return values


def xlsx_file(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]] = TEMPLATE_COLUMNS,
    *,
    above: Sequence[Sequence[Any]] = (),
    title: str = "Tanggapan",
    creator: str = "openpyxl",
) -> bytes:
    """An xlsx whose first sheet has the `above` rows, then a header row of `columns` (header, field), then one
    row per mapping (a value by field; a field the mapping lacks is an empty cell)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    workbook.properties.creator = creator
    for line in above:
        sheet.append(list(line))
    sheet.append([header for header, _field in columns])
    for row in rows:
        sheet.append([row.get(field) for _header, field in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_template(template: bytes, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The downloaded template with `rows` typed under its headers (columns found by their header)."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    position = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for field, value in row.items():
            sheet.cell(row=number, column=position[TEMPLATE_HEADERS[field]], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A ZIP that looks like an xlsx and inflates a thousandfold (8 MB of zeros in a few KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    return buffer.getvalue()


def with_member(data: bytes, name: str, body: bytes) -> bytes:
    """A copy of an xlsx with one more member (e.g. a macro project)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info, source.read(info))
        copy.writestr(name, body)
    return buffer.getvalue()
