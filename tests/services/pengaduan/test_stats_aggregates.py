"""The statistics kept per month and category equal the figures computed directly from the complaints,
after any sequence of filings, case actions, calendar changes, rollbacks and direct ORM writes."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from statistics import median

import pytest
import sqlalchemy as sa

from tests.factories import advance, make_pengaduan, make_user
from zi_public.localtime import JAKARTA, today_jakarta
from zi_public.models import Bidang, Category, Pengaduan, PengaduanStatDays, PengaduanStatMonth, Role, WorkdayOverride
from zi_public.rules.pengaduan import Action, Channel, allowed_actions
from zi_public.services import calendar as calendar_service
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan import stats, stats_aggregates
from zi_public.services.pengaduan.clocks import on_time_condition
from zi_public.services.pengaduan.flow import ActionInput, ActionRefused, act

START = date(2025, 1, 2)
ANONYMOUS = {"identity": "anonim", "layanan": None}  # no reporter, no mail: only the figures matter here


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=JAKARTA).astimezone(UTC)


Figures = tuple[int, int, int, float | None, float | None]  # received, finished, on time, two medians
ALL = "all categories"


def direct_figures(db) -> dict[tuple[date | int, int | str], Figures]:
    """The page's figures computed from every complaint, as the page did before it had aggregates: counts
    and the on-time rule in SQL (clocks.on_time_condition as of today), working days in Python, medians by
    statistics.median. Keys: (month, category id) for each cell, (month, ALL) for each month's total and
    (year, ALL) for each year's total."""
    calendar = work_calendar()
    p = Pengaduan
    rows = db.session.execute(
        sa.select(p.received_on, p.category_id, p.triaged_on, p.finished_on, on_time_condition(today_jakarta()))
    )
    groups: dict[tuple[date | int, int | str], list] = {}
    for received_on, category_id, triaged_on, finished_on, on_time in rows:
        month = received_on.replace(day=1)
        for key in ((month, category_id), (month, ALL), (received_on.year, ALL)):
            group = groups.setdefault(key, [0, 0, 0, [], []])
            group[0] += 1
            group[1] += finished_on is not None
            group[2] += bool(on_time)
            if triaged_on is not None:
                group[3].append(calendar.count_working_days(received_on, triaged_on))
                if finished_on is not None:
                    group[4].append(calendar.count_working_days(received_on, finished_on))
    return {
        key: (n, finished, on_time, median(verify) if verify else None, median(finish) if finish else None)
        for key, (n, finished, on_time, verify, finish) in groups.items()
    }


def page_figures(db) -> dict[tuple[date | int, int | str], Figures]:
    """The same figures as the statistics service reads them from the aggregates, for every year."""

    def figures(f) -> Figures:
        return (f.received, f.finished, f.finished_on_time, f.median_verify_days, f.median_finish_days)

    result = {}
    for year in stats.years_with_complaints():
        data = stats.statistik(stats.year_period(year))
        result[(year, ALL)] = figures(data.total)
        for month in data.months:
            if month.total.received:
                result[(month.first_day, ALL)] = figures(month.total)
            for category, f in month.by_category:
                result[(month.first_day, category.id)] = figures(f)
    return result


def stored_tables(db) -> tuple[set, set]:
    months = db.session.execute(sa.select(PengaduanStatMonth.__table__).where(PengaduanStatMonth.received > 0))
    days = db.session.execute(sa.select(PengaduanStatDays.__table__).where(PengaduanStatDays.count > 0))
    return {tuple(row) for row in months}, {tuple(row) for row in days}


def assert_consistent(db) -> None:
    db.session.flush()
    assert page_figures(db) == direct_figures(db)
    kept = stored_tables(db)
    stats_aggregates.rebuild(db.session.connection())
    assert stored_tables(db) == kept  # the figures kept change by change equal a recount from scratch


@pytest.fixture
def team(seeded, db):
    user = make_user(role=Role.PENGADUAN)
    db.session.commit()
    return user


def random_input(rng: random.Random, action: Action, bidang_ids: list[int]) -> ActionInput:
    return ActionInput(
        body="Teks" if rng.random() < 0.95 else "",
        bidang_id=rng.choice(bidang_ids),
        forwarded_to="Dinas lain",
        rating=rng.randint(1, 4),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_filings_and_actions_keep_the_figures_equal_to_a_direct_count(db, team, seed):
    rng = random.Random(seed)
    categories = list(db.session.scalars(sa.select(Category.code)))
    category_ids = list(db.session.scalars(sa.select(Category.id)))
    bidang_ids = list(db.session.scalars(sa.select(Bidang.id).where(Bidang.is_active)))
    day, overrides = START, []
    for step in range(160):
        day += timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
        cases = list(db.session.scalars(sa.select(Pengaduan)))
        roll = rng.random()
        if roll < 0.3 or not cases:
            make_pengaduan(category=rng.choice(categories), channel=rng.choice(list(Channel)), now=at(day), **ANONYMOUS)
        elif roll < 0.85:
            case = rng.choice(cases)
            actions = sorted(allowed_actions(case.status, is_closed=case.is_closed))
            if actions:
                action = rng.choice(actions)
                try:
                    act(team, case, action, random_input(rng, action, bidang_ids), now=at(day))
                except ActionRefused:
                    pass
        elif roll < 0.9:  # a writer outside the flow: the figures follow any ORM change
            rng.choice(cases).category_id = rng.choice(category_ids)
        elif roll < 0.94:  # the calendar changes under existing complaints
            if overrides and rng.random() < 0.5:
                calendar_service.remove_override("test", db.session.get(WorkdayOverride, overrides.pop()))
            else:
                off = START + timedelta(days=rng.randrange((day - START).days + 1))
                try:
                    override = calendar_service.add_override("test", off, rng.random() < 0.3, "Libur daerah")
                    overrides.append(override.id)
                except calendar_service.DuplicateOverride:
                    pass
        elif roll < 0.97:
            db.session.commit()
        else:  # a request that fails: its changes and their figures go together
            db.session.rollback()
            overrides = list(db.session.scalars(sa.select(WorkdayOverride.id)))
        if step % 40 == 39:
            assert_consistent(db)
    db.session.commit()
    assert_consistent(db)
    assert db.session.scalar(sa.select(sa.func.count(Pengaduan.finished_on))) > 0  # the walk did finish cases


def test_a_calendar_change_moves_the_medians_of_the_complaints_it_spans(db, team):
    # Monday 6 January 2025: verified Wednesday 8th (2 working days), finished Friday 10th (4).
    case = make_pengaduan(now=at(date(2025, 1, 6)), **ANONYMOUS)
    for action, day in [(Action.VERIFY, 8), (Action.DISPOSE, 8), (Action.ANSWER, 10), (Action.FINISH, 10)]:
        advance(team, case, action, at(date(2025, 1, day)))
    db.session.commit()

    def medians() -> tuple[float | None, float | None]:
        total = stats.statistik(stats.year_period(2025)).total
        return total.median_verify_days, total.median_finish_days

    assert medians() == (2, 4)
    override = calendar_service.add_override("test", date(2025, 1, 7), False, "Libur daerah")
    db.session.commit()
    assert medians() == (1, 3)
    calendar_service.remove_override("test", override)
    db.session.commit()
    assert medians() == (2, 4)
    assert_consistent(db)


def test_a_deleted_complaint_leaves_the_figures(db, team):
    filed = make_pengaduan(now=at(date(2025, 2, 3)), **ANONYMOUS)
    advance(team, filed, Action.REJECT, at(date(2025, 2, 4)))
    db.session.commit()
    assert stats.statistik(stats.year_period(2025)).total.finished == 1
    case = db.session.get(Pengaduan, filed.id)
    db.session.expire(case)  # the figures' fields are read back from the row, not taken from memory
    db.session.delete(case)
    db.session.flush()
    assert stats.statistik(stats.year_period(2025)).total.received == 0
    assert_consistent(db)


def test_a_field_set_before_it_was_loaded_still_moves_the_figures(db, team):
    filed = make_pengaduan(now=at(date(2025, 3, 3)), **ANONYMOUS)
    db.session.commit()  # expires every attribute: the next assignment does not know the old value
    case = db.session.get(Pengaduan, filed.id)
    db.session.expire(case)
    case.triaged_on = date(2025, 3, 4)
    case.finished_on = date(2025, 3, 5)
    db.session.commit()
    assert_consistent(db)
