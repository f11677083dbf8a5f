"""The clock engine: due dates, the five states at every boundary, and its SQL twin on both databases."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import IN_CI, POSTGRES_ADMIN_URL
from zi_public.rules.clocks import ClockSpec, ClockState, DayKind, clock_state, due_date
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.clocks import met_sql, missed_sql, overdue_sql, state_sql

PLAIN = WorkCalendar(holidays={})
NATIONAL = WorkCalendar()
DUE = date(2026, 11, 27)  # a Friday
DAY = timedelta(days=1)

# --- due dates


def test_working_day_clock_skips_the_weekend():
    spec = ClockSpec("verify", 3, DayKind.WORKING)
    assert due_date(spec, date(2026, 11, 26), PLAIN) == date(2026, 12, 1)  # Thu -> Fri, Mon, Tue


def test_working_day_clock_skips_holidays_and_cuti_bersama():
    spec = ClockSpec("verify", 3, DayKind.WORKING)
    # 2026-03-18 cuti bersama, 19 Nyepi, 20 cuti bersama, 21-22 weekend, 23-24 cuti bersama.
    assert due_date(spec, date(2026, 3, 17), NATIONAL) == date(2026, 3, 27)


def test_working_day_clock_started_on_a_holiday_counts_from_the_next_working_day():
    spec = ClockSpec("follow_up", 1, DayKind.WORKING)
    assert due_date(spec, date(2026, 11, 28), PLAIN) == date(2026, 11, 30)  # Saturday -> Monday


def test_working_day_clock_follows_local_overrides():
    spec = ClockSpec("verify", 1, DayKind.WORKING)
    assert due_date(spec, date(2026, 11, 26), WorkCalendar(holidays={}, extra_off=frozenset({DUE}))) == date(
        2026, 11, 30
    )
    working_saturday = WorkCalendar(holidays={}, extra_on=frozenset({date(2026, 11, 28)}))
    assert due_date(spec, DUE, working_saturday) == date(2026, 11, 28)


def test_calendar_day_clock_ignores_weekends_and_holidays():
    spec = ClockSpec("settle", 60, DayKind.CALENDAR)
    assert due_date(spec, date(2026, 11, 27), NATIONAL) == date(2027, 1, 26)
    assert due_date(spec, date(2024, 1, 1), NATIONAL) == date(2024, 3, 1)  # leap year: 29 February counts
    assert due_date(spec, date(2025, 1, 1), NATIONAL) == date(2025, 3, 2)


@pytest.mark.parametrize("days", list(DayKind))
def test_zero_length_clock_is_due_the_day_it_starts(days):
    assert due_date(ClockSpec("x", 0, days), DUE, PLAIN) == DUE


def test_negative_length_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        ClockSpec("x", -1, DayKind.WORKING)


def test_spec_documents_its_events():
    spec = ClockSpec("verify", 3, DayKind.WORKING, starts="received", stops="first triage decision")
    assert (spec.starts, spec.stops) == ("received", "first triage decision")


# --- states at every boundary


def test_no_due_date_is_not_applicable_whatever_else():
    assert clock_state(None, None, DUE) == ClockState.NOT_APPLICABLE
    assert clock_state(None, DUE, DUE) == ClockState.NOT_APPLICABLE


def test_running_before_and_on_the_due_day():
    assert clock_state(DUE, None, DUE - 5 * DAY) == ClockState.RUNNING
    assert clock_state(DUE, None, DUE) == ClockState.RUNNING  # the due day itself is still on time


def test_overdue_the_day_after_the_due_day():
    assert clock_state(DUE, None, DUE + DAY) == ClockState.OVERDUE
    assert clock_state(DUE, None, DUE + 400 * DAY) == ClockState.OVERDUE


def test_stopped_on_the_due_day_is_met():
    assert clock_state(DUE, DUE, DUE) == ClockState.MET
    assert clock_state(DUE, DUE, DUE + 30 * DAY) == ClockState.MET


def test_stopped_before_the_due_day_is_met():
    assert clock_state(DUE, DUE - 2 * DAY, DUE - 2 * DAY) == ClockState.MET


def test_stopped_the_day_after_is_missed():
    assert clock_state(DUE, DUE + DAY, DUE + DAY) == ClockState.MISSED
    assert clock_state(DUE, DUE + DAY, DUE + 30 * DAY) == ClockState.MISSED


def test_a_stop_after_as_of_does_not_count_yet():
    # As of the due day a later (missed) stop is unknown: the clock was still running.
    assert clock_state(DUE, DUE + 3 * DAY, DUE) == ClockState.RUNNING
    assert clock_state(DUE, DUE + 3 * DAY, DUE + DAY) == ClockState.OVERDUE
    assert clock_state(DUE, DUE + 3 * DAY, DUE + 3 * DAY) == ClockState.MISSED
    # A met stop, looked at the day before it happened.
    assert clock_state(DUE, DUE - DAY, DUE - 2 * DAY) == ClockState.RUNNING


def test_a_start_after_as_of_is_not_applicable_yet():
    start = DUE - 5 * DAY
    assert clock_state(DUE, None, start - DAY, started_on=start) == ClockState.NOT_APPLICABLE
    assert clock_state(DUE, None, start, started_on=start) == ClockState.RUNNING
    assert clock_state(DUE, start, start, started_on=start) == ClockState.MET
    assert clock_state(DUE, None, DUE + DAY, started_on=start) == ClockState.OVERDUE


def test_states_are_the_agreed_strings():
    assert [s.value for s in ClockState] == ["running", "overdue", "met", "missed", "not_applicable"]


# --- the SQL twin gives the same state as the Python function, on SQLite and PostgreSQL

#: Every date from three days before DUE to three days after, and no date at all.
DATES = [None, *(DUE + i * DAY for i in range(-3, 4))]
AS_OF = [DUE + i * DAY for i in range(-3, 4)]
COMBINATIONS = [
    (due, done, started)
    for due, done, started in itertools.product(DATES, DATES, DATES)
    # The engine's callers never stop a clock before it starts.
    if not (done and started and done < started)
]

_probe = sa.Table(
    "clock_probe",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("due", sa.Date),
    sa.Column("done", sa.Date),
    sa.Column("started", sa.Date),
    prefixes=["TEMPORARY"],
)


@pytest.fixture(params=["sqlite", "postgresql"])
def connection(request: pytest.FixtureRequest) -> Iterator[sa.Connection]:
    """A bare connection with the probe table; no app or schema needed for an expression."""
    if request.param == "sqlite":
        engine = sa.create_engine("sqlite://")
    else:
        engine = sa.create_engine(POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            engine.connect().close()
        except sa.exc.OperationalError:
            if IN_CI:
                pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (required in CI)")
            pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    with engine.connect() as conn:
        _probe.create(conn)  # TEMPORARY: private to this connection, gone when it closes
        yield conn
        conn.rollback()
    engine.dispose()


def test_sql_states_equal_python_states(connection):
    connection.execute(
        _probe.insert(),
        [{"id": i, "due": due, "done": done, "started": s} for i, (due, done, s) in enumerate(COMBINATIONS)],
    )
    t = _probe.c
    checked = 0
    for as_of in AS_OF:
        for started_col in (None, t.started):
            rows = connection.execute(
                sa.select(
                    t.id,
                    state_sql(t.due, t.done, as_of, started_col=started_col),
                    overdue_sql(t.due, t.done, as_of, started_col=started_col),
                    met_sql(t.due, t.done, as_of, started_col=started_col),
                    missed_sql(t.due, t.done, as_of, started_col=started_col),
                ).order_by(t.id)
            ).all()
            assert len(rows) == len(COMBINATIONS)
            for row_id, state, overdue, met, missed in rows:
                due, done, started = COMBINATIONS[row_id]
                expected = clock_state(due, done, as_of, started_on=started if started_col is not None else None)
                case = f"due={due} done={done} started={started if started_col is not None else '-'} as_of={as_of}"
                assert ClockState(state) == expected, case
                assert (bool(overdue), bool(met), bool(missed)) == (
                    expected == ClockState.OVERDUE,
                    expected == ClockState.MET,
                    expected == ClockState.MISSED,
                ), case
                checked += 1
    assert checked == len(AS_OF) * 2 * len(COMBINATIONS)


def test_sql_conditions_are_never_null(connection):
    """NOT(condition) must select the complement: a NULL would drop rows from both sides."""
    connection.execute(
        _probe.insert(),
        [{"id": i, "due": due, "done": done, "started": s} for i, (due, done, s) in enumerate(COMBINATIONS)],
    )
    t = _probe.c
    for condition in (overdue_sql, met_sql, missed_sql):
        expr = condition(t.due, t.done, DUE, started_col=t.started)
        count = connection.execute(sa.select(sa.func.count()).select_from(_probe).where(expr)).scalar_one()
        rest = connection.execute(sa.select(sa.func.count()).select_from(_probe).where(sa.not_(expr))).scalar_one()
        both = count + rest
        assert both == len(COMBINATIONS), condition.__name__
