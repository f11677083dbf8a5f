"""The perception surveys on the web and the kiosk: one response stored with the right channel, hostile input
refused on the page with the answers kept and nothing stored, CSRF and rate limits answered on the form,
the published results, English labels."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.blueprints.test_kiosk import new_device
from tests.factories import make_perception_questionnaire, make_perception_response, make_user
from zi_public.extensions import db
from zi_public.models import PerceptionAnswer, PerceptionQuestionnaire, PerceptionResponse, Role
from zi_public.rules.skm import Channel
from zi_public.services import kiosk as kiosk_service
from zi_public.services.skm import perception

WEB = "/skm/persepsi/spak"
KIOSK = "/kiosk/persepsi/spak"
ANSWERS = {"a1": "6", "a2": "5", "a3": "4", "a4": "3", "a5": "1"}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def spak(app, seeded):
    with app.app_context():
        make_perception_questionnaire()
        db.session.commit()
    return app


@pytest.fixture
def kiosk(app, spak):
    client = app.test_client()
    client.set_cookie(kiosk_service.COOKIE_NAME, new_device(app)[1], path="/kiosk/")
    return client


def responses(app) -> list[tuple[Channel, int | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(PerceptionResponse.channel, PerceptionResponse.kiosk_device_id, PerceptionResponse.layanan_id)
        ).all()
        answers = db.session.scalar(sa.select(sa.func.count()).select_from(PerceptionAnswer))
    assert answers == 5 * len(rows)  # never a response without all its answers
    return [tuple(row) for row in rows]


def page(response) -> str:
    return response.get_data(as_text=True)


def checked_values(html: str) -> set[tuple[str, str]]:
    """The (name, value) of every radio button the page shows chosen."""
    return set(re.findall(r'<input checked id="[^"]*" name="(a\d)" type="radio" value="(\d+)"', html))


# --- web ---------------------------------------------------------------------------------------------


def test_the_web_form_files_one_response_with_channel_web(spak, client):
    form = client.get(WEB)
    assert form.status_code == 200
    assert "Tidak ada diskriminasi pelayanan pada unit layanan ini" in page(form)
    assert "Sumber kuesioner" in page(form) and 'name="a5"' in page(form)
    filed = client.post(WEB, data={**ANSWERS, "layanan": "pbg", "submission_key": "k" * 24})
    assert filed.status_code == 302 and filed.headers["Location"].endswith("/skm/persepsi/spak/terima-kasih")
    assert client.get(filed.headers["Location"]).status_code == 200
    again = client.post(WEB, data={**ANSWERS, "layanan": "pbg", "submission_key": "k" * 24})  # a double click
    assert again.status_code == 302
    [(channel, device, layanan)] = responses(spak)
    assert channel == Channel.WEB and device is None and layanan is not None


def test_only_an_active_questionnaire_takes_answers(spak, client):
    assert client.get("/skm/persepsi/tidak-ada").status_code == 404
    assert client.get("/skm/persepsi/%00").status_code in (400, 404)
    with spak.app_context():
        perception.set_active(make_user(role=Role.SKM), perception.by_code("spak"), False)
        db.session.commit()
    assert client.get(WEB).status_code == 404
    assert client.post(WEB, data=ANSWERS).status_code == 404
    assert responses(spak) == []


@pytest.mark.parametrize(
    "data",
    [
        {},
        {**ANSWERS, "a3": "7"},
        {**ANSWERS, "a3": "0"},
        {**ANSWERS, "a3": "tiga"},
        {**ANSWERS, "a3": "5" * 100_000},
        {**ANSWERS, "a3": "5\x00"},
        {**ANSWERS, "a3": ""},
        {**ANSWERS, "layanan": "loket-9"},
        {**ANSWERS, "layanan": "pbg\x00"},
        {**ANSWERS, "layanan": "x" * 10_000},
    ],
)
def test_hostile_input_is_refused_on_the_page_with_the_answers_kept(spak, client, data):
    response = client.post(WEB, data=data)
    assert response.status_code == 200
    html = page(response)
    assert "error-summary" in html and 'class="error"' in html
    kept = {(name, value) for name, value in data.items() if name.startswith("a") and value in "123456" and value}
    assert kept <= checked_values(html)
    assert responses(spak) == []


def test_a_garbage_submission_key_is_replaced_and_the_response_filed_once(spak, client):
    assert client.post(WEB, data={**ANSWERS, "submission_key": "\x00" * 80}).status_code == 302
    assert client.post(WEB, data={**ANSWERS, "submission_key": "'; DROP TABLE x; --"}).status_code == 302
    assert len(responses(spak)) == 2


def test_undecodable_bytes_and_a_wrong_content_type_are_no_500(spak, client):
    raw = client.post(WEB, data=b"a1=\xff\xfe&a2=%ff", content_type="application/x-www-form-urlencoded")
    assert raw.status_code in (200, 400)
    plain = client.post(WEB, data="a1=6&a2=5", content_type="text/plain")
    assert plain.status_code == 200 and "error-summary" in page(plain)
    assert client.post(WEB, json={"a1": [6], "a2": {"x": 1}}).status_code == 200
    assert responses(spak) == []


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_missing_or_forged_token_is_refused_on_the_form_with_the_answers_kept(spak, client):
    token = TOKEN.search(page(client.get(WEB))).group(1)
    for sent in ({}, {"csrf_token": "forged"}, {"csrf_token": token + "x"}):
        refused = client.post(WEB, data={**ANSWERS, **sent})
        assert refused.status_code == 400
        assert "Formulir kedaluwarsa" in page(refused)
        assert {("a1", "6"), ("a5", "1")} <= checked_values(page(refused))
    assert responses(spak) == []
    fresh = TOKEN.search(page(client.get(WEB))).group(1)
    assert client.post(WEB, data={**ANSWERS, "csrf_token": fresh}).status_code == 302
    other = spak.test_client()  # a token from another browser's session is forged here
    other.get(WEB)
    assert other.post(WEB, data={**ANSWERS, "csrf_token": fresh}).status_code == 400
    assert len(responses(spak)) == 1


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_SKM_PERSEPSI": "2 per hour"}])
def test_the_web_limit_counts_filed_responses_and_answers_on_the_form(spak, client):
    client.post(WEB, data={"a1": "6"})  # refused: does not count
    assert client.post(WEB, data=ANSWERS).status_code == 302
    assert client.post(WEB, data=ANSWERS).status_code == 302
    busy = client.post(WEB, data=ANSWERS)
    assert busy.status_code == 429 and "Batas pengiriman" in page(busy)
    assert ("a1", "6") in checked_values(page(busy))
    assert len(responses(spak)) == 2


def test_english_labels(spak, client):
    client.set_cookie("zi_lang", "en")
    html = page(client.get(WEB))
    assert "There is no discrimination in the service of this unit" in html
    assert "Strongly agree" in html and "Send answers" in html
    assert "Tidak ada diskriminasi" not in html


def test_the_index_lists_open_questionnaires(spak, client):
    html = page(client.get("/skm/persepsi/"))
    assert "Survei Persepsi Anti Korupsi (SPAK)" in html and WEB in html


# --- published results -------------------------------------------------------------------------------


def test_results_are_public_only_when_published(spak, client):
    assert client.get(WEB + "/hasil").status_code == 404
    with spak.app_context():
        spak_row = perception.by_code("spak")
        make_perception_response(spak_row, {"P1": 6, "P2": 5}, now=datetime(2026, 8, 3, 3, tzinfo=UTC))
        perception.set_published(make_user(role=Role.SKM), spak_row, True)
        db.session.commit()
    shown = client.get(WEB + "/hasil?periode=2026-Q3")
    assert shown.status_code == 200
    html = page(shown)
    assert "Triwulan III 2026" in html and "5,20" in html  # (6 + 5 + 5 + 5 + 5) / 5, Indonesian decimals
    assert client.get(WEB + "/hasil?periode=2026-S2").status_code == 200
    for bad in ("2026-13", "x" * 500, "2026-07", "2099-Q1", "%00"):
        assert client.get(WEB + "/hasil", query_string={"periode": bad}).status_code in (400, 404), bad
    client.set_cookie("zi_lang", "en")
    assert "5.20" in page(client.get(WEB + "/hasil?periode=2026-Q3"))


# --- kiosk -------------------------------------------------------------------------------------------


def test_the_kiosk_needs_a_registered_device(spak, client):
    assert client.get(KIOSK).status_code == 403
    assert client.post(KIOSK, data=ANSWERS).status_code == 403
    assert responses(spak) == []


def test_the_kiosk_files_one_response_with_channel_kiosk_and_its_device(spak, kiosk):
    form = kiosk.get(KIOSK)
    assert form.status_code == 200 and 'class="kiosk-option"' in page(form)
    listed = kiosk.get("/kiosk/persepsi")
    assert listed.status_code == 200 and KIOSK in page(listed)
    filed = kiosk.post(KIOSK, data={**ANSWERS, "submission_key": "q" * 24})
    assert filed.status_code == 302
    thanks = kiosk.get(filed.headers["Location"])
    assert thanks.status_code == 200 and "zi_session=;" in " ".join(thanks.headers.getlist("Set-Cookie"))
    assert kiosk.post(KIOSK, data={**ANSWERS, "submission_key": "q" * 24}).status_code == 302  # a double tap
    [(channel, device, layanan)] = responses(spak)
    assert channel == Channel.KIOSK and device is not None and layanan is None


@pytest.mark.parametrize("data", [{}, {**ANSWERS, "a2": "9"}, {**ANSWERS, "a2": "\x00"}, {**ANSWERS, "layanan": "?"}])
def test_the_kiosk_refuses_hostile_input_on_the_form(spak, kiosk, data):
    refused = kiosk.post(KIOSK, data=data)
    assert refused.status_code == 200 and "error-summary" in page(refused)
    assert responses(spak) == []


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_an_expired_kiosk_form_keeps_the_answers(spak, kiosk):
    refused = kiosk.post(KIOSK, data=ANSWERS)
    assert refused.status_code == 400 and "kedaluwarsa" in page(refused)
    assert ("a2", "5") in checked_values(page(refused))
    token = TOKEN.search(page(refused)).group(1)
    assert kiosk.post(KIOSK, data={**ANSWERS, "csrf_token": token}).status_code == 302
    assert len(responses(spak)) == 1


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_KIOSK": "1 per hour"}])
def test_each_kiosk_has_its_own_limit(spak, kiosk, app):
    assert kiosk.post(KIOSK, data=ANSWERS).status_code == 302
    busy = kiosk.post(KIOSK, data=ANSWERS)
    assert busy.status_code == 429 and ("a1", "6") in checked_values(page(busy))
    other = app.test_client()
    other.set_cookie(kiosk_service.COOKIE_NAME, new_device(app, "Kiosk 2")[1], path="/kiosk/")
    assert other.post(KIOSK, data=ANSWERS).status_code == 302
    assert len(responses(spak)) == 2


def test_the_kiosk_home_offers_the_perception_surveys_only_while_one_is_open(app, seeded, spak, kiosk):
    assert 'href="/kiosk/persepsi"' in page(kiosk.get("/kiosk/"))
    with app.app_context():
        db.session.execute(sa.update(PerceptionQuestionnaire).values(is_active=False))
        db.session.commit()
    assert 'href="/kiosk/persepsi"' not in page(kiosk.get("/kiosk/"))


# --- reaching the surveys and their results ------------------------------------------------------------------


def test_the_home_page_links_the_perception_surveys_while_one_is_open_or_published(spak, client):
    """A citizen reaches /skm/persepsi/ from the home page (nothing linked it: only the kiosk's start page did)."""
    assert 'href="/skm/persepsi/"' in page(client.get("/"))
    with spak.app_context():
        spak_row = perception.by_code("spak")
        perception.set_active(make_user(role=Role.SKM), spak_row, False)
        db.session.commit()
    assert 'href="/skm/persepsi/"' not in page(client.get("/"))  # nothing open, nothing published: no dead end
    with spak.app_context():
        perception.set_published(make_user(role=Role.SKM, username="penerbit"), perception.by_code("spak"), True)
        db.session.commit()
    assert 'href="/skm/persepsi/"' in page(client.get("/"))
    client.set_cookie("zi_lang", "en")
    assert "Anti-corruption and service quality perception surveys" in page(client.get("/"))


def test_english_results_name_the_period_in_english(spak, client):
    with spak.app_context():
        spak_row = perception.by_code("spak")
        make_perception_response(spak_row, {"P1": 6, "P2": 5}, now=datetime(2026, 8, 3, 3, tzinfo=UTC))
        perception.set_published(make_user(role=Role.SKM), spak_row, True)
        db.session.commit()
    client.set_cookie("zi_lang", "en")
    html = page(client.get(WEB + "/hasil?periode=2026-Q3"))
    assert "Quarter III 2026" in html and "Triwulan" not in html
    assert 'class="table-scroll"' in html  # the items' table scrolls in its own box on a phone
