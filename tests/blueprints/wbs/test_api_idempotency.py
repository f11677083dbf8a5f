"""POST /api/v1/wbs with an Idempotency-Key: a retry files nothing and never gives the receipt again, two racing
requests with one key file one report, a malformed key is refused by name, the key is stored only keyed-hashed."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from blueprints.api.parsing import submission_key_for
from tests.blueprints.wbs.test_api import BASE, CONTRACT, assert_private, counts
from tests.factories import wbs_input
from zi_public.extensions import db
from zi_public.models.wbs import WbsReport
from zi_public.services.wbs import filing

KEY = "Idempotency-Key"
RECEIVED = "sudah diterima, jadi tidak dibuat dua kali"


def post(client, body: dict | None = None, key: str | None = None, **headers: str):
    if key is not None:
        headers[KEY] = key
    return client.post(BASE, json=CONTRACT if body is None else body, headers=headers)


def assert_replay(response) -> str:
    """A 409 that says the report was received and gives no receipt; returns its message."""
    assert response.status_code == 409
    assert_private(response)
    assert set(response.get_json()) == {"error"} and set(response.get_json()["error"]) == {"code", "message"}
    return response.get_json()["error"]["message"]


def test_a_retry_files_nothing_and_never_repeats_the_receipt(app, client, seeded):
    first = post(client, key="3f6c1d2e-retry-1")
    assert first.status_code == 201
    receipt = first.get_json()["receipt"]
    for body in (CONTRACT, {**CONTRACT, "what": "Cerita yang lain sama sekali."}):
        replay = post(client, body, key="3f6c1d2e-retry-1")
        assert RECEIVED in assert_replay(replay)
        text = replay.get_data(as_text=True)
        assert receipt not in text and receipt.replace("-", "") not in text
    assert counts(app) == (1, 0)
    assert post(client, key="3f6c1d2e-retry-2").status_code == 201
    assert post(client).status_code == 201  # without the header every request files
    assert counts(app) == (3, 0)


def test_the_replay_speaks_the_client_s_language(client, seeded):
    assert post(client, key="8d0e-en").status_code == 201
    message = assert_replay(post(client, key="8d0e-en", **{"Accept-Language": "en"}))
    assert message.startswith("A report with this Idempotency-Key was already received")
    assert "receipt is given only once, in the first answer" in message


def test_a_refused_body_does_not_use_up_its_key(app, client, seeded):
    assert post(client, {**CONTRACT, "what": " "}, key="5a1b-fix-and-retry").status_code == 400
    assert post(client, key="5a1b-fix-and-retry").status_code == 201
    assert counts(app) == (1, 0)


def test_the_key_is_stored_only_as_a_keyed_hash(app, client, seeded):
    key = "c0ffee00-0000-4000-8000-000000000001"
    assert post(client, key=key).status_code == 201
    with app.app_context():
        stored = db.session.scalar(sa.select(WbsReport.submission_key_hash))
    # Whoever reads the database without the server's hash key can neither read nor confirm a guessed key.
    assert stored and key not in stored and submission_key_for(key) not in stored
    assert submission_key_for(key).removeprefix("api:") not in stored


def test_a_web_form_s_key_is_not_an_api_key(app, client, seeded):
    with app.app_context():
        filing.file_report(wbs_input(), submission_key="same-string-either-way")
        db.session.commit()
    assert post(client, key="same-string-either-way").status_code == 201
    assert counts(app) == (2, 0)


def test_two_requests_racing_with_one_key_file_one_report(app, seeded, monkeypatch):
    """Both requests pass the service's look-up of the key before either writes: the unique index decides,
    and the loser gets the same 409 as a later retry, with nothing of its own saved."""
    both_looked_up = threading.Barrier(2, timeout=30)
    real_work_calendar = filing.work_calendar  # read after the key's look-up, before the insert

    def after_the_look_up():  # noqa: ANN202
        both_looked_up.wait()
        return real_work_calendar()

    monkeypatch.setattr(filing, "work_calendar", after_the_look_up)
    answers = []

    def request() -> None:
        answers.append(post(app.test_client(), key="race-key"))

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    loser = next(answer for answer in answers if answer.status_code == 409)
    assert counts(app) == (1, 0)
    later = post(app.test_client(), key="race-key")
    assert assert_replay(loser) == assert_replay(later)
    assert counts(app) == (1, 0)


@pytest.mark.parametrize("key", ["x" * 65, "café", "tab\there", " ", "", " leading", "trailing ", "new\x7fline"])
def test_a_malformed_key_is_refused_by_name_and_nothing_is_filed(app, client, seeded, key):
    for body in (CONTRACT, {**CONTRACT, "what": 5}):  # the key is named whatever the body
        response = post(client, body, key=key)
        assert response.status_code == 400
        assert_private(response)
        assert set(response.get_json()["error"]["fields"]) == {KEY}
    assert counts(app) == (0, 0)


def test_the_longest_key_and_inner_spaces_are_fine(app, client, seeded):
    assert post(client, key="k" * 64).status_code == 201
    assert post(client, key="kunci acak 1").status_code == 201
    assert counts(app) == (2, 0)


def test_the_document_describes_the_header_and_the_409(client, seeded):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/wbs"]["post"]
    (parameter,) = operation["parameters"]
    assert (parameter["name"], parameter["in"], parameter["required"]) == (KEY, "header", False)
    assert parameter["schema"]["maxLength"] == 64 and "acak" in parameter["description"]
    assert "409" in operation["responses"] and "Idempotency-Key" in operation["description"]
