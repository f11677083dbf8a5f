"""Forms on a 360 px phone, in Indonesian and English: the page is never wider than the screen.

The checker of issue 11 walked the app at 360 px and found two pages that pushed sideways: the status page of
a finished complaint was 451 px wide (the reply form's submit, "Kirim balasan dan buka kembali pengaduan", an
input that does not wrap its label), and the Tim Pengaduan's inbox 503 px (the filters' selects as wide as
their longest option, a bidang's name). Each test also checks that the control in question is whole on the
screen, not cut off at its edge."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PHONE, SCROLL_WIDTH, csp_violations, sign_in
from tests.factories import advance, make_filed, make_user
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.rules.pengaduan import Action
from zi_public.rules.periods import QUARTER, SEMESTER, period_of
from zi_public.services import evaluations
from zi_public.services.evaluations import ItemInput
from zi_public.services.reference import seed_reference_data
from zi_public.services.wbs import EVALUATION_SCOPE

pytestmark = pytest.mark.browser

TEAM = "e2e.phone"


@pytest.fixture(scope="module")
def finished(live_server) -> tuple[str, str]:
    """A Tim Pengaduan member, and a complaint they verified, answered and finished: its status page offers the
    rating and the reply forms. Returns the complaint's number and access code."""
    with live_server.app.app_context():
        seed_reference_data()
        team = make_user(role=Role.PENGADUAN, username=TEAM)
        filed = make_filed()
        for action in (Action.VERIFY, Action.ANSWER, Action.FINISH):  # answered by the team itself
            advance(team, filed.pengaduan, action)
        db.session.commit()
        return filed.pengaduan.number, filed.access_code


def fits(page, selector: str) -> None:
    """The page is no wider than the phone, and every element matching `selector` lies within the screen."""
    width = page.evaluate(SCROLL_WIDTH)
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 360 px phone"
    for element in page.locator(selector).all():
        box = element.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)


MEASURE = """e => {
  const style = getComputedStyle(e);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const inner = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
  const lines = Math.round((e.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom))
                           / lineHeight);
  return {text: context.measureText((e.value || e.textContent).trim()).width, inner: inner, lines: lines};
}"""


def label_is_whole(control) -> bool:
    """The control's label fits on one line of its inner width, or the control is tall enough for the lines it
    needs (it wraps)."""
    size = control.evaluate(MEASURE)
    if size["text"] <= size["inner"] + 1:
        return True
    return size["lines"] >= 2 and size["text"] <= size["inner"] * size["lines"] + 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_finished_complaints_status_page_fits_a_phone(phone_page, problems, live_server, finished, language):
    number, code = finished
    page = phone_page(language)
    page.goto(f"{live_server.url}/pengaduan/status?nomor={number}")
    page.locator("input[name=access_code]").fill(code)
    page.locator("form[action$='/pengaduan/status'] [type=submit]").first.click()
    reply = page.locator("form[action$='/pengaduan/status/balas'] [type=submit]")
    reply.wait_for()  # the finished complaint's page, with its reply form
    fits(page, "main [type=submit]")
    # The whole label can be read: a label longer than the button's inner width wraps onto more lines instead
    # of being cut off. Whether "Send reply and reopen the complaint" needs a second line depends on the fonts
    # installed, so the test measures the label in the button's own font rather than expecting a wrap.
    assert label_is_whole(reply), reply.evaluate(MEASURE)
    assert csp_violations(page) == []
    page.context.close()
    assert problems.messages == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_pengaduan_inbox_fits_a_phone(phone_page, problems, live_server, finished, language):
    page = phone_page("id")
    sign_in(page, live_server.url, TEAM)
    page.context.add_cookies([{"name": LANG_COOKIE, "value": language, "url": live_server.url}])
    response = page.goto(f"{live_server.url}/internal/pengaduan")
    assert response is not None and response.status == 200
    assert page.locator("#pengaduan-inbox tbody tr").count() == 1
    fits(page, "form.filters select, form.filters input, form.filters [type=submit]")
    assert csp_violations(page) == []
    page.context.close()
    assert problems.messages == []


@pytest.fixture(scope="module")
def staff_accounts(live_server) -> None:
    with live_server.app.app_context():
        make_user(role=Role.ADMIN, username="e2e.phone.admin")
        upg = make_user(role=Role.UPG, username="e2e.phone.upg")
        wbs = make_user(role=Role.WBS, username="e2e.phone.wbs")
        team = make_user(role=Role.PENGADUAN, username="e2e.phone.pengaduan")
        today = today_jakarta()
        evaluated = ((upg, "benturan", QUARTER), (wbs, EVALUATION_SCOPE, QUARTER), (team, "pengaduan_monev", SEMESTER))
        for member, scope, kind in evaluated:  # with a follow-up item: the wide table
            evaluations.save_evaluation(member, scope, period_of(kind, today), "Evaluasi periode ini.")
            evaluations.add_item(
                member, scope, period_of(kind, today), ItemInput("Sosialisasi ke bidang teknis", "Sekretariat")
            )
        db.session.commit()


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("e2e.phone.admin", "/internal/akun"),  # was 575 px: the accounts table
        ("e2e.phone.admin", "/internal/perangkat-kiosk"),  # was 492 px
        ("e2e.phone.admin", "/internal/hari-kerja"),  # was 387 px: the holidays table
        ("e2e.phone.upg", "/internal/gratifikasi/benturan/deklarasi"),  # was 486 px: the filters
        ("e2e.phone.upg", "/internal/gratifikasi/benturan/evaluasi"),  # the follow-up items' table
        ("e2e.phone.wbs", "/internal/wbs/evaluasi"),
        ("e2e.phone.pengaduan", f"/internal/laporan/monev/{period_of(SEMESTER, today_jakarta()).code}"),
    ],
)
def test_staff_lists_fit_a_phone(phone_page, problems, live_server, staff_accounts, username, path):
    """A wide table scrolls in its own box and the filters shrink: the page itself stays 360 px wide."""
    page = phone_page("id")
    sign_in(page, live_server.url, username)  # the sign-in form is read in Indonesian; the pages in English
    page.context.add_cookies([{"name": LANG_COOKIE, "value": "en", "url": live_server.url}])
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    fits(page, "form.filters select, form.filters input")
    assert csp_violations(page) == []
    page.context.close()
    assert problems.messages == []
