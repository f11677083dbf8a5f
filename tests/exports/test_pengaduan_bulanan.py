"""The laporan tindak lanjut (pengaduan-bulanan) of issue 11: every complaint handled in the month (carried
over or received) with its channel and LAPOR! number, no title or text of a rahasia or anonim complaint, the
recap "sisa bulan lalu + masuk - selesai = sisa", English throughout from the English screen, and the same
rows when made again later as of the month's last day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.exports.reports import header_of, rows_of, workbook
from tests.factories import advance, make_pengaduan, make_user
from zi_public.exports import build_report
from zi_public.localtime import JAKARTA
from zi_public.models import Pengaduan, Role
from zi_public.rules.pengaduan import Action, Channel, lapor_identity
from zi_public.rules.periods import parse_period
from zi_public.services.reference import seed_reference_data

NOVEMBER = parse_period("2026-11")
LAST_DAY = date(2026, 11, 30)
ON_THE_DAY = datetime(2026, 11, 30, 21, 0, tzinfo=JAKARTA)
IN_JANUARY = datetime(2027, 1, 20, 9, 0, tzinfo=JAKARTA)
#: What the rahasia and anonim complaints say: none of it may be in the report.
SECRETS = ("Petugas loket meminta uang", "Uang diminta di loket 3", "Petugas sudah dibina", "Nama oknum ada di CCTV")


def wib(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=JAKARTA)


@pytest.fixture
def cases(db) -> dict[str, Pengaduan]:
    """N: a September web complaint, verified, left untouched since. K: an October complaint from the
    complaint box, followed up and finished in November. L: a SP4N-LAPOR! complaint flagged rahasia, answered
    in November. M: an anonim WhatsApp complaint, still new. (No holidays from September to November 2026.)"""
    seed_reference_data()
    team = make_user(role=Role.PENGADUAN)
    c: dict[str, Pengaduan] = {}

    n = c["N"] = make_pengaduan(now=wib(9, 15), title="Berkas SLF hilang", category="produk")
    advance(team, n, Action.VERIFY, wib(9, 16))

    k = c["K"] = make_pengaduan(now=wib(10, 20), channel=Channel.BOX, title="Antrean loket terlalu lama")
    advance(team, k, Action.VERIFY, wib(10, 21))
    advance(team, k, Action.DISPOSE, wib(11, 2), bidang="perizinan-a")
    advance(team, k, Action.FOLLOW_UP, wib(11, 2, 14), body="Loket tambahan dibuka")
    advance(team, k, Action.ANSWER, wib(11, 3), body="Loket ditambah mulai Senin.")
    advance(team, k, Action.FINISH, wib(11, 4))

    lapor = lapor_identity(anonim=False, rahasia=True)
    l_case = c["L"] = make_pengaduan(
        now=wib(11, 5), channel=Channel.LAPOR, identity=lapor.value, title=SECRETS[0], description=SECRETS[1]
    )
    l_case.lapor_number = "LAP-2026-1105-0042"
    advance(team, l_case, Action.VERIFY, wib(11, 5, 14))
    advance(team, l_case, Action.DISPOSE, wib(11, 6, 9), bidang="perizinan-b")
    advance(team, l_case, Action.FOLLOW_UP, wib(11, 6), body=SECRETS[3])
    advance(team, l_case, Action.ANSWER, wib(11, 6, 14), body=SECRETS[2])

    c["M"] = make_pengaduan(now=wib(11, 10), channel=Channel.WHATSAPP, identity="anonim", title=SECRETS[3])
    db.session.commit()
    return c


def later_events(db, cases: dict[str, Pengaduan]) -> None:
    """December: L finished, K reopened, M verified, a letter of 20 November recorded only now."""
    team = make_user(role=Role.PENGADUAN, username="desember")
    advance(team, cases["L"], Action.FINISH, wib(12, 1))
    advance(team, cases["K"], Action.REOPEN, wib(12, 2))
    advance(team, cases["M"], Action.VERIFY, wib(12, 1))
    letter = make_pengaduan(now=wib(12, 3), channel=Channel.LETTER, title="Surat keberatan")
    letter.received_on = date(2026, 11, 20)
    db.session.commit()


def tables(content: bytes) -> dict[str, tuple[list[object], list[tuple[object, ...]]]]:
    """Every sheet's header and rows (not its title block, whose "made at" line differs)."""
    return {ws.title: (header_of(ws), rows_of(ws)) for ws in workbook(content)}


def register(content: bytes, title: str = "Pengaduan November 2026") -> dict[str, dict[object, object]]:
    ws = workbook(content)[title]
    header = header_of(ws)
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows_of(ws)}


def test_the_report_lists_the_complaints_carried_over_and_received_with_their_channel(db, cases):
    export = build_report("pengaduan-bulanan", NOVEMBER, now=ON_THE_DAY)
    rows = register(export.content)
    assert list(rows) == [cases[key].number for key in "NKLM"] and export.rows == 4
    n, k, l_row, m = (rows[cases[key].number] for key in "NKLM")
    assert [row["Kelompok"] for row in (n, k, l_row, m)] == ["Sisa bulan lalu"] * 2 + ["Masuk bulan ini"] * 2
    # The October complaint followed up and finished in November is in November's report, as carried over.
    assert (k["Kanal"], k["Status"], k["Pelapor diberi informasi"]) == (
        "Kotak pengaduan",
        "Selesai",
        datetime(2026, 11, 3),
    )
    assert k["Diterima"] == datetime(2026, 10, 20) and k["Tindak lanjut tepat waktu"] == "Tidak"  # due 28 Oct
    assert (l_row["Kanal"], l_row["Nomor LAPOR!"], l_row["Identitas pelapor"]) == (
        "SP4N-LAPOR!",
        "LAP-2026-1105-0042",
        "Rahasia",
    )
    assert (m["Kanal"], m["Nomor LAPOR!"]) == ("WhatsApp", None)
    assert n["Judul"] == "Berkas SLF hilang" and k["Judul"] == "Antrean loket terlalu lama"  # terbuka: kept
    notes = register(export.content, "Tindak lanjut November 2026")
    assert notes[cases["K"].number]["Tanggapan kepada pelapor"] == "03/11/2026: Loket ditambah mulai Senin."
    assert notes[cases["N"].number]["Tindak lanjut (internal)"] is None  # nothing done in November


def test_a_rahasia_or_anonim_complaint_shows_no_title_or_text(db, cases):
    content = build_report("pengaduan-bulanan", NOVEMBER, now=ON_THE_DAY).content
    every_cell = [str(v) for ws in workbook(content) for row in ws.iter_rows(values_only=True) for v in row if v]
    for secret in SECRETS:
        assert not [cell for cell in every_cell if secret in cell], secret
    rows, notes = register(content), register(content, "Tindak lanjut November 2026")
    for key in "LM":
        assert rows[cases[key].number]["Judul"] == notes[cases[key].number]["Judul"] == "dirahasiakan"
    # What was done, and when, is still reported: only the words are withheld.
    assert notes[cases["L"].number]["Tindak lanjut (internal)"] == "06/11/2026: dirahasiakan"
    assert notes[cases["L"].number]["Tanggapan kepada pelapor"] == "06/11/2026: dirahasiakan"


def test_the_recap_sheet_is_carried_plus_received_minus_finished(db, cases):
    ws = workbook(build_report("pengaduan-bulanan", NOVEMBER, now=ON_THE_DAY).content)["Rekap"]
    assert header_of(ws) == [
        "Menurut",
        "Uraian",
        "Sisa bulan lalu",
        "Masuk bulan ini",
        "Selesai ditangani",
        "Sisa akhir bulan",
        "Tindak lanjut jatuh tempo atau dipenuhi",
        "Tindak lanjut tepat waktu",
        "% tindak lanjut tepat waktu",
    ]
    rows = {(row[0], row[1]): row[2:] for row in rows_of(ws)}
    # N and K carried over, L and M received, K finished; follow-up: K late (due 28 Oct: counted in
    # October), L met on 6 November, so one of one in November.
    for dimension in ("Kanal", "Kategori", "Layanan", "Bidang"):
        assert rows[(dimension, "Jumlah")] == (2, 2, 1, 3, 1, 1, 1)
    assert rows[("Kanal", "Kotak pengaduan")] == (1, 0, 1, 0, 0, 0, None)
    assert rows[("Kanal", "SP4N-LAPOR!")] == (0, 1, 0, 1, 1, 1, 1)
    assert rows[("Kanal", "Surat")] == (0, 0, 0, 0, 0, 0, None)  # every channel is listed
    assert rows[("Bidang", "Bidang Pelayanan Perizinan dan Non Perizinan A")] == (1, 0, 1, 0, 0, 0, None)
    assert rows[("Bidang", "Bidang Pelayanan Perizinan dan Non Perizinan B")] == (0, 1, 0, 1, 1, 1, 1)
    assert rows[("Bidang", "Tidak diisi")] == (1, 1, 0, 2, 0, 0, None)  # no disposisi: N, M
    assert rows[("Kategori", "Produk layanan (izin, dokumen)")] == (1, 0, 0, 1, 0, 0, None)


def test_made_again_later_as_of_the_last_day_it_has_the_same_rows(db, cases):
    then = build_report("pengaduan-bulanan", NOVEMBER, now=ON_THE_DAY)
    later_events(db, cases)
    again = build_report("pengaduan-bulanan", NOVEMBER, as_of=LAST_DAY, now=IN_JANUARY)
    assert tables(again.content) == tables(then.content) and again.rows == then.rows == 4
    # Not vacuous: as of today the letter of 20 November is there and K is open again.
    latest = build_report("pengaduan-bulanan", NOVEMBER, as_of=date(2027, 1, 20), now=IN_JANUARY)
    rows = register(latest.content)
    assert latest.rows == 5 and rows[cases["K"].number]["Dibuka kembali"] == 1
    assert [row["Kanal"] for row in rows.values()][-1] == "Surat"


def test_exported_from_the_english_screen_it_is_english_throughout(db, cases):
    content = build_report("pengaduan-bulanan", NOVEMBER, now=ON_THE_DAY, lang="en").content
    wb = workbook(content)
    assert wb.sheetnames == ["Complaints November 2026", "Follow-up November 2026", "Recap"]
    rows = register(content, "Complaints November 2026")
    k, l_row = rows[cases["K"].number], rows[cases["L"].number]
    assert (k["Group"], k["Channel"], k["Category"], k["Service"]) == (
        "Carried over from last month",
        "Complaint box",
        "Completion time",
        "Building Approval (PBG)",
    )
    assert k["Division"] == "Licensing and Non-Licensing Services Division A"
    assert (l_row["Group"], l_row["LAPOR! tracking number"], l_row["Title"]) == (
        "Received this month",
        "LAP-2026-1105-0042",
        "confidential",
    )
    recap = {(row[0], row[1]): row[2:] for row in rows_of(wb["Recap"])}
    assert recap[("Channel", "Complaint box")][:4] == (1, 0, 1, 0)
    assert recap[("Division", "Not set")][:4] == (1, 1, 0, 2) and ("By", "Item") == tuple(header_of(wb["Recap"])[:2])


def test_the_year_version_recaps_each_month(db, cases):
    today = datetime(2026, 12, 2, 9, 0, tzinfo=JAKARTA)
    content = build_report("pengaduan-bulanan", parse_period("2026"), now=today).content
    wb = workbook(content)
    assert wb.sheetnames == ["Pengaduan 2026", "Tindak lanjut 2026", "Rekap per bulan", "Rekap"]
    assert list(register(content, "Pengaduan 2026")) == [cases[key].number for key in "NKLM"]
    by_month = {row[0]: row[1:] for row in rows_of(wb["Rekap per bulan"])}
    assert list(by_month)[:1] + list(by_month)[-2:] == ["Januari 2026", "Desember 2026", "Jumlah 2026"]
    # (carried, received, finished, open at the end, follow-ups due or met, on time, share)
    assert by_month["September 2026"] == (0, 1, 0, 1, 1, 0, 0)  # N's follow-up, due 23 Sep, missed
    assert by_month["Oktober 2026"] == (1, 1, 0, 2, 1, 0, 0)  # K's, due 28 Oct, missed
    assert by_month["November 2026"] == (2, 2, 1, 3, 1, 1, 1)
    assert by_month["Desember 2026"] == (3, 0, 0, 3, 0, 0, None)  # as of 2 December
    assert by_month["Jumlah 2026"][:6] == (0, 4, 1, 3, 3, 1)  # each follow-up counted in one month only
    year = {(row[0], row[1]): row[2:] for row in rows_of(wb["Rekap"])}
    assert header_of(wb["Rekap"])[2:6] == [
        "Sisa tahun lalu",
        "Masuk tahun ini",
        "Selesai ditangani",
        "Sisa akhir tahun",
    ]
    assert year[("Kanal", "Jumlah")][:6] == by_month["Jumlah 2026"][:6]
