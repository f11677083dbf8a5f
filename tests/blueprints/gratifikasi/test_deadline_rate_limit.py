"""GET /gratifikasi/tenggat is rate-limited per address (RATELIMIT_GRATIFIKASI_DEADLINE): over the limit it
answers a 429 JSON error that the form's panel shows, and the form's "Hitung tenggat" button still works."""

from __future__ import annotations

import pytest

from tests.blueprints.gratifikasi.test_public_form import post_form, report_count, working_days_back

URL = "/gratifikasi/tenggat"


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_GRATIFIKASI_DEADLINE": "3 per minute"}


def ask(client, received_on: str):  # noqa: ANN001, ANN201
    return client.get(URL, query_string={"kind": "diterima", "received_on": received_on})


def test_the_limit_answers_429_json_that_the_panel_can_show(app, client):
    received = working_days_back(app, 20).isoformat()
    assert [ask(client, received).status_code for _ in range(2)] == [200, 200]
    assert ask(client, "30/01/2026").status_code == 400  # a refused question counts too
    refused = ask(client, received)
    assert refused.status_code == 429 and refused.mimetype == "application/json"
    assert refused.get_json() == {
        "error": {
            "code": 429,
            "message": "Terlalu banyak permintaan. Tekan \u201cHitung tenggat\u201d, atau tunggu 1 menit.",
        }
    }
    assert refused.headers["Cache-Control"] == "no-store"
    assert 0 < int(refused.headers["Retry-After"]) <= 60  # the script waits that long before asking again
    client.set_cookie("zi_lang", "en")
    english = ask(client, received).get_json()["error"]["message"]
    assert english == "Too many requests. Press \u201cWork out the deadline\u201d, or wait 1 minute."


def test_another_address_has_its_own_count(app, client):
    received = working_days_back(app, 20).isoformat()
    for _ in range(3):
        ask(client, received)
    assert ask(client, received).status_code == 429
    other = client.get(
        URL, query_string={"kind": "diterima", "received_on": received}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 200


def test_the_hitung_tenggat_button_works_while_the_live_panel_is_limited(app, client):
    received = working_days_back(app, 35)
    for _ in range(4):
        ask(client, received.isoformat())
    assert ask(client, received.isoformat()).status_code == 429
    response = post_form(client, received_on=received.isoformat(), preview="Hitung tenggat", name="Sri Rahayu")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and report_count(app) == 0
    assert "Terlambat: sudah 35 hari kerja sejak diterima, 5 hari kerja melewati batas" in text
    assert 'value="Sri Rahayu"' in text


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_the_default_allows_a_question_a_second_for_a_minute(client):
    """Each pause in typing may ask: 60 a minute by default, the 61st is refused."""
    statuses = [ask(client, "x").status_code for _ in range(61)]  # refused questions are the cheapest to count
    assert statuses == [400] * 60 + [429]
