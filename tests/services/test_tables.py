"""The one reader of the staff's spreadsheet uploads (services/tables.py): hostile files refused with the reason
(cut short, a ZIP bomb, macros, external links, not a spreadsheet at all, endless rows, any CSV encoding), rows
streamed and numbered as the sheet shows them, formulas never computed, the header and columns found by their
words, and every problem counted by row and column."""

from __future__ import annotations

import codecs
import io
import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from zi_public.services import tables
from zi_public.services.tables import FileRefused, Formula

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def context(bare_app):
    """A request, for the messages to render in."""
    with bare_app.test_request_context():
        yield


def xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A copy of a ZIP with members replaced or added (name -> body)."""
    parts = dict(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, parts.pop(info.filename, None) or source.read(info))
        for name, body in parts.items():
            copy.writestr(name, body)
    return out.getvalue()


def sheet_xml(rows: str, dimension: str = "A1") -> bytes:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def read(data: bytes, **options: object) -> list[tuple[int, tuple[object, ...]]]:
    with tables.open_rows(data, **options) as rows:
        return list(rows)


def refused(data: bytes, **options: object) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        read(data, **options)
    return caught.value


# -- rows ----------------------------------------------------------------------------------------------


def test_rows_are_numbered_as_the_sheet_shows_them_and_blank_rows_left_out():
    data = xlsx(["Kode", "Jumlah"], [], ["pbg", 10], ["  ", None], ["slf", 2.5, date(2026, 11, 2)])
    assert read(data) == [
        (1, ("Kode", "Jumlah")),  # no trailing empty cells, whatever width the sheet declares
        (3, ("pbg", 10)),
        (5, ("slf", 2.5, datetime(2026, 11, 2))),
    ]


def test_a_formula_is_its_text_unless_the_values_excel_saved_are_asked_for():
    saved_by_excel = sheet_xml('<row r="1"><c r="A1"><f>1+2</f><v>3</v></c><c r="B1"><v>4</v></c></row>')
    data = with_parts(xlsx(["x"]), {SHEET: saved_by_excel})
    [(number, values)] = read(data)
    assert number == 1 and values == ("=1+2", 4) and isinstance(values[0], Formula)
    assert read(data, formula_values=True) == [(1, (3, 4))]
    assert not isinstance(read(xlsx(["'=1+2"]))[0][1][0], Formula)  # text that only looks like one


def test_a_row_is_cut_at_max_columns_whatever_size_the_file_declares():
    wide = "".join(f'<c r="{_column(i)}1"><v>{i}</v></c>' for i in range(1, 200))
    data = with_parts(xlsx(["x"]), {SHEET: sheet_xml(f'<row r="1">{wide}</row>', "A1:XFD1048576")})
    [(_number, values)] = read(data)
    assert len(values) == tables.MAX_COLUMNS and values[:3] == (1, 2, 3)


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_a_row_far_down_is_read_without_holding_the_gap():
    far = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="900000"><c r="A900000"><v>2</v></c></row>')
    started = time.perf_counter()
    assert read(with_parts(xlsx(["x"]), {SHEET: far})) == [(1, (1,)), (900_000, (2,))]
    assert time.perf_counter() - started < 5


# -- hostile xlsx files --------------------------------------------------------------------------------


def test_a_row_beyond_the_last_row_a_sheet_can_have_is_no_spreadsheet(context):
    beyond = sheet_xml(f'<row r="{tables.SHEET_MAX_ROWS + 1}"><c r="A{tables.SHEET_MAX_ROWS + 1}"><v>1</v></c></row>')
    started = time.perf_counter()
    assert refused(with_parts(xlsx(["x"]), {SHEET: beyond})).code == "corrupt"
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-200],  # cut short
        lambda data: data[: len(data) // 2],
        lambda data: b"PK\x03\x04" + b"\0" * 100,  # a ZIP header and nothing behind it
        lambda data: with_parts(data, {SHEET: b"<worksheet><sheetData><row>"}),
        lambda data: with_parts(data, {"xl/workbook.xml": b"<workbook/>"}),  # no sheets
        lambda data: with_parts(data, {"xl/_rels/workbook.xml.rels": b"not xml"}),
    ],
)
def test_a_damaged_xlsx_is_corrupt(context, damage):
    problem = refused(damage(xlsx(["a", 1], ["b", 2])))
    assert problem.code == "corrupt"
    assert "rusak" in str(problem.problems[0])


def test_a_zip_bomb_is_refused_before_it_is_inflated(context):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr(SHEET, b"\0" * (8 * 1024 * 1024))
    problem = refused(bomb.getvalue())
    assert problem.code == "too_large" and "terlalu besar setelah dibuka" in str(problem.problems[0])


def test_shared_strings_past_the_cap_are_refused(context, monkeypatch):
    monkeypatch.setattr(tables.files, "MAX_SHARED_STRINGS", 1_000)
    strings = b"<sst>" + b"<si><t>teks</t></si>" * 100 + b"</sst>"
    assert refused(with_parts(xlsx(["x"]), {"xl/sharedStrings.xml": strings})).code == "too_large"


@pytest.mark.parametrize(
    "parts",
    [
        {"xl/vbaProject.bin": b"macro"},
        {"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled"/>'},
        {"xl/activeX/activeX1.bin": b"ole"},
        {"xl/embeddings/oleObject1.bin": b"ole"},
        {
            "xl/worksheets/_rels/sheet1.xml.rels": b'<Relationships><Relationship Id="r1" Type="http://x/oleObject" '
            b'Target="file:///C:/secret.xlsx" TargetMode="External"/></Relationships>'
        },
    ],
)
def test_macros_objects_and_external_links_are_unsafe(context, parts):
    problem = refused(with_parts(xlsx(["x"]), parts))
    assert problem.code == "unsafe" and "makro" in str(problem.problems[0])


# -- what is not a spreadsheet -------------------------------------------------------------------------


def _office(part: str, mimetype: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Kode;Jumlah\npbg;1\n", "teks (misalnya CSV)"),
        (PDF, "bukan berkas Excel"),
        (PNG, "bukan berkas Excel"),
        (OLE, "Excel lama (.xls)"),
        (_office("word/document.xml"), "bukan lembar kerja Excel"),
        (_office("content.xml", "application/vnd.oasis.opendocument.spreadsheet"), "OpenDocument (.ods)"),
        ("kode,jumlah\n".encode("utf-16"), "bukan berkas Excel"),
    ],
)
def test_what_is_not_an_xlsx_is_named(context, data, words):
    problem = refused(data)
    assert problem.code == "type" and words in str(problem.problems[0])


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (PDF, "xlsx atau CSV"),
        (PNG, "xlsx atau CSV"),
        (bytes(range(256)) * 4, "xlsx atau CSV"),
        ("kode,jumlah\n".encode("utf-16"), "xlsx atau CSV"),  # Excel's "Unicode text": not a CSV we read
        (OLE, "Excel lama (.xls)"),
    ],
)
def test_where_csv_is_taken_binary_files_are_still_refused(context, data, words):
    problem = refused(data, csv=True)
    assert problem.code == "type" and words in str(problem.problems[0])


# -- CSV -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "first"),
    [
        (b"kode;nama\npbg;Persetujuan Bangunan Gedung\n", ("kode", "nama")),
        (codecs.BOM_UTF8 + b"kode,nama\npbg,Persetujuan Bangunan Gedung\n", ("kode", "nama")),
        (b"kode\tnama\r\npbg\tPersetujuan Bangunan Gedung\r\n", ("kode", "nama")),
        (b"kode;nama\rpbg;Persetujuan Bangunan Gedung\r", ("kode", "nama")),  # old Mac line ends
    ],
)
def test_csv_separators_and_line_ends(data, first):
    assert read(data, csv=True) == [(1, first), (2, ("pbg", "Persetujuan Bangunan Gedung"))]


def test_csv_in_windows_1252_and_broken_utf8_is_read_byte_for_byte():
    ansi = "layanan;jumlah\nIzin Café €;1\n".encode("cp1252")
    assert read(ansi, csv=True)[1] == (2, ("Izin Café €", "1"))
    # UTF-8 with its mark, but one byte typed in another encoding: Windows-1252 for the whole file, the mark gone.
    mixed = codecs.BOM_UTF8 + b"kode,jumlah\n" + b"caf\xe9,2\n"
    assert read(mixed, csv=True) == [(1, ("kode", "jumlah")), (2, ("café", "2"))]
    # Bytes Windows-1252 leaves undefined are replaced, never an error.
    assert read(b"kode,jumlah\n\x81\x8d\x8f\x90\x9d,3\n", csv=True)[1] == (2, ("\ufffd" * 5, "3"))


def test_csv_rows_are_records_not_lines():
    data = b'kode,catatan\npbg,"dua\nbaris, satu sel"\n\n,\nslf,x\n'
    assert read(data, csv=True) == [(1, ("kode", "catatan")), (2, ("pbg", "dua\nbaris, satu sel")), (5, ("slf", "x"))]


def test_a_csv_field_past_what_csv_reads_is_refused(context):
    data = b'kode,catatan\npbg,"' + b"x" * 200_000 + b'"\n'
    problem = refused(data, csv=True)
    assert problem.code == "corrupt" and "CSV tidak dapat dibaca" in str(problem.problems[0])


def test_an_xlsx_is_read_as_an_xlsx_where_csv_is_taken_too():
    assert read(xlsx(["kode"], ["pbg"]), csv=True) == [(1, ("kode",)), (2, ("pbg",))]


# -- the bytes -----------------------------------------------------------------------------------------


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.given = 0

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        self.given += len(chunk)
        return chunk


def test_the_size_cap_stops_reading_an_endless_upload(context):
    stream = CountingStream(b"x" * (10 * 1024 * 1024))
    with pytest.raises(FileRefused) as caught:
        tables.read_capped(stream, 100_000)
    assert caught.value.code == "too_large" and "paling besar 97 KB" in str(caught.value.problems[0])
    assert stream.given < 100_000 + 2 * 64 * 1024
    assert tables.read_capped(io.BytesIO(b"abc"), 3) == b"abc" == tables.read_capped(b"abc", 3)
    with pytest.raises(FileRefused) as caught:
        tables.read_capped(b"abcd", 3)
    assert caught.value.code == "too_large"
    for empty in (b"", io.BytesIO()):
        with pytest.raises(FileRefused) as caught:
            tables.read_capped(empty, 3)
        assert caught.value.code == "empty"


# -- header, columns, records --------------------------------------------------------------------------


def test_the_header_is_the_first_row_that_names_enough(context):
    data = xlsx(["REKAP TRIWULAN IV"], [], ["Kode layanan", "Jumlah (orang)"], ["pbg", 3])
    with tables.open_rows(data) as rows:
        assert tables.find_header(rows, accept=lambda headings: len(headings) >= 2) == (
            3,
            ["Kode layanan", "Jumlah (orang)"],
        )
        assert list(rows) == [(4, ("pbg", 3))]
    with tables.open_rows(data) as rows:
        assert tables.find_header(rows) == (1, ["REKAP TRIWULAN IV"])
    with tables.open_rows(data) as rows:
        assert tables.find_header(rows, accept=lambda headings: "x" in headings, within=10) is None


def test_columns_are_found_by_their_words():
    headings = ["No", "KodeLayanan", "Nama_Layanan", "Jumlah (orang)", "jumlah"]
    names = {"code": ["kode_layanan"], "name": ["nama layanan"], "served": ["jumlah"], "year": ["tahun"]}
    assert tables.find_columns(headings, names) == {"code": 1, "name": 2, "served": 3}
    assert tables.heading_key("  U-8: Penanganan pengaduan, saran, dan masukan (wajib)") == (
        "u 8 penanganan pengaduan saran masukan"
    )
    assert tables.value_key("Persetujuan Bangunan Gedung (PBG)") == "persetujuan bangunan gedung pbg"


def test_records_skip_rows_empty_in_the_columns_read_and_stop_past_the_cap(context):
    rows = iter([(2, ("pbg", 1, "catatan")), (3, (None, " ", "hanya catatan")), (4, ("slf",)), (7, ("x", 3))])
    assert list(tables.records(rows, {"code": 0, "served": 1}, max_rows=3)) == [
        (2, {"code": "pbg", "served": 1}),
        (4, {"code": "slf", "served": None}),
        (7, {"code": "x", "served": 3}),
    ]
    many = xlsx(["kode"], *([f"L{n}"] for n in range(50)))
    with tables.open_rows(many) as rows, pytest.raises(FileRefused) as caught:
        tables.find_header(rows)
        for _record in tables.records(rows, {"code": 0}, max_rows=49):
            pass
    assert caught.value.code == "too_many_rows" and "lebih dari 49 baris" in str(caught.value.problems[0])


# -- cells ---------------------------------------------------------------------------------------------


def test_cells_as_text_number_and_date():
    assert [tables.cell_text(v) for v in (None, " a ", 3.0, 2.5, date(2026, 1, 5), datetime(2026, 1, 5, 9, 30))] == [
        "",
        "a",
        "3",
        "2.5",
        "05/01/2026",
        "05/01/2026 09:30",
    ]
    assert [tables.as_number(v) for v in (3.0, 2.5, " 4 ", True)] == [3, 2.5, "4", True]
    assert [tables.as_text(v) for v in (None, " x ", 12345.0)] == [None, " x ", "12345"]
    assert [tables.cell_date(v) for v in ("5-1-2026", "05.01.2026", "2026-01-05", datetime(2026, 1, 5, 8))] == [
        date(2026, 1, 5)
    ] * 4
    assert [tables.cell_date(v) for v in ("31/02/2026", "kemarin", 46000, None)] == [None] * 4
    assert tables.shown("x" * 100) == "x" * (tables.SHOWN_CHARS - 1) + "…"
    assert tables.shown("  dua\n baris ") == "dua baris"


# -- problems ------------------------------------------------------------------------------------------


def test_problems_are_all_counted_and_the_first_listed(context):
    problems = tables.Problems(limit=2)
    assert not problems
    problems.add(3, "Jumlah", "Bukan bilangan.", "banyak")
    problems.add(3, "Kode", "Wajib diisi.")
    problems.add(5, "Kode", "Layanan tidak dikenal.", "x" * 100)
    assert problems and problems.total == 3 and problems.rows == {3, 5}
    assert problems.listed == [
        tables.Problem(3, "Jumlah", "Bukan bilangan.", "banyak"),
        tables.Problem(3, "Kode", "Wajib diisi.", ""),
    ]
    refusal = tables.RowsRefused(problems, rows=10)
    assert (refusal.total, refusal.bad_rows, refusal.rows, len(refusal.errors)) == (3, 2, 10, 2)
    whole = tables.Problems()
    whole.file(FileRefused("type", "Unggah berkas xlsx atau CSV."))
    assert whole.listed == [tables.Problem(0, "", "Unggah berkas xlsx atau CSV.", "")]
