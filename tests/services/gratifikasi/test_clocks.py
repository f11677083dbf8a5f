"""The UPG's clocks (services/gratifikasi/clocks.py): Python and SQL agree, and a report closed as incomplete
stops counting as overdue for forwarding (it will never be forwarded)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from tests.factories import make_gratifikasi
from zi_public.extensions import db
from zi_public.models import GratifikasiReport
from zi_public.rules.clocks import ClockState
from zi_public.rules.gratifikasi import Status
from zi_public.services.gratifikasi import clocks

FILED = datetime(2026, 11, 2, 3, tzinfo=UTC)  # Monday 2 November 2026


def states_in_sql(report_id: int, as_of: date) -> dict[str, str]:
    columns = clocks.state_columns(as_of)
    row = db.session.execute(
        sa.select(*(column.label(name) for name, column in columns.items())).where(GratifikasiReport.id == report_id)
    ).one()
    return dict(row._mapping)


def overdue_in_sql(report_id: int, as_of: date) -> bool:
    return db.session.scalar(sa.select(clocks.overdue_condition(as_of)).where(GratifikasiReport.id == report_id))


def test_an_unforwarded_report_runs_then_is_overdue(app):
    with app.app_context():
        report = make_gratifikasi(now=FILED, received_on=date(2026, 10, 30)).report
        assert report.forward_by == date(2026, 11, 16)
        for as_of, state in ((date(2026, 11, 16), ClockState.RUNNING), (date(2026, 11, 17), ClockState.OVERDUE)):
            python = {clock.name: clock.state for clock in clocks.clocks_of(report, as_of)}
            assert python[clocks.FORWARD] == state
            assert states_in_sql(report.id, as_of) == {name: value.value for name, value in python.items()}
            assert overdue_in_sql(report.id, as_of) is (state == ClockState.OVERDUE)


def test_a_report_closed_as_incomplete_is_no_longer_overdue_for_forwarding(app):
    with app.app_context():
        report = make_gratifikasi(now=FILED, received_on=date(2026, 10, 30)).report
        report.status = Status.TIDAK_LENGKAP
        report.finished_on = date(2026, 11, 20)
        db.session.flush()
        before = date(2026, 11, 19)  # still open (and overdue) the day before it was closed
        assert clocks.is_overdue(report, before) and overdue_in_sql(report.id, before)
        after = date(2026, 11, 20)
        python = {clock.name: clock.state for clock in clocks.clocks_of(report, after)}
        assert python[clocks.FORWARD] == ClockState.NOT_APPLICABLE
        assert not clocks.is_overdue(report, after) and not overdue_in_sql(report.id, after)
        assert states_in_sql(report.id, after) == {name: value.value for name, value in python.items()}


def test_a_forwarded_report_keeps_its_stopped_clock(app):
    with app.app_context():
        report = make_gratifikasi(now=FILED, received_on=date(2026, 10, 30)).report
        report.status = Status.DITERUSKAN
        report.forwarded_on = date(2026, 11, 18)
        db.session.flush()
        python = {clock.name: clock.state for clock in clocks.clocks_of(report, date(2026, 11, 30))}
        assert python[clocks.FORWARD] == ClockState.MISSED
        assert states_in_sql(report.id, date(2026, 11, 30))[clocks.FORWARD] == "missed"
