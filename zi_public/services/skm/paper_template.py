"""The xlsx template the Tim SKM types paper forms into: one row a respondent, a sheet of the allowed values
(codes and labels) and a sheet of instructions with each unsur's meaning of 1-4.

Built with openpyxl directly, not through exports/xlsx.py: the writer streams report rows and has no data
validation (the drop-down lists of layanan and profile options, whole numbers 1-4 for the unsur). Every text
put in a cell still goes through the writer's `neutralise_text`: layanan names come from the catalogue.
The headers stay Indonesian (the format's names, like an API's fields); labels and instructions follow the
page's language, and the import accepts either.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence

from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zi_public.exports.xlsx import DATE_FORMAT, neutralise_text
from zi_public.labels import label
from zi_public.models import Layanan
from zi_public.rules import skm as rules
from zi_public.rules.skm import ANSWERS, UNSUR
from zi_public.services.reference import localized_name
from zi_public.services.skm.labels import (
    ANSWER_LABELS,
    EDUCATION_LABELS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
    VULNERABLE_LABELS,
)
from zi_public.services.skm.paper_columns import FIELDS, TEMPLATE_HEADERS

DATA_SHEET = "Tanggapan"
OPTIONS_SHEET = "Pilihan"
HELP_SHEET = "Petunjuk"
#: Rows of the data sheet that carry the drop-down lists and number checks.
VALIDATED_ROWS = 10_000
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WIDTHS = {
    "submitted_on": 14,
    "layanan": 36,
    "permit_number": 20,
    "gender": 14,
    "age": 8,
    "education": 16,
    "occupation": 18,
    "vulnerable_group": 22,
    "suggestion": 40,
}


def build_template(layanan: Sequence[Layanan], *, max_rows: int, max_size: str) -> bytes:
    """The template as xlsx bytes, listing the given (active) layanan."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    options = workbook.create_sheet(OPTIONS_SHEET)
    lists = _write_options(options, layanan)
    _write_data_sheet(data, lists)
    _write_help(workbook.create_sheet(HELP_SHEET), max_rows=max_rows, max_size=max_size)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_data_sheet(ws: Worksheet, lists: Mapping[str, str]) -> None:
    ws.append([_text(TEMPLATE_HEADERS[field]) for field in FIELDS])
    for cell in ws[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"
    last = VALIDATED_ROWS + 1
    for index, field in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = _WIDTHS.get(field, 12)
        cells = f"{letter}2:{letter}{last}"
        if field == "submitted_on":
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        elif field == "permit_number":
            ws.column_dimensions[letter].number_format = "@"  # text: a number's leading zeros stay
        if field in lists:
            _validate(ws, cells, type="list", formula1=lists[field], allow_blank=True, errorStyle="warning")
        elif field in UNSUR:
            _validate(ws, cells, type="whole", operator="between", formula1="1", formula2="4", allow_blank=True)
        elif field == "age":
            low, high = str(rules.MIN_AGE), str(rules.MAX_AGE)
            _validate(ws, cells, type="whole", operator="between", formula1=low, formula2=high, allow_blank=True)


def _validate(ws: Worksheet, cells: str, **options: object) -> None:
    validation = DataValidation(
        showErrorMessage=True,
        error=_("Isi nilai dari daftar atau dalam batas yang diizinkan (lihat lembar %(sheet)s).", sheet=HELP_SHEET),
        errorTitle=_("Nilai tidak sesuai"),
        **options,
    )
    ws.add_data_validation(validation)
    validation.add(cells)


def _write_options(ws: Worksheet, layanan: Sequence[Layanan]) -> dict[str, str]:
    """One block of (code, label) columns per list; returns each field's drop-down source (its labels)."""
    lang = str(get_locale())
    blocks: list[tuple[str, str, str, Iterable[tuple[str, str]]]] = [
        ("layanan", _("Kode layanan"), _("Layanan"), [(row.code, localized_name(row, lang)) for row in layanan]),
        ("gender", _("Kode"), _("Jenis kelamin"), _labelled(rules.GENDERS, GENDER_LABELS)),
        ("education", _("Kode"), _("Pendidikan"), _labelled(rules.EDUCATIONS, EDUCATION_LABELS)),
        ("occupation", _("Kode"), _("Pekerjaan"), _labelled(rules.OCCUPATIONS, OCCUPATION_LABELS)),
        ("vulnerable_group", _("Kode"), _("Kelompok rentan"), _labelled(rules.VULNERABLE_GROUPS, VULNERABLE_LABELS)),
    ]
    sources: dict[str, str] = {}
    column = 1
    for field, code_header, label_header, pairs in blocks:
        code_letter, label_letter = get_column_letter(column), get_column_letter(column + 1)
        rows = list(pairs)
        for offset, text in ((0, code_header), (1, label_header)):
            cell = ws.cell(row=1, column=column + offset, value=_text(text))
            cell.font = _BOLD
            cell.fill = _HEADER_FILL
        for number, (code, text) in enumerate(rows, start=2):
            ws.cell(row=number, column=column, value=_text(code))
            ws.cell(row=number, column=column + 1, value=_text(text))
        ws.column_dimensions[code_letter].width = 16
        ws.column_dimensions[label_letter].width = 50 if field == "layanan" else 26
        if rows:
            sources[field] = f"{OPTIONS_SHEET}!${label_letter}$2:${label_letter}${len(rows) + 1}"
        column += 3  # an empty column between two lists
    ws.freeze_panes = "A2"
    return sources


def _labelled(codes: Iterable[str], labels: Mapping[str, object]) -> list[tuple[str, str]]:
    return [(code, label(labels, code) or code) for code in codes]


def _write_help(ws: Worksheet, *, max_rows: int, max_size: str) -> None:
    lines = [
        _("Cara mengisi templat formulir SKM kertas"),
        "",
        _("Satu baris untuk satu formulir (satu responden), di lembar %(sheet)s.", sheet=DATA_SHEET),
        _(
            "Jangan ubah judul kolom. Urutan kolom boleh berbeda: kolom dibaca menurut judulnya, kolom unsur menurut "
            "nama unsurnya."
        ),
        _("Tanggal: tanggal pada formulir, sebagai tanggal atau teks dd/mm/yyyy; tidak boleh lewat dari hari ini."),
        _(
            "Layanan, jenis kelamin, pendidikan, pekerjaan dan kelompok rentan: pilih dari daftar, atau tulis kode "
            "atau labelnya (lembar %(sheet)s).",
            sheet=OPTIONS_SHEET,
        ),
        _("Nomor izin dan kelompok rentan boleh kosong. Satu nomor izin hanya satu kali dalam satu triwulan."),
        _("Unsur U1–U9: jawaban 1, 2, 3 atau 4; arti setiap angka ada di tabel di bawah."),
        _("Isi nilai, bukan rumus. Kolom lain (misalnya nomor urut) diabaikan; nama responden tidak disimpan."),
        _(
            "Jika satu baris saja salah, tidak ada yang diimpor: perbaiki baris dan kolom yang disebut, lalu unggah "
            "lagi. Berkas yang sama tidak diimpor dua kali."
        ),
        _("Paling banyak %(rows)d baris dan %(size)s per berkas.", rows=max_rows, size=max_size),
        "",
    ]
    for line in lines:
        ws.append([_text(line)])
    ws["A1"].font = Font(bold=True, size=13)
    header = [_("Unsur"), *(str(answer) for answer in ANSWERS)]
    ws.append([_text(text) for text in header])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for code in UNSUR:
        ws.append([_text(TEMPLATE_HEADERS[code]), *(_text(str(text)) for text in ANSWER_LABELS[code])])
    ws.column_dimensions["A"].width = 48
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 26


def _text(value: object) -> str:
    return neutralise_text(str(value))
