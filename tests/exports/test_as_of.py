"""A report for a past period is reproducible: exported later "as of" the period's last day, it has the
rows an export made on that day had, whatever happened since (issue 6, "Reports as documents")."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from tests.exports.reports import JAKARTA, file_scenario, header_of, rows_of, wib, workbook
from tests.factories import make_pengaduan, make_user
from zi_public.exports import build_report
from zi_public.localtime import jakarta_date_sql
from zi_public.models import Bidang, Pengaduan, Role
from zi_public.rules.pengaduan import Action
from zi_public.rules.periods import parse_period
from zi_public.services.pengaduan.flow import ActionInput, act, close_expired

LAST_DAY = date(2026, 11, 30)
ON_THE_DAY = datetime(2026, 11, 30, 21, 0, tzinfo=JAKARTA)
IN_JANUARY = datetime(2027, 1, 20, 9, 0, tzinfo=JAKARTA)


def tables(content: bytes) -> dict[str, tuple[list[object], list[tuple[object, ...]]]]:
    """Every sheet's header and rows (not its title block, whose "made at" line differs)."""
    return {ws.title: (header_of(ws), rows_of(ws)) for ws in workbook(content)}


def later_events(db, cases: dict[str, Pengaduan]) -> None:
    """December and January: answers, a reopening, a new disposisi, a verification, closings, new complaints."""
    team = make_user(role=Role.PENGADUAN, username="desember")
    bidang = {b.code: b for b in db.session.scalars(sa.select(Bidang))}
    a, b, d, f, h = (cases[k] for k in "ABDFH")
    act(team, a, Action.REOPEN, ActionInput(body="Pelapor menelepon: belum tuntas."), now=wib(12, 3))
    act(team, a, Action.DISPOSE, ActionInput(body="Cek ulang", bidang_id=bidang["perizinan-a"].id), now=wib(12, 3, 11))
    act(team, a, Action.FOLLOW_UP, ActionInput(body="Sudah dicek ulang"), now=wib(12, 4))
    act(team, a, Action.ANSWER, ActionInput(body="Sudah tuntas."), now=wib(12, 4, 14))
    act(team, a, Action.FINISH, ActionInput(), now=wib(12, 7))
    act(team, b, Action.DISPOSE, ActionInput(body="Mohon dicek", bidang_id=bidang["perizinan-b"].id), now=wib(12, 1))
    act(team, b, Action.ANSWER, ActionInput(body="Biaya sesuai perda."), now=wib(12, 2))
    act(team, b, Action.FINISH, ActionInput(), now=wib(12, 2, 15))
    act(team, d, Action.VERIFY, ActionInput(), now=wib(12, 1))  # its follow-up clock starts after the day
    act(team, f, Action.REJECT, ActionInput(body="Bukan kewenangan kami"), now=wib(12, 1))
    act(team, h, Action.FORWARD, ActionInput(forwarded_to="Dinas PUPR"), now=wib(12, 2))
    make_pengaduan(now=wib(12, 1, 8), identity="anonim")  # a December complaint
    close_expired(IN_JANUARY)  # G and B's reply windows have passed
    db.session.commit()


def test_november_exported_in_january_as_of_30_november_equals_the_export_of_30_november(db):
    cases = file_scenario(db)
    november, semester = parse_period("2026-11"), parse_period("2026-S2")
    monthly_then = build_report("pengaduan-bulanan", november, now=ON_THE_DAY)
    monev_then = build_report("pengaduan-monev", semester, now=ON_THE_DAY)

    later_events(db, cases)
    monthly_now = build_report("pengaduan-bulanan", november, as_of=LAST_DAY, now=IN_JANUARY)
    monev_now = build_report("pengaduan-monev", semester, as_of=LAST_DAY, now=IN_JANUARY)

    assert tables(monthly_now.content) == tables(monthly_then.content)
    assert tables(monev_now.content) == tables(monev_then.content)
    assert monthly_now.rows == monthly_then.rows == 7  # H and F carried over, five received in November

    # The same report as of a later day does show what happened since (the test is not vacuous).
    latest = tables(build_report("pengaduan-bulanan", november, now=IN_JANUARY, as_of=date(2027, 1, 20)).content)
    header, rows = latest["Pengaduan November 2026"]
    by_number = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    a, b = by_number[cases["A"].number], by_number[cases["B"].number]
    assert (a["Selesai ditangani"], a["Dibuka kembali"]) == (datetime(2026, 12, 7), 1)
    assert a["Bidang"] == "Bidang Pelayanan Perizinan dan Non Perizinan A"
    assert (b["Status"], b["Ditutup"]) == ("Selesai", datetime(2027, 1, 20))


def test_a_complaint_reopened_after_the_day_still_counts_as_handled_on_that_day(db):
    cases = file_scenario(db)
    a = cases["A"]
    team = make_user(role=Role.PENGADUAN)
    act(team, a, Action.REOPEN, ActionInput(body="Belum tuntas."), now=wib(12, 3))
    db.session.commit()
    assert a.finished_on is None  # the stored stamp was cleared by the reopening
    wb = workbook(build_report("pengaduan-monev", parse_period("2026-S2"), as_of=LAST_DAY, now=IN_JANUARY).content)
    november = {row[0]: row[1:] for row in rows_of(wb["Volume per bulan"])}["November 2026"]
    assert november[:7] == (5, 3, 1, 1, 1, 2, 2)  # A is still selesai and on time as of 30 November
    open_numbers = [row[0] for row in rows_of(wb["Belum selesai"])]
    assert a.number not in open_numbers


def test_the_jakarta_date_of_a_stored_timestamp_in_sql(db):
    # 16:59:59 UTC is 23:59:59 in Jakarta; 17:00 UTC is already the next day there.
    for stored, expected in [
        (datetime(2026, 11, 30, 16, 59, 59), date(2026, 11, 30)),
        (datetime(2026, 11, 30, 17, 0, 0), date(2026, 12, 1)),
        (datetime(2026, 12, 31, 23, 0, 0), date(2027, 1, 1)),
    ]:
        assert db.session.scalar(sa.select(jakarta_date_sql(sa.literal(stored, sa.DateTime)))) == expected
