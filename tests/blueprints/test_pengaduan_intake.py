"""The intake page of the Tim Pengaduan: recording a LAPOR! or a box complaint, the slip with the code shown
once, hostile input (clear message, everything typed kept, nothing saved), a double click, CSRF."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.blueprints.pengaduan.test_public_form import png_bytes, receipt_code, stored_files
from tests.factories import PDF, raw_multipart
from zi_public.extensions import db
from zi_public.i18n import format_long_date, format_long_datetime
from zi_public.localtime import today_jakarta
from zi_public.models import OutboxMail, Pengaduan, Role
from zi_public.rules.pengaduan import Identity
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan.clocks import VERIFY, clock_policy, due_on

FORM = "/internal/pengaduan/catat"


def past(days: int) -> str:
    return (today_jakarta() - timedelta(days=days)).isoformat()


def valid_fields(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "channel": "kotak",
        "received_on": past(10),
        "identity": "terbuka",
        "name": "Budi Santoso",
        "email": "budi@example.id",
        "phone": "",
        "category": "waktu",
        "layanan": "pbg",
        "title": "PBG belum terbit",
        "description": "Surat di kotak pengaduan: berkas lengkap sejak Agustus, PBG belum terbit.",
        "requested_resolution": "PBG diterbitkan bulan ini.",
        "location": "Loket 3 MPP",
        "incident_date": past(20),
        "submission_key": "k" * 32,
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def post(client, files: list[tuple[bytes, str]] = (), **overrides: object):
    data = valid_fields(**overrides)
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(FORM, data=data, content_type="multipart/form-data")


def cases(app) -> list[Pengaduan]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Pengaduan).order_by(Pengaduan.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def officer(seeded, login_as):
    return login_as(Role.PENGADUAN, username="siti")


def test_a_lapor_complaint_is_recorded_and_its_slip_shows_the_code_once(app, client, officer):
    received = past(14)
    response = post(
        client,
        files=[(PDF, "tangkapan-lapor.pdf")],
        channel="lapor",
        received_on=received,
        lapor_number="#4291234",
        lapor_anonim="y",
        lapor_rahasia="y",
        identity="terbuka",
        incident_date=past(15),
    )
    assert response.status_code == 302
    (case,) = cases(app)
    assert response.headers["Location"].endswith(f"{FORM}/{case.id}/slip")
    assert (case.channel, case.identity, case.lapor_number) == ("lapor", Identity.ANONIM, "4291234")
    assert case.received_on.isoformat() == received and case.recorded_by_id == officer.id
    with app.app_context():
        assert case.verify_by == due_on(VERIFY, case.received_on, work_calendar(), clock_policy())
    with client.session_transaction() as session:
        carried = str(dict(session))

    first = client.get(response.headers["Location"])
    page = first.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "no-store"
    code = receipt_code(page)
    assert code and re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    assert code not in carried and code.replace("-", "") not in carried  # sealed in the cookie
    assert case.number in page and "SP4N-LAPOR!" in page and "4291234" in page
    with app.test_request_context():
        assert format_long_date(case.received_on) in page
    assert "<dd>Waktu penyelesaian</dd>" in page  # the category
    assert f"http://localhost/pengaduan/status?nomor={case.number}" in page
    assert "<script>" not in page and " style=" not in page  # CSP

    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert case.number in again and receipt_code(again) is None
    assert "tidak ditampilkan lagi" in again

    with app.app_context():  # anonim: no mail to the reporter; the team's notice never carries the code
        for mail in db.session.scalars(sa.select(OutboxMail)):
            assert code not in mail.body and code.replace("-", "") not in mail.body


def test_a_box_complaint_with_a_past_date_mails_the_number_never_the_code(app, client, officer):
    assert post(client, received_on=past(30), incident_date=past(31)).status_code == 302
    (case,) = cases(app)
    slip = client.get(f"{FORM}/{case.id}/slip").get_data(as_text=True)
    code = receipt_code(slip)
    assert case.received_on.isoformat() == past(30) and case.channel == "kotak"
    with app.test_request_context():  # the day the office received it, and when it was recorded
        assert f"<dd>{format_long_date(case.received_on)}</dd>" in slip
        assert f"<dt>Dicatat</dt>\n    <dd>{format_long_datetime(case.received_at)}</dd>" in slip
    with app.app_context():
        receipt = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "pengaduan.receipt"))
        assert receipt.recipients and "budi@example.id" in receipt.recipients
        assert case.number in receipt.body and "Kotak pengaduan" in receipt.body
        assert code not in receipt.body and code.replace("-", "") not in receipt.body


def test_the_form_offers_the_channels_the_team_records_and_today_as_the_day_received(app, client, officer):
    page = client.get(FORM).get_data(as_text=True)
    offered = re.findall(r'<option value="([a-z]+)"', page.split('name="channel"', 1)[1].split("</select>", 1)[0])
    assert offered == ["kotak", "telepon", "whatsapp", "surat", "langsung", "email", "medsos", "lapor"]
    (date_input,) = re.findall(r'<input [^>]*name="received_on"[^>]*>', page)
    today = today_jakarta().isoformat()
    assert f'value="{today}"' in date_input and f'max="{today}"' in date_input
    assert "<script>" not in page and " style=" not in page


def test_a_second_entry_of_a_lapor_number_is_refused_naming_the_first_and_keeps_the_form(app, client, officer):
    assert post(client, channel="lapor", lapor_number="LAP-1").status_code == 302
    (first,) = cases(app)
    response = post(client, channel="lapor", lapor_number="lap-1", submission_key="z" * 32, title="Judul kedua")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"Nomor SP4N-LAPOR! LAP-1 sudah dicatat sebagai pengaduan {first.number}." in page
    assert 'value="Judul kedua"' in page and 'value="lap-1"' in page
    assert len(cases(app)) == 1


def test_a_double_click_records_one_complaint(app, client, officer):
    first = post(client)
    second = post(client)
    assert first.status_code == second.status_code == 302
    (case,) = cases(app)
    assert second.headers["Location"] == first.headers["Location"]
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert f"sudah dicatat sebagai {case.number}" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_on": "2026-02-30"}, "Tanggal tidak dikenali"),
        ({"received_on": "30/02/2026"}, "Tanggal tidak dikenali"),
        ({"received_on": ["2026-11-02", "2026-11-03"]}, "Tanggal tidak dikenali"),  # one field sent twice
        ({"received_on": None}, "Isi tanggal pengaduan diterima."),
        ({"received_on": ""}, "Isi tanggal pengaduan diterima."),
        ({"received_on": "9999-12-31"}, "Tanggal diterima tidak boleh setelah hari ini."),
        ({"received_on": "2024-01-01"}, "Tanggal diterima paling lama 366 hari sebelum hari ini."),
        ({"channel": "web"}, "Pilih kanal dari daftar."),
        ({"channel": "kiosk"}, "Pilih kanal dari daftar."),
        ({"channel": None}, "Pilih kanal dari daftar."),
        ({"channel": "lapor\x00"}, "karakter yang tidak dapat dibaca"),
        ({"channel": "lapor"}, "Isi nomor pelacakan SP4N-LAPOR!."),
        ({"channel": "lapor", "lapor_number": "x" * 41}, "Paling banyak 40 karakter."),
        ({"channel": "lapor", "lapor_number": "12\x0034"}, "karakter yang tidak dapat dibaca"),
        ({"lapor_number": "4291234"}, "hanya diisi untuk kanal SP4N-LAPOR!"),
        ({"lapor_anonim": "y"}, "hanya untuk kanal SP4N-LAPOR!"),
        ({"identity": "publik"}, "Pilih salah satu"),
        ({"identity": None}, "Pilih salah satu"),
        ({"category": "tidak-ada"}, "Pilih kategori pengaduan dari daftar."),
        ({"category": "waktu\x00"}, "karakter yang tidak dapat dibaca"),
        ({"title": "x" * 201}, "Paling banyak 200 karakter."),
        ({"title": "PBG\x00belum"}, "karakter yang tidak dapat dibaca"),
        ({"description": "x" * 10_001}, "Paling banyak 10000 karakter."),
        ({"name": "Budi\x00"}, "karakter yang tidak dapat dibaca"),
        ({"nik": "12345"}, "NIK terdiri dari 16 angka."),
        ({"incident_date": "2026-13-01"}, "Tanggal tidak dikenali"),
    ],
)
def test_hostile_input_is_refused_with_a_message_keeps_what_was_typed_and_saves_nothing(
    app, client, officer, overrides, message
):
    response = post(client, files=[(png_bytes(), "foto.png")], **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="Loket 3 MPP"' in page and "PBG diterbitkan bulan ini." in page  # the rest kept
    assert "pilih ulang lampiran" in page
    assert cases(app) == [] and stored_files(app) == []


def test_an_upload_refused_keeps_the_form_and_saves_nothing(app, client, officer):
    response = post(client, files=[(png_bytes(), "baik.png"), (b"MZ\x90\x00" * 50, "surat.pdf")], channel="surat")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "surat.pdf: Jenis berkas tidak diterima." in page
    assert 'value="PBG belum terbit"' in page and '<option selected value="surat">' in page
    assert cases(app) == [] and stored_files(app) == []


def test_a_named_reporter_without_contact_is_recorded_an_anonymous_one_keeps_no_identity(app, client, officer):
    assert post(client, email="", phone="").status_code == 302
    assert post(client, identity="anonim", submission_key="a" * 32, nik="3371010101010001").status_code == 302
    named, anonymous = cases(app)
    with app.app_context():
        named, anonymous = db.session.get(Pengaduan, named.id), db.session.get(Pengaduan, anonymous.id)
        assert named.reporter_name == "Budi Santoso" and named.reporter_email is None
        assert (anonymous.reporter_name, anonymous.reporter_email, anonymous.reporter_nik) == (None, None, None)


def test_the_slip_of_another_complaint_shows_no_code(app, client, officer):
    assert post(client).status_code == 302
    assert post(client, submission_key="b" * 32).status_code == 302
    first, second = cases(app)
    page = client.get(f"{FORM}/{first.id}/slip").get_data(as_text=True)  # the session holds the second's code
    assert first.number in page and receipt_code(page) is None
    assert receipt_code(client.get(f"{FORM}/{second.id}/slip").get_data(as_text=True))
    assert client.get(f"{FORM}/999999/slip").status_code == 404


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.ADMIN, Role.WBS])
def test_other_roles_cannot_record(app, client, seeded, login_as, role):
    login_as(role)
    assert client.get(FORM).status_code == 403
    assert post(client).status_code == 403
    assert cases(app) == []


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @pytest.fixture
    def officer(self, app, client, seeded):
        from tests.test_csrf import sign_in

        sign_in(app, client, "siti", Role.PENGADUAN)

    def test_a_post_without_or_with_a_forged_token_records_nothing_and_keeps_the_values(self, app, client, officer):
        for token in (None, "forged-token"):
            response = post(client, files=[(png_bytes(), "a.png")], csrf_token=token)
            page = response.get_data(as_text=True)
            assert response.status_code == 400
            assert "Formulir kedaluwarsa" in page and 'value="PBG belum terbit"' in page
            assert "pilih ulang lampiran" in page
        assert cases(app) == [] and stored_files(app) == []

    def test_the_page_token_records_the_complaint(self, app, client, officer):
        page = client.get(FORM).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
        assert post(client, csrf_token=token, submission_key=key).status_code == 302
        assert len(cases(app)) == 1


def test_the_form_and_the_slip_speak_english_on_the_english_screen(app, client, officer):
    client.set_cookie("zi_lang", "en")
    page = client.get(FORM).get_data(as_text=True)
    assert "Record a complaint" in page and "Where the complaint came from" in page and "Complaint box" in page
    assert "Completion time" in page and "Asal pengaduan" not in page and "pilih kanal" not in page
    refused = post(client, channel="lapor").get_data(as_text=True)
    assert "Enter the SP4N-LAPOR! tracking number." in refused
    assert post(client).status_code == 302
    (case,) = cases(app)
    slip = client.get(f"{FORM}/{case.id}/slip").get_data(as_text=True)
    assert "Complaint slip" in slip and "<dd>Complaint box</dd>" in slip and "<dd>Completion time</dd>" in slip
    assert "How to follow the complaint" in slip and "Tanda terima" not in slip


def test_an_empty_post_lists_every_problem_at_once(app, client, officer):
    response = client.post(FORM, data={}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Pilih kanal dari daftar.",
        "Isi tanggal pengaduan diterima.",
        "Pilih salah satu",
        "Pilih kategori pengaduan dari daftar.",
        "Judul wajib diisi.",
        "Uraian kejadian wajib diisi.",
    ):
        assert message in page
    assert cases(app) == []


def test_bytes_that_are_not_utf8_are_refused_not_stored(app, client, officer):
    # Built by hand: the form is multipart, and a test client would encode every value as UTF-8.
    parts = [(k, str(v).encode()) for k, v in valid_fields(channel="lapor").items()]
    parts += [("lapor_number", b"\xff\xfe42\xc3"), ("name", b"Bud\xe9 Santoso")]
    response = client.post(FORM, **raw_multipart(parts))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and page.count("karakter yang tidak dapat dibaca") >= 2
    assert 'value="Loket 3 MPP"' in page
    assert cases(app) == []


def test_too_many_files_and_a_forged_submission_key(app, client, officer):
    response = post(client, files=[(png_bytes(), f"foto{i}.png") for i in range(6)])
    assert response.status_code == 400 and "Paling banyak 5 lampiran." in response.get_data(as_text=True)
    assert cases(app) == [] and stored_files(app) == []
    assert post(client, submission_key="x" * 5000).status_code == 302
    (case,) = cases(app)
    assert len(case.submission_key) <= 64
