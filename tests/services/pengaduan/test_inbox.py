"""The Tim Pengaduan's inbox query, the clocks of a case and the dashboard counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.factories import advance, make_pengaduan, make_user
from zi_public.extensions import db as _db
from zi_public.models import Pengaduan, Role
from zi_public.paging import keyset_page
from zi_public.rules.clocks import ClockState
from zi_public.rules.pengaduan import Action, Channel, Status
from zi_public.services.due_dates import Urgency
from zi_public.services.pengaduan.clocks import clocks_of, is_overdue
from zi_public.services.pengaduan.flow import ActionInput, act
from zi_public.services.pengaduan.inbox import (
    InboxFilter,
    PengaduanCounts,
    dashboard_counts,
    inbox_query,
    next_dues,
)

# Monday 2 March 2026, 10:00 in Jakarta: a plain working week.
MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def numbers(filters: InboxFilter, today: date = TODAY) -> list[str]:
    stmt = inbox_query(filters, today).order_by(Pengaduan.id)
    return [case.number for case in _db.session.scalars(stmt)]


def test_each_filter_narrows_the_inbox(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    web = make_pengaduan(now=MONDAY, category="waktu")
    kiosk = make_pengaduan(now=MONDAY, channel=Channel.KIOSK, category="biaya")
    api = make_pengaduan(channel=Channel.API, category="biaya", now=MONDAY - timedelta(days=30))  # 31 January
    act(team, kiosk, Action.VERIFY, ActionInput(), now=MONDAY)
    advance(team, kiosk, Action.DISPOSE, MONDAY, body="Cek", bidang="perizinan-b")
    everything = [web.number, kiosk.number, api.number]

    assert numbers(InboxFilter()) == everything
    assert numbers(InboxFilter(status=Status.BARU)) == [web.number, api.number]
    assert numbers(InboxFilter(status=Status.DITINDAKLANJUTI)) == [kiosk.number]
    assert numbers(InboxFilter(category="biaya")) == [kiosk.number, api.number]
    assert numbers(InboxFilter(category="tidak-ada")) == []
    assert numbers(InboxFilter(bidang="perizinan-b")) == [kiosk.number]
    assert numbers(InboxFilter(bidang="sekretariat")) == []
    assert numbers(InboxFilter(channel=Channel.API)) == [api.number]
    assert numbers(InboxFilter(channel=Channel.KIOSK, category="biaya")) == [kiosk.number]
    assert numbers(InboxFilter(month=date(2026, 1, 1))) == [api.number]
    assert numbers(InboxFilter(month=date(2026, 3, 15))) == [web.number, kiosk.number]
    assert numbers(InboxFilter(month=date(2026, 2, 1))) == []


def test_month_filter_covers_the_whole_month_in_jakarta_days(db, seeded):
    # 31 December 2026 17:30 UTC is already 1 January 2027 in Jakarta.
    new_year = make_pengaduan(now=datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    december = make_pengaduan(now=datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert numbers(InboxFilter(month=date(2026, 12, 1))) == [december.number]
    assert numbers(InboxFilter(month=date(2027, 1, 1))) == [new_year.number]


def test_number_search_is_exact_or_prefix_and_case_blind(db, seeded):
    cases = [make_pengaduan(now=MONDAY) for _ in range(3)]
    assert numbers(InboxFilter(number="PGD-2026-000002")) == [cases[1].number]
    assert numbers(InboxFilter(number="  pgd-2026-000002 ")) == [cases[1].number]
    assert numbers(InboxFilter(number="PGD-2026-00000")) == [c.number for c in cases]
    assert numbers(InboxFilter(number="PGD-2025")) == []
    # LIKE wildcards typed by someone are plain characters, not "anything".
    assert numbers(InboxFilter(number="PGD-2026-%")) == []
    assert numbers(InboxFilter(number="PGD_2026")) == []


def test_search_finds_a_complaint_by_its_lapor_number_typed_as_the_team_types_it(db, seeded):
    web, lapor, other = (make_pengaduan(now=MONDAY) for _ in range(3))
    lapor.lapor_number, other.lapor_number = "LAP-2026/0012", "4291234"
    _db.session.flush()

    assert numbers(InboxFilter(number="LAP-2026/0012")) == [lapor.number]
    assert numbers(InboxFilter(number=" #lap-2026/0012 ")) == [lapor.number]  # intake's normalisation
    assert numbers(InboxFilter(number="lap-2026/")) == [lapor.number]  # its beginning
    assert numbers(InboxFilter(number="#4291234")) == [other.number]
    assert numbers(InboxFilter(number="LAP-2026/0013")) == []
    # The case number still works beside it, and a complaint without a LAPOR! number is found by its own.
    assert numbers(InboxFilter(number=web.number)) == [web.number]
    assert numbers(InboxFilter(number="PGD-2026")) == [web.number, lapor.number, other.number]
    # Wildcards stay plain characters in the LAPOR! number too.
    assert numbers(InboxFilter(number="LAP%")) == []
    assert numbers(InboxFilter(number="LAP_2026")) == []
    assert numbers(InboxFilter(number="#")) == []


def test_overdue_follows_each_running_clock(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    case = make_pengaduan(now=MONDAY)
    overdue = InboxFilter(overdue=True)
    # Verify clock: due on verify_by, overdue the day after while the case is not triaged.
    assert numbers(overdue, case.verify_by) == []
    assert numbers(overdue, case.verify_by + timedelta(days=1)) == [case.number]
    verified_at = MONDAY + timedelta(days=10)
    act(team, case, Action.VERIFY, ActionInput(), now=verified_at)
    assert case.verify_by < case.triaged_on  # verified late: missed, but no longer running
    # Follow-up clock: starts at verification.
    assert numbers(overdue, case.followup_by) == []
    assert numbers(overdue, case.followup_by + timedelta(days=1)) == [case.number]
    act(team, case, Action.ANSWER, ActionInput(body="Sedang diproses"), now=verified_at)
    assert numbers(overdue, case.followup_by + timedelta(days=1)) == []
    # Settle clock: 60 calendar days from receipt, until the case is finished.
    assert numbers(overdue, case.settle_by) == []
    assert numbers(overdue, case.settle_by + timedelta(days=1)) == [case.number]


def test_a_case_that_ended_is_not_overdue(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    rejected = make_pengaduan(now=MONDAY)
    act(team, rejected, Action.VERIFY, ActionInput(), now=MONDAY)
    act(team, rejected, Action.REJECT, ActionInput(body="Bukan kewenangan"), now=MONDAY + timedelta(days=20))
    forwarded = make_pengaduan(now=MONDAY)
    act(team, forwarded, Action.FORWARD, ActionInput(forwarded_to="BPN"), now=MONDAY)
    far_future = date(2027, 1, 1)
    assert numbers(InboxFilter(overdue=True), far_future) == []
    assert not is_overdue(rejected, far_future)
    follow_up = clocks_of(rejected, far_future)[1]
    assert follow_up.state == ClockState.MISSED  # rejected 20 days after verification, past the 5 working days


def test_sql_and_python_agree_on_overdue(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    cases = [make_pengaduan(now=MONDAY + timedelta(days=offset)) for offset in (0, 1, 2, 7)]
    act(team, cases[1], Action.VERIFY, ActionInput(), now=MONDAY + timedelta(days=2))
    act(team, cases[2], Action.REJECT, ActionInput(body="Bukan pengaduan"), now=MONDAY + timedelta(days=2))
    for offset in range(0, 80, 3):
        today = TODAY + timedelta(days=offset)
        expected = [c.number for c in cases if is_overdue(c, today)]
        assert numbers(InboxFilter(overdue=True), today) == expected, today


def test_dashboard_counts_are_aggregated(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    assert dashboard_counts(TODAY) == PengaduanCounts(0, 0, 0, 0)
    old = make_pengaduan(now=MONDAY - timedelta(days=14))  # overdue for verification
    today = make_pengaduan(now=MONDAY)
    verified = make_pengaduan(now=MONDAY - timedelta(days=1))
    act(team, verified, Action.VERIFY, ActionInput(), now=MONDAY)
    rejected = make_pengaduan(now=MONDAY)
    act(team, rejected, Action.REJECT, ActionInput(body="Bukan pengaduan"), now=MONDAY)
    counts = dashboard_counts(TODAY)
    assert (counts.new_today, counts.to_verify, counts.overdue, counts.open) == (2, 2, 1, 3)
    assert old.status == today.status == Status.BARU


def test_keyset_paging_over_the_filtered_inbox(db, seeded):
    cases = [make_pengaduan(now=MONDAY, channel=Channel.KIOSK if i % 2 else Channel.WEB) for i in range(5)]
    kiosk = [c.number for c in reversed(cases) if c.channel == Channel.KIOSK]
    stmt = inbox_query(InboxFilter(channel=Channel.KIOSK), TODAY)
    first = keyset_page(stmt, Pengaduan.id, args={"channel": "kiosk"}, size=1)
    assert [c.number for c in first.items] == kiosk[:1] and first.has_next
    assert first.next_args == {"channel": "kiosk", "before": first.items[0].id}
    second = keyset_page(stmt, Pengaduan.id, args={k: str(v) for k, v in first.next_args.items()}, size=1)
    assert [c.number for c in second.items] == kiosk[1:] and not second.has_next and second.has_prev


# --- the next due date (issue 11 point 8)


def python_next_due(case: Pengaduan, today: date) -> tuple[str, date] | None:
    """The Python clocks' answer: of the clocks still running, the one due first (the first declared on a tie)."""
    running = [c for c in clocks_of(case, today) if c.state in (ClockState.RUNNING, ClockState.OVERDUE)]
    first = min(running, key=lambda c: c.due, default=None)
    return (first.name, first.due) if first else None


def test_next_due_is_the_earliest_running_clock_coloured_by_how_close(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    new = make_pengaduan(now=MONDAY)  # verify by Thursday 5 March
    verified = make_pengaduan(now=MONDAY)
    act(team, verified, Action.VERIFY, ActionInput(), now=MONDAY)  # follow up by Monday 9 March
    answered = make_pengaduan(now=MONDAY)
    act(team, answered, Action.VERIFY, ActionInput(), now=MONDAY)
    advance(team, answered, Action.ANSWER, MONDAY)  # only the 60-day settle clock still runs
    finished = make_pengaduan(now=MONDAY)
    for action in (Action.VERIFY, Action.ANSWER, Action.FINISH):
        advance(team, finished, action, MONDAY)
    rejected = make_pengaduan(now=MONDAY)
    advance(team, rejected, Action.REJECT, MONDAY)
    ids = [new.id, verified.id, answered.id, finished.id, rejected.id]

    due = next_dues(ids, TODAY)
    assert set(due) == {new.id, verified.id, answered.id}  # nothing runs on a finished or rejected one
    assert (due[new.id].name, due[new.id].due, due[new.id].urgency) == ("verify", date(2026, 3, 5), Urgency.LATER)
    assert (due[verified.id].name, due[verified.id].due) == ("follow_up", date(2026, 3, 9))
    assert (due[answered.id].name, due[answered.id].due) == ("settle", date(2026, 5, 1))
    # Soon: due today or on the next working day; overdue: the day after the due date.
    assert next_dues([new.id], date(2026, 3, 3))[new.id].urgency == Urgency.LATER
    assert next_dues([new.id], date(2026, 3, 4))[new.id].urgency == Urgency.SOON
    assert next_dues([new.id], date(2026, 3, 5))[new.id].urgency == Urgency.SOON
    assert next_dues([new.id], date(2026, 3, 6))[new.id].urgency == Urgency.OVERDUE
    assert next_dues([verified.id], date(2026, 3, 6))[verified.id].urgency == Urgency.SOON  # Friday: Monday is next
    assert next_dues([], TODAY) == {}


def test_next_due_in_sql_equals_the_python_clocks_every_day(db, seeded):
    # The SQL twin against clocks_of, day by day, through verification, a late answer and a reopening.
    team = make_user(role=Role.PENGADUAN)
    cases = [make_pengaduan(now=MONDAY) for _ in range(4)]
    act(team, cases[1], Action.VERIFY, ActionInput(), now=MONDAY + timedelta(days=8))  # verified late
    for action in (Action.VERIFY, Action.ANSWER, Action.FINISH, Action.REOPEN):
        advance(team, cases[2], action, MONDAY + timedelta(days=1))
    cases[3].settle_by = cases[3].verify_by  # a tie: the clock declared first wins
    _db.session.flush()
    for offset in range(0, 70, 3):
        today = TODAY + timedelta(days=offset)
        due = next_dues([case.id for case in cases], today)
        for case in cases:
            sql = (due[case.id].name, due[case.id].due) if case.id in due else None
            assert sql == python_next_due(case, today), (case.id, today)
            overdue = case.id in due and due[case.id].urgency == Urgency.OVERDUE
            assert overdue == is_overdue(case, today)
    assert next_dues([cases[3].id], TODAY)[cases[3].id].name == "verify"
