"""The recap "sisa bulan lalu + masuk - selesai = sisa" (services/pengaduan/recap.py), worked out by hand on a
small October-November 2026 scenario (no holidays from 1 October to 30 November 2026)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from tests.factories import advance, make_pengaduan, make_user
from zi_public.localtime import JAKARTA
from zi_public.models import Pengaduan, Role
from zi_public.rules.pengaduan import Action, Channel
from zi_public.rules.periods import parse_period
from zi_public.services.pengaduan.recap import (
    DIMENSION_LABELS,
    DIMENSIONS,
    RecapRow,
    recap,
    recap_by,
    recap_total,
    total_of_channels,
)
from zi_public.services.reference import seed_reference_data

NOVEMBER, OCTOBER, QUARTER = parse_period("2026-11"), parse_period("2026-10"), parse_period("2026-Q4")
LAST_DAY = date(2026, 11, 30)


def wib(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=JAKARTA)


def counts(row: RecapRow) -> tuple[int, ...]:
    """(carried, received, finished, remaining, followed_up, followed_up_on_time)"""
    return row.carried, row.received, row.finished, row.remaining, row.followed_up, row.followed_up_on_time


@pytest.fixture
def cases(db) -> dict[str, Pengaduan]:
    """P, Q, R, S received in October; T, U, V in November; W received in November but recorded in December;
    X received in December."""
    seed_reference_data()
    team = make_user(role=Role.PENGADUAN)
    c: dict[str, Pengaduan] = {}

    p = c["P"] = make_pengaduan(now=wib(10, 20), category="waktu")  # Tue
    advance(team, p, Action.VERIFY, wib(10, 21))  # follow-up due Wed 28 Oct
    advance(team, p, Action.ANSWER, wib(11, 3))  # late: missed on 29 October

    q = c["Q"] = make_pengaduan(now=wib(10, 26), channel=Channel.BOX, category="biaya", layanan="slf")
    advance(team, q, Action.VERIFY, wib(10, 27))  # follow-up due Tue 3 Nov
    advance(team, q, Action.DISPOSE, wib(11, 2), bidang="perizinan-b")
    advance(team, q, Action.ANSWER, wib(11, 2, 14))  # on time, in November
    advance(team, q, Action.FINISH, wib(11, 5))

    for key in "RS":  # handled in October, on time
        case = c[key] = make_pengaduan(now=wib(10, 5))  # Mon; follow-up due Mon 12 Oct
        advance(team, case, Action.VERIFY, wib(10, 5, 14))
        advance(team, case, Action.ANSWER, wib(10, 8))
        advance(team, case, Action.FINISH, wib(10, 9))
    advance(team, c["S"], Action.REOPEN, wib(11, 4))  # S is open again from 4 November

    t = c["T"] = make_pengaduan(now=wib(11, 3), channel=Channel.LAPOR, category="prosedur", identity="anonim")
    advance(team, t, Action.REJECT, wib(11, 4))  # before verification: no follow-up clock

    u = c["U"] = make_pengaduan(now=wib(11, 10), channel=Channel.WHATSAPP, category="prosedur", layanan="")
    advance(team, u, Action.VERIFY, wib(11, 10, 14))  # follow-up due Tue 17 Nov, never met: missed on the 18th
    advance(team, u, Action.DISPOSE, wib(11, 12), bidang="perizinan-a")
    advance(team, u, Action.DISPOSE, wib(12, 1), bidang="perizinan-b")  # after the month: not as of 30 Nov

    c["V"] = make_pengaduan(now=wib(11, 30, 23))
    w = c["W"] = make_pengaduan(now=wib(12, 2), channel=Channel.LETTER)
    w.received_on = date(2026, 11, 20)  # a letter the team recorded late: received in November
    c["X"] = make_pengaduan(now=wib(12, 1))
    db.session.commit()
    return c


def test_the_recap_of_a_month_as_of_its_last_day(db, cases):
    total = recap_total(NOVEMBER, as_of=LAST_DAY, lang="id")
    # carried P, Q, S (reopened); received T, U, V; finished Q, T; follow-up: Q on time, U missed.
    assert counts(total) == (3, 3, 2, 4, 2, 1)
    assert (total.key, total.label, total.on_time_share) == (None, "Jumlah", 0.5)
    assert counts(recap_total(OCTOBER, as_of=date(2026, 10, 31), lang="id")) == (0, 4, 2, 2, 3, 2)


def test_the_recap_by_channel_lists_every_channel(db, cases):
    rows = {row.key: counts(row) for row in recap(NOVEMBER, as_of=LAST_DAY, dimension="channel", lang="id")}
    assert list(rows) == [channel.value for channel in Channel]
    assert rows["web"] == (2, 1, 0, 3, 0, 0)  # P, S carried; V received
    assert rows["kotak"] == (1, 0, 1, 0, 1, 1)
    assert rows["lapor"] == (0, 1, 1, 0, 0, 0)
    assert rows["whatsapp"] == (0, 1, 0, 1, 1, 0)
    assert rows["surat"] == rows["kiosk"] == (0, 0, 0, 0, 0, 0)  # W was recorded after the day
    labels = {row.key: row.label for row in recap(NOVEMBER, as_of=LAST_DAY, dimension="channel", lang="en")}
    assert (labels["kotak"], labels["langsung"]) == ("Complaint box", "Walk-in")


def test_the_recap_by_category_layanan_and_bidang(db, cases):
    def by(dimension: str, lang: str = "id") -> dict[str | None, tuple[int, ...]]:
        return {row.key: counts(row) for row in recap(NOVEMBER, as_of=LAST_DAY, dimension=dimension, lang=lang)}

    category = by("category")
    assert category["waktu"] == (2, 1, 0, 3, 0, 0)  # P, S carried, V received
    assert category["biaya"] == (1, 0, 1, 0, 1, 1)
    assert category["prosedur"] == (0, 2, 1, 1, 1, 0)
    assert category["sarana"] == (0, 0, 0, 0, 0, 0)  # active, so listed at zero
    assert None not in category  # every complaint has a category

    layanan = by("layanan")
    assert layanan["pbg"] == (2, 2, 1, 3, 0, 0)
    assert (layanan["slf"], layanan[None]) == ((1, 0, 1, 0, 1, 1), (0, 1, 0, 1, 1, 0))
    assert list(layanan)[-1] is None  # "not set" comes last

    bidang = by("bidang")  # U was with perizinan-a on 30 November (moved on 1 December)
    assert (bidang["perizinan-a"], bidang["perizinan-b"]) == ((0, 1, 0, 1, 1, 0), (1, 0, 1, 0, 1, 1))
    assert bidang[None] == (2, 2, 1, 3, 0, 0)  # no disposisi yet: P, S, T, V
    for dimension in DIMENSIONS:  # every dimension adds up to the total
        sums = tuple(map(sum, zip(*by(dimension).values(), strict=True)))
        assert sums == counts(recap_total(NOVEMBER, as_of=LAST_DAY, lang="id"))


def test_the_labels_are_in_the_recaps_language(db, cases):
    english = {row.key: row.label for row in recap(NOVEMBER, as_of=LAST_DAY, dimension="layanan", lang="en")}
    assert (english["slf"], english[None]) == ("Certificate of Building Worthiness (SLF)", "Not set")
    bidang = {row.key: row.label for row in recap(NOVEMBER, as_of=LAST_DAY, dimension="bidang", lang="en")}
    assert bidang["perizinan-a"] == "Licensing and Non-Licensing Services Division A"
    assert recap_total(NOVEMBER, as_of=LAST_DAY, lang="en").label == "Total"
    indonesian = {row.key: row.label for row in recap(NOVEMBER, as_of=LAST_DAY, dimension="category", lang="id")}
    assert indonesian["waktu"] == "Waktu penyelesaian"


def test_a_complaint_recorded_after_the_day_is_absent_even_when_received_before(db, cases):
    assert counts(recap_total(NOVEMBER, as_of=date(2026, 12, 2), lang="id"))[1] == 4  # W now counts
    letters = {r.key: r for r in recap(NOVEMBER, as_of=date(2026, 12, 2), dimension="channel", lang="id")}["surat"]
    assert counts(letters) == (0, 1, 0, 1, 0, 0)
    assert counts(recap_total(NOVEMBER, as_of=LAST_DAY, lang="id"))[1] == 3


def test_the_recap_as_of_a_day_inside_the_month(db, cases):
    # As of 3 November: S was still finished (reopened on the 4th), T not yet rejected, Q not yet finished.
    assert counts(recap_total(NOVEMBER, as_of=date(2026, 11, 3), lang="id")) == (2, 1, 0, 3, 1, 1)


def test_a_reopened_complaint_is_carried_over_until_it_ends_again(db, cases):
    s = cases["S"]
    web = {r.key: r for r in recap(NOVEMBER, as_of=LAST_DAY, dimension="channel", lang="id")}["web"]
    assert (web.carried, web.remaining) == (2, 3)
    team = make_user(role=Role.PENGADUAN, username="desember")
    advance(team, s, Action.ANSWER, wib(12, 3))
    advance(team, s, Action.FINISH, wib(12, 4))
    db.session.commit()
    # November as of its last day is unchanged; December counts S as carried over and finished.
    assert counts(recap_total(NOVEMBER, as_of=LAST_DAY, lang="id")) == (3, 3, 2, 4, 2, 1)
    december = recap_total(parse_period("2026-12"), as_of=date(2026, 12, 4), lang="id")
    assert counts(december) == (5, 1, 1, 5, 0, 0)  # carried P, S, U, V, W; received X; finished S


def test_each_follow_up_counts_once_so_months_add_up_to_the_quarter(db, cases):
    as_of = date(2026, 12, 31)
    months = [recap_total(parse_period(f"2026-{m}"), as_of=as_of, lang="id") for m in (10, 11, 12)]
    quarter = recap_total(QUARTER, as_of=as_of, lang="id")
    assert quarter.followed_up == sum(m.followed_up for m in months) == 5
    assert quarter.followed_up_on_time == sum(m.followed_up_on_time for m in months) == 3
    assert quarter.received == sum(m.received for m in months) == 9
    assert quarter.carried == 0 and quarter.remaining == months[-1].remaining


def test_the_recap_is_one_aggregate_query(db, cases):
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        rows = recap(NOVEMBER, as_of=LAST_DAY, dimension="channel", lang="id")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert len(rows) == len(Channel)
    assert len(statements) == 1 and "GROUP BY" in statements[0].upper()


def test_the_recaps_by_every_dimension_come_from_one_aggregate_query(db, cases):
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        together = recap_by(NOVEMBER, as_of=LAST_DAY, lang="en")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert [s for s in statements if "GROUP BY" in s.upper()] == statements[:1]
    assert len(statements) == 4  # the counts, then the category, layanan and bidang catalogues
    for dimension in DIMENSIONS:
        assert together[dimension] == recap(NOVEMBER, as_of=LAST_DAY, dimension=dimension, lang="en")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_channels_add_up_to_the_total(db, cases, lang):
    """What the reports take instead of another recap_total statement."""
    for period, as_of in ((NOVEMBER, LAST_DAY), (NOVEMBER, date(2026, 11, 3)), (QUARTER, date(2026, 12, 4))):
        channels = recap(period, as_of=as_of, dimension="channel", lang=lang)
        assert total_of_channels(channels, lang) == recap_total(period, as_of=as_of, lang=lang)


def test_an_unknown_dimension_is_refused(db):
    with pytest.raises(ValueError, match="dimension"):
        recap(NOVEMBER, as_of=LAST_DAY, dimension="title", lang="id")
    with pytest.raises(ValueError, match="dimension"):
        recap_by(NOVEMBER, as_of=LAST_DAY, dimensions=(), lang="id")
    assert recap_total(NOVEMBER, as_of=LAST_DAY, lang="id") == RecapRow(None, "Jumlah", 0, 0, 0, 0, 0, 0)


def test_a_recap_line_gives_its_columns_in_the_reports_order():
    line = RecapRow("web", "Web", carried=2, received=5, finished=4, remaining=3, followed_up=4,
                          followed_up_on_time=3)  # fmt: skip
    assert line.counts() == [2, 5, 4, 3, 4, 3]
    assert line.figures() == [2, 5, 4, 3, 4, 3, 0.75]
    assert RecapRow(None, "Jumlah", 0, 0, 0, 0, 0, 0).figures()[-1] is None  # no follow-up: no share
    assert list(DIMENSION_LABELS) == list(DIMENSIONS)
