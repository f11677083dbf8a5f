"""The public complaint pages' rate limits: only filed complaints count, a refused page keeps the text and
says how long to wait, and the reporter's rating and reply are limited per complaint."""

from __future__ import annotations

import pytest

from tests.blueprints.pengaduan.test_public_form import complaint_count, post_form
from tests.blueprints.pengaduan.test_public_status import STATUS, file_case, finish_case, load, look_up


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_PUBLIC_FORM": "2 per hour",
        "RATELIMIT_PUBLIC_RATING": "2 per hour",
        "RATELIMIT_PUBLIC_REPLY": "1 per hour",
    }


def test_refused_submissions_do_not_count_and_the_429_page_keeps_the_text(app, client, seeded):
    for _ in range(5):  # a citizen correcting the form five times is not abuse
        assert post_form(client, title="").status_code == 200
    assert post_form(client, submission_key="a" * 32).status_code == 302
    assert post_form(client, submission_key="b" * 32).status_code == 302
    refused = post_form(client, submission_key="c" * 32, description="Uraian yang panjang, diketik lama.")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Uraian yang panjang, diketik lama." in page and 'value="Budi Santoso"' in page
    assert "Coba lagi dalam 60 menit" in page
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.headers["Cache-Control"] == "no-store"
    assert complaint_count(seeded) == 2
    # Another address in the same hour is not blocked.
    other = app.test_client().post("/pengaduan/", data={"title": ""}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert other.status_code == 200


def test_the_reply_is_limited_per_complaint_with_the_text_kept(app, client, seeded):
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    assert client.post(f"{STATUS}/balas", data={"body": ""}).status_code == 200  # refused: the text is empty
    refused = client.post(f"{STATUS}/balas", data={"body": "Balasan kedua saya"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "Balasan kedua saya</textarea>" in page and "Coba lagi dalam" in page
    # A second complaint looked up from the same address has its own allowance.
    other_number, other_code = file_case(app)
    finish_case(app, other_number)
    look_up(client, other_number, other_code)
    assert client.post(f"{STATUS}/balas", data={"body": "Nama di PBG salah."}).status_code == 302
    assert load(app, other_number).reopen_count == 1


def test_the_rating_is_limited_per_complaint(app, client, seeded):
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    for rating in ("2", "3"):
        assert client.post(f"{STATUS}/nilai", data={"rating": rating}).status_code in (200, 302)
    refused = client.post(f"{STATUS}/nilai", data={"rating": "4", "comment": "Komentar ketiga"})
    assert refused.status_code == 429 and "Komentar ketiga</textarea>" in refused.get_data(as_text=True)
