"""The pengaduan flow table, tested directly: every action from every status, open and closed."""

from __future__ import annotations

import itertools

import pytest

from zi_public.rules.pengaduan import (
    ENDING_ACTIONS,
    FINAL_STATUSES,
    FLOW,
    OPEN_STATUSES,
    STAFF_ACTIONS,
    Action,
    FlowError,
    Status,
    allowed_actions,
    next_status,
)

B, V, T, S, R, D = (
    Status.BARU,
    Status.TERVERIFIKASI,
    Status.DITINDAKLANJUTI,
    Status.SELESAI,
    Status.DITOLAK,
    Status.DIALIHKAN,
)

#: The flow written out by hand, (action, from) -> to; every pair not listed is refused.
#: baru -> terverifikasi -> ditindaklanjuti (disposisi) -> selesai; side exits ditolak and dialihkan from triage;
#: a finished case may be reopened by the team or the reporter's reply, rated, and closed when the window passes.
#: terverifikasi -> selesai too, when the team answers the complaint itself without a disposisi (DESIGN.md).
EXPECTED: dict[tuple[Action, Status], Status] = {
    (Action.VERIFY, B): V,
    (Action.REJECT, B): R,
    (Action.REJECT, V): R,
    (Action.FORWARD, B): D,
    (Action.FORWARD, V): D,
    (Action.DISPOSE, V): T,
    (Action.DISPOSE, T): T,  # re-routing to another bidang
    (Action.FOLLOW_UP, T): T,
    (Action.ANSWER, V): V,
    (Action.ANSWER, T): T,
    (Action.FINISH, V): S,
    (Action.FINISH, T): S,
    (Action.REOPEN, S): T,
    (Action.REPORTER_REPLY, S): T,
    (Action.RATE, S): S,
    (Action.CLOSE, S): S,
}
FLOW_ACTIONS = [action for action in Action if action != Action.SUBMIT]


@pytest.mark.parametrize(("action", "current"), list(itertools.product(FLOW_ACTIONS, Status)))
def test_every_action_from_every_status(action, current):
    expected = EXPECTED.get((action, current))
    if expected is None:
        with pytest.raises(FlowError, match=f"{action.value} is not allowed from {current.value}"):
            next_status(action, current)
    else:
        assert next_status(action, current) == expected
    assert (action in allowed_actions(current)) == (expected is not None)


@pytest.mark.parametrize(("action", "current"), list(itertools.product(FLOW_ACTIONS, Status)))
def test_a_closed_case_allows_nothing(action, current):
    with pytest.raises(FlowError, match=r"\(closed\)"):
        next_status(action, current, is_closed=True)


@pytest.mark.parametrize("current", list(Status))
def test_closed_case_has_no_actions(current):
    assert allowed_actions(current, is_closed=True) == frozenset()


def test_flow_table_is_exactly_the_expected_one():
    table = {(action, source): to or source for action, (sources, to) in FLOW.items() for source in sources}
    assert table == EXPECTED


def test_submit_is_history_only():
    assert Action.SUBMIT not in FLOW
    assert all(Action.SUBMIT not in allowed_actions(status) for status in Status)


def test_side_exits_are_dead_ends():
    assert allowed_actions(R) == allowed_actions(D) == frozenset()


def test_allowed_actions_per_status():
    assert allowed_actions(B) == {Action.VERIFY, Action.REJECT, Action.FORWARD}
    assert allowed_actions(V) == {Action.REJECT, Action.FORWARD, Action.DISPOSE, Action.ANSWER, Action.FINISH}
    assert allowed_actions(T) == {Action.DISPOSE, Action.FOLLOW_UP, Action.ANSWER, Action.FINISH}
    assert allowed_actions(S) == {Action.REOPEN, Action.REPORTER_REPLY, Action.RATE, Action.CLOSE}


def test_staff_buttons_are_flow_actions_without_the_reporter_and_cron_ones():
    assert set(STAFF_ACTIONS) == set(FLOW_ACTIONS) - {Action.REPORTER_REPLY, Action.RATE, Action.CLOSE}
    assert len(STAFF_ACTIONS) == len(set(STAFF_ACTIONS))


def test_open_and_final_statuses_split_the_statuses():
    assert OPEN_STATUSES | FINAL_STATUSES == set(Status)
    assert not OPEN_STATUSES & FINAL_STATUSES
    # Handling ends exactly where the flow leads out of the open statuses.
    assert {EXPECTED[key] for key in EXPECTED if key[1] in OPEN_STATUSES} - OPEN_STATUSES == FINAL_STATUSES


def test_every_status_is_reachable_from_baru():
    reached, frontier = {B}, [B]
    while frontier:
        current = frontier.pop()
        for action in allowed_actions(current):
            after = next_status(action, current)
            if after not in reached:
                reached.add(after)
                frontier.append(after)
    assert reached == set(Status)


def test_only_rejecting_and_forwarding_end_a_case_for_good():
    """The actions the team confirms first are those after which the flow allows nothing: not finishing, which a
    reopen undoes."""
    assert ENDING_ACTIONS == {Action.REJECT, Action.FORWARD}
    for action in ENDING_ACTIONS:
        assert allowed_actions(FLOW[action][1]) == frozenset()
