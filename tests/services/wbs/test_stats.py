"""The WBS figures per quarter: kept with every change through the real flow, exact, and surviving a purge."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user, make_wbs
from tests.services.wbs.staff_factories import make_report
from zi_public.extensions import db
from zi_public.models import Role, WbsCategory, WbsReport, WbsStatDays, WbsStatQuarter, WorkdayOverride
from zi_public.rules.wbs import Action, Status
from zi_public.services.calendar import work_calendar
from zi_public.services.wbs import flow, messages, stats
from zi_public.services.wbs.flow import ActionInput

CRITERIA = {"names_party": True, "describes_deviation": True, "has_evidence": True}
MONDAY = date(2026, 4, 6)  # Triwulan II 2026


@pytest.fixture
def member(seeded, db):
    return make_user(role=Role.WBS)


def category_id(code: str) -> int:
    return db.session.scalar(sa.select(WbsCategory.id).where(WbsCategory.code == code))


def stored_tables() -> tuple[list[tuple], list[tuple]]:
    quarters = db.session.execute(
        sa.select(
            WbsStatQuarter.quarter,
            WbsStatQuarter.category_id,
            WbsStatQuarter.result,
            WbsStatQuarter.closed_quarter,
            WbsStatQuarter.is_purged,
            WbsStatQuarter.count,
        )
        .where(WbsStatQuarter.count != 0)
        .order_by(*WbsStatQuarter.__table__.primary_key.columns)
    ).all()
    days = db.session.execute(
        sa.select(
            WbsStatDays.quarter,
            WbsStatDays.category_id,
            WbsStatDays.measure,
            WbsStatDays.days,
            WbsStatDays.is_purged,
            WbsStatDays.count,
        )
        .where(WbsStatDays.count != 0)
        .order_by(*WbsStatDays.__table__.primary_key.columns)
    ).all()
    return [tuple(r) for r in quarters], [tuple(r) for r in days]


def figures(quarter: str) -> stats.QuarterFigures:
    return stats.quarter_figures(db.session.connection(), quarter)


def finished(member, *, received: date, answered: date, closed: date, outcome: str = "terbukti", **fields):
    report = make_wbs(today=received, **fields)
    messages.send_to_reporter(member, report, "Laporan Anda kami telaah.", today=answered)
    flow.act(member, report, Action.TELAAH, ActionInput(**CRITERIA), today=answered)
    flow.act(member, report, Action.FOLLOW_UP, ActionInput(handling="tim"), today=answered)
    flow.act(member, report, Action.FINISH, ActionInput(outcome=outcome), today=closed)
    return report


def rejected(member, *, received: date, closed: date, **fields):
    report = make_wbs(today=received, **fields)
    flow.act(member, report, Action.REJECT, ActionInput(body="Bukan ranah WBS; silakan ke pengaduan."), today=closed)
    return report


def test_the_flow_keeps_the_quarter_figures(member):
    pungli, korupsi = category_id("pungli-calo"), category_id("korupsi")
    finished(member, received=MONDAY, answered=date(2026, 4, 8), closed=date(2026, 5, 4))
    finished(member, received=MONDAY, answered=date(2026, 4, 7), closed=date(2026, 7, 6), outcome="tidak_terbukti")
    rejected(member, received=date(2026, 6, 1), closed=date(2026, 6, 3), category="korupsi")
    make_wbs(today=date(2026, 6, 30))
    make_wbs(today=date(2026, 7, 1))  # the next quarter

    q2 = figures("2026-Q2")
    assert q2.received == {pungli: 3, korupsi: 1}
    # As the quarter ended: the one closed in July was still open then.
    assert q2.open_at_end == {pungli: 2}
    assert q2.rejected == {korupsi: 1}
    assert q2.outcomes == {pungli: {"terbukti": 1}}
    assert stats.open_at_end_of(db.session.connection(), "2026-Q2") == {pungli: 2}
    assert stats.open_at_end_of(db.session.connection(), "2026-Q3") == {pungli: 2}
    # Now: the public table shows each report's result as it stands.
    assert stats.public_table(db.session.connection(), "2026-Q2") == {
        pungli: {"terbukti": 1, "tidak_terbukti": 1, "": 1},
        korupsi: {"ditolak": 1},
    }
    # Working days from receipt: first answers 2 and 1, and 2 for the rejection's reason (1 -> 3 June).
    first = stats.days_histogram(db.session.connection(), ["2026-Q2"], stats.FIRST_ANSWER)
    assert first == {1: 1, 2: 2}
    closing_q2 = stats.days_histogram(db.session.connection(), ["2026-Q2"], stats.CLOSING)
    assert closing_q2 == {2: 1, 19: 1}  # 6 April -> 4 May 2026: 18 in April, 1 May is Hari Buruh, then 4 May
    july = work_calendar().count_working_days(MONDAY, date(2026, 7, 6))
    assert stats.days_histogram(db.session.connection(), ["2026-Q3"], stats.CLOSING) == {july: 1}
    assert stats.quarters_with_reports(db.session.connection()) == ["2026-Q3", "2026-Q2"]


def test_rebuild_recounts_the_same_figures(member):
    finished(member, received=MONDAY, answered=date(2026, 4, 8), closed=date(2026, 5, 4))
    rejected(member, received=date(2026, 6, 1), closed=date(2026, 6, 3))
    make_wbs(today=date(2026, 6, 30))
    kept = stored_tables()
    db.session.execute(sa.delete(WbsStatDays))
    db.session.execute(sa.update(WbsStatQuarter).values(count=7))
    stats.rebuild(db.session.connection())
    assert stored_tables() == kept


def test_a_deleted_report_leaves_its_share_in_the_purged_rows(member):
    report = finished(member, received=MONDAY, answered=date(2026, 4, 8), closed=date(2026, 5, 4))
    make_wbs(today=MONDAY)
    before = figures("2026-Q2")
    before_days = stats.days_histogram(db.session.connection(), ["2026-Q2"], stats.CLOSING)
    db.session.delete(db.session.get(WbsReport, report.id))
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsReport)) == 1
    assert figures("2026-Q2") == before
    assert stats.days_histogram(db.session.connection(), ["2026-Q2"], stats.CLOSING) == before_days
    purged = [row for row in stored_tables()[0] if row[4]]
    assert purged == [("2026-Q2", category_id("pungli-calo"), "terbukti", "2026-Q2", True, 1)]
    # A rebuild recounts the stored reports and leaves the purged share alone.
    stats.rebuild(db.session.connection())
    assert figures("2026-Q2") == before


def test_a_working_day_override_recounts_the_stored_histograms(member):
    finished(member, received=MONDAY, answered=date(2026, 4, 8), closed=date(2026, 4, 10))
    assert stats.days_histogram(db.session.connection(), ["2026-Q2"], stats.FIRST_ANSWER) == {2: 1}
    db.session.add(WorkdayOverride(day=date(2026, 4, 7), is_working_day=False, reason="Libur daerah"))
    db.session.flush()
    assert stats.days_histogram(db.session.connection(), ["2026-Q2"], stats.FIRST_ANSWER) == {1: 1}
    assert stats.days_histogram(db.session.connection(), ["2026-Q2"], stats.CLOSING) == {3: 1}


def test_rows_made_directly_are_counted_too(member):
    make_report(status=Status.SELESAI, received_on=date(2025, 12, 31))
    assert figures("2025-Q4").outcomes == {category_id("korupsi"): {"terbukti": 1}}


@pytest.mark.parametrize(
    ("histogram", "q", "expected"),
    [({}, 0.5, None), ({3: 1}, 0.5, 3), ({1: 1, 3: 1}, 0.5, 2), ({1: 2, 9: 1}, 0.5, 1), ({1: 1, 2: 1, 10: 2}, 0.9, 10)],
)
def test_histogram_percentile_matches_the_expanded_values(histogram, q, expected):
    from zi_public.exports.pengaduan_monev import percentile

    values = [v for v, n in histogram.items() for _ in range(n)]
    assert stats.histogram_percentile(histogram, q) == percentile(values, q) == expected


def test_public_tables_publish_counts_with_small_ones_suppressed(member):
    from zi_public.rules.periods import parse_period

    for _ in range(4):
        make_wbs(today=MONDAY)
    rejected(member, received=MONDAY, closed=date(2026, 4, 8), category="korupsi")
    (table,) = stats.public_tables([parse_period("2026-Q2")])
    assert len(table.category_ids) == db.session.scalar(sa.select(sa.func.count()).select_from(WbsCategory))
    row = table.cells[table.category_ids.index(category_id("pungli-calo"))]
    # 4 is shown as it is, or hidden when it would let the small ones around it be worked out.
    assert row[stats.PUBLIC_COLUMNS.index(stats.OPEN)] in ("4", stats.HIDDEN_MARK)
    korupsi = table.cells[table.category_ids.index(category_id("korupsi"))]
    assert korupsi[stats.PUBLIC_COLUMNS.index(stats.REJECTED)] == stats.SMALL_MARK
    published = [*sum(table.cells, ()), *table.row_totals, *table.column_totals, table.total]
    assert all(cell in (stats.SMALL_MARK, stats.HIDDEN_MARK, None) or int(cell) >= 3 for cell in published)
    # No report in any of the quarters asked: no table at all.
    assert stats.public_tables([parse_period("2025-Q1")]) == []
