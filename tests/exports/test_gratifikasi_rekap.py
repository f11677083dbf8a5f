"""`gratifikasi-rekap`: the recap's totals, the list of reports as of a day, the custody register and the
campaign; reproducible (the same as_of gives the same rows however late it is made), English on request, no
personal data beyond the reporter's name, position and unit, and no formula."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.exports.gratifikasi_scenario import SECRETS, file, file_scenario, later_steps, step, wib
from tests.exports.reports import HOSTILE_TITLE, header_of, rows_of, workbook
from zi_public.exports import build_report
from zi_public.rules.gratifikasi import Action, Status
from zi_public.rules.periods import parse_period

NOVEMBER = parse_period("2026-11")
NOW = datetime(2027, 1, 15, 9, 0, tzinfo=wib(1, 1).tzinfo)
SHEETS = ["Rekap", "Daftar laporan", "Barang titipan", "Kampanye"]


@pytest.fixture
def scenario(db):
    return file_scenario()


def build(period=NOVEMBER, as_of: date | None = None, now: datetime = NOW, **options):
    return build_report("gratifikasi-rekap", period, as_of=as_of, now=now, **options)


def recap(book) -> dict[tuple[str, str], tuple[object, object]]:
    """The Rekap sheet as {(group, line): (count, value)}."""
    return {(row[0], row[1]): (row[2], row[3]) for row in rows_of(book["Rekap"])}


def listed(book) -> dict[str, dict[str, object]]:
    """The Daftar laporan sheet as {number: {header: value}}."""
    ws = book["Daftar laporan"]
    headers = header_of(ws)
    return {row[1]: dict(zip(headers, row, strict=True)) for row in rows_of(ws)}


def test_totals_by_kind_lateness_type_decision_and_forwarding(scenario):
    export = build(as_of=date(2026, 11, 30))
    book = workbook(export.content)
    assert book.sheetnames == SHEETS
    assert export.rows == 5  # A, B, C, D, G: not E (October) nor F (December)
    got = recap(book)
    assert got[("Seluruh laporan", "Laporan diterima UPG dalam periode")] == (5, 9_050_000)
    kind = "Jenis laporan"
    assert got[(kind, "Penerimaan gratifikasi")] == (4, 4_050_000)
    assert got[(kind, "Penolakan gratifikasi")] == (1, 5_000_000)
    assert got[(kind, "Jumlah")] == (5, 9_050_000)
    late = "Ketepatan waktu pelaporan (Pasal 12C UU 20/2001)"
    assert got[(late, "Tepat waktu")][0] == 3  # A, D, G
    assert got[(late, "Terlambat")] == (1, 2_000_000)  # B
    assert got[(late, "Tanpa batas waktu (gratifikasi ditolak)")][0] == 1  # C: refused, never late
    types = "Jenis gratifikasi"
    assert got[(types, "Barang")] == (2, 1_050_000)
    assert got[(types, "Uang")] == (1, 2_000_000)
    assert got[(types, "Tiket perjalanan")] == (1, 5_000_000)
    assert got[(types, "Komisi")] == (1, 1_000_000)
    assert got[(types, "Rabat (diskon)")] == (0, 0)
    assert got[(types, "Jumlah")] == (5, 9_050_000)
    decision = "Penetapan status oleh KPK"
    assert got[(decision, "Milik negara")] == (1, 750_000)  # A
    assert got[(decision, "Milik penerima")] == (0, 0)  # B is decided only on 3 December
    assert got[(decision, "Belum ditetapkan")][0] == 3  # B, D, G
    assert got[(decision, "Tanpa penetapan (gratifikasi ditolak)")][0] == 1  # C
    forwarding = "Penerusan ke KPK (batas waktu UPG: 10 hari kerja)"
    assert got[(forwarding, "Diteruskan tepat waktu")][0] == 1  # A
    assert got[(forwarding, "Diteruskan melewati batas waktu")][0] == 1  # B
    assert got[(forwarding, "Belum diteruskan, masih dalam batas waktu")][0] == 2  # D, G
    assert got[(forwarding, "Belum diteruskan, melewati batas waktu")][0] == 1  # C
    assert got[(forwarding, "Jumlah")][0] == 5
    assert book["Rekap"].cell(row=rows_of_start(book["Rekap"]), column=4).number_format == '"Rp"#,##0'


def rows_of_start(ws) -> int:
    return int(ws.freeze_panes[1:])


def test_the_list_row_by_row(scenario):
    rows = listed(workbook(build(as_of=date(2026, 11, 30)).content))
    a, b, c, d, g = (rows[scenario[key].number] for key in "ABCDG")
    assert list(rows) == [scenario[key].number for key in "ABCGD"]  # by the day reported to the UPG
    assert a["No."] == 1 and a["Nama pelapor"] == "Budi Santoso" and a["Jabatan"] == "Analis Perizinan"
    assert a["Unit kerja"] == "Bidang Perizinan" and a["Instansi pemberi"] == "PT Contoh Sejahtera"
    assert a["Dilaporkan ke UPG"] == datetime(2026, 11, 4) and a["Tanggal diterima/ditolak"] == datetime(2026, 11, 2)
    assert (a["Diterima/ditolak"], a["Jenis gratifikasi"], a["Nilai (Rp)"]) == (
        "Penerimaan gratifikasi",
        "Barang",
        750_000,
    )
    assert (a["Ketepatan pelaporan"], a["Batas waktu kantor terpenuhi"]) == ("Tepat waktu", "Ya")
    assert (a["Status"], a["Diteruskan ke KPK"], a["Penerusan tepat waktu"]) == (
        "Selesai",
        datetime(2026, 11, 10),
        "Ya",
    )
    assert (a["Penetapan KPK"], a["Tanggal SK"], a["Nomor SK"]) == (
        "Milik negara",
        datetime(2026, 11, 18),
        "SK-" + a["Nomor laporan"],
    )
    assert a["Tindak lanjut atas barang"] == "Diserahkan ke KPK/negara"
    assert (b["Hari kerja sejak diterima"], b["Ketepatan pelaporan"], b["Batas waktu kantor terpenuhi"]) == (
        37,
        "Terlambat",
        "Tidak",
    )
    assert (b["Status"], b["Penerusan tepat waktu"], b["Penetapan KPK"], b["Nomor SK"]) == (
        "Diteruskan ke KPK",
        "Tidak",
        "Belum ditetapkan",
        None,
    )
    assert (c["Diterima/ditolak"], c["Ketepatan pelaporan"], c["Hari kerja sejak diterima"]) == (
        "Penolakan gratifikasi",
        "Tanpa batas waktu",
        None,
    )
    assert (c["Batas waktu kantor terpenuhi"], c["Penerusan tepat waktu"]) == (None, "Tidak")  # overdue
    assert c["Penetapan KPK"] == "Tanpa penetapan (gratifikasi ditolak)"
    assert (d["Status"], d["Penerusan tepat waktu"], d["Diteruskan ke KPK"]) == ("Baru", "Berjalan", None)
    assert (g["Status"], g["Diteruskan ke KPK"], g["Nomor agenda KPK"]) == ("Diverifikasi", None, None)


def test_a_step_recorded_after_as_of_shows_as_not_yet_and_the_export_is_reproducible(db):
    scenario = file_scenario()
    # Made on 1 December: as of 30 November by default.
    on_the_day = workbook(build(now=wib(12, 1, 8)).content)
    later_steps(scenario)
    afterwards = workbook(build(as_of=date(2026, 11, 30)).content)
    for title in SHEETS:
        assert rows_of(afterwards[title]) == rows_of(on_the_day[title]), title
    assert "Keadaan per: 30 November 2026" in [c.value for c in afterwards["Rekap"]["A"]]

    now = workbook(build(as_of=date(2026, 12, 5)).content)
    rows = listed(now)
    g, b = rows[scenario["G"].number], rows[scenario["B"].number]
    assert (g["Diteruskan ke KPK"], g["Penerusan tepat waktu"]) == (datetime(2026, 11, 20), "Ya")
    assert (b["Penetapan KPK"], b["Tanggal SK"], b["Status"]) == (
        "Milik penerima",
        datetime(2026, 12, 1),
        "Ditetapkan KPK",
    )
    assert len(rows) == 5  # F reached the UPG in December: not November's
    got = recap(now)
    assert got[("Penetapan status oleh KPK", "Milik penerima")] == (1, 2_000_000)
    assert got[("Penerusan ke KPK (batas waktu UPG: 10 hari kerja)", "Diteruskan tepat waktu")][0] == 2


def test_custody_register_of_the_period(db):
    scenario = file_scenario()
    later_steps(scenario)
    as_of_end = workbook(build(as_of=date(2026, 11, 30)).content)["Barang titipan"]
    rows = {row[4]: row for row in rows_of(as_of_end)}
    assert set(rows) == {"Parsel", "Jam tangan", "Kain batik"}  # not left in October, not received in December
    parcel = rows["Parsel"]
    assert (parcel[1], parcel[2], parcel[3]) == (scenario["A"].number, "Budi Santoso", datetime(2026, 11, 5))
    assert (parcel[8], parcel[9]) == (datetime(2026, 11, 26), "Diserahkan ke KPK/negara")
    assert rows["Jam tangan"][7] is None and rows["Jam tangan"][8] is None
    assert rows["Kain batik"][8:] == (None, None, None)  # left on 2 December: after as_of
    later = {row[4]: row for row in rows_of(workbook(build(as_of=date(2026, 12, 5)).content)["Barang titipan"])}
    assert later["Kain batik"][8:] == (datetime(2026, 12, 2), "Dikembalikan kepada pelapor", "Dikembalikan")
    assert "Desember" not in later  # received after the period


def test_campaign_activities_of_the_period(db):
    scenario = file_scenario()
    later_steps(scenario)
    rows = rows_of(workbook(build(as_of=date(2026, 11, 30)).content)["Kampanye"])
    assert rows == [
        (
            1,
            datetime(2026, 11, 12),
            "No Calo, No Pungli",
            "Banner / poster",
            "Pemohon izin di ruang layanan",
            "Pemasangan banner No Calo, No Pungli.",
            2,
        )
    ]
    rows = rows_of(workbook(build(as_of=date(2026, 12, 5)).content)["Kampanye"])
    assert [row[5] for row in rows] == ["Pemasangan banner No Calo, No Pungli.", "Dicatat bulan Desember"]


def test_no_personal_data_but_the_name_and_no_formula(scenario):
    book = workbook(build(as_of=date(2026, 11, 30)).content)
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    text = "\n".join(str(cell.value) for cell in cells)
    for secret in SECRETS.values():
        assert secret not in text
    assert "Budi Santoso" in text  # the reporter's name is the UPG's to see
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + HOSTILE_TITLE in text and "'@SUM(A1:A9) tiket pesawat" in text


def test_english_on_request(scenario):
    book = workbook(build(as_of=date(2026, 11, 30), lang="en").content)
    assert book.sheetnames == ["Recap", "List of reports", "Entrusted gifts", "Campaign"]
    assert "As of: 30 November 2026" in [c.value for c in book["Recap"]["A"]]
    headers = header_of(book["List of reports"])
    assert "Report number" in headers and "Reporter's name" in headers and "Value (Rp)" in headers
    got = {(row[0], row[1]): row[2] for row in rows_of(book["Recap"])}
    assert got[("Type of gratification", "Total")] == 5
    assert got[("Reporting on time (Article 12C of Law 20/2001)", "Overdue")] == 1
    assert got[("Status decided by KPK", "Not yet decided")] == 3
    assert got[("Status decided by KPK", "State property")] == 1 and got[("Type of gratification", "Money")] == 1


def test_an_empty_period_and_a_year(db):
    book = workbook(build(parse_period("2025-03"), now=NOW).content)
    got = recap(book)
    assert got[("Seluruh laporan", "Laporan diterima UPG dalam periode")] == (0, 0)
    assert rows_of(book["Daftar laporan"]) == []
    file_scenario()
    export = build(parse_period("2026"), as_of=date(2026, 11, 30))
    assert export.rows == 6  # E (October) too


def test_a_report_closed_incomplete_is_not_counted_as_forwarding_overdue(db):
    report = file(wib(11, 2), date(2026, 11, 2))
    step(report, Action.REQUEST_COMPLETION, Status.PERLU_KELENGKAPAN, wib(11, 2))
    step(report, Action.CLOSE_INCOMPLETE, Status.TIDAK_LENGKAP, wib(11, 20))
    db.session.commit()
    got = recap(workbook(build(as_of=date(2026, 11, 30)).content))
    forwarding = "Penerusan ke KPK (batas waktu UPG: 10 hari kerja)"
    assert got[(forwarding, "Tidak diteruskan (ditutup karena tidak lengkap)")][0] == 1
    assert got[(forwarding, "Belum diteruskan, melewati batas waktu")][0] == 0
    # As of a day before it was closed, its forwarding clock had been running past its due date.
    got = recap(workbook(build(as_of=date(2026, 11, 19)).content))
    assert got[(forwarding, "Belum diteruskan, melewati batas waktu")][0] == 1
