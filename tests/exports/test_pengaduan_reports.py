"""The monthly and semester pengaduan reports: the numbers in the workbook are the numbers in the DB."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from tests.exports.reports import (
    HOSTILE_TITLE,
    JAKARTA,
    REPORTER,
    file_scenario,
    header_of,
    header_row,
    report,
    rows_of,
    workbook,
)
from tests.factories import make_user
from zi_public.exports import (
    REPORTS,
    BadAsOf,
    UnknownReport,
    WrongPeriodKind,
    default_as_of,
    report_filename,
)
from zi_public.exports.pengaduan_monev import percentile
from zi_public.models import Role
from zi_public.rules.pengaduan import Status
from zi_public.rules.periods import parse_period
from zi_public.services import evaluations
from zi_public.services.evaluations import ItemInput
from zi_public.services.pengaduan.inbox import InboxFilter, inbox_query
from zi_public.services.pengaduan.stats import statistik, year_period

NOVEMBER_TODAY = date(2026, 11, 30)
SEMESTER_TODAY = date(2026, 12, 2)


@pytest.fixture
def scenario(db):
    return file_scenario(db)


def table(ws) -> dict[object, dict[object, object]]:
    """The table's rows as dicts by column header, keyed by the row's second value (the number)."""
    header = header_of(ws)
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows_of(ws)}


def test_the_monthly_report_lists_the_months_complaints_with_their_clocks(db, scenario):
    export = report("pengaduan-bulanan", "2026-11", NOVEMBER_TODAY)
    wb = workbook(export.content)
    assert wb.sheetnames == ["Pengaduan November 2026", "Tindak lanjut November 2026", "Rekap"]
    ws = wb["Pengaduan November 2026"]
    assert ws.column_dimensions["J"].width == 18 and ws[f"M{header_row(ws) + 1}"].number_format == "dd/mm/yy"
    rows = table(ws)
    # H (August) and F (31 October) are carried over, still open; G (finished in July) and E (1 Dec) are not.
    numbers = [scenario[k].number for k in "HFAIBCD"]
    assert list(rows) == numbers and export.rows == 7
    assert [rows[n]["Kelompok"] for n in numbers] == ["Sisa bulan lalu"] * 2 + ["Masuk bulan ini"] * 5
    first = header_row(ws) + 1

    a = rows[scenario["A"].number]
    assert a["Diterima"] == datetime(2026, 11, 2) and ws[f"E{first + 2}"].is_date
    assert (a["Kanal"], a["Kategori"], a["Identitas pelapor"], a["Status"]) == (
        "Web",
        "Waktu penyelesaian",
        "Terbuka",
        "Selesai",
    )
    assert a["Layanan"] == "Persetujuan Bangunan Gedung (PBG)" and a["Nomor LAPOR!"] is None
    assert a["Bidang"] == "Bidang Pelayanan Perizinan dan Non Perizinan B"
    assert a["Judul"] == "'" + HOSTILE_TITLE and ws[f"J{first + 2}"].data_type == "s"
    assert a["Diverifikasi/ditelaah"] == datetime(2026, 11, 4) and a["Batas verifikasi"] == datetime(2026, 11, 5)
    # The follow-up clock stops when the reporter is informed (the answer on 9 Nov), not at the disposisi.
    assert a["Batas tindak lanjut"] == datetime(2026, 11, 11)
    assert a["Pelapor diberi informasi"] == datetime(2026, 11, 9) and a["Selesai ditangani"] == datetime(2026, 11, 10)
    assert (a["Verifikasi tepat waktu"], a["Tindak lanjut tepat waktu"], a["Penyelesaian tepat waktu"]) == (
        "Ya",
        "Ya",
        "Ya",
    )
    # What was done and what the reporter was told in the month: the same complaints, numbered alike.
    notes = table(wb["Tindak lanjut November 2026"])
    assert list(notes) == numbers and notes[a["Nomor pengaduan"]]["No."] == 3
    assert notes[a["Nomor pengaduan"]]["Tindak lanjut (internal)"] == "06/11/2026: Koordinasi dengan bidang"
    assert notes[a["Nomor pengaduan"]]["Tanggapan kepada pelapor"] == "09/11/2026: @PBG terbit minggu ini."
    assert notes[scenario["C"].number]["Tanggapan kepada pelapor"] is None
    assert a["Penilaian (1-4)"] == 4 and a["Ditutup"] is None and a["Dibuka kembali"] == 0

    i, b, c, d = (rows[scenario[k].number] for k in "IBCD")
    # I was forwarded before verification: the follow-up clock never started.
    assert (i["Verifikasi tepat waktu"], i["Tindak lanjut tepat waktu"], i["Penyelesaian tepat waktu"]) == (
        "Tidak",
        None,
        "Ya",
    )
    assert i["Batas tindak lanjut"] is None and i["Pelapor diberi informasi"] is None
    assert i["Status"] == "Dialihkan" and i["Keterangan"] == "Dialihkan ke BPN Kota Magelang"
    # B: verified late, follow-up overdue on 30 Nov (due 16 Nov), settle clock still running.
    assert (b["Verifikasi tepat waktu"], b["Tindak lanjut tepat waktu"], b["Penyelesaian tepat waktu"]) == (
        "Tidak",
        "Tidak",
        "Berjalan",
    )
    assert b["Kanal"] == "Kios" and b["Identitas pelapor"] == "Anonim" and b["Selesai ditangani"] is None
    # B (anonim) and C (rahasia) show no title, nor C the team's reason for rejecting it.
    assert b["Judul"] == c["Judul"] == "dirahasiakan"
    assert c["Keterangan"] == "Ditolak: dirahasiakan" and c["Identitas pelapor"] == "Rahasia"
    assert d["Diterima"] == datetime(2026, 11, 30) and d["Verifikasi tepat waktu"] == "Berjalan"


def test_the_monthly_report_holds_no_personal_data(db, scenario):
    wb = workbook(report("pengaduan-bulanan", "2026-11", NOVEMBER_TODAY).content)
    text = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    for personal in ("Budi", "budi@example.id", *REPORTER.values()):
        assert personal not in text


def test_the_recap_counts_equal_the_inbox(db, scenario):
    export = report("pengaduan-bulanan", "2026-11", NOVEMBER_TODAY)
    ws = workbook(export.content)["Rekap"]
    assert header_of(ws)[:6] == [
        "Menurut",
        "Uraian",
        "Sisa bulan lalu",
        "Masuk bulan ini",
        "Selesai ditangani",
        "Sisa akhir bulan",
    ]
    recap = {(row[0], row[1]): row[2:] for row in rows_of(ws)}
    # carried H, F; received A, I, B, C, D; finished A, I, C; follow-ups: A met, F and B missed.
    assert recap[("Kanal", "Jumlah")] == (2, 5, 3, 4, 3, 1, pytest.approx(1 / 3))
    assert recap[("Kanal", "Web")] == (2, 3, 2, 3, 2, 1, 0.5)
    assert recap[("Kanal", "Kios")] == (0, 1, 0, 1, 1, 0, 0)
    assert recap[("Kategori", "Waktu penyelesaian")] == (0, 2, 2, 0, 1, 1, 1)
    assert recap[("Kategori", "Sarana dan prasarana")] == (1, 0, 0, 1, 0, 0, None)
    assert recap[("Kategori", "Pungutan liar atau calo")] == (0, 0, 0, 0, 0, 0, None)  # every active one is listed
    assert recap[("Bidang", "Bidang Pelayanan Perizinan dan Non Perizinan B")] == (0, 1, 1, 0, 1, 1, 1)
    assert recap[("Bidang", "Tidak diisi")] == (2, 4, 2, 4, 2, 0, 0)
    assert list(recap)[-1] == ("Bidang", "Jumlah")

    def inbox_count(**filters) -> int:
        stmt = inbox_query(InboxFilter(**filters), NOVEMBER_TODAY)
        return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))

    # Nothing happened after 30 November: what was received and what is still open are the inbox's today.
    total = recap[("Kanal", "Jumlah")]
    assert total[1] == inbox_count(month=date(2026, 11, 1))
    still_open = (Status.BARU, Status.TERVERIFIKASI, Status.DITINDAKLANJUTI)
    open_now = sum(inbox_count(status=status) for status in still_open)
    assert total[3] == open_now - sum(inbox_count(status=s, month=date(2026, 12, 1)) for s in still_open)
    assert total[0] + total[1] == export.rows


def test_an_empty_month_gives_headers_and_zero_totals(db, seeded):
    export = report("pengaduan-bulanan", "2024-02")
    wb = workbook(export.content)
    assert export.rows == 0 and rows_of(wb["Pengaduan Februari 2024"]) == []
    assert rows_of(wb["Rekap"])[-1] == ("Bidang", "Jumlah", 0, 0, 0, 0, 0, 0, None)


def test_the_year_report_has_the_same_columns_and_a_recap_per_month(db, scenario):
    month = workbook(report("pengaduan-bulanan", "2026-11", NOVEMBER_TODAY).content)
    export = report("pengaduan-bulanan", "2026", SEMESTER_TODAY)
    wb = workbook(export.content)
    assert wb.sheetnames == ["Pengaduan 2026", "Tindak lanjut 2026", "Rekap per bulan", "Rekap"]
    assert header_of(wb["Pengaduan 2026"]) == header_of(month["Pengaduan November 2026"])
    assert list(table(wb["Pengaduan 2026"])) == [scenario[k].number for k in "GHFAIBCDE"] and export.rows == 9
    by_month = {row[0]: row[1:] for row in rows_of(wb["Rekap per bulan"])}
    assert list(by_month) == [
        "Januari 2026", "Februari 2026", "Maret 2026", "April 2026", "Mei 2026", "Juni 2026", "Juli 2026",
        "Agustus 2026", "September 2026", "Oktober 2026", "November 2026", "Desember 2026", "Jumlah 2026",
    ]  # fmt: skip
    # carried, received, finished, open at the end, follow-ups due or met, on time, share on time
    assert by_month["Juli 2026"] == (0, 1, 1, 0, 1, 1, 1)
    assert by_month["Agustus 2026"] == (0, 1, 0, 1, 1, 0, 0)  # H's follow-up, due 28 Aug, missed
    assert by_month["September 2026"] == (1, 0, 0, 1, 0, 0, None)
    assert by_month["November 2026"] == (2, 5, 3, 4, 3, 1, pytest.approx(1 / 3))
    assert by_month["Desember 2026"] == (4, 1, 0, 5, 0, 0, None)  # as of 2 December
    assert by_month["Jumlah 2026"] == (0, 9, 4, 5, 5, 2, 0.4)
    year = {(row[0], row[1]): row[2:] for row in rows_of(wb["Rekap"])}
    assert year[("Kategori", "Jumlah")] == by_month["Jumlah 2026"]


def test_the_semester_monev_figures(db, scenario):
    export = report("pengaduan-monev", "2026-S2", SEMESTER_TODAY)
    wb = workbook(export.content)
    assert wb.sheetnames == [
        "Tindak lanjut monev sebelumnya",
        "Perbandingan",
        "Rincian",
        "Volume per bulan",
        "Waktu penanganan",
        "Penilaian",
        "Belum selesai",
        "Evaluasi dan rekomendasi",
    ]
    assert export.rows == 9
    volume = {row[0]: row[1:] for row in rows_of(wb["Volume per bulan"])}
    # received, handled to the end, selesai, ditolak, dialihkan, still open, on time, share on time
    assert volume["Juli 2026"] == (1, 1, 1, 0, 0, 0, 1, 1.0)
    assert volume["Agustus 2026"] == (1, 0, 0, 0, 0, 1, 0, None)
    assert volume["September 2026"] == (0, 0, 0, 0, 0, 0, 0, None)
    assert volume["Oktober 2026"] == (1, 0, 0, 0, 0, 1, 0, None)
    assert volume["November 2026"][:7] == (5, 3, 1, 1, 1, 2, 2)
    assert volume["November 2026"][7] == pytest.approx(2 / 3)
    assert volume["Desember 2026"] == (1, 0, 0, 0, 0, 1, 0, None)
    assert volume["Jumlah Semester II 2026"] == (9, 4, 2, 1, 1, 5, 3, 0.75)
    ws = wb["Volume per bulan"]
    assert ws.cell(header_row(ws) + 1, 9).number_format == "0.0%"

    durations = {row[0]: row[1:] for row in rows_of(wb["Waktu penanganan"])}
    # verify: G 0, F 1, C 1, A 2, H 3 (17 Aug is a holiday), B 4, I 4
    assert durations["Diterima sampai diverifikasi/ditelaah"] == (7, 2, 4)
    # verification to the reporter's first information: G 1, A 3 (answered 9 Nov; the disposisi does not count)
    count, median, p90 = durations["Diverifikasi sampai pelapor diberi informasi"]
    assert (count, median) == (2, 2) and p90 == pytest.approx(2.8)
    # finish: C 1, G 3, I 4, A 6 -> median 3.5, p90 4 + 0.7 * 2
    count, median, p90 = durations["Diterima sampai selesai ditangani"]
    assert (count, median) == (4, 3.5) and p90 == pytest.approx(5.4)

    ratings = dict(rows_of(wb["Penilaian"]))
    assert ratings["Jumlah penilaian"] == 2 and ratings["Rata-rata (1-4)"] == 3
    labels = ("1 (Tidak puas)", "2 (Kurang puas)", "3 (Puas)", "4 (Sangat puas)")
    assert [ratings[f"Nilai {label}"] for label in labels] == [0, 1, 0, 1]

    open_rows = rows_of(wb["Belum selesai"])
    assert [row[0] for row in open_rows] == [scenario[k].number for k in "HFBDE"]
    late = {row[0]: (row[8], row[9]) for row in open_rows}
    assert late[scenario["H"].number] == ("Ya", "tindak lanjut, penyelesaian")  # settle due 13 Oct
    assert late[scenario["F"].number] == ("Ya", "tindak lanjut")
    assert late[scenario["B"].number] == ("Ya", "tindak lanjut")
    assert late[scenario["D"].number] == ("Tidak", None)  # verify due 3 Dec
    assert late[scenario["E"].number] == ("Tidak", None)

    evaluation = {row[0]: row[1] for row in rows_of(wb["Evaluasi dan rekomendasi"])}
    assert evaluation["Periode"] == "Semester II 2026" and evaluation["Evaluasi"] == "(belum diisi)"
    assert evaluation["Versi"] == "belum ditulis" and evaluation["Rekomendasi"] == "(belum diisi)"


def test_the_year_monev_covers_twelve_months_and_both_semesters_texts(db, scenario):
    team = make_user(role=Role.PENGADUAN)
    evaluations.save_evaluation(team, "pengaduan_monev", parse_period("2026-S2"), "Verifikasi lambat.")
    evaluations.add_item(team, "pengaduan_monev", parse_period("2026-S2"), ItemInput("Tambah piket.", "Ketua tim"))
    export = report("pengaduan-monev", "2026", SEMESTER_TODAY)
    wb = workbook(export.content)
    volume = {row[0]: row[1:] for row in rows_of(wb["Volume per bulan"])}
    assert len(volume) == 13 and volume["Jumlah 2026"] == (9, 4, 2, 1, 1, 5, 3, 0.75)
    evaluation = {row[0]: row[1:] for row in rows_of(wb["Evaluasi dan rekomendasi"])}
    assert evaluation["Semester I 2026: Evaluasi"][0] == "(belum diisi)"
    assert evaluation["Semester II 2026: Evaluasi"][0] == "Verifikasi lambat."
    assert evaluation["Semester II 2026: Rekomendasi 1"][:3] == ("Tambah piket.", "Ketua tim", None)


def test_the_monev_agrees_with_the_public_statistics_page(db, scenario):
    wb = workbook(report("pengaduan-monev", "2026-S2", now=datetime(2026, 12, 2, 12, tzinfo=JAKARTA)).content)
    total = rows_of(wb["Volume per bulan"])[-1]
    stats = statistik(year_period(2026)).total  # nothing was received in the first semester
    assert (total[1], total[2], total[7]) == (stats.received, stats.finished, stats.finished_on_time)
    durations = {row[0]: row for row in rows_of(wb["Waktu penanganan"])}
    assert durations["Diterima sampai diverifikasi/ditelaah"][2] == stats.median_verify_days
    assert durations["Diterima sampai selesai ditangani"][2] == stats.median_finish_days


def test_the_monev_text_is_exported_as_written_and_neutralised(db, scenario):
    team = make_user(role=Role.PENGADUAN, username="penulis")
    period = parse_period("2026-S2")
    evaluations.save_evaluation(team, "pengaduan_monev", period, "=1+1 evaluasi")
    evaluations.add_item(team, "pengaduan_monev", period, ItemInput("@Rekomendasi kedua.", "Tim Pengaduan"))
    rows = rows_of(workbook(report("pengaduan-monev", "2026-S2").content)["Evaluasi dan rekomendasi"])
    evaluation = {row[0]: row[1] for row in rows}
    assert evaluation["Evaluasi"] == "'=1+1 evaluasi" and evaluation["Rekomendasi 1"] == "'@Rekomendasi kedua."
    assert isinstance(evaluation["Terakhir diperbarui"], datetime)


def test_the_registry_refuses_unknown_names_wrong_period_kinds_and_impossible_days(db):
    assert set(REPORTS) == {
        "pengaduan-bulanan",
        "pengaduan-monev",
        "wbs-evaluasi",
        "skm-triwulan",
        "skm-persepsi",
        "gratifikasi-rekap",
        "benturan-pemetaan",
        "benturan-evaluasi",
    }
    with pytest.raises(UnknownReport):
        report("pengaduan-harian", "2026-11")
    with pytest.raises(WrongPeriodKind):
        report("pengaduan-bulanan", "2026-S2")
    with pytest.raises(WrongPeriodKind):
        report("pengaduan-monev", "2026-11")
    with pytest.raises(WrongPeriodKind):
        report("pengaduan-monev", "2026-Q3")
    with pytest.raises(BadAsOf):  # a day that has not ended cannot have been recorded
        report("pengaduan-bulanan", "2026-11", date(2026, 12, 1), now=datetime(2026, 11, 30, 12, tzinfo=JAKARTA))
    with pytest.raises(BadAsOf):
        report("pengaduan-bulanan", "2026-11", date(2026, 10, 31))
    assert report_filename("pengaduan-bulanan", parse_period("2026-11")) == "pengaduan-bulanan-2026-11.xlsx"


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("2026-11", date(2027, 1, 15), date(2026, 11, 30)),  # a past period: its last day
        ("2026-11", date(2026, 11, 20), date(2026, 11, 20)),  # the running period: today
        ("2026-S2", date(2026, 12, 2), date(2026, 12, 2)),
        ("2026", date(2027, 3, 1), date(2026, 12, 31)),
    ],
)
def test_a_report_is_as_of_the_periods_end_or_today(period, today, expected):
    assert default_as_of(parse_period(period), today) == expected


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 0.5, None), ([5], 0.9, 5), ([1, 2], 0.5, 1.5), ([4, 1, 3, 2], 0.5, 2.5), ([0, 10], 0.9, 9.0)],
)
def test_percentile_interpolates_like_excel(values, q, expected):
    assert percentile(values, q) == expected
