"""The complaint statistics on a 360 px phone (issue 11 point 11), in Indonesian and English: the page is never
wider than the screen (each table scrolls in its own box), and neither are the recap page and the transparency
page that link it; no console error, no CSP violation.

The checker of issue 11 found /pengaduan/statistik 718 px wide on a phone: the seven-column table of months and
categories did not fit and pushed the whole page sideways."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from tests.e2e.conftest import PHONE, SCROLL_WIDTH, csp_violations
from tests.factories import advance, make_pengaduan, make_user, make_wbs
from zi_public.extensions import db
from zi_public.localtime import JAKARTA, today_jakarta
from zi_public.models import Role
from zi_public.rules.pengaduan import Action, Channel
from zi_public.services.reference import seed_reference_data

pytestmark = pytest.mark.browser


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=JAKARTA).astimezone(UTC)


@pytest.fixture(scope="module")
def figures(live_server):
    """Complaints of every channel in the last months (long category names in the table), and WBS reports."""
    with live_server.app.app_context():
        seed_reference_data()
        team = make_user(role=Role.PENGADUAN)
        today = today_jakarta()
        for n, channel in enumerate(Channel):
            back = today.month - 1 - n % 6  # spread over this month and the five before it
            month = date(today.year + back // 12, back % 12 + 1, 1)
            case = make_pengaduan(now=at(month), channel=channel, category=("waktu", "biaya", "prosedur")[n % 3])
            if n % 2:
                advance(team, case, Action.VERIFY, at(month))
        for _ in range(4):
            make_wbs()
        db.session.commit()


PAGES = ["/pengaduan/statistik", "/pengaduan/statistik/rekap?periode={semester}", "/transparansi"]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_the_statistics_fit_a_phone(phone_page, problems, live_server, figures, language, path):
    today = today_jakarta()
    semester = f"{today.year}-S{1 if today.month <= 6 else 2}"
    page = phone_page(language)
    response = page.goto(live_server.url + path.format(semester=semester))
    assert response is not None and response.status == 200
    if path == "/pengaduan/statistik":
        assert page.locator(".table-scroll table").count() == 2
    width = page.evaluate(SCROLL_WIDTH)
    assert width <= PHONE["width"], f"{path} ({language}) is {width} px wide on a 360 px phone"
    assert csp_violations(page) == []
    page.context.close()  # the problems of the whole page life, as before
    assert problems.messages == []
