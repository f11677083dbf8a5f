"""One readable-text rule (zi_public.rules.text): the web form and the API refuse the same text, with the
same message, and accept the same text."""

from __future__ import annotations

import json
from html import escape

import pytest

from tests.blueprints.pengaduan.test_api import VALID, assert_error, counts, post
from tests.blueprints.pengaduan.test_public_form import complaint_count, post_form

UNREADABLE = "Teks berisi karakter yang tidak dapat dibaca; ketik ulang bagian ini."
LINE_BREAK = "Tulis dalam satu baris, tanpa ganti baris."

REFUSED = {
    "bell in a title": ("title", "judul\x07", UNREADABLE),
    "terminal escape in a name": ("name", "Budi\x1b[31m", UNREADABLE),
    "C1 control in a location": ("location", "loket\x85 3", UNREADABLE),
    "DEL in a description": ("description", "uraian\x7f", UNREADABLE),
    "replacement character in a description": ("description", "uraian \ufffd rusak", UNREADABLE),
    "vertical tab in a wish": ("requested_resolution", "segera\x0b", UNREADABLE),
    "line feed in a title": ("title", "judul\nbaris kedua", LINE_BREAK),
    "carriage return in a phone": ("phone", "0812\r3456 7890", LINE_BREAK),
    "line separator in a location": ("location", "Loket\u20283", LINE_BREAK),
}
ACCEPTED = {
    "tab in a title": ("title", "PBG\tbelum terbit"),
    "line breaks in a description": ("description", "Baris satu.\r\nBaris dua.\n\nParagraf."),
    "line breaks in a wish": ("requested_resolution", "Satu\nDua"),
    "bidi override in a location": ("location", "Jl. \u202eKebalik"),
    "emoji in a description": ("description", "Lama sekali 🙁 👩‍👩‍👧"),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_the_web_form_and_the_api_refuse_the_same_text_with_the_same_message(seeded, client, case):
    field, value, message = case
    page = post_form(client, **{field: value})
    assert page.status_code == 200 and escape(message) in page.get_data(as_text=True)
    assert complaint_count(seeded) == 0

    error = assert_error(post(client, {**VALID, field: value}), 400, {field})
    assert error["fields"][field] == message
    assert counts(seeded) == (0, 0)


@pytest.mark.parametrize("case", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_the_web_form_and_the_api_accept_the_same_text(seeded, client, case):
    field, value = case
    assert post_form(client, **{field: value}, submission_key="w" * 32).status_code == 302
    assert post(client, {**VALID, field: value}).status_code == 201
    assert complaint_count(seeded) == 2


def test_nul_and_lone_surrogates_never_reach_either(seeded, client):
    # NUL: the form says so beside the field and keeps the rest; a lone surrogate cannot even be sent as UTF-8.
    page = post_form(client, title="a\x00b")
    assert page.status_code == 200 and escape(UNREADABLE) in page.get_data(as_text=True)
    assert "Berkas lengkap sejak Agustus" in page.get_data(as_text=True)
    assert_error(post(client, {**VALID, "title": "a\x00b"}), 400, {"title"})
    raw = json.dumps({**VALID, "title": "x"}).replace('"x"', '"\\udc00"')
    assert assert_error(post(client, raw=raw), 400, {"title"})["fields"]["title"] == UNREADABLE
    assert complaint_count(seeded) == 0


def test_the_api_message_is_in_the_language_asked_for(seeded, client):
    client.set_cookie("zi_lang", "en")
    error = assert_error(post(client, {**VALID, "title": "judul\nbaris"}), 400, {"title"})
    assert error["fields"]["title"] != LINE_BREAK and "line" in error["fields"]["title"].lower()


INVISIBLE = {
    "zero-width spaces": "\u200b\u200b\u200b",
    "joiners and marks": "\u200d\u200c\u200e\u2060",
    "byte-order marks and spaces": " \ufeff \ufeff ",
    "hangul fillers": "\u3164\u115f",
    "braille blank and a variation selector": "\u2800\ufe0f",
    "tag characters": "\U000e0041\U000e0042",
}


@pytest.mark.parametrize("value", INVISIBLE.values(), ids=INVISIBLE.keys())
@pytest.mark.parametrize("field", ["title", "description", "name"])
def test_invisible_characters_alone_are_no_required_value(seeded, client, field, value):
    page = post_form(client, **{field: value}).get_data(as_text=True)
    assert "wajib diisi" in page and "error-summary" in page
    assert complaint_count(seeded) == 0
    assert post(client, {**VALID, field: value}).status_code == 400
    assert counts(seeded) == (0, 0)


def test_invisible_characters_inside_visible_text_are_kept(seeded, client):
    title = "PBG\u200b belum terbit \U0001f469\u200d\U0001f469\u200d\U0001f467"
    assert post_form(client, title=title, submission_key="z" * 32).status_code == 302
    assert post(client, {**VALID, "title": title}).status_code == 201
    assert complaint_count(seeded) == 2


FORM_FIELDS = [
    "identity", "name", "email", "phone", "nik", "category", "layanan", "title", "description",
    "requested_resolution", "location", "incident_date",
]


@pytest.mark.parametrize("field", FORM_FIELDS)
def test_a_nul_byte_in_any_field_of_the_web_form_is_shown_beside_it_with_the_rest_kept(seeded, client, field):
    # A NUL cannot reach PostgreSQL (not even as a category code to look up): the form refuses it first.
    response = post_form(client, **{field: "a\x00b"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "error-summary" in page
    kept = "PBG belum terbit" if field != "title" else "Berkas lengkap sejak Agustus"
    assert kept in page
    assert response.headers["Cache-Control"] == "no-store"
    assert complaint_count(seeded) == 0


def test_a_nul_byte_in_the_submission_key_files_under_a_fresh_key(seeded, client):
    assert post_form(client, submission_key="k" * 20 + "\x00").status_code == 302
    assert complaint_count(seeded) == 1
