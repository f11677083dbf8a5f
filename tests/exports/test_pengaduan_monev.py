"""`pengaduan-monev`: the recommendations of earlier semesters open the workbook (a recommendation left open in
2026-S1 reappears in 2026-S2's monev, with its status as of the report's day), the comparison with the previous
semester, the recap by channel, category, layanan and bidang (services/pengaduan/recap.py), the evaluation's
version in the title block and the sheets, in Indonesian and in English."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.exports.reports import file_scenario, header_of, header_row, report, rows_of, wib, workbook
from tests.factories import make_pengaduan, make_user
from zi_public.models import Role
from zi_public.rules.pengaduan import Action
from zi_public.rules.periods import parse_period
from zi_public.services import evaluation_versions, evaluations
from zi_public.services.evaluations import ItemInput
from zi_public.services.pengaduan import recap
from zi_public.services.pengaduan.flow import ActionInput, act

SCOPE = "pengaduan_monev"
S1, S2 = parse_period("2026-S1"), parse_period("2026-S2")
DEC_31 = date(2026, 12, 31)


@pytest.fixture
def scenario(db):
    cases = file_scenario(db)
    team = make_user(role=Role.PENGADUAN)
    cases["S1_OPEN"] = make_pengaduan(now=wib(5, 4), category="waktu")  # carried into S2
    rejected = cases["S1_DONE"] = make_pengaduan(now=wib(6, 1), category="biaya")
    act(team, rejected, Action.REJECT, ActionInput(body="Bukan kewenangan kami"), now=wib(6, 3))
    db.session.commit()
    return cases


@pytest.fixture
def team(db):
    return make_user(role=Role.PENGADUAN, username="penulis")


def top_lines(ws) -> list[object]:
    return [ws.cell(row, 1).value for row in range(1, header_row(ws))]


def test_a_recommendation_left_open_in_s1_opens_the_s2_monev(db, scenario, team):
    evaluations.save_evaluation(team, SCOPE, S1, "Semester pertama.")
    left_open = evaluations.add_item(team, SCOPE, S1, ItemInput("Perbarui SOP", "Sekretaris", date(2026, 9, 30)))
    done_in_s2 = evaluations.add_item(team, SCOPE, S1, ItemInput("Piket harian", "Ketua tim"))
    done_in_s1 = evaluations.add_item(team, SCOPE, S1, ItemInput("Formulir baru", "Tim"))
    done_later = evaluations.add_item(team, SCOPE, S1, ItemInput("Survei pelapor", "Tim"))
    evaluation_versions.mark_final(team, SCOPE, S1)
    evaluations.update_item(team, done_in_s1, status="selesai", evidence="", today=date(2026, 6, 20))
    evaluations.update_item(team, done_in_s2, status="selesai", evidence="=Jadwal piket", today=date(2026, 8, 10))
    evaluations.update_item(team, done_later, status="selesai", evidence="Laporan survei", today=date(2027, 1, 10))
    evaluations.add_item(team, SCOPE, S2, ItemInput("Rekomendasi S2", "Tim"))

    wb = workbook(report("pengaduan-monev", "2026-S2").content)  # as of 31 December
    assert wb.sheetnames[0] == "Tindak lanjut monev sebelumnya"
    ws = wb["Tindak lanjut monev sebelumnya"]
    assert "Tindak lanjut hasil monev sebelumnya" in top_lines(ws)
    assert header_of(ws) == [
        "Ditetapkan pada",
        "Rekomendasi",
        "Penanggung jawab",
        "Batas waktu",
        "Status per 31 Desember 2026",
        "Tanggal selesai",
        "Bukti / hasil tindak lanjut",
    ]
    rows = {row[1]: row for row in rows_of(ws)}
    assert list(rows) == ["Perbarui SOP", "Piket harian", "Survei pelapor"]  # not the one done in S1, not S2's own
    assert rows["Perbarui SOP"][0] == "Semester I 2026"
    assert rows["Perbarui SOP"][2:5] == ("Sekretaris", datetime(2026, 9, 30), "Terbuka")
    assert rows["Piket harian"][4:] == ("Selesai", datetime(2026, 8, 10), "'=Jadwal piket")
    assert rows["Survei pelapor"][4:6] == ("Terbuka", None)  # done after the report's day

    # Still open at the end of S2: it comes along into 2027-S1 too, and the year 2027's monev.
    for period in ("2027-S1", "2027"):
        carried = rows_of(workbook(report("pengaduan-monev", period, now=wib(12, 31, 20).replace(year=2027)).content)[
            "Tindak lanjut monev sebelumnya"
        ])  # fmt: skip
        # Survei pelapor was done during 2027-S1 (10 January): shown done there, gone from 2027-S2 on.
        assert [(row[1], row[4]) for row in carried] == [
            ("Perbarui SOP", "Terbuka"),
            ("Survei pelapor", "Selesai"),
            ("Rekomendasi S2", "Terbuka"),
        ], period
        assert left_open.status == "terbuka"


def test_no_earlier_recommendation_says_so(db, scenario):
    rows = rows_of(workbook(report("pengaduan-monev", "2026-S2").content)["Tindak lanjut monev sebelumnya"])
    assert rows == [("Tidak ada rekomendasi monev sebelumnya yang masih terbuka.", *[None] * 6)]


def test_the_title_block_and_the_evaluation_sheet_state_the_version(db, scenario, team):
    def version_lines(period: str = "2026-S2") -> tuple[list[object], dict[object, object]]:
        wb = workbook(report("pengaduan-monev", period).content)
        evaluation = {row[0]: row[1] for row in rows_of(wb["Evaluasi dan rekomendasi"])}
        return top_lines(wb["Perbandingan"]), evaluation

    lines, evaluation = version_lines()
    assert "Evaluasi tim: belum ditulis" in lines and evaluation["Versi"] == "belum ditulis"
    evaluations.save_evaluation(team, SCOPE, S2, "Versi satu.")
    evaluations.add_item(team, SCOPE, S2, ItemInput("Piket harian", "Ketua tim", date(2027, 3, 31)))
    lines, evaluation = version_lines()
    assert "Evaluasi tim: versi 1, draf (belum final)" in lines
    evaluation_versions.mark_final(team, SCOPE, S2)
    final_on = evaluations.get_evaluation(SCOPE, S2).finalized_at
    assert final_on is not None
    lines, evaluation = version_lines()
    final_line = next(line for line in lines if str(line).startswith("Evaluasi tim: "))
    assert final_line.startswith("Evaluasi tim: versi 1, final (ditetapkan ")
    evaluation_versions.new_version(team, SCOPE, S2)
    evaluations.save_evaluation(team, SCOPE, S2, "Versi dua.")
    lines, evaluation = version_lines()
    assert "Evaluasi tim: versi 2, draf (belum final)" in lines
    assert evaluation["Evaluasi"] == "Versi dua." and evaluation["Versi"] == "versi 2, draf (belum final)"
    assert str(evaluation["Versi 1 (final, diganti)"]).startswith("ditetapkan ")
    assert evaluation["Rekomendasi 1"] == "Piket harian"
    lines, year = version_lines("2026")
    assert "Evaluasi tim: Semester I 2026: belum ditulis; Semester II 2026: versi 2, draf (belum final)" in lines
    # A year's sheet: each semester's rows in turn, named by their semester.
    assert year["Semester I 2026: Versi"] == "belum ditulis"
    assert year["Semester I 2026: Rekomendasi"] == "(belum diisi)"
    assert year["Semester II 2026: Evaluasi"] == "Versi dua."
    assert str(year["Semester II 2026: Versi 1 (final, diganti)"]).startswith("ditetapkan ")
    assert year["Semester II 2026: Rekomendasi 1"] == "Piket harian"


def test_the_comparison_with_the_previous_semester(db, scenario):
    wb = workbook(report("pengaduan-monev", "2026-S2", SEMESTER_END).content)
    ws = wb["Perbandingan"]
    assert header_of(ws) == ["Uraian", "Semester I 2026", "Semester II 2026", "Perubahan"]
    assert "Perbandingan dengan Semester I 2026 (keadaan per 30 Juni 2026)" in top_lines(ws)
    rows = {row[0]: row[1:] for row in rows_of(ws)}
    before = recap.recap_total(S1, as_of=S1.end, lang="id")
    now = recap.recap_total(S2, as_of=SEMESTER_END, lang="id")
    assert rows["Diterima"] == (2, 9, 7) and (before.received, now.received) == (2, 9)
    assert rows["Sisa dari periode sebelumnya"] == (0, 1, 1) == (before.carried, now.carried, 1)
    assert rows["Selesai ditangani dalam periode"] == (before.finished, now.finished, now.finished - before.finished)
    assert rows["Sisa pada akhir periode"][:2] == (before.remaining, now.remaining)
    assert rows["Tindak lanjut tepat waktu"][1] == now.followed_up_on_time
    share = rows["% tindak lanjut tepat waktu"]
    assert share[1] == pytest.approx(now.on_time_share) and share[0] is None and share[2] is None
    assert rows["Persentase selesai tepat waktu (dari yang diterima dan selesai ditangani)"][1] == 0.75
    assert rows["Median hari kerja: Diterima sampai diverifikasi/ditelaah"][1] == 2
    assert rows["Jumlah penilaian"] == (0, 2, 2) and rows["Rata-rata penilaian (1-4)"][1] == 3
    cells = {ws.cell(r, 1).value: ws.cell(r, 3) for r in range(header_row(ws) + 1, ws.max_row + 1)}
    assert cells["Persentase selesai tepat waktu (dari yang diterima dan selesai ditangani)"].number_format == "0.0%"


SEMESTER_END = DEC_31


def test_the_breakdown_is_the_recap_by_each_dimension(db, scenario):
    ws = workbook(report("pengaduan-monev", "2026-S2").content)["Rincian"]
    rows = rows_of(ws)
    total = recap.recap_total(S2, as_of=DEC_31, lang="id")
    assert rows[-1][0] == "Jumlah" and rows[-1][2:8] == (
        total.carried,
        total.received,
        total.finished,
        total.remaining,
        total.followed_up,
        total.followed_up_on_time,
    )
    for name, dimension in (
        ("Kanal", "channel"),
        ("Kategori", "category"),
        ("Layanan", "layanan"),
        ("Bidang", "bidang"),
    ):
        expected = recap.recap(S2, as_of=DEC_31, dimension=dimension, lang="id")
        got = [row for row in rows if row[0] == name]
        assert [(row[1], row[3], row[5]) for row in got] == [(r.label, r.received, r.remaining) for r in expected]
        assert sum(row[3] for row in got) == total.received  # each dimension adds up to the total
    channels = {row[1]: row[3] for row in rows if row[0] == "Kanal"}
    assert (channels["Web"], channels["Kios"]) == (7, 1) and "SP4N-LAPOR!" in channels


def test_the_english_screen_gets_an_english_monev(db, scenario, team):
    evaluations.save_evaluation(team, SCOPE, S1, "Semester pertama.")
    evaluations.add_item(team, SCOPE, S1, ItemInput("Perbarui SOP", "Sekretaris"))
    wb = workbook(report("pengaduan-monev", "2026-S2", lang="en").content)
    assert wb.sheetnames[:3] == ["Previous monev follow-up", "Comparison", "Breakdown"]
    assert wb.sheetnames[-1] == "Evaluation and recommendations"
    follow_up = wb["Previous monev follow-up"]
    assert header_of(follow_up)[4] == "Status as of 31 December 2026"
    assert rows_of(follow_up)[0][:5] == ("Semester I 2026", "Perbarui SOP", "Sekretaris", None, "Open")
    assert "Team evaluation: not written yet" in top_lines(follow_up)
    comparison = {row[0] for row in rows_of(wb["Comparison"])}
    assert {"Received", "Carried over from the previous period", "Follow-up on time"} <= comparison
    breakdown = rows_of(wb["Breakdown"])
    labels = {(row[0], row[1]) for row in breakdown}
    assert ("Category", "Completion time") in labels and ("Channel", "Complaint box") in labels
    assert "Licensing and Non-Licensing Services Division B" in {label for _name, label in labels}
    assert breakdown[-1][0] == "Total"
    still_open = rows_of(wb["Not finished"])
    assert "Fees or charges" in {row[2] for row in still_open}  # the catalogue's English name
