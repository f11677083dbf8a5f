"""The WBS clocks: configured lengths, working days, and the SQL twin equal to the Python."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_wbs
from zi_public.models.wbs import WbsReport
from zi_public.rules.clocks import ClockState
from zi_public.services.wbs.clocks import FIRST_ANSWER, TELAAH, clocks_of, is_overdue, overdue_condition, state_columns

FRIDAY = date(2026, 11, 27)


@pytest.fixture
def app_config():
    return {"WBS_FIRST_ANSWER_DAYS": 2, "WBS_TELAAH_DAYS": 5}


def test_lengths_come_from_configuration(db, seeded):
    report = make_wbs(today=FRIDAY)
    assert report.answer_by == date(2026, 12, 1)  # Mon 30, Tue 1
    assert report.telaah_by == date(2026, 12, 4)


def test_states_in_python_and_sql_agree(db, seeded):
    running = make_wbs(today=FRIDAY)
    answered = make_wbs(today=FRIDAY)
    answered.first_answer_on = date(2026, 11, 30)
    late = make_wbs(today=FRIDAY)
    late.first_answer_on = date(2026, 12, 3)
    late.telaah_on = date(2026, 12, 3)
    db.session.flush()
    for as_of in (FRIDAY, date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 10)):
        columns = state_columns(as_of)
        rows = db.session.execute(
            sa.select(WbsReport.id, columns[FIRST_ANSWER], columns[TELAAH], overdue_condition(as_of))
        ).all()
        sql = {row[0]: (row[1], row[2], bool(row[3])) for row in rows}
        for report in (running, answered, late):
            python = {clock.name: clock.state.value for clock in clocks_of(report, as_of)}
            assert sql[report.id] == (python[FIRST_ANSWER], python[TELAAH], is_overdue(report, as_of))
    states = {c.name: c.state for c in clocks_of(late, date(2026, 12, 10))}
    assert states == {FIRST_ANSWER: ClockState.MISSED, TELAAH: ClockState.MET}
    assert {c.name: c.state for c in clocks_of(running, date(2026, 12, 2))}[FIRST_ANSWER] == ClockState.OVERDUE
