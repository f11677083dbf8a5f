"""The API speaks the language a program asks for in Accept-Language; the website ignores that header."""

from __future__ import annotations

import pytest

BAD_SURVEY = {"layanan": "pbg"}  # every other field missing: the answer names them in words


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "Wajib diisi."),
        ("en", "Required."),
        ("en-US,en;q=0.9", "Required."),
        ("fr, en;q=0.5", "Required."),
        ("fr", "Wajib diisi."),
        ("*", "Wajib diisi."),
        ("id, en;q=0.8", "Wajib diisi."),
    ],
)
def test_api_messages_follow_accept_language(seeded, client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.post("/api/v1/skm", json=BAD_SURVEY, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"]["gender"] == expected


def test_the_header_outranks_the_cookie_on_the_api_only(seeded, client):
    client.set_cookie("zi_lang", "id")
    api = client.post("/api/v1/skm", json=BAD_SURVEY, headers={"Accept-Language": "en"})
    assert api.get_json()["error"]["fields"]["gender"] == "Required."
    page = client.get("/skm/", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and 'lang="id"' in page.get_data(as_text=True)
