"""The web survey at /skm/: the page (nine unsur in order, each with its own answers, the profile lists, the
active catalogue), storing a response once, every refusal on the page with what was chosen kept, the permit
rule, the thank-you page, the English UI."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_skm_response
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, SkmResponse
from zi_public.rules.skm import UNSUR, Channel
from zi_public.services.skm.labels import ANSWER_LABELS, UNSUR_NAMES_ID, UNSUR_QUESTIONS

FORM = "/skm/"
THANKS = "/skm/terima-kasih"
KEY = "k" * 32


def valid_fields(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "layanan": "pbg",
        "permit_number": "",
        "gender": "p",
        "age": "34",
        "education": "s1",
        "occupation": "wirausaha",
        "vulnerable_group": "",
        **dict.fromkeys(UNSUR, "3"),
        "suggestion": "Antrean di loket perlu nomor urut.",
        "submission_key": KEY,
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def post_form(client, **overrides: object):  # noqa: ANN001, ANN201
    return client.post(FORM, data=valid_fields(**overrides))


def stored(app) -> list[SkmResponse]:  # noqa: ANN001
    with app.app_context():
        rows = list(db.session.scalars(sa.select(SkmResponse).order_by(SkmResponse.id)))
        db.session.expunge_all()
        return rows


def checked_value(page: str, name: str) -> str | None:
    """The value of the radio button `name` the page has checked."""
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', page):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def selected_value(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    match = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select)
    return (match.group(1) or match.group(2)) if match else None


def field_error(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', page)
    assert match, f"no error shown for {field_id}"
    return match.group(1)


# -- the page ---------------------------------------------------------------------------------


def test_the_page_asks_the_nine_unsur_in_order_each_with_its_own_answers(seeded, client):
    response = client.get(FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    positions = [page.index(f'<fieldset class="form-section skm-choice field" id="{code}"') for code in UNSUR]
    assert positions == sorted(positions)
    for number, code in enumerate(UNSUR, start=1):
        block = page[page.index(f'id="{code}"') :].split("</fieldset>", 1)[0]
        assert f"{number}. {UNSUR_NAMES_ID[code]}" in block and str(UNSUR_QUESTIONS[code]) in block
        assert "<legend>" in block
        for value, word in enumerate(ANSWER_LABELS[code], start=1):
            assert re.search(
                rf'name="{code}" required type="radio" value="{value}"> <span>{re.escape(str(word))}</span>', block
            )
    assert "Sangat mahal" in page and "Gratis" in page  # Biaya's own words, not "sesuai"
    assert re.search(r'name="submission_key" type="hidden" value="[A-Za-z0-9_\-]{32}"', page)
    assert "<script>" not in page and " style=" not in page  # CSP


def test_the_page_lists_the_active_catalogue_and_the_profile_options(seeded, client):
    with seeded.app_context():
        db.session.execute(sa.update(Layanan).where(Layanan.code == "reklame").values(is_active=False))
        db.session.commit()
    page = client.get(FORM).get_data(as_text=True)
    assert 'value="pbg"' in page and 'value="reklame"' not in page
    for code in (
        "l",
        "p",
        "tidak-sekolah",
        "s3",
        "pns",
        "lainnya",
        "disabilitas",
        "lansia",
        "ibu-hamil-menyusui",
        "anak",
    ):
        assert f'value="{code}"' in page, code
    assert "Laki-laki" in page and "Pelajar/Mahasiswa" in page and "Ibu hamil/menyusui" in page


def test_the_home_page_card_leads_to_the_survey(seeded, client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/skm/"' in page


def test_the_english_ui_shows_english_words(seeded, client):
    client.set_cookie("zi_lang", "en")
    page = client.get(FORM).get_data(as_text=True)
    assert "Requirements" in page and "Very expensive" in page and "Building Approval (PBG)" in page
    assert "Persyaratan" not in page and "Sangat mahal" not in page
    refused = post_form(client, U4=None, age="")
    text = refused.get_data(as_text=True)
    assert field_error(text, "U4") == "Choose one answer."
    assert "Persyaratan" not in text


# -- storing ----------------------------------------------------------------------------------


def test_a_response_is_stored_once_and_thanked(seeded, client):
    response = post_form(client, permit_number=" pbg 12/ 2026 ", vulnerable_group="lansia", U4="4", U8="1")
    assert response.status_code == 302 and response.headers["Location"].endswith(THANKS)
    (row,) = stored(seeded)
    assert row.channel == Channel.WEB and row.submitted_on == today_jakarta()
    assert (row.gender, row.age, row.education, row.occupation, row.vulnerable_group) == (
        "p",
        34,
        "s1",
        "wirausaha",
        "lansia",
    )
    assert row.answers() == {**dict.fromkeys(UNSUR, 3), "U4": 4, "U8": 1}
    assert row.permit_number == "PBG12/2026" and row.suggestion == "Antrean di loket perlu nomor urut."
    assert row.submission_key == KEY
    page = client.get(THANKS).get_data(as_text=True)
    assert "Terima kasih" in page and "sudah kami terima sebelumnya" not in page

    again = post_form(client)  # a double click, or the page sent again from the browser's history
    assert again.status_code == 302 and again.headers["Location"].endswith(THANKS)
    assert len(stored(seeded)) == 1
    assert "sudah kami terima sebelumnya" in client.get(THANKS).get_data(as_text=True)


def test_a_malformed_submission_key_is_replaced_and_the_response_stored(seeded, client):
    for key in ("<script>", "a\x00" * 20, "x" * 65, ""):
        assert post_form(client, submission_key=key).status_code == 302
    rows = stored(seeded)
    assert len(rows) == 4 and len({row.submission_key for row in rows}) == 4
    assert all(re.fullmatch(r"[A-Za-z0-9_\-]{32}", row.submission_key) for row in rows)


def test_the_thank_you_page_links_to_the_results_when_they_are_published(seeded, client):
    assert client.get(THANKS).status_code == 302  # nothing sent: back to the form
    post_form(client)
    page = client.get(THANKS).get_data(as_text=True)
    assert ('href="/skm/hasil"' in page) == ("skm.hasil" in seeded.view_functions)
    assert 'href="/"' in page


# -- refusals ---------------------------------------------------------------------------------


def test_an_empty_form_names_every_missing_answer_at_the_top_and_beside_it(seeded, client):
    response = client.post(FORM, data={"submission_key": KEY})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = page.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    for field_id in ("layanan", "gender", "age", "education", "occupation", *UNSUR):
        assert f'href="#{field_id}"' in summary, field_id
        assert field_error(page, field_id)
    assert field_error(page, "U5") == "Pilih salah satu jawaban."
    assert 'href="#permit_number"' not in summary and 'href="#suggestion"' not in summary  # optional
    assert stored(seeded) == []


def test_what_was_chosen_and_typed_is_kept_on_error(seeded, client):
    page = post_form(
        client,
        U9=None,
        gender="l",
        U2="1",
        U4="4",
        education="sma",
        occupation="pns",
        vulnerable_group="disabilitas",
        permit_number="503/77/PBG",
        suggestion="Ruang tunggu panas.",
    ).get_data(as_text=True)
    assert field_error(page, "U9") == "Pilih salah satu jawaban."
    assert checked_value(page, "gender") == "l"
    assert [checked_value(page, code) for code in UNSUR] == ["3", "1", "3", "4", "3", "3", "3", "3", None]
    assert selected_value(page, "layanan") == "pbg" and selected_value(page, "education") == "sma"
    assert selected_value(page, "occupation") == "pns" and selected_value(page, "vulnerable_group") == "disabilitas"
    assert 'value="503/77/PBG"' in page and "Ruang tunggu panas.</textarea>" in page
    assert f'value="{KEY}"' in page  # the same one-time key: correcting the page still stores one response
    assert stored(seeded) == []


HOSTILE = [
    ({"U1": "5"}, "U1", "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ({"U2": "0"}, "U2", "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ({"U3": "tiga"}, "U3", "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ({"U4": "2.5"}, "U4", "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ({"U5": "3\x00"}, "U5", "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ({"U6": "x" * 100_000}, "U6", "Jawaban harus salah satu dari 1, 2, 3 atau 4."),
    ({"layanan": "tidak-ada"}, "layanan", "Pilih layanan yang Anda terima dari daftar."),
    ({"layanan": "pbg\x00"}, "layanan", "Pilih layanan yang Anda terima dari daftar."),
    ({"layanan": "p" * 100_000}, "layanan", "Pilih layanan yang Anda terima dari daftar."),
    ({"gender": "x"}, "gender", "Pilih jenis kelamin."),
    ({"age": "9"}, "age", "Isi usia dalam tahun, antara 10 dan 110."),
    ({"age": "111"}, "age", "Isi usia dalam tahun, antara 10 dan 110."),
    ({"age": "tiga puluh"}, "age", "Isi usia dalam tahun, antara 10 dan 110."),
    ({"age": "３４"}, "age", "Isi usia dalam tahun, antara 10 dan 110."),  # full-width digits
    ({"age": "34\x00"}, "age", "Isi usia dalam tahun, antara 10 dan 110."),
    ({"education": "s9"}, "education", "Pilih pendidikan terakhir dari daftar."),
    ({"occupation": "pns\x00"}, "occupation", "Pilih pekerjaan dari daftar."),
    ({"vulnerable_group": "bukan"}, "vulnerable_group", "Pilih kelompok rentan dari daftar, atau kosongkan."),
    ({"permit_number": "P" * 61}, "permit_number", "Paling banyak 60 karakter."),
    ({"permit_number": "PBG\x00-1"}, "permit_number", "Nomor izin tidak terbaca."),
    ({"permit_number": "PBG\n1"}, "permit_number", "Nomor izin tidak terbaca."),
    ({"suggestion": "a" * 2001}, "suggestion", "Paling banyak 2000 karakter."),
    ({"suggestion": "Saran\x00 saya"}, "suggestion", "Saran tidak terbaca."),
    ({"suggestion": "Saran \ufffd rusak"}, "suggestion", "Saran tidak terbaca."),
]


@pytest.mark.parametrize(("overrides", "field_id", "message"), HOSTILE)
def test_hostile_input_is_refused_beside_its_field_with_everything_else_kept(
    seeded, client, overrides, field_id, message
):
    response = post_form(client, U7="2", **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, field_id) == message
    assert f'href="#{field_id}"' in page  # the summary at the top names it too
    assert checked_value(page, "U7") == "2" and checked_value(page, "gender") == (None if field_id == "gender" else "p")
    if field_id != "suggestion":
        assert "Antrean di loket perlu nomor urut.</textarea>" in page
    assert stored(seeded) == []


def test_several_values_for_one_answer_take_the_first(seeded, client):
    data = valid_fields()
    data["U1"] = ["4", "1"]
    assert client.post(FORM, data=data).status_code == 302
    assert stored(seeded)[0].u1 == 4


def test_a_body_that_is_not_utf8_is_refused_on_the_page(seeded, client):
    # multipart: the undecodable bytes become U+FFFD, which the readable-text rule refuses beside the field
    fields = valid_fields(suggestion=None)
    parts = [
        f'--XX\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    suggestion = b'--XX\r\nContent-Disposition: form-data; name="suggestion"\r\n\r\nSaran \xff\xfe rusak\r\n'
    body = b"".join(parts) + suggestion + b"--XX--\r\n"
    response = client.post(FORM, data=body, content_type="multipart/form-data; boundary=XX")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(page, "suggestion") == "Saran tidak terbaca."
    assert checked_value(page, "U1") == "3" and selected_value(page, "layanan") == "pbg"
    # url-encoded: werkzeug cannot read such a body at all, so every answer is reported missing
    urlencoded = "&".join(f"{name}={value}" for name, value in fields.items()).encode() + b"&suggestion=\xff\xfe"
    response = client.post(FORM, data=urlencoded, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), "U1")
    assert stored(seeded) == []


def test_a_nul_in_a_field_name_is_refused_without_a_server_error(seeded, client):
    data = {**valid_fields(), "U1\x00": "3"}
    response = client.post(FORM, data=data)
    assert response.status_code in (200, 302, 400)
    assert len(stored(seeded)) == (1 if response.status_code == 302 else 0)


# -- one response per permit per quarter --------------------------------------------------------


def test_a_permit_number_answers_once_a_quarter(seeded, client):
    with seeded.app_context():
        make_skm_response(permit_number="PBG-12/2026")
        last_quarter = datetime.now(UTC) - timedelta(days=100)
        make_skm_response(permit_number="PBG-99/2026", now=last_quarter)
        db.session.commit()
    page = post_form(client, permit_number="pbg - 12/2026", U3="1").get_data(as_text=True)
    assert field_error(page, "permit_number") == "Nomor izin ini sudah dipakai untuk mengisi survei pada triwulan ini."
    assert checked_value(page, "U3") == "1" and 'value="pbg - 12/2026"' in page
    assert len(stored(seeded)) == 2
    assert post_form(client, permit_number="PBG-99/2026").status_code == 302  # answered last quarter: fine
    assert post_form(client, permit_number="", submission_key="m" * 32).status_code == 302  # no number: no rule
    assert len(stored(seeded)) == 4
