"""Pengaduan's clocks walked along every path of the flow table, at many "as of" dates:
the Python clocks (clocks_of) and the SQL ones (state_columns) agree on both databases, and the
key cases read as SP4N-LAPOR! says (the reporter informed stops the follow-up clock, a disposisi does not)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import advance, make_pengaduan, make_user
from zi_public.models import Pengaduan, Role
from zi_public.rules.clocks import ClockState
from zi_public.rules.pengaduan import Action
from zi_public.services.pengaduan.clocks import (
    CLOCKS,
    FOLLOW_UP,
    SETTLE,
    VERIFY,
    clocks_of,
    is_on_time,
    is_overdue,
    on_time_condition,
    overdue_condition,
    state_columns,
)
from zi_public.services.pengaduan.flow import close_expired

RUN, LATE, MET, MISSED, NA = (
    ClockState.RUNNING,
    ClockState.OVERDUE,
    ClockState.MET,
    ClockState.MISSED,
    ClockState.NOT_APPLICABLE,
)
#: Monday 2 November 2026, 10:00 in Jakarta. November 2026 has no holiday: verify due Thu 5 Nov, settle due 1 Jan.
RECEIVED = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
DAY0 = date(2026, 11, 2)
CLOSE = "close"  # not a team action: `sla tick` closes the case once the reply window has passed

#: Every path through the flow table, as (day after receipt, action) steps.
PATHS: dict[str, list[tuple[int, Action | str]]] = {
    "untouched": [],
    "disposisi_only": [(1, Action.VERIFY), (2, Action.DISPOSE)],
    "verify_dispose_answer_finish": [
        (1, Action.VERIFY),
        (2, Action.DISPOSE),
        (3, Action.FOLLOW_UP),
        (4, Action.ANSWER),
        (5, Action.FINISH),
    ],
    # FLOW has no terverifikasi -> selesai: an answer from terverifikasi still needs a disposisi to finish.
    "verify_answer_dispose_finish": [(1, Action.VERIFY), (2, Action.ANSWER), (3, Action.DISPOSE), (4, Action.FINISH)],
    "rejected_from_baru": [(2, Action.REJECT)],
    "verify_then_reject": [(1, Action.VERIFY), (2, Action.REJECT)],
    "answer_then_reject": [(1, Action.VERIFY), (2, Action.ANSWER), (3, Action.REJECT)],
    "forwarded_from_baru_late": [(4, Action.FORWARD)],
    "verify_then_forward_late": [(1, Action.VERIFY), (15, Action.FORWARD)],
    "late_at_every_step": [(8, Action.VERIFY), (9, Action.DISPOSE), (20, Action.ANSWER), (70, Action.FINISH)],
    "reporter_reply_then_close": [
        (0, Action.VERIFY),
        (1, Action.DISPOSE),
        (2, Action.ANSWER),
        (3, Action.FINISH),
        (4, Action.REPORTER_REPLY),
        (5, Action.ANSWER),
        (6, Action.FINISH),
        (6, Action.RATE),
        (30, CLOSE),
    ],
    "team_reopens": [
        (1, Action.VERIFY),
        (1, Action.DISPOSE),
        (1, Action.ANSWER),
        (2, Action.FINISH),
        (8, Action.REOPEN),
        (9, Action.ANSWER),
        (10, Action.FINISH),
    ],
}
#: A reopening clears the finish date: those paths cannot be replayed into the past (see test below).
REOPENING = frozenset({"reporter_reply_then_close", "team_reopens"})


def at(day: int) -> datetime:
    return RECEIVED + timedelta(days=day)


def walk(team, steps: list[tuple[int, Action | str]]) -> Pengaduan:
    """File a complaint on DAY0 and take `steps`, each at 10:00 Jakarta time of its day."""
    case = make_pengaduan(now=RECEIVED, identity="anonim")
    for day, action in steps:
        if action == CLOSE:
            assert case in close_expired(now=at(day))
        else:
            advance("reporter" if action in (Action.REPORTER_REPLY, Action.RATE) else team, case, action, at(day))
    return case


@pytest.fixture
def walked(seeded, db) -> dict[str, Pengaduan]:
    team = make_user(role=Role.PENGADUAN)
    cases = {name: walk(team, steps) for name, steps in PATHS.items()}
    db.session.flush()
    return cases


def as_of_dates(cases: dict[str, Pengaduan]) -> list[date]:
    """Before receipt, around every step, on and after every due date, and long after."""
    days = {DAY0 - timedelta(days=1), DAY0, DAY0 + timedelta(days=400)}
    for steps in PATHS.values():
        for day, _ in steps:
            days |= {DAY0 + timedelta(days=day + delta) for delta in (-1, 0, 1)}
    for case in cases.values():
        for due in (case.verify_by, case.followup_by, case.settle_by, case.reply_until):
            if due is not None:
                days |= {due - timedelta(days=1), due, due + timedelta(days=1)}
    return sorted(days)


def states(case: Pengaduan, as_of: date) -> tuple[ClockState, ClockState, ClockState]:
    verify, follow_up, settle = clocks_of(case, as_of)
    return verify.state, follow_up.state, settle.state


def test_python_and_sql_agree_on_every_path_at_every_date(db, walked):
    by_id = {case.id: name for name, case in walked.items()}
    checked = 0
    for as_of in as_of_dates(walked):
        columns = state_columns(as_of)
        rows = db.session.execute(
            sa.select(
                Pengaduan.id,
                *(columns[clock.name] for clock in CLOCKS),
                overdue_condition(as_of),
                on_time_condition(as_of),
            )
        ).all()
        assert len(rows) == len(walked)
        for case_id, *sql_states, overdue, on_time in rows:
            case = walked[by_id[case_id]]
            where = f"{by_id[case_id]} as of {as_of}"
            assert [ClockState(s) for s in sql_states] == [c.state for c in clocks_of(case, as_of)], where
            assert bool(overdue) == is_overdue(case, as_of), where
            assert bool(on_time) == is_on_time(case, as_of), where
            checked += 1
    assert checked == len(walked) * len(as_of_dates(walked)) > 400


def test_the_clocks_of_the_past_are_what_was_recorded_then(seeded, db, walked):
    """As of any day, a complaint reads as it read that evening: replay the steps up to that day and compare."""
    team = make_user(role=Role.PENGADUAN)
    for name, steps in PATHS.items():
        if name in REOPENING:
            continue
        days = [0] + [day for day, _ in steps] + [500]
        for k in range(len(steps) + 1):
            first, last = DAY0 + timedelta(days=days[k]), DAY0 + timedelta(days=days[k + 1] - 1)
            if first > last:
                continue  # the next step was taken the same day
            replay = walk(team, steps[:k])
            for as_of in (first, last):
                assert clocks_of(replay, as_of) == clocks_of(walked[name], as_of), f"{name} after {k} as of {as_of}"


def test_the_key_cases(walked):
    # Verified on day 1, rejected on day 2, looked at weeks later: every clock met. The rejection with its
    # reason is the information to the reporter, so it stops the follow-up clock.
    case = walked["verify_then_reject"]
    weeks_later = DAY0 + timedelta(days=40)
    verify, follow_up, settle = clocks_of(case, weeks_later)
    assert (verify.state, verify.done_on) == (MET, date(2026, 11, 3))
    assert (follow_up.state, follow_up.due, follow_up.done_on) == (MET, date(2026, 11, 10), date(2026, 11, 4))
    assert (settle.state, settle.done_on) == (MET, date(2026, 11, 4))
    assert is_on_time(case, weeks_later) and not is_overdue(case, weeks_later)

    # Rejected without verification: the rejection was the triage decision; no follow-up clock ever started.
    case = walked["rejected_from_baru"]
    verify, follow_up, settle = clocks_of(case, weeks_later)
    assert (verify.state, verify.done_on) == (MET, date(2026, 11, 4))
    assert (follow_up.state, follow_up.due, follow_up.done_on) == (NA, None, None)
    assert settle.state == MET and is_on_time(case, weeks_later)

    # A disposisi alone informs nobody: the follow-up clock runs on and goes overdue.
    case = walked["disposisi_only"]
    assert case.followed_up_on is None and case.followup_by == date(2026, 11, 10)
    assert states(case, case.followup_by) == (MET, RUN, RUN)
    assert states(case, case.followup_by + timedelta(days=1)) == (MET, LATE, RUN)
    assert is_overdue(case, case.followup_by + timedelta(days=1))
    assert walked["verify_dispose_answer_finish"].followed_up_on == date(2026, 11, 6)  # the answer, not the disposisi

    # The first information counts: an answer before a rejection, a late forwarding notice.
    assert walked["answer_then_reject"].followed_up_on == date(2026, 11, 4)
    assert walked["verify_then_forward_late"].followed_up_on == date(2026, 11, 17)
    assert states(walked["verify_then_forward_late"], date(2026, 12, 1)) == (MET, MISSED, MET)
    assert walked["reporter_reply_then_close"].followed_up_on == DAY0 + timedelta(days=2)

    # Known limit: a reopening clears finished_on, so before it the settle clock reads as still running.
    case = walked["team_reopens"]
    assert states(case, DAY0 + timedelta(days=5)) == (MET, MET, RUN)  # finished on day 2, reopened on day 8
    assert states(case, DAY0 + timedelta(days=10)) == (MET, MET, MET)


#: (path, day after receipt, expected verify / follow-up / settle states as of that day)
EXPECTED = [
    ("untouched", -1, (NA, NA, NA)),  # not yet received
    ("untouched", 0, (RUN, NA, RUN)),
    ("untouched", 3, (RUN, NA, RUN)),  # Thu 5 Nov: the due day itself
    ("untouched", 4, (LATE, NA, RUN)),
    ("untouched", 60, (LATE, NA, RUN)),  # 1 January: settle due
    ("untouched", 61, (LATE, NA, LATE)),
    ("verify_dispose_answer_finish", 0, (RUN, NA, RUN)),
    ("verify_dispose_answer_finish", 1, (MET, RUN, RUN)),
    ("verify_dispose_answer_finish", 3, (MET, RUN, RUN)),
    ("verify_dispose_answer_finish", 4, (MET, MET, RUN)),
    ("verify_dispose_answer_finish", 5, (MET, MET, MET)),
    ("forwarded_from_baru_late", 3, (RUN, NA, RUN)),
    ("forwarded_from_baru_late", 4, (MISSED, NA, MET)),
    ("late_at_every_step", 7, (LATE, NA, RUN)),
    ("late_at_every_step", 8, (MISSED, RUN, RUN)),
    ("late_at_every_step", 15, (MISSED, RUN, RUN)),  # verified Tue 10 Nov: follow-up due Tue 17 Nov
    ("late_at_every_step", 16, (MISSED, LATE, RUN)),
    ("late_at_every_step", 20, (MISSED, MISSED, RUN)),
    ("late_at_every_step", 60, (MISSED, MISSED, RUN)),
    ("late_at_every_step", 61, (MISSED, MISSED, LATE)),
    ("late_at_every_step", 70, (MISSED, MISSED, MISSED)),
    ("reporter_reply_then_close", 3, (MET, MET, RUN)),  # finished that day, but reopened on day 4 (see above)
    ("reporter_reply_then_close", 6, (MET, MET, MET)),
    ("reporter_reply_then_close", 400, (MET, MET, MET)),
]


def test_expected_states(walked):
    for name, day, expected in EXPECTED:
        assert states(walked[name], DAY0 + timedelta(days=day)) == expected, (name, day)
    assert [clock.name for clock in clocks_of(walked["untouched"], DAY0)] == [VERIFY, FOLLOW_UP, SETTLE]

    # Dates recorded after "as of", and the due date of a clock not started by then, are not shown.
    case = walked["late_at_every_step"]
    verify, follow_up, settle = clocks_of(case, DAY0 + timedelta(days=5))
    assert (verify.due, verify.done_on) == (case.verify_by, None)  # verified on day 8
    assert (follow_up.due, follow_up.done_on) == (None, None)
    assert (settle.due, settle.done_on) == (case.settle_by, None)

    # A closed case stays on time and is never overdue.
    case = walked["reporter_reply_then_close"]
    assert case.is_closed
    for day in (30, 100, 400):
        assert is_on_time(case, DAY0 + timedelta(days=day)) and not is_overdue(case, DAY0 + timedelta(days=day))
