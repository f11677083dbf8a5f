"""The published SKM and perception results on a 360 px phone, in Indonesian and English: nothing makes the page
wider than the screen (wide tables scroll in their own box), no console error, no CSP violation.

The checker of issue 9 found the English /skm/hasil 12-20 px too wide (the IKM-per-quarter table, then the
"how to read these figures" list whose long English terms pushed their descriptions out) and the perception
results 111 px too wide (the items' table)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.conftest import PHONE, SCROLL_WIDTH, LiveServer, csp_violations
from tests.factories import make_perception_questionnaire, make_perception_response, make_skm_responses, make_user
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.services.reference import seed_reference_data
from zi_public.services.skm import perception

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def published(live_server: LiveServer) -> None:
    """Answers in this quarter for three layanan, and the SPAK questionnaire with its results published."""
    today = today_jakarta()
    with live_server.app.app_context():
        seed_reference_data()
        for layanan in ("pbg", "slf", "kkpr"):
            make_skm_responses(
                [(4, 3, 2, 1, 4, 3, 3, 2, 4), (4,) * 9], layanan=layanan, on=date(today.year, today.month, 1)
            )
        spak = make_perception_questionnaire()
        make_perception_response(spak, {"P1": 6, "P2": 5})
        perception.set_published(make_user(role=Role.SKM), spak, True)
        db.session.commit()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("path", ["/", "/skm/hasil", "/skm/persepsi/spak/hasil", "/layanan"])
def test_the_results_fit_a_phone(phone_page, problems, live_server, published, language, path):
    page = phone_page(language)
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"], f"{path} ({language}) is wider than the phone"
    assert csp_violations(page) == []
    page.context.close()  # the problems of the whole page life, as before
    assert problems.messages == []
