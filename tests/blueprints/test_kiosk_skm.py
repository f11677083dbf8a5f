"""The SKM survey on the service-hall kiosk (/kiosk/skm): registered devices only, one screen per step with
four faces per unsur, every answer checked on its own screen, one response filed with channel kiosk and the
device, nothing kept in the session afterwards, the kiosk's own rate limit."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import make_kiosk_device, make_skm_response
from zi_public.extensions import db
from zi_public.models import Layanan, SkmResponse
from zi_public.rules.skm import UNSUR, Channel
from zi_public.services import kiosk as kiosk_service

#: Answers U1..U9 of the respondent in most tests (all four faces used).
ANSWERS = (4, 3, 2, 1, 4, 3, 3, 2, 4)
LAYANAN = {"layanan": "pbg", "permit_number": " pbg 123 / 2026 "}
PROFILE = {"gender": "p", "age": "34", "education": "s1", "occupation": "wirausaha", "vulnerable_group": "lansia"}
SUGGESTION = "Antrean di loket 3 terlalu lama."
ANSWER_INVALID = "Jawaban harus salah satu dari 1, 2, 3 atau 4."
ANSWER_MISSING = "Pilih salah satu jawaban."
SKIPPED = "Pertanyaan sebelumnya belum dijawab."


def new_device(app, name: str = "Kiosk 1") -> tuple[int, str]:
    with app.app_context():
        device, value = make_kiosk_device(name)
        db.session.commit()
        return device.id, value


@pytest.fixture
def device(app, seeded) -> tuple[int, str]:
    return new_device(app)


def kiosk_client(app, cookie: str):
    client = app.test_client()
    client.set_cookie(kiosk_service.COOKIE_NAME, cookie, path="/kiosk/")
    return client


@pytest.fixture
def kiosk(app, device):
    """A browser activated as a kiosk."""
    return kiosk_client(app, device[1])


def url(step: str) -> str:
    """A screen's address (the first one is the survey's own address)."""
    return "/kiosk/skm" if step == "layanan" else f"/kiosk/skm/{step}"


def html(response) -> str:
    return response.get_data(as_text=True)


def location(response) -> str:
    return response.headers["Location"]


def responses(app) -> list[SkmResponse]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(SkmResponse).order_by(SkmResponse.id)))
        db.session.expunge_all()
        return rows


def layanan_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Layanan.id).where(Layanan.code == code))


def session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def answer_up_to(kiosk, step: str, answers=ANSWERS, layanan=LAYANAN, profile=PROFILE) -> None:
    """Answer every screen before `step` (a screen name: layanan, profil, u1..u9, saran)."""
    screens = [("layanan", layanan), ("profil", profile)]
    screens += [(code.lower(), {code: str(answer)}) for code, answer in zip(UNSUR, answers, strict=True)]
    for name, data in screens:
        if name == step:
            return
        response = kiosk.post(url(name), data=data)
        assert response.status_code == 303, (name, html(response)[:2000])
    assert step == "saran"


def take_survey(kiosk, suggestion: str = SUGGESTION, **kwargs):
    answer_up_to(kiosk, "saran", **kwargs)
    return kiosk.post("/kiosk/skm/saran", data={"suggestion": suggestion})


# --- the device ----------------------------------------------------------------------------------


def test_an_unregistered_browser_is_refused_and_nothing_is_kept(app, seeded, client):
    for address in ["/kiosk/skm", "/kiosk/skm/u1", "/kiosk/skm/saran", "/kiosk/skm/terima-kasih"]:
        response = client.get(address)
        assert response.status_code == 403 and "Kiosk belum diaktifkan" in html(response)
    for name, data in [("layanan", LAYANAN), ("u1", {"U1": "4"}), ("saran", {"suggestion": "x"})]:
        assert client.post(url(name), data=data).status_code == 403
    assert "kiosk_skm" not in session_of(client)
    assert responses(app) == []


def test_the_start_page_leads_to_the_survey(kiosk):
    page = html(kiosk.get("/kiosk/"))
    assert 'href="/kiosk/skm"' in page and "Segera hadir" not in page
    first = kiosk.get("/kiosk/skm")
    assert first.status_code == 200 and "Layanan yang Anda terima" in html(first)


# --- the whole survey ------------------------------------------------------------------------------


def test_the_survey_files_one_response_with_channel_kiosk_and_the_device(app, kiosk, device):
    answer_up_to(kiosk, "saran")
    response = kiosk.post("/kiosk/skm/saran", data={"suggestion": SUGGESTION})
    assert response.status_code == 303 and location(response).endswith("/kiosk/skm/terima-kasih")
    assert session_of(kiosk) == {"kiosk_skm_done": True}  # no answer is left behind

    [stored] = responses(app)
    assert stored.channel == Channel.KIOSK and stored.kiosk_device_id == device[0]
    assert tuple(getattr(stored, code.lower()) for code in UNSUR) == ANSWERS
    assert stored.layanan_id == layanan_id(app, "pbg")
    assert (stored.gender, stored.age, stored.education, stored.occupation) == ("p", 34, "s1", "wirausaha")
    assert stored.vulnerable_group == "lansia" and stored.permit_number == "PBG123/2026"
    assert stored.suggestion == SUGGESTION and stored.submission_key

    thanks = kiosk.get("/kiosk/skm/terima-kasih")
    page = html(thanks)
    assert thanks.status_code == 200 and "Terima kasih atas penilaian Anda" in page
    # The kiosk's own idle reset (kiosk.js) returns to the start page after the short thank-you time;
    # without the script the browser does, a little later.
    assert 'data-kiosk-idle="10"' in page and 'id="kiosk-restart"' in page
    assert thanks.headers["Refresh"] == "15; url=/kiosk/"
    assert thanks.headers["Cache-Control"] == "no-store"
    assert session_of(kiosk) == {}
    again = kiosk.get("/kiosk/skm/terima-kasih")
    assert again.status_code == 302 and location(again).endswith("/kiosk/")
    # The next person starts with nothing chosen.
    first = html(kiosk.get("/kiosk/skm"))
    assert "checked" not in first and "PBG 123" not in first and "pbg 123" not in first


@pytest.mark.parametrize("app_config", [{"KIOSK_SKM_THANKS_SECONDS": 4}])
def test_the_thank_you_time_comes_from_config(kiosk):
    take_survey(kiosk)
    thanks = kiosk.get("/kiosk/skm/terima-kasih")
    assert 'data-kiosk-idle="4"' in html(thanks) and thanks.headers["Refresh"] == "9; url=/kiosk/"


def test_an_unsur_screen_has_four_faces_with_its_own_words_progress_and_a_way_back(kiosk):
    answer_up_to(kiosk, "u4")
    response = kiosk.get("/kiosk/skm/u4")
    page = html(response)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Pertanyaan 4 dari 9" in page and '<progress max="12" value="6"' in page
    assert "Biaya/Tarif" in page and "kewajaran biaya/tarif" in page
    faces = re.findall(r'<button type="submit" name="U4" value="(\d)"[^>]*>\s*<img src="([^"]+)"[^>]*>\s*'
                       r'<span class="skm-face-label">([^<]+)</span>', page)  # fmt: skip
    assert faces == [
        ("1", "/static/img/skm-face-1.svg", "Sangat mahal"),
        ("2", "/static/img/skm-face-2.svg", "Cukup mahal"),
        ("3", "/static/img/skm-face-3.svg", "Murah"),
        ("4", "/static/img/skm-face-4.svg", "Gratis"),
    ]
    assert 'href="/kiosk/skm/u3"' in page and "Kembali" in page
    assert 'name="csrf_token"' in page
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert 'src="/static/js/kiosk-skm.js"' in page and 'src="/static/js/kiosk.js"' in page
    assert 'data-kiosk-idle="90"' in page  # the kiosk's idle reset runs on every screen


def test_the_face_images_are_self_hosted_svg(kiosk):
    for answer in range(1, 5):
        with kiosk.get(f"/static/img/skm-face-{answer}.svg") as image:
            assert image.status_code == 200 and image.mimetype == "image/svg+xml"
            body = image.get_data()
        assert body.startswith(b"<svg ") and b"<script" not in body
        assert b"http" not in body.replace(b"http://www.w3.org/2000/svg", b"")  # nothing fetched from elsewhere


def test_back_shows_the_earlier_answer_and_changing_it_keeps_the_rest(app, kiosk):
    answer_up_to(kiosk, "u3")
    first = html(kiosk.get("/kiosk/skm/u1"))
    assert 'value="4" class="skm-face skm-face-4 is-chosen"' in first
    assert first.count("is-chosen") == 1 and "Jawaban Anda sebelumnya" in first
    back_to_start = html(kiosk.get("/kiosk/skm"))
    assert 'value="pbg" checked' in back_to_start and 'value="pbg 123 / 2026"' in back_to_start
    assert 'form="kiosk-restart"' in back_to_start  # the first screen's Back is the kiosk's reset
    changed = kiosk.post("/kiosk/skm/u1", data={"U1": "1"})
    assert changed.status_code == 303 and location(changed).endswith("/kiosk/skm/u2")
    assert kiosk.get("/kiosk/skm/u3").status_code == 200  # U2 is still answered
    for code, answer in zip(UNSUR[2:], ANSWERS[2:], strict=True):
        assert kiosk.post(f"/kiosk/skm/{code.lower()}", data={code: str(answer)}).status_code == 303
    assert kiosk.post("/kiosk/skm/saran", data={"suggestion": ""}).status_code == 303
    [stored] = responses(app)
    assert (stored.u1, stored.u2, stored.u9) == (1, ANSWERS[1], ANSWERS[8]) and stored.suggestion == ""


# --- refused answers -------------------------------------------------------------------------------


#: Each refused answer with the message it gets (None: the field is not sent at all).
BAD_ANSWERS = [
    ("0", ANSWER_INVALID), ("5", ANSWER_INVALID), ("tiga", ANSWER_INVALID), ("2.5", ANSWER_INVALID),
    ("-1", ANSWER_INVALID), ("1\x00", ANSWER_INVALID), (["1", "4"], ANSWER_INVALID), ("x" * 5000, ANSWER_INVALID),
    ("\uff13", ANSWER_INVALID), ("", ANSWER_MISSING), ("  ", ANSWER_MISSING), (None, ANSWER_MISSING),
]  # fmt: skip


def test_an_answer_out_of_range_missing_or_garbled_is_refused_and_not_kept(app, kiosk):
    answer_up_to(kiosk, "u2")
    for value, message in BAD_ANSWERS:
        data = {} if value is None else {"U2": value}
        response = kiosk.post("/kiosk/skm/u2", data=data)
        page = html(response)
        assert response.status_code == 200 and message in page and 'class="error"' in page, value
        assert "Pertanyaan 2 dari 9" in page and "is-chosen" not in page
        later = kiosk.get("/kiosk/skm/u3")  # U2 is still unanswered
        assert later.status_code == 303 and location(later).endswith("/kiosk/skm/u2")
    assert responses(app) == []


def test_broken_encodings_are_refused_with_a_message_never_a_500(app, kiosk):
    answer_up_to(kiosk, "u2")
    form = "application/x-www-form-urlencoded"
    for body in [b"U2=%ff%fe", b"U2=\xff", b"U2=%C0%B3", b"U2=%", b"U2"]:
        response = kiosk.post("/kiosk/skm/u2", data=body, content_type=form)
        assert response.status_code == 200 and "Pertanyaan 2 dari 9" in html(response), body
        assert ANSWER_INVALID in html(response) or ANSWER_MISSING in html(response), body
    layanan = kiosk.post("/kiosk/skm", data=b"layanan=pb%ffg&permit_number=%ff%fe", content_type=form)
    assert layanan.status_code == 200 and "Pilih layanan" in html(layanan)
    assert kiosk.post("/kiosk/skm/u2", data={"U2": "3"}, content_type="multipart/form-data").status_code == 303
    answer_up_to(kiosk, "saran")
    assert responses(app) == []
    # Escapes that decode to no UTF-8 stay as the text that was sent: stored readable, never as mojibake.
    suggestion = kiosk.post("/kiosk/skm/saran", data=b"suggestion=baik%ff%fe", content_type=form)
    assert suggestion.status_code == 303
    assert [stored.suggestion for stored in responses(app)] == ["baik%FF%FE"]


def test_the_answer_of_another_unsur_is_not_taken_on_this_screen(app, kiosk):
    answer_up_to(kiosk, "u2")
    response = kiosk.post("/kiosk/skm/u2", data={"U3": "4", "U2": ""})
    assert response.status_code == 200 and ANSWER_MISSING in html(response)
    assert kiosk.get("/kiosk/skm/u3").status_code == 303


def test_skipping_ahead_is_refused_with_a_message_and_nothing_is_kept(app, kiosk):
    for step, data in [("u5", {"U5": "4"}), ("saran", {"suggestion": "loncat"}), ("profil", PROFILE)]:
        response = kiosk.post(url(step), data=data)
        assert response.status_code == 303 and location(response).endswith("/kiosk/skm")
    page = html(kiosk.get("/kiosk/skm"))
    assert SKIPPED in page
    assert "kiosk_skm" not in session_of(kiosk)
    answer_up_to(kiosk, "u3")
    forged = kiosk.post("/kiosk/skm/u7", data={"U7": "1"}, follow_redirects=True)
    assert forged.request.path == "/kiosk/skm/u3" and SKIPPED in html(forged)
    assert kiosk.get("/kiosk/skm/u4").status_code == 303  # U7 was not kept either
    assert kiosk.get("/kiosk/skm/nope").status_code == 404
    assert kiosk.post("/kiosk/skm/U1", data={"U1": "4"}).status_code == 404
    assert kiosk.get("/kiosk/skm/saran").status_code == 303  # the last screen only after all the others
    assert responses(app) == []


def test_wrong_layanan_and_profile_are_refused_with_what_was_chosen_kept(app, kiosk):
    response = kiosk.post("/kiosk/skm", data={"layanan": "'; DROP TABLE skm_response; --",
                                                       "permit_number": "x" * 61})  # fmt: skip
    page = html(response)
    assert response.status_code == 200
    assert "Pilih layanan yang Anda terima dari daftar." in page and "Paling banyak 60 karakter." in page
    assert 'value="' + "x" * 61 + '"' in page
    nul = kiosk.post("/kiosk/skm", data={"layanan": "pbg\x00", "permit_number": "A\x00B"})
    assert nul.status_code == 200 and "Pilih layanan" in html(nul) and "Nomor izin tidak terbaca." in html(nul)
    assert kiosk.post("/kiosk/skm", data={"layanan": "pbg", "permit_number": ""}).status_code == 303

    response = kiosk.post("/kiosk/skm/profil", data={**PROFILE, "gender": "x", "age": "9", "occupation": ""})
    page = html(response)
    assert response.status_code == 200
    assert "Pilih jenis kelamin." in page and "antara 10 dan 110" in page and "Pilih pekerjaan dari daftar." in page
    assert 'value="s1" checked' in page and 'value="lansia" checked' in page and 'value="9"' in page
    for age in ["tiga puluh", "1e2", "٣٤", "111", ["30", "40"]]:
        assert "antara 10 dan 110" in html(kiosk.post("/kiosk/skm/profil", data={**PROFILE, "age": age}))
    bad_group = kiosk.post("/kiosk/skm/profil", data={**PROFILE, "vulnerable_group": "pejabat"})
    assert "Pilih kelompok rentan dari daftar, atau kosongkan." in html(bad_group)
    assert kiosk.get("/kiosk/skm/u1").status_code == 303  # the profile was not kept
    ok = kiosk.post("/kiosk/skm/profil", data={**PROFILE, "gender": " P ", "vulnerable_group": ""})
    assert ok.status_code == 303 and location(ok).endswith("/kiosk/skm/u1")
    assert 'value="p" checked' in html(kiosk.get("/kiosk/skm/profil"))
    assert responses(app) == []


def test_a_bad_suggestion_is_refused_and_kept_on_the_screen(app, kiosk):
    answer_up_to(kiosk, "saran")
    long = "Saran panjang. " * 200
    response = kiosk.post("/kiosk/skm/saran", data={"suggestion": long})
    assert response.status_code == 200 and "Paling banyak 2000 karakter." in html(response)
    assert long.strip() in html(response)
    nul = kiosk.post("/kiosk/skm/saran", data={"suggestion": "ada\x00nul <script>alert(1)</script>"})
    assert nul.status_code == 200 and "Saran tidak terbaca." in html(nul)
    assert "<script>alert(1)" not in html(nul) and "&lt;script&gt;alert(1)" in html(nul)
    assert responses(app) == []
    assert kiosk.post("/kiosk/skm/saran", data={"suggestion": "Baik."}).status_code == 303
    assert len(responses(app)) == 1


def test_a_permit_number_that_already_answered_this_quarter_is_refused_on_the_first_screen(app, kiosk):
    with app.app_context():
        make_skm_response(permit_number="PBG-7")
        db.session.commit()
    response = kiosk.post("/kiosk/skm", data={"layanan": "pbg", "permit_number": "pbg - 7"})
    assert response.status_code == 200 and "sudah dipakai untuk mengisi survei pada triwulan ini" in html(response)
    assert len(responses(app)) == 1


def test_a_permit_used_meanwhile_is_named_on_the_last_screen_with_the_suggestion_kept(app, kiosk):
    answer_up_to(kiosk, "saran", layanan={"layanan": "pbg", "permit_number": "PBG-8"})
    with app.app_context():
        make_skm_response(permit_number="PBG-8")  # another channel took it while this person answered
        db.session.commit()
    response = kiosk.post("/kiosk/skm/saran", data={"suggestion": SUGGESTION})
    page = html(response)
    assert response.status_code == 200 and "error-summary" in page
    assert 'href="/kiosk/skm"' in page and "sudah dipakai" in page and SUGGESTION in page
    assert len(responses(app)) == 1
    fixed = kiosk.post("/kiosk/skm", data={"layanan": "pbg", "permit_number": ""})
    assert fixed.status_code == 303
    assert kiosk.post("/kiosk/skm/saran", data={"suggestion": SUGGESTION}).status_code == 303
    assert len(responses(app)) == 2


# --- nothing kept, nothing twice -------------------------------------------------------------------


def test_answers_in_the_session_are_encrypted(app, kiosk):
    answer_up_to(kiosk, "u2", layanan={"layanan": "pbg", "permit_number": "RAHASIA-42"})
    cookie = kiosk.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    data = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert isinstance(data["kiosk_skm"], str) and "RAHASIA" not in data["kiosk_skm"]
    assert "wirausaha" not in repr(data)


def test_start_over_mid_survey_forgets_every_answer(kiosk):
    kiosk.set_cookie("zi_lang", "en")
    answer_up_to(kiosk, "u5")
    response = kiosk.post("/kiosk/mulai-ulang")
    assert response.status_code == 302 and location(response).endswith("/kiosk/")
    assert session_of(kiosk) == {} and kiosk.get_cookie("zi_lang") is None
    assert location(kiosk.get("/kiosk/skm/u5")).endswith("/kiosk/skm")
    assert "checked" not in html(kiosk.get("/kiosk/skm"))


def test_a_tampered_session_counts_as_no_answers(app, kiosk):
    answer_up_to(kiosk, "u2")
    with kiosk.session_transaction() as session:
        session["kiosk_skm"] = session["kiosk_skm"][:-4] + "AAAA"
    assert location(kiosk.get("/kiosk/skm/u2")).endswith("/kiosk/skm")
    with kiosk.session_transaction() as session:
        session["kiosk_skm"] = {"answers": {"U1": 4}}  # not even a token
    assert location(kiosk.get("/kiosk/skm/u2")).endswith("/kiosk/skm")


def test_a_double_tap_on_send_files_one_response(app, kiosk):
    answer_up_to(kiosk, "saran")
    name = app.config["SESSION_COOKIE_NAME"]
    before = kiosk.get_cookie(name).value  # both taps leave with the cookie the page had
    assert kiosk.post("/kiosk/skm/saran", data={"suggestion": SUGGESTION}).status_code == 303
    kiosk.set_cookie(name, before)
    second = kiosk.post("/kiosk/skm/saran", data={"suggestion": SUGGESTION})
    assert second.status_code == 303 and location(second).endswith("/kiosk/skm/terima-kasih")
    assert len(responses(app)) == 1
    assert kiosk.get("/kiosk/skm/terima-kasih").status_code == 200
    # A tap that arrives after the session was cleared finds no survey: back to the first screen.
    late = kiosk.post("/kiosk/skm/saran", data={"suggestion": SUGGESTION})
    assert late.status_code == 303 and location(late).endswith("/kiosk/skm")
    assert len(responses(app)) == 1


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_each_screen_needs_its_csrf_token(app, kiosk):
    page = html(kiosk.get("/kiosk/skm"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    stranger = kiosk_client(app, new_device(app, "Kiosk 2")[1])  # a token of another kiosk's session
    foreign = re.search(r'name="csrf_token" value="([^"]+)"', html(stranger.get("/kiosk/skm"))).group(1)
    for forged in [None, "", "forged", token[:-2] + "xx", foreign]:
        data = dict(LAYANAN) if forged is None else {**LAYANAN, "csrf_token": forged}
        response = kiosk.post("/kiosk/skm", data=data)
        assert response.status_code == 302 and location(response).endswith("/kiosk/")  # the kiosk starts afresh
        assert "kiosk_skm" not in session_of(kiosk)
        page = html(kiosk.get("/kiosk/skm"))
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    ok = kiosk.post("/kiosk/skm", data={**LAYANAN, "csrf_token": token})
    assert ok.status_code == 303 and location(ok).endswith("/kiosk/skm/profil")
    assert responses(app) == []


# --- rate limit --------------------------------------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_KIOSK_SKM": "2 per hour"}])
def test_each_kiosk_files_at_most_its_limit_and_refused_answers_do_not_count(app, kiosk):
    hall = {"REMOTE_ADDR": "10.1.1.1"}  # one address for the whole service hall
    for _ in range(4):
        assert kiosk.post("/kiosk/skm", data={"layanan": "nope"}, environ_base=hall).status_code == 200
    for _ in range(2):
        answer_up_to(kiosk, "saran", layanan={"layanan": "pbg", "permit_number": ""})
        assert kiosk.post("/kiosk/skm/saran", data={"suggestion": ""}, environ_base=hall).status_code == 303
        kiosk.get("/kiosk/skm/terima-kasih")
    blocked = kiosk.post("/kiosk/skm", data=LAYANAN, environ_base=hall)
    page = html(blocked)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "baru saja menerima banyak survei" in page and "menit" in page
    assert 'value="pbg" checked' in page and "pbg 123 / 2026" in page  # what was chosen is still there
    assert kiosk.get("/kiosk/skm", environ_base=hall).status_code == 200  # only answering is limited
    assert len(responses(app)) == 2

    # Another kiosk in the same hall counts on its own; the complaint form is not held back either.
    other = kiosk_client(app, new_device(app, "Kiosk 2")[1])
    assert other.post("/kiosk/skm", data=LAYANAN, environ_base=hall).status_code == 303
    complaint = kiosk.post("/kiosk/pengaduan", data={"identity": "anonim"}, environ_base=hall)
    assert complaint.status_code == 200 and "Sampaikan pengaduan" in html(complaint)


# --- English ---------------------------------------------------------------------------------------


def test_the_english_ui_shows_english_words(kiosk):
    kiosk.set_cookie("zi_lang", "en")
    first = html(kiosk.get("/kiosk/skm"))
    assert '<html lang="en">' in first and "Building Approval (PBG)" in first and "Community Satisfaction" in first
    assert "Step 1 of 12" in first
    answer_up_to(kiosk, "u4")
    page = html(kiosk.get("/kiosk/skm/u4"))
    assert "Question 4 of 9" in page
    for word in ["Very expensive", "Free", "Back"]:
        assert word in page, word
    assert "Sangat mahal" not in page and "Gratis" not in page and "Pertanyaan" not in page
    profile = html(kiosk.get("/kiosk/skm/profil"))
    assert "Female" in profile and "Perempuan" not in profile and "Age (years)" in profile
    refused = html(kiosk.post("/kiosk/skm/u4", data={"U4": "9"}))
    assert "The answer must be one of 1, 2, 3 or 4." in refused
    take_survey(kiosk)
    thanks = html(kiosk.get("/kiosk/skm/terima-kasih"))
    assert "Thank you" in thanks and "Done, back to the start" in thanks
