"""The paper-form import: columns by header (an unsur by its name), every row through filing.check, all rows or
none, a file imported once, and files that are not a clean xlsx refused with a clear message."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.factories import make_skm_response, make_user
from tests.services.skm.paper_files import TEMPLATE_COLUMNS, fill_template, paper_row, with_member, xlsx_file, zip_bomb
from zi_public.extensions import db
from zi_public.models import AuditEntry, Layanan, Role, SkmImport, SkmResponse
from zi_public.rules.skm import UNSUR, Channel
from zi_public.services import reference
from zi_public.services.skm import paper
from zi_public.services.skm.paper_columns import TEMPLATE_HEADERS, field_of
from zi_public.services.skm.paper_template import build_template
from zi_public.services.tables import heading_key

TODAY = date(2026, 12, 1)


@pytest.fixture
def actor(seeded, db):
    """A Tim SKM member, inside a request (the messages are rendered in its language)."""
    with seeded.test_request_context():
        user = make_user(role=Role.SKM, username="tim.skm", full_name="Sari Tim SKM")
        db.session.commit()
        yield user


def run_import(actor, data: bytes, filename: str = "formulir.xlsx", **limits) -> paper.Imported:
    return paper.import_file(actor, io.BytesIO(data), filename, today=TODAY, **limits)


def refused_rows(actor, data: bytes) -> paper.RowsRefused:
    with pytest.raises(paper.RowsRefused) as caught:
        run_import(actor, data)
    assert_nothing_imported()
    return caught.value


def refused_file(actor, data: bytes, **limits) -> paper.ImportRefused:
    with pytest.raises(paper.ImportRefused) as caught:
        run_import(actor, data, **limits)
    assert_nothing_imported()
    return caught.value


def assert_nothing_imported() -> None:
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmImport)) == 0


def stored() -> list[SkmResponse]:
    return list(db.session.scalars(sa.select(SkmResponse).order_by(SkmResponse.import_row)))


# -- columns -------------------------------------------------------------------------------------------


def test_columns_in_another_order_with_u8_and_u9_swapped_import_by_the_unsur_name(actor):
    # An office form: suggestion first, the profile shuffled, and U8/U9 numbered the other way round.
    columns = [(TEMPLATE_HEADERS[f], f) for f in ("suggestion", "age", "layanan", "submitted_on", "gender")]
    columns += [("U8 Sarana dan Prasarana", "U9"), ("U9 Penanganan Pengaduan, Saran dan Masukan", "U8")]
    columns += [(TEMPLATE_HEADERS[f], f) for f in ("occupation", "education", *UNSUR[:7][::-1])]
    rows = [paper_row(U8=1, U9=4, U1=2), paper_row(U8=2, U9=3, age=61, gender="L")]
    imported = run_import(actor, xlsx_file(rows, columns))
    assert imported.skm_import.rows == 2
    first, second = stored()
    assert (first.u1, first.u8, first.u9) == (2, 1, 4)
    assert (second.u8, second.u9, second.age, second.gender) == (2, 3, 61, "l")
    assert {c.header: (c.field, c.stated) for c in imported.columns.renumbered} == {
        "U8 Sarana dan Prasarana": ("U9", "U8"),
        "U9 Penanganan Pengaduan, Saran dan Masukan": ("U8", "U9"),
    }
    assert first.channel == Channel.PAPER
    assert (first.import_id, first.import_row, second.import_row) == (imported.skm_import.id, 2, 3)
    assert first.submitted_on == date(2026, 11, 2) and (first.year, first.quarter) == (2026, 4)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("U1 Persyaratan", "U1"),
        ("u1.persyaratan", "U1"),
        ("1. Persyaratan", "U1"),
        ("PERSYARATAN", "U1"),
        ("Unsur 2 - Sistem, Mekanisme dan Prosedur", "U2"),
        ("U2 Sistem Mekanisme & Prosedur", "U2"),
        ("U4 Biaya / Tarif", "U4"),
        ("U-8: Penanganan pengaduan, saran, dan masukan", "U8"),
        ("U9 Sarana & Prasarana", "U9"),
        ("Kualitas sarana dan prasarana", "U9"),
        ("Tanggal (dd/mm/yyyy)", "submitted_on"),
        ("Tgl.", "submitted_on"),
        ("Umur (tahun)", "age"),
        ("JK", "gender"),
        ("L/P", "gender"),
        ("Pendidikan terakhir", "education"),
        ("No. Izin", "permit_number"),
        ("Nomor izin / registrasi", "permit_number"),
        ("Kritik dan saran", "suggestion"),
        ("Saran", "suggestion"),
        ("Kelompok Rentan*", "vulnerable_group"),
        ("No", None),
        ("Nama responden", None),
    ],
)
def test_headers_are_read_by_their_words(header, field):
    assert field_of(header)[0] == field


def test_header_number_and_name_disagree_the_name_wins():
    assert field_of("U8 Sarana dan Prasarana") == ("U9", "U8")
    assert field_of("U9 Sarana dan Prasarana") == ("U9", None)
    assert field_of("U8") == (None, "U8")  # a number alone names no unsur
    assert heading_key("  Sistem,  Mekanisme, dan Prosedur ") == "sistem mekanisme prosedur"


def test_a_title_above_the_headers_unused_columns_and_empty_rows_are_skipped(actor):
    columns = [("No", "no"), ("Nama", "name"), *TEMPLATE_COLUMNS]
    rows = [
        {**paper_row(), "no": 1, "name": "Budi"},
        {"no": 2},  # numbered in advance, never filled
        {},
        {**paper_row(permit_number="PBG-1"), "no": 3, "name": "Ani"},
        *({"no": n} for n in range(4, 40)),
    ]
    above = [["REKAP SKM TRIWULAN IV 2026"], ["DPMPTSP Kota Magelang"], []]
    imported = run_import(actor, xlsx_file(rows, columns, above=above))
    assert [r.import_row for r in stored()] == [5, 8]  # the sheet's own row numbers
    assert imported.columns.ignored == ("No", "Nama")
    assert not hasattr(SkmResponse, "name")  # the names on the forms are never stored anywhere


def test_options_by_code_or_label_in_any_case(actor):
    rows = [
        paper_row(gender="LAKI-LAKI", education="sma/smk", occupation="PNS/ASN", layanan="PBG"),
        paper_row(gender="perempuan", education="SMK", occupation="wiraswasta", vulnerable_group="Lanjut Usia"),
        paper_row(gender="l", education="D3", occupation="Pelajar", vulnerable_group="disabilitas"),
        paper_row(gender="Female", education="Bachelor's degree (D4/S1)", occupation="Other"),
        paper_row(layanan="Persetujuan Bangunan Gedung (PBG)", education="tidak sekolah", vulnerable_group="ANAK"),
        paper_row(layanan="  persetujuan bangunan gedung pbg ", age="45", U1="4", U2=2.0),
    ]
    run_import(actor, xlsx_file(rows))
    got = [(r.gender, r.education, r.occupation, r.vulnerable_group, r.layanan.code) for r in stored()]
    assert got == [
        ("l", "sma", "pns", None, "pbg"),
        ("p", "sma", "wirausaha", "lansia", "pbg"),
        ("l", "diploma", "pelajar", "disabilitas", "pbg"),
        ("p", "s1", "lainnya", None, "pbg"),
        ("p", "tidak-sekolah", "wirausaha", "anak", "pbg"),
        ("p", "s1", "wirausaha", None, "pbg"),
    ]
    assert (stored()[-1].age, stored()[-1].u1, stored()[-1].u2) == (45, 4, 2)


def test_dates_as_excel_dates_or_day_first_text(actor):
    rows = [
        paper_row(submitted_on=date(2026, 7, 1)),
        paper_row(submitted_on=datetime(2026, 9, 30, 14, 5)),
        paper_row(submitted_on="15/08/2026"),
        paper_row(submitted_on="5-1-2026"),
        paper_row(submitted_on="2026-12-01"),  # today
    ]
    run_import(actor, xlsx_file(rows))
    assert [(r.submitted_on, r.quarter) for r in stored()] == [
        (date(2026, 7, 1), 3),
        (date(2026, 9, 30), 3),
        (date(2026, 8, 15), 3),
        (date(2026, 1, 5), 1),
        (date(2026, 12, 1), 4),
    ]


def test_permit_numbers_are_normalised_and_numbers_typed_as_numbers_kept(actor):
    rows = [paper_row(permit_number=" pbg 001 "), paper_row(permit_number=12345), paper_row(permit_number=None)]
    run_import(actor, xlsx_file(rows))
    assert [r.permit_number for r in stored()] == ["PBG001", "12345", None]


def test_a_layanan_name_two_share_asks_for_the_code_and_a_retired_one_is_not_offered(actor):
    db.session.add(Layanan(code="pbg-2", name="Persetujuan Bangunan Gedung (PBG)", sort_order=99))
    db.session.add(Layanan(code="lama", name="Izin Gangguan", is_active=False))
    db.session.flush()
    refused = refused_rows(actor, xlsx_file([paper_row(layanan="persetujuan bangunan gedung (pbg)")]))
    assert [(e.row, e.column) for e in refused.errors] == [(2, TEMPLATE_HEADERS["layanan"])]
    assert "lebih dari satu layanan" in str(refused.errors[0].message)
    for retired in ("lama", "Izin Gangguan"):
        refused = refused_rows(actor, xlsx_file([paper_row(layanan=retired)]))
        assert "tidak ada di katalog" in str(refused.errors[0].message)
    run_import(actor, xlsx_file([paper_row(layanan="pbg-2")]))
    assert [r.layanan.code for r in stored()] == ["pbg-2"]


# -- one bad row imports nothing -----------------------------------------------------------------------

BAD_CELLS = [
    ("U3", 5, "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ("U3", "tiga", "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ("U3", 2.5, "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ("U3", 0, "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ("U3", None, "Kosong"),
    ("layanan", "izin-tidak-ada", "tidak ada di katalog"),
    ("layanan", None, "Wajib diisi"),
    ("gender", "X", "Bukan pilihan yang dikenal"),
    ("education", 3, "Bukan pilihan yang dikenal"),
    ("vulnerable_group", "tidak", "Bukan pilihan yang dikenal"),
    ("age", 7, "antara 10 dan 110"),
    ("age", "tiga puluh", "antara 10 dan 110"),
    ("submitted_on", "31/02/2026", "Tanggal tidak terbaca"),
    ("submitted_on", "kemarin", "Tanggal tidak terbaca"),
    ("submitted_on", 46000, "Tanggal tidak terbaca"),
    ("submitted_on", date(2026, 12, 2), "belum tiba"),
    ("submitted_on", date(2019, 6, 1), "terlalu lama"),
    ("submitted_on", None, "Wajib diisi"),
    ("suggestion", "x" * 2001, "Paling banyak 2000 karakter"),
    ("U1", "=1+2", "rumus"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_CELLS)
def test_one_bad_cell_imports_nothing_and_names_its_row_and_column(actor, field, value, message):
    rows = [paper_row(), paper_row(), paper_row(**{field: value}), paper_row()]
    refused = refused_rows(actor, xlsx_file(rows))
    assert (refused.rows, refused.bad_rows, refused.total) == (4, 1, 1)
    [error] = refused.errors
    assert (error.row, error.column) == (4, TEMPLATE_HEADERS[field])  # row 1 is the header
    assert message in str(error.message)


def test_a_permit_twice_in_the_file_in_one_quarter_names_both_rows(actor):
    rows = [
        paper_row(permit_number="PBG-7", submitted_on=date(2026, 10, 1)),
        paper_row(permit_number="PBG-7", submitted_on=date(2026, 7, 1)),  # another quarter: fine
        paper_row(permit_number=" pbg -7", submitted_on=date(2026, 11, 30)),  # the same number, normalised
    ]
    refused = refused_rows(actor, xlsx_file(rows))
    [error] = refused.errors
    assert (error.row, error.column, error.value) == (4, TEMPLATE_HEADERS["permit_number"], "pbg -7")
    assert "baris 2" in str(error.message)


def test_a_permit_that_already_answered_this_quarter_is_refused(actor):
    make_skm_response(permit_number="PBG-9", now=datetime(2026, 11, 20, 3))
    db.session.commit()
    rows = [paper_row(permit_number="PBG-9"), paper_row(permit_number="PBG-9", submitted_on=date(2026, 9, 1))]
    with pytest.raises(paper.RowsRefused) as caught:
        run_import(actor, xlsx_file(rows))
    [error] = caught.value.errors
    assert (error.row, error.column) == (2, TEMPLATE_HEADERS["permit_number"])
    assert "Triwulan IV 2026" in str(error.message)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse)) == 1  # only the web one


def test_every_wrong_cell_is_listed_in_row_order(actor):
    rows = [paper_row(), paper_row(U1=9, gender="?"), paper_row(), paper_row(layanan="x", U9=None)]
    refused = refused_rows(actor, xlsx_file(rows))
    assert [(e.row, e.column) for e in refused.errors] == [
        (3, TEMPLATE_HEADERS["gender"]),
        (3, TEMPLATE_HEADERS["U1"]),
        (5, TEMPLATE_HEADERS["layanan"]),
        (5, TEMPLATE_HEADERS["U9"]),
    ]
    assert (refused.bad_rows, refused.total) == (2, 4)


def test_a_long_list_of_errors_is_cut_but_counted(actor):
    rows = [paper_row(U1=7, U2=7) for _ in range(paper.MAX_ERRORS_SHOWN)]
    refused = refused_rows(actor, xlsx_file(rows))
    assert len(refused.errors) == paper.MAX_ERRORS_SHOWN
    assert (refused.total, refused.bad_rows) == (2 * paper.MAX_ERRORS_SHOWN, paper.MAX_ERRORS_SHOWN)


# -- once only -----------------------------------------------------------------------------------------


def test_the_same_file_twice_imports_once(actor):
    data = xlsx_file([paper_row(), paper_row(permit_number="SLF-1", layanan="slf")])
    first = run_import(actor, data, "triwulan4.xlsx")
    db.session.commit()
    with pytest.raises(paper.AlreadyImported) as caught:
        run_import(actor, data, "triwulan4 (1).xlsx")
    assert caught.value.existing.id == first.skm_import.id
    assert caught.value.by.username == "tim.skm"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse)) == 2


def test_the_same_rows_saved_again_in_another_file_import_once(actor):
    rows = [paper_row(U1=1), paper_row(U1=2), paper_row(U1=4)]
    run_import(actor, xlsx_file(rows))
    db.session.commit()
    # Opened, columns moved, rows sorted and saved again by someone else: other bytes, the same responses.
    columns = list(reversed(TEMPLATE_COLUMNS))
    resaved = xlsx_file(list(reversed(rows)), columns, creator="Excel", title="Sheet1")
    with pytest.raises(paper.AlreadyImported):
        run_import(actor, resaved)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse)) == 3


def test_an_import_is_one_audit_entry(actor):
    imported = run_import(actor, xlsx_file([paper_row(), paper_row()]), "../../rekap<1>.xlsx")
    assert imported.skm_import.filename == "rekap_1_.xlsx"
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == paper.AUDIT_ACTION))
    data = json.loads(entry.data)
    assert (entry.actor, entry.target_type, entry.target_id) == ("tim.skm", "skm_import", str(imported.skm_import.id))
    assert (data["filename"], data["rows"], data["sha256"]) == ("rekap_1_.xlsx", 2, imported.skm_import.sha256)
    assert data["columns"]["U8"] == TEMPLATE_HEADERS["U8"]


# -- files refused as a whole --------------------------------------------------------------------------


def test_files_that_are_not_a_clean_xlsx_are_refused_clearly(actor):
    csv = ("\n".join([",".join(h for h, _ in TEMPLATE_COLUMNS), "02/11/2026,pbg,,P,34"])).encode()
    cases = {
        "type": [
            (csv, "teks (misalnya CSV)"),
            (b"%PDF-1.4 not a sheet", "bukan berkas Excel"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel lama (.xls)"),
            (_other_office("word/document.xml"), "bukan lembar kerja Excel"),
        ],
        "too_large": [(zip_bomb(), "terlalu besar setelah dibuka")],
        "unsafe": [(with_member(xlsx_file([paper_row()]), "xl/vbaProject.bin", b"macro"), "makro")],
        "empty": [(b"", "Berkas kosong")],
        "corrupt": [
            (xlsx_file([paper_row()])[:-200], "rusak"),
            (_replaced(xlsx_file([paper_row()]), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>"), "rusak"),
            (_replaced(xlsx_file([paper_row()]), "xl/workbook.xml", b"<workbook/>"), "rusak"),
        ],
    }
    for code, files in cases.items():
        for data, words in files:
            refused = refused_file(actor, data)
            assert refused.code == code, words
            assert words in str(refused.problems[0])


def _replaced(data: bytes, name: str, body: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, body if info.filename == name else source.read(info))
    return buffer.getvalue()


def _other_office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(actor):
    data = xlsx_file([paper_row() for _ in range(200)])
    refused = refused_file(actor, data, max_bytes=len(data) - 1)
    assert refused.code == "too_large"
    assert "paling besar" in str(refused.problems[0])


def test_a_file_over_the_row_cap_is_refused(actor):
    refused = refused_file(actor, xlsx_file([paper_row() for _ in range(11)]), max_rows=10)
    assert refused.code == "too_many_rows"
    assert "lebih dari 10 baris" in str(refused.problems[0])


def test_header_problems_name_the_columns(actor):
    without_u8_u9 = [c for c in TEMPLATE_COLUMNS if c[1] not in ("U8", "U9", "age")]
    refused = refused_file(actor, xlsx_file([paper_row()], without_u8_u9))
    assert refused.code == "header"
    text = " ".join(str(p) for p in refused.problems)
    assert "U8 Penanganan Pengaduan, Saran dan Masukan; U9 Sarana dan Prasarana" in text
    assert "Kolom wajib tidak ditemukan: Usia." in text

    doubled = [*TEMPLATE_COLUMNS, ("Penanganan pengaduan", "U8")]
    refused = refused_file(actor, xlsx_file([paper_row()], doubled))
    assert "sama-sama berisi U8" in str(refused.problems[0])

    numbered = [(h if f != "U8" else "U8", f) for h, f in TEMPLATE_COLUMNS]
    refused = refused_file(actor, xlsx_file([paper_row()], numbered))
    assert "“U8” hanya berisi nomor unsur" in str(refused.problems[0])

    refused = refused_file(actor, xlsx_file([{"a": 1}], [("Data", "a"), ("Lain", "b")]))
    assert "Baris judul kolom tidak ditemukan" in str(refused.problems[0])


def test_a_sheet_with_headers_and_no_rows_is_refused(actor):
    refused = refused_file(actor, xlsx_file([{}, {}]))
    assert refused.code == "no_rows"


def test_a_row_far_down_the_sheet_is_read_without_holding_the_gap(actor):
    workbook_bytes = xlsx_file([paper_row()])
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    sheet = workbook.active
    for column, value in enumerate(paper_row(U1=1).values(), start=1):
        sheet.cell(row=200_000, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.perf_counter()
    run_import(actor, buffer.getvalue())
    assert [r.import_row for r in stored()] == [2, 200_000]
    assert time.perf_counter() - started < 10


# -- the template --------------------------------------------------------------------------------------


def test_the_template_round_trips(actor):
    template = build_template(reference.active(Layanan), max_rows=20_000, max_size="10 MB")
    workbook = load_workbook(io.BytesIO(template))
    data, options, help_sheet = workbook.worksheets
    assert [c.value for c in data[1]] == [h for h, _ in TEMPLATE_COLUMNS]
    assert options["A2"].value == reference.active(Layanan)[0].code
    validated = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation}
    assert validated["I2"].type == "whole" and (validated["I2"].formula1, validated["I2"].formula2) == ("1", "4")
    assert validated["B2"].type == "list" and validated["B2"].formula1.startswith("Pilihan!$B$2:$B$")
    assert "U8 Penanganan Pengaduan, Saran dan Masukan" in [c.value for c in help_sheet["A"]]
    # Filled as staff would: labels picked from the drop-downs.
    labels = {row[0].value: row[1].value for row in options.iter_rows(min_row=2, max_col=2)}
    filled = fill_template(
        template,
        [
            paper_row(layanan=labels["slf"], gender="Perempuan", education="D4/S1", occupation="Pegawai swasta"),
            paper_row(submitted_on="30/11/2026", vulnerable_group="Penyandang disabilitas"),
        ],
    )
    imported = run_import(actor, filled, "templat-skm-kertas.xlsx")
    assert imported.skm_import.rows == 2
    assert [(r.layanan.code, r.occupation, r.vulnerable_group) for r in stored()] == [
        ("slf", "swasta", None),
        ("pbg", "wirausaha", "disabilitas"),
    ]


def test_catalogue_names_in_the_template_are_neutralised(actor):
    layanan = reference.active(Layanan)[0]
    layanan.name = '=HYPERLINK("http://x")'
    template = build_template([layanan], max_rows=10, max_size="1 MB")
    options = load_workbook(io.BytesIO(template)).worksheets[1]
    assert options["B2"].value == '\'=HYPERLINK("http://x")'
    assert options["B2"].data_type == "s"
    db.session.rollback()


# -- a large file --------------------------------------------------------------------------------------


def test_five_thousand_rows(actor, backend, capsys):
    layanan = ["pbg", "slf", "nib-oss"]
    rows = [
        paper_row(
            layanan=layanan[n % 3],
            permit_number=f"P-{n}" if n % 2 else None,
            submitted_on=date(2026, 1 + n % 11, 1 + n % 28),
            age=18 + n % 60,
            **{code: 1 + (n + i) % 4 for i, code in enumerate(UNSUR)},
        )
        for n in range(5_000)
    ]
    data = xlsx_file(rows)
    started = time.perf_counter()
    imported = run_import(actor, data)
    db.session.commit()
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n[{backend}] 5,000 paper rows ({len(data) // 1024} KB) checked and imported in {elapsed:.2f} s")
    assert imported.skm_import.rows == 5_000
    assert db.session.scalar(sa.select(sa.func.count()).where(SkmResponse.import_id == imported.skm_import.id)) == 5_000
    summary = paper.import_summary(imported.skm_import)
    assert sum(line.responses for line in summary) == 5_000
