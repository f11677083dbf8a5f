"""`benturan-pemetaan`: the year's mapping as of a day (rows added by then and not retired by then), grouped
by bidang, the summary by type and risk, rows changed later marked; opens in openpyxl, in English too."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from tests.factories import make_user
from zi_public.exports import build_report
from zi_public.models import Role
from zi_public.rules.periods import parse_period
from zi_public.services.gratifikasi import benturan_mapping as mapping
from zi_public.services.gratifikasi.benturan_mapping import MappingInput

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
YEAR = parse_period("2026")


@pytest.fixture
def upg(seeded, db):
    return make_user(role=Role.UPG)


def add(upg, today: date, **overrides) -> object:
    values = {
        "task": "Verifikasi teknis PBG",
        "layanan": "pbg",
        "bidang": "perizinan-b",
        "conflict_type": "keluarga",
        "description": "Pemohon berhubungan keluarga dengan verifikator",
        "risk": "tinggi",
        "control": "Verifikator diganti",
    }
    values.update(overrides)
    return mapping.add_row(upg, int(values.pop("year", 2026)), MappingInput(**values), today=today)


def sheet_rows(content: bytes, index: int) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in book.worksheets[index].iter_rows(values_only=True)]


def data_rows(content: bytes) -> list[tuple]:
    """The list sheet's data rows: those whose first cell is a row number."""
    return [row for row in sheet_rows(content, 0) if row and isinstance(row[0], int)]


def row_for(rows: list[tuple], first: str) -> tuple:
    return next(row for row in rows if row and row[0] == first)


@pytest.fixture
def mapped(upg):
    """Five rows of 2026 (and one of 2025): one added late, one retired early, one retired late, one changed late."""
    add(upg, date(2025, 1, 6), year=2025, task="Tahun lalu")
    a = add(
        upg,
        date(2026, 1, 12),
        task="Loket penerimaan",
        bidang="pengaduan-pelaporan",
        layanan="",
        conflict_type="gratifikasi",
        risk="sedang",
    )
    b = add(upg, date(2026, 1, 12))
    c = add(
        upg,
        date(2026, 1, 12),
        task="Rangkap",
        bidang="",
        layanan="",
        conflict_type="rangkap_jabatan",
        risk="rendah",
        control="",
    )
    d = add(upg, date(2026, 1, 12), task="Dihentikan awal", bidang="sekretariat", layanan="", risk="rendah")
    add(upg, date(2026, 8, 3), task="Ditambahkan Agustus", bidang="sekretariat", layanan="", conflict_type="bisnis")
    mapping.retire_row(upg, d, today=date(2026, 3, 2))
    mapping.retire_row(upg, c, today=date(2026, 9, 1))
    mapping.update_row(
        upg,
        b,
        MappingInput(
            task=b.task,
            layanan="pbg",
            bidang="perizinan-b",
            conflict_type="keluarga",
            description="Diperbarui",
            risk="sedang",
            control=b.control,
        ),
        today=date(2026, 10, 5),
    )
    return a, b, c, d


def test_the_list_as_of_a_day(mapped):
    export = build_report("benturan-pemetaan", YEAR, as_of=date(2026, 6, 30), now=NOW)
    rows = data_rows(export.content)
    assert export.rows == 3 and len(rows) == 3
    # by bidang in the catalogue's order, the whole office last
    assert [(r[0], r[1], r[3], r[5]) for r in rows] == [
        (1, "Bidang Pelayanan Perizinan dan Non Perizinan B", "Hubungan keluarga", "Sedang"),
        (2, "Bidang Pengaduan, Kebijakan dan Pelaporan Layanan", "Gratifikasi / hadiah", "Sedang"),
        (3, "Seluruh kantor", "Rangkap jabatan", "Rendah"),
    ]
    pbg = rows[0]
    assert pbg[2] == "Verifikasi teknis PBG\nLayanan: Persetujuan Bangunan Gedung (PBG)"
    assert "Diubah setelah 30 Juni 2026" in pbg[7] and "Risiko" in pbg[7]
    assert pbg[4] == "Diperbarui"  # the current values, said so
    summary = sheet_rows(export.content, 1)
    assert row_for(summary, "Jumlah")[1:5] == (1, 2, 0, 3)
    assert row_for(summary, "Hubungan keluarga")[1:5] == (0, 1, 0, 1)
    assert any(r and r[0] and "Baris yang diubah setelah 30 Juni 2026: 1" in str(r[0]) for r in summary)


def test_the_default_as_of_and_retirements(mapped):
    export = build_report("benturan-pemetaan", YEAR, now=NOW)  # as of 29 November 2026
    rows = data_rows(export.content)
    tasks = sorted(r[2].split("\n")[0] for r in rows)
    assert tasks == ["Ditambahkan Agustus", "Loket penerimaan", "Verifikasi teknis PBG"]
    assert export.rows == 3
    early = build_report("benturan-pemetaan", YEAR, as_of=date(2026, 1, 31), now=NOW)
    assert early.rows == 4  # Dihentikan awal still mapped on 31 January
    before = build_report("benturan-pemetaan", YEAR, as_of=date(2026, 1, 5), now=NOW)
    assert before.rows == 0 and data_rows(before.content) == []


def test_in_english(mapped):
    export = build_report("benturan-pemetaan", YEAR, as_of=date(2026, 6, 30), lang="en", now=NOW)
    rows = data_rows(export.content)
    assert {r[3] for r in rows} == {"Family ties", "Gratuities / gifts", "Holding another position"}
    assert "Whole office" in {r[1] for r in rows}
    summary = sheet_rows(export.content, 1)
    header = next(r for r in summary if r and r[0] == "Type of conflict")
    assert header[1:5] == ("Low", "Medium", "High", "Total")
    assert row_for(summary, "Total")[4] == 3
    text = "\n".join(str(v) for r in sheet_rows(export.content, 0) for v in r if v)
    assert "Register of Potential Conflicts of Interest" in text and "Changed after 30 June 2026" in text


def test_an_empty_year(upg):
    export = build_report("benturan-pemetaan", YEAR, now=NOW)
    assert export.rows == 0
    summary = sheet_rows(export.content, 1)
    assert row_for(summary, "Jumlah")[1:5] == (0, 0, 0, 0)
