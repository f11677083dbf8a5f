"""The survey's guards: per-address rate limits on the page (a 429 keeps every answer) and on the API, and the
CSRF token (missing, forged, another visitor's: the page comes back with every answer, nothing stored)."""

from __future__ import annotations

import json
import re

import pytest

from tests.blueprints.skm.test_survey_web import FORM, checked_value, post_form, stored, valid_fields

API = "/api/v1/skm"
BODY = {
    "layanan": "pbg",
    "gender": "l",
    "age": 40,
    "education": "sma",
    "occupation": "swasta",
    "answers": {f"U{n}": 4 for n in range(1, 10)},
}


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_SKM_SURVEY": "2 per hour",
            "RATELIMIT_API_SKM_POST": "2 per hour",
            "RATELIMIT_API_SKM_FORM": "3 per minute",
        }

    def test_only_stored_responses_count_and_the_429_page_keeps_every_answer(self, app, client, seeded):
        for _ in range(5):  # a respondent correcting the page five times is not abuse
            assert post_form(client, U1=None).status_code == 200
        assert post_form(client, submission_key="a" * 32).status_code == 302
        assert post_form(client, submission_key="b" * 32).status_code == 302
        refused = post_form(client, submission_key="c" * 32, U2="1", gender="l", suggestion="Saran yang panjang.")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 429
        assert "Coba lagi dalam 60 menit; isian Anda tetap ada." in page
        assert checked_value(page, "U2") == "1" and checked_value(page, "gender") == "l"
        assert "Saran yang panjang.</textarea>" in page and 'value="' + "c" * 32 + '"' in page
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        assert refused.headers["Cache-Control"] == "no-store"
        assert len(stored(seeded)) == 2
        # The limit is per address: another one in the same hour is not held back.
        other = app.test_client().post(FORM, data=valid_fields(), environ_base={"REMOTE_ADDR": "203.0.113.7"})
        assert other.status_code == 302 and len(stored(seeded)) == 3
        assert client.get(FORM).status_code == 200  # reading the page is never limited

    def test_the_api_is_limited_per_address(self, app, client, seeded):
        def post(body, address="192.0.2.1"):  # noqa: ANN001, ANN202
            data = json.dumps(body)
            return client.post(API, data=data, content_type="application/json", environ_base={"REMOTE_ADDR": address})

        assert post({"layanan": "pbg"}).status_code == 400  # every POST counts on the API
        assert post(BODY).status_code == 201
        refused = post(BODY)
        assert refused.status_code == 429 and refused.get_json()["error"]["code"] == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert post(BODY, address="198.51.100.9").status_code == 201
        assert len(stored(seeded)) == 2
        for _ in range(3):
            assert client.get(f"{API}/form").status_code == 200
        assert client.get(f"{API}/form").status_code == 429


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(client) -> str:  # noqa: ANN001
        page = client.get(FORM).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def test_a_missing_forged_or_foreign_token_keeps_every_answer_and_stores_nothing(self, app, client, seeded):
        own = self.token(client)
        foreign = self.token(app.test_client())
        for token in (None, "", "forged", foreign, own[:-2] + "xx"):
            data = valid_fields(U3="2", gender="l", suggestion="Tetap ada.", csrf_token=token)
            response = client.post(FORM, data=data)
            page = response.get_data(as_text=True)
            assert response.status_code == 400, token
            assert "Formulir kedaluwarsa. Kirim ulang; isian Anda tetap tersimpan di halaman ini." in page
            assert checked_value(page, "U3") == "2" and checked_value(page, "gender") == "l"
            assert "Tetap ada.</textarea>" in page
            fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            assert fresh and fresh != token
        assert stored(seeded) == []
        assert client.post(FORM, data=valid_fields(csrf_token=own)).status_code == 302
        assert len(stored(seeded)) == 1

    def test_a_replayed_page_with_its_token_stores_one_response(self, app, client, seeded):
        data = valid_fields(csrf_token=self.token(client))
        assert client.post(FORM, data=data).status_code == 302
        assert client.post(FORM, data=data).status_code == 302  # the same page sent again: its key was used
        assert len(stored(seeded)) == 1

    def test_the_api_needs_no_token(self, app, client, seeded):
        response = client.post(API, data=json.dumps(BODY), content_type="application/json")
        assert response.status_code == 201
