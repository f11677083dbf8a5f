"""Importing a quarter's population from xlsx or CSV: columns by heading, layanan by code or name, every
problem listed by row and column, nothing stored unless every row is valid."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, Layanan, Role, SkmPopulation
from zi_public.services import reference
from zi_public.services.skm import population as pop
from zi_public.services.skm.population import PopulationRefused
from zi_public.services.skm.population_import import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    PopulationImportRefused,
    import_populations,
    template_xlsx,
)


@pytest.fixture
def member(seeded, db):
    return make_user(role=Role.SKM)


def ids(*codes: str) -> list[int]:
    return [db.session.scalar(sa.select(Layanan.id).where(Layanan.code == code)) for code in codes]


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def stored() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SkmPopulation))


def refused(member, data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(PopulationImportRefused) as caught:
        import_populations(member, 2026, 3, data, "populasi.csv")
    assert stored() == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action.like("skm.population%"))
        )
        == 0
    )
    return [(e.row, e.column) for e in caught.value.errors]


def test_csv_by_code_and_by_name(member):
    data = b"kode_layanan,jumlah_dilayani\npbg,120\nSLF,30\n\n"
    outcome = import_populations(member, 2026, 3, data, "q3.csv")
    assert (outcome.rows, outcome.changed) == (2, 2)
    pbg, slf, kkpr = ids("pbg", "slf", "kkpr")
    assert pop.quarter_entries(2026, 3) == {pbg: 120, slf: 30}
    by_name = (
        "Layanan;Jumlah\nKesesuaian Kegiatan Pemanfaatan Ruang (KKPR);1.500\n  persetujuan bangunan gedung (pbg) ;125\n"
    )
    import_populations(member, 2026, 3, by_name.encode("cp1252"), "q3.csv")  # Excel's ANSI CSV, semicolons
    assert pop.quarter_entries(2026, 3) == {pbg: 125, slf: 30, kkpr: 1500}
    actions = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("skm.population%"))))
    assert actions.count("skm.population_set") == 4 and actions.count("skm.population_import") == 2


def test_the_template_round_trips_and_blank_rows_leave_numbers_alone(member):
    pbg, slf = ids("pbg", "slf")
    pop.set_population(member, 2026, 3, db.session.get(Layanan, slf), 44)
    template = template_xlsx(2026, 3)
    sheet = openpyxl.load_workbook(io.BytesIO(template)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["kode_layanan", "nama_layanan", "jumlah_dilayani"]
    assert ["slf", "Sertifikat Laik Fungsi (SLF)", 44] in rows
    for row in rows:
        if row[0] == "pbg":
            row[2] = 77
    outcome = import_populations(member, 2026, 3, xlsx(rows), "template.xlsx")
    assert outcome.changed == 1
    assert pop.quarter_entries(2026, 3) == {pbg: 77, slf: 44}
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "skm.population_import")).one()
    assert json.loads(entry.data)["filename"] == "template.xlsx"


def test_one_bad_row_imports_nothing_and_every_problem_is_named(member):
    data = (
        b"kode_layanan,jumlah_dilayani\n"
        b"pbg,120\n"
        b"slf,-4\n"  # row 3: negative
        b"tidak-ada,5\n"  # row 4: unknown layanan
        b"kkpr,banyak\n"  # row 5: text
        b"pbg,7\n"  # row 6: pbg again
        b",9\n"  # row 7: no layanan
        b"reklame,99999999999\n"  # row 8: far too many
    )
    assert refused(member, data) == [
        (3, "jumlah_dilayani"),
        (4, "kode_layanan"),
        (5, "jumlah_dilayani"),
        (6, "kode_layanan"),
        (7, "kode_layanan"),
        (8, "jumlah_dilayani"),
    ]


def test_a_name_two_layanan_share_is_refused_asking_for_the_code(member):
    db.session.add(Layanan(code="pbg-lama", name="Persetujuan Bangunan Gedung", is_active=False))
    db.session.add(Layanan(code="pbg-baru", name="Persetujuan Bangunan Gedung", is_active=True))
    db.session.flush()
    data = b"nama_layanan,jumlah_dilayani\npersetujuan bangunan gedung,5\n"
    with pytest.raises(PopulationImportRefused) as caught:
        import_populations(member, 2026, 3, data, "populasi.csv")
    [error] = caught.value.errors
    assert (error.row, error.column, error.message) == (2, "nama_layanan", reference.AMBIGUOUS_LAYANAN)
    found = import_populations(member, 2026, 3, b"kode_layanan,jumlah_dilayani\npbg-lama,5\n", "populasi.csv")
    assert found.rows == 1  # a retired layanan by its code: a past quarter had it


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_them(member):
    data = xlsx([["Kode Layanan", "Jumlah Dilayani"], ["pbg", 10], [None, None], ["slf", 2.5]])
    assert refused(member, data) == [(4, "Jumlah Dilayani")]


@pytest.mark.parametrize(
    ("data", "row"),
    [
        (b"", 0),  # row 0: the file as a whole
        (b"layanan,banyaknya\npbg,1\n", 1),  # no number column: the header row is named
        (b"\n\n", 0),
        (b"\x00\x01\x02binary", 0),
        (b"PK\x03\x04not really a zip", 0),
        (b"%PDF-1.4 not a table", 0),
        (b"\xd0\xcf\x11\xe0old xls", 0),
    ],
)
def test_files_that_are_not_population_tables(member, data, row):
    errors = refused(member, data)
    assert [number for number, _field in errors] == [row]


def test_oversized_and_overlong_files(member):
    assert refused(member, b"kode,jumlah\n" + b"pbg,1\n" * (MAX_IMPORT_BYTES // 6 + 1)) == [(0, "")]
    assert refused(member, b"kode,jumlah\n" + b"x,1\n" * (MAX_IMPORT_ROWS + 1)) == [(0, "")]


def test_an_xlsx_with_a_macro_is_refused(member):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, zipfile.ZipFile(io.BytesIO(xlsx([["kode", "jumlah"]]))) as source:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("xl/vbaProject.bin", b"macro")
    assert refused(member, out.getvalue()) == [(0, "")]


def test_a_bad_quarter_is_refused_before_the_file_is_read(member):
    with pytest.raises(PopulationRefused):
        import_populations(member, 2026, 5, b"kode,jumlah\npbg,1\n", "x.csv")
    assert stored() == 0
