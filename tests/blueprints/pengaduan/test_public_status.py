"""The public status page: look-up by number and access code (no oracle, rate-limited), what the
reporter sees and never sees, and the rating and reply that follow a finished complaint."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import advance, make_filed, make_user
from zi_public.extensions import db
from zi_public.i18n import format_long_date
from zi_public.localtime import today_jakarta
from zi_public.models import Bidang, Pengaduan, Role
from zi_public.rules.pengaduan import Action, Status
from zi_public.security import codes

STATUS = "/pengaduan/status"
INTERNAL_NOTES = ("Instruksi untuk bidang: cek berkas", "Catatan internal: petugas sudah ditegur")


NIK = "3371010101010001"  # given by the reporter, never shown back on the status page


def file_case(app, now: datetime | None = None, **overrides: object) -> tuple[str, str]:
    """A complaint filed (with the reporter's NIK) and committed; its number and access code."""
    with app.app_context():
        filed = make_filed(now=now, **{"nik": NIK, **overrides})
        db.session.commit()
        return filed.pengaduan.number, filed.access_code


def finish_case(app, number: str, now: datetime | None = None) -> None:
    """Verify, route, note, answer and finish, as the team would."""
    with app.app_context():
        staff = make_user(role=Role.PENGADUAN)
        case = db.session.scalar(sa.select(Pengaduan).where(Pengaduan.number == number))
        bidang = db.session.scalar(sa.select(Bidang).order_by(Bidang.id))  # its name must not reach the reporter
        advance(staff, case, Action.VERIFY, now)
        advance(staff, case, Action.DISPOSE, now, body=INTERNAL_NOTES[0], bidang_id=bidang.id)
        advance(staff, case, Action.FOLLOW_UP, now, body=INTERNAL_NOTES[1])
        advance(staff, case, Action.ANSWER, now, body="PBG Anda terbit hari ini.")
        advance(staff, case, Action.FINISH, now)
        db.session.commit()


def load(app, number: str) -> Pengaduan:
    with app.app_context():
        case = db.session.scalar(sa.select(Pengaduan).where(Pengaduan.number == number))
        db.session.expunge(case)
        return case


def look_up(client, number: str, code: str, **extra: str):
    return client.post(STATUS, data={"number": number, "access_code": code, **extra})


def test_a_new_complaint_shows_its_status_and_clocks_in_words(app, client, seeded):
    number, code = file_case(app)
    # People type codes in lower case, with spaces instead of the dash.
    response = look_up(client, number.lower(), code.lower().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"].endswith(STATUS)
    page_response = client.get(STATUS)
    page = page_response.get_data(as_text=True)
    assert page_response.headers["Cache-Control"] == "no-store"
    case = load(app, number)
    assert number in page and "Diterima, menunggu verifikasi" in page
    with app.test_request_context():
        assert f"Diverifikasi paling lambat {format_long_date(case.verify_by)}." in page
        assert f"Diselesaikan paling lambat {format_long_date(case.settle_by)}." in page
    assert "Pengaduan diterima" in page
    assert 'name="rating"' not in page and 'name="body"' not in page  # nothing to rate or answer yet


def test_a_finished_complaint_shows_answers_but_never_internal_notes_or_identity(app, client, seeded):
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    page = client.get(STATUS).get_data(as_text=True)
    assert "Selesai ditangani." in page
    assert "PBG Anda terbit hari ini." in page  # the tanggapan
    assert "Diverifikasi pada" in page and "tepat waktu" in page
    for secret in (*INTERNAL_NOTES, "Budi Santoso", "budi@example.id", NIK):
        assert secret not in page
    with app.app_context():
        bidang_name = db.session.scalar(sa.select(Bidang.name).order_by(Bidang.id))
    assert bidang_name not in page
    assert 'name="rating"' in page and 'name="body"' in page
    reply_until = load(app, number).reply_until
    with app.test_request_context():
        assert f"Anda dapat membalas sampai {format_long_date(reply_until)}" in page


def test_malformed_number_or_code_gets_format_help_and_keeps_the_values(app, client, seeded):
    page = look_up(client, "12345", "KODE-0OIL1").get_data(as_text=True)
    assert "PGD-tahun-6 angka" in page
    assert "tidak pernah memuat huruf O, I, L" in page
    assert 'value="12345"' in page and 'value="KODE-0OIL1"' in page
    page = look_up(client, "x" * 5000, "y" * 5000).get_data(as_text=True)
    assert "Nomor terlalu panjang." in page and "Kode terlalu panjang" in page


def test_a_new_look_up_forgets_the_previous_case(app, client, seeded):
    number, code = file_case(app)
    look_up(client, number, code)
    assert number in client.get(STATUS).get_data(as_text=True)
    look_up(client, number, codes.new_access_code())
    page = client.get(STATUS).get_data(as_text=True)
    assert 'name="access_code"' in page and "Pengaduan diterima" not in page


def case_id(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Pengaduan.id).where(Pengaduan.number == number))


def test_the_status_page_offers_the_next_look_up_which_replaces_the_case_shown(app, client, seeded):
    first, first_code = file_case(app, title="Antrean loket 3 tidak dipanggil")
    second, second_code = file_case(app, title="Biaya tambahan di loket 5")
    finish_case(app, second)
    look_up(client, first, first_code)
    page = client.get(STATUS).get_data(as_text=True)
    assert "Antrean loket 3 tidak dipanggil" in page and "Lihat pengaduan lain" in page
    # The look-up form under the case: posted, empty (nothing of this case in it), ready for the next one.
    lookup = re.search(r'<form method="post" action="/pengaduan/status" class="status-lookup".*?</form>', page, re.S)
    assert lookup and 'name="number"' in lookup.group(0) and 'name="access_code"' in lookup.group(0)
    assert first not in lookup.group(0) and first_code not in lookup.group(0)

    response = look_up(client, second.lower(), second_code)  # straight from the status page, no "Selesai" first
    assert response.status_code == 302 and response.headers["Location"] == STATUS  # nothing typed in the URL
    page = client.get(STATUS).get_data(as_text=True)
    assert f"Pengaduan {second}" in page and "Biaya tambahan di loket 5" in page
    assert first not in page and "Antrean loket 3 tidak dipanggil" not in page
    with client.session_transaction() as session:  # one complaint's access at most
        assert session["pengaduan_case"] == case_id(app, second)
        assert case_id(app, first) not in session.values()
    # Rating now goes to the second complaint only.
    assert client.post(f"{STATUS}/nilai", data={"rating": "4"}).status_code == 302
    assert (load(app, first).rating, load(app, second).rating) == (None, 4)


def test_a_failed_look_up_from_the_status_page_forgets_the_case_shown(app, client, seeded):
    number, code = file_case(app)
    look_up(client, number, code)
    page = look_up(client, number, codes.new_access_code()).get_data(as_text=True)
    assert "Nomor pengaduan atau kode akses tidak cocok" in page and "Pengaduan diterima" not in page
    page = client.get(STATUS).get_data(as_text=True)
    assert 'name="access_code"' in page and "Pengaduan diterima" not in page
    with client.session_transaction() as session:
        assert "pengaduan_case" not in session


def test_ending_the_visit_forgets_the_case(app, client, seeded):
    number, code = file_case(app)
    look_up(client, number, code)
    assert client.post(f"{STATUS}/selesai").status_code == 302
    assert 'name="access_code"' in client.get(STATUS).get_data(as_text=True)


@pytest.mark.parametrize("param", ["nomor", "number"])
def test_the_qr_link_prefills_the_number(client, seeded, param):
    page = client.get(f"{STATUS}?{param}=PGD-2026-000042").get_data(as_text=True)
    assert 'value="PGD-2026-000042"' in page


# -- rating and reply -------------------------------------------------------------------------


def test_rating_a_finished_complaint_without_retyping_the_code(app, client, seeded):
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    response = client.post(f"{STATUS}/nilai", data={"rating": "3", "comment": "Cepat, terima kasih."})
    assert response.status_code == 302
    case = load(app, number)
    assert (case.rating, case.rating_comment) == (3, "Cepat, terima kasih.")
    assert "Penilaian Anda sudah kami terima" in client.get(STATUS).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "abc"}, "Pilih nilai 1 sampai 4."),
        ({"rating": "5"}, "Pilih nilai 1 sampai 4."),
        ({"rating": "0"}, "Pilih nilai 1 sampai 4."),
        ({}, "Pilih nilai 1 sampai 4."),
        ({"rating": "4", "comment": "k" * 2001}, "Paling banyak 2000 karakter."),
        ({"rating": "4", "comment": "ada\x00NUL"}, "Teks berisi karakter yang tidak dapat dibaca"),
        ({"rating": "4\x00"}, "Pilih nilai 1 sampai 4."),
    ],
)
def test_bad_ratings_are_refused_with_the_comment_kept(app, client, seeded, data, message):
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    data = {"comment": "Komentar saya tetap ada", **data}  # a copy: the parameter is shared by both backends
    response = client.post(f"{STATUS}/nilai", data=data)
    comment = data["comment"]
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert f"{comment}</textarea>" in page
    assert load(app, number).rating is None


def test_an_unfinished_complaint_cannot_be_rated_or_reopened(app, client, seeded):
    number, code = file_case(app)
    look_up(client, number, code)
    page = client.post(f"{STATUS}/nilai", data={"rating": "1"}).get_data(as_text=True)
    assert "sudah tidak dapat dinilai atau dibalas" in page
    page = client.post(f"{STATUS}/balas", data={"body": "Buka lagi"}).get_data(as_text=True)
    assert "sudah tidak dapat dinilai atau dibalas" in page
    case = load(app, number)
    assert (case.rating, case.status, case.reopen_count) == (None, Status.BARU, 0)


def test_a_reply_within_the_window_reopens_the_complaint(app, client, seeded):
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    response = client.post(f"{STATUS}/balas", data={"body": "PBG yang terbit salah nama."})
    assert response.status_code == 302
    case = load(app, number)
    assert (case.status, case.reopen_count, case.reply_until) == (Status.DITINDAKLANJUTI, 1, None)
    page = client.get(STATUS).get_data(as_text=True)
    assert "dibuka kembali" in page and "PBG yang terbit salah nama." in page
    assert 'name="rating"' not in page  # back in handling: nothing to rate


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Tulis balasan Anda."),
        ("\u200b\u200d\ufeff", "Tulis balasan Anda."),  # only invisible characters
        ("b" * 10_001, "Paling banyak 10000 karakter."),
        ("balasan\x00NUL", "Teks berisi karakter yang tidak dapat dibaca"),
    ],
)
def test_bad_replies_are_refused_with_the_text_kept(app, client, seeded, body, message):
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    page = client.post(f"{STATUS}/balas", data={"body": body}).get_data(as_text=True)
    assert message in page and f"{body}</textarea>" in page
    assert load(app, number).status == Status.SELESAI


def test_after_the_reply_window_the_complaint_cannot_be_reopened(app, client, seeded):
    long_ago = datetime.now(UTC) - timedelta(days=40)
    number, code = file_case(app, now=long_ago)
    finish_case(app, number, now=long_ago)
    case = load(app, number)
    assert case.reply_until < today_jakarta()
    look_up(client, number, code)
    page = client.get(STATUS).get_data(as_text=True)
    with app.test_request_context():
        ended = format_long_date(case.reply_until)
    assert f"Batas waktu balasan berakhir pada {ended}" in page
    assert 'name="body"' not in page
    page = client.post(f"{STATUS}/balas", data={"body": "Masih salah."}).get_data(as_text=True)
    assert f"Batas waktu balasan sudah berakhir pada {ended}" in page
    assert load(app, number).status == Status.SELESAI


def test_rating_or_replying_without_a_look_up_asks_for_the_code(app, client, seeded):
    for path in ("nilai", "balas"):
        response = client.post(f"{STATUS}/{path}", data={"rating": "4", "body": "x"})
        assert response.status_code == 302 and response.headers["Location"].endswith(STATUS)
    assert "Masukkan lagi nomor pengaduan dan kode akses" in client.get(STATUS).get_data(as_text=True)


# -- no oracle, CSRF, rate limit --------------------------------------------------------------


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(client, url: str = STATUS) -> str:
        page = client.get(url).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    @staticmethod
    def without_token(page: str) -> str:
        return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page)

    def test_wrong_number_and_wrong_code_give_the_same_response(self, app, client, seeded):
        year = today_jakarta().year
        number, typed_code = f"PGD-{year}-000001", codes.new_access_code()
        no_such_number = look_up(client, number, typed_code, csrf_token=self.token(client))
        real_number, real_code = file_case(app)  # now that number exists, with another code
        assert real_number == number and real_code != typed_code
        wrong_code = look_up(client, number, typed_code, csrf_token=self.token(client))
        assert no_such_number.status_code == wrong_code.status_code == 200
        assert dict(no_such_number.headers) == dict(wrong_code.headers)
        first, second = (self.without_token(r.get_data(as_text=True)) for r in (no_such_number, wrong_code))
        assert first == second
        assert "Nomor pengaduan atau kode akses tidak cocok" in first

    def test_from_the_status_page_a_wrong_number_and_a_wrong_code_give_the_same_response(self, app, client, seeded):
        shown, shown_code = file_case(app)
        typed = (f"PGD-{today_jakarta().year}-000002", codes.new_access_code())

        def look_up_from_the_status_page():
            assert look_up(client, shown, shown_code, csrf_token=self.token(client)).status_code == 302
            assert "Lihat pengaduan lain" in client.get(STATUS).get_data(as_text=True)
            return look_up(client, *typed, csrf_token=self.token(client))

        no_such_number = look_up_from_the_status_page()
        other_number, other_code = file_case(app)  # now that number exists
        assert other_number == typed[0] and other_code != typed[1]
        wrong_code = look_up_from_the_status_page()
        assert no_such_number.status_code == wrong_code.status_code == 200
        same = ("Content-Type", "Cache-Control", "Content-Length")
        assert [no_such_number.headers.get(h) for h in same] == [wrong_code.headers.get(h) for h in same]
        first, second = (self.without_token(r.get_data(as_text=True)) for r in (no_such_number, wrong_code))
        assert first == second and "Nomor pengaduan atau kode akses tidak cocok" in first

    def test_rating_needs_the_token_and_keeps_the_comment(self, app, client, seeded):
        number, code = file_case(app)
        finish_case(app, number)
        look_up(client, number, code, csrf_token=self.token(client))
        response = client.post(f"{STATUS}/nilai", data={"rating": "2", "comment": "Lambat sekali"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and "Formulir kedaluwarsa" in page and "Lambat sekali</textarea>" in page
        assert load(app, number).rating is None
        data = {"rating": "2", "comment": "Lambat sekali", "csrf_token": self.token(client)}
        assert client.post(f"{STATUS}/nilai", data=data).status_code == 302
        assert load(app, number).rating == 2

    def test_a_look_up_without_token_is_refused(self, app, client, seeded):
        number, code = file_case(app)
        response = look_up(client, number, code)
        assert response.status_code == 400 and f'value="{number}"' in response.get_data(as_text=True)
        assert 'name="access_code"' in client.get(STATUS).get_data(as_text=True)  # not signed in to the case


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_look_ups_are_limited_per_address(self, app, client, seeded):
        number = f"PGD-{today_jakarta().year}-000001"
        for _ in range(10):
            assert look_up(client, number, codes.new_access_code()).status_code == 200
        typed = codes.new_access_code()
        refused = look_up(client, number, typed)
        page = refused.get_data(as_text=True)
        # The look-up page again, saying how long to wait, with what was typed (and still not cached).
        assert refused.status_code == 429 and "Batas pengiriman tercapai. Coba lagi dalam 1 menit" in page
        assert f'value="{number}"' in page and f'value="{typed}"' in page
        assert refused.headers["Cache-Control"] == "no-store" and int(refused.headers["Retry-After"]) > 0
        assert client.get(STATUS).status_code == 200  # reading the page is not limited
        other = app.test_client()
        response = other.post(
            STATUS,
            data={"number": number, "access_code": codes.new_access_code()},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
        assert response.status_code == 200
