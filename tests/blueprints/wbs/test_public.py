"""The whistle-blower's pages: intro and SOP, the 4W1H form with hostile input, the receipt shown once,
the status opened by the receipt (POST only), the conversation with files, the session's end."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.factories import PDF, WBS_DEFAULTS, make_user, make_wbs_filed, raw_multipart
from zi_public.extensions import db
from zi_public.models import Attachment, Role
from zi_public.models.wbs import WbsMessage, WbsReport, WbsReporterSession
from zi_public.rules.wbs import Sender

FORM = "/wbs/lapor"
RECEIPT = "/wbs/tanda-terima"
STATUS = "/wbs/status"
REPLY = "/wbs/status/balas"


def valid_fields(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {**WBS_DEFAULTS, "submission_key": "k" * 32}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def post_form(client, files: list[tuple[bytes, str]] = (), **overrides: object):
    data = valid_fields(**overrides)
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(FORM, data=data, content_type="multipart/form-data")


def receipt_on(page: str) -> str | None:
    match = re.search(r'class="secret wbs-receipt-code">([^<]+)<', page)
    return match.group(1) if match else None


def report_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(WbsReport))


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def file_and_read_receipt(client) -> str:
    assert post_form(client).status_code == 302
    receipt = receipt_on(client.get(RECEIPT).get_data(as_text=True))
    assert receipt
    return receipt


def open_report(client, receipt: str):
    return client.post(STATUS, data={"receipt": receipt})


def assert_private(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


# -- before the form ------------------------------------------------------------------------


def test_the_intro_explains_wbs_protection_and_anonymity(client, seeded):
    response = client.get("/wbs/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert_private(response)
    assert "08/M.PAN-RB/06/2012" in page
    assert "/pengaduan/" in page  # service complaints go elsewhere
    assert "perangkat pribadi" in page and "Wi-Fi" in page and "lokasi" in page
    assert "Peraturan Wali Kota" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no third-party resources


def test_the_team_s_texts_replace_the_defaults(app, client, seeded):
    from zi_public.models import Setting

    with app.app_context():
        db.session.add_all(
            [
                Setting(key="wbs_regulation_title", value='"Perwal Kota Magelang Nomor 99 Tahun 2025"'),
                Setting(key="wbs_regulation_text", value='"Pasal 1\\n\\nPelapor dilindungi."'),
                Setting(key="wbs_sop_text", value='"Langkah satu.\\n\\nLangkah <dua>."'),
            ]
        )
        db.session.commit()
    page = client.get("/wbs/").get_data(as_text=True)
    assert "Perwal Kota Magelang Nomor 99 Tahun 2025" in page and "Pelapor dilindungi." in page
    sop = client.get("/wbs/sop").get_data(as_text=True)
    assert "Langkah &lt;dua&gt;." in sop  # escaped, never rendered as markup


def test_the_sop_page_shows_the_configured_clocks(client, seeded):
    page = client.get("/wbs/sop").get_data(as_text=True)
    assert "3 hari kerja" in page and "14 hari kerja" in page


def test_the_form_offers_the_catalogue(client, seeded):
    response = client.get(FORM)
    page = response.get_data(as_text=True)
    assert_private(response)
    for code in ("korupsi", "pungli-calo", "gratifikasi", "benturan-kepentingan", "kode-etik", "lainnya"):
        assert f'value="{code}"' in page
    assert 'name="identity"' in page and 'name="how_known"' in page
    assert "js/wbs.js" in page and "<script>" not in page


# -- the receipt ----------------------------------------------------------------------------


def test_a_report_leads_to_the_receipt_shown_once(app, client, seeded):
    response = post_form(client, files=[(PDF, "bukti rahasia.pdf")])
    assert response.status_code == 302 and response.headers["Location"].endswith(RECEIPT)
    assert "RECEIPT" not in response.headers["Location"].upper().replace("TANDA-TERIMA", "")
    first = client.get(RECEIPT)
    assert_private(first)
    receipt = receipt_on(first.get_data(as_text=True))
    assert receipt and len(receipt.replace("-", "")) == 18
    assert "data-wbs-receipt" in first.get_data(as_text=True)
    again = client.get(RECEIPT).get_data(as_text=True)
    assert receipt_on(again) is None and "hanya ditampilkan satu kali" in again
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        assert len(report.attachments) == 1
        assert report.has_identity is False


def test_the_receipt_leaves_the_cookie_when_shown(app, client, seeded):
    post_form(client)
    with client.session_transaction() as session:
        sealed = session["wbs_receipt"]
    client.get(RECEIPT)
    with client.session_transaction() as session:
        assert "wbs_receipt" not in session
    receipt = None
    with app.test_request_context():
        from blueprints.wbs.routes import RECEIPT_CONTEXT
        from zi_public.security.session_seal import unseal

        receipt = unseal(sealed, RECEIPT_CONTEXT)
    assert receipt and receipt not in sealed and receipt.replace("-", "") not in sealed


def test_confirming_the_receipt_goes_back_to_the_intro(client, seeded):
    post_form(client)
    client.get(RECEIPT)
    response = client.post(RECEIPT, data={"noted": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/wbs/")


def test_a_resent_form_files_one_report_and_never_shows_a_receipt_again(app, client, seeded):
    assert post_form(client).status_code == 302
    client.get(RECEIPT)
    assert post_form(client).status_code == 302
    page = client.get(RECEIPT).get_data(as_text=True)
    assert receipt_on(page) is None and "sudah terkirim" in page
    assert report_count(app) == 1


def test_the_identity_is_sealed(app, client, seeded):
    post_form(client, identity="Sari, pegawai bidang umum, 0812 0000 1111")
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        assert report.has_identity is True
        raw = db.session.execute(sa.text("SELECT identity FROM wbs_report")).scalar()
        assert "Sari" not in str(raw)


# -- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"category": "tidak-ada"}, "Pilih kategori dari daftar."),
        ({"category": ""}, "Pilih kategori dari daftar."),
        ({"what": "   "}, "Ceritakan apa yang terjadi."),
        ({"what": "x" * 10_001}, "Paling banyak 10000 karakter."),
        ({"who_name": "y" * 201}, "Paling banyak 200 karakter."),
        ({"who_name": "Budi\nSantoso"}, "satu baris"),
        ({"how": "a\x00b"}, "tidak dapat dibaca"),
        ({"identity": "z" * 2001}, "Paling banyak 2000 karakter."),
        ({"category": "korupsi\x00"}, "tidak dapat dibaca"),
    ],
)
def test_bad_values_are_refused_clearly_with_everything_kept(app, client, seeded, overrides, message):
    response = post_form(client, files=[(PDF, "a.pdf")], **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Loket 3, ruang pelayanan" in page  # what was typed stays
    assert "pilih ulang bukti" in page
    assert report_count(app) == 0 and stored_files(app) == []


def test_missing_everything_lists_the_problems(app, client, seeded):
    response = client.post(FORM, data={}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pilih kategori dari daftar." in page and "Ceritakan apa yang terjadi." in page
    assert report_count(app) == 0


def test_bytes_that_are_not_utf8_are_refused_not_stored(app, client, seeded):
    parts = [(k, str(v).encode()) for k, v in valid_fields().items() if k != "what"]
    parts.append(("what", b"\xff\xfe uang pelicin \xc3"))
    response = client.post(FORM, **raw_multipart(parts))
    assert response.status_code in (200, 400)
    assert report_count(app) == 0


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(PDF, f"{i}.pdf") for i in range(6)], "Paling banyak 5 lampiran."),
        ([(b"MZ\x90\x00\x03" + b"\x00" * 200, "foto.jpg")], "Jenis berkas tidak diterima."),
        ([(PDF[:-7], "terpotong.pdf")], "Berkas rusak atau tidak lengkap"),
        ([(b"", "kosong.png")], "Berkas kosong"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_left(app, client, seeded, files, message):
    response = post_form(client, files=files)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert report_count(app) == 0 and stored_files(app) == []


def test_a_submission_key_the_form_never_made_is_replaced(app, client, seeded):
    assert post_form(client, submission_key="x" * 5000).status_code == 302
    assert report_count(app) == 1


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_post_without_token_files_nothing_and_keeps_the_values(self, app, client, seeded):
        response = post_form(client)
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Formulir kedaluwarsa" in page and "Loket 3, ruang pelayanan" in page
        assert report_count(app) == 0

    def test_the_page_token_files_the_report(self, app, client, seeded):
        page = client.get(FORM).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
        assert post_form(client, csrf_token=token, submission_key=key).status_code == 302
        assert report_count(app) == 1

    def test_status_and_reply_need_the_token(self, app, client, seeded):
        response = client.post(STATUS, data={"receipt": "x"})
        assert response.status_code == 400
        assert client.post(REPLY, data={"body": "x"}).status_code in (302, 400)


# -- status and conversation ----------------------------------------------------------------


def test_the_receipt_opens_the_report_and_no_url_carries_it(app, client, seeded):
    receipt = file_and_read_receipt(client)
    response = open_report(client, receipt.lower().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"].endswith(STATUS)
    page_response = client.get(STATUS)
    assert_private(page_response)
    page = page_response.get_data(as_text=True)
    assert "Laporan WBS Anda" in page and "Pungutan liar" in page
    assert receipt not in page and receipt.replace("-", "") not in page
    with client.session_transaction() as session:
        assert receipt not in str(dict(session)) and receipt.replace("-", "") not in str(dict(session))


def test_a_mistyped_receipt_is_told_apart_from_an_unknown_one(app, client, seeded):
    receipt = file_and_read_receipt(client).replace("-", "")
    wrong_check = receipt[:-1] + ("2" if receipt[-1] != "2" else "3")
    page = open_report(client, wrong_check).get_data(as_text=True)
    assert "Periksa kembali" in page
    page = open_report(client, receipt.replace(receipt[0], "O", 1)).get_data(as_text=True)
    assert "periksa kembali" in page
    unknown = make_unknown_receipt(app)
    page = open_report(client, unknown).get_data(as_text=True)
    assert "Laporan tidak ditemukan" in page


def make_unknown_receipt(app) -> str:
    from zi_public.security.codes import new_receipt

    return new_receipt()


@pytest.mark.parametrize("value", ["", "A" * 5000, "\u202e\u200b", "<script>alert(1)</script>"])
def test_hostile_receipts_get_a_clear_answer_and_no_500(client, seeded, value):
    response = client.post(STATUS, data={"receipt": value})
    assert response.status_code == 200
    assert "Buka laporan WBS" in response.get_data(as_text=True)


def test_a_get_with_the_receipt_in_the_query_opens_nothing(client, seeded):
    receipt = file_and_read_receipt(client)
    page = client.get(f"{STATUS}?receipt={receipt}").get_data(as_text=True)
    assert "Laporan WBS Anda" not in page and "Buka laporan WBS" in page


def test_the_conversation_and_a_reply_with_a_file(app, client, seeded):
    receipt = file_and_read_receipt(client)
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        member = make_user(role=Role.WBS)
        db.session.add_all(
            [
                WbsMessage(
                    report_id=report.id,
                    sender=Sender.TEAM,
                    body="Kapan tepatnya?",
                    sent_on=report.received_on,
                    author_id=member.id,
                ),
                WbsMessage(
                    report_id=report.id,
                    sender=Sender.NOTE,
                    body="CATATAN INTERNAL",
                    sent_on=report.received_on,
                    author_id=member.id,
                ),
            ]
        )
        db.session.commit()
    open_report(client, receipt)
    page = client.get(STATUS).get_data(as_text=True)
    assert "Kapan tepatnya?" in page and "CATATAN INTERNAL" not in page
    response = client.post(
        REPLY,
        data={"body": "Senin jam 9.", "attachments": [(io.BytesIO(PDF), "foto.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(STATUS).get_data(as_text=True)
    assert "Senin jam 9." in page
    link = re.search(r'href="(/wbs/status/berkas/\d+)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert_private(download)


def test_a_reply_holding_the_receipt_is_refused_with_the_text_kept(app, client, seeded):
    receipt = file_and_read_receipt(client)
    open_report(client, receipt)
    body = f"Nomor saya {receipt.lower().replace('-', ' ')} mohon dicek"
    response = client.post(REPLY, data={"body": body}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "memuat nomor tanda terima" in page
    assert "mohon dicek" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsMessage)) == 0


@pytest.mark.parametrize("body", ["", "x" * 10_001, "a\x00b"])
def test_bad_replies_are_refused_without_a_500(app, client, seeded, body):
    receipt = file_and_read_receipt(client)
    open_report(client, receipt)
    response = client.post(REPLY, data={"body": body}, content_type="multipart/form-data")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsMessage)) == 0


def test_another_report_s_file_is_not_found(app, client, seeded):
    with app.app_context():
        other = make_wbs_filed()
        member = make_user(role=Role.WBS)
        message = WbsMessage(
            report_id=other.report.id,
            sender=Sender.TEAM,
            body="x",
            sent_on=other.report.received_on,
            author_id=member.id,
        )
        db.session.add(message)
        db.session.flush()
        from tests.factories import store_file
        from zi_public.services import attachments

        (row,) = attachments.attach(message, [store_file(kind="wbs_message")])
        db.session.commit()
        attachment_id = row.id
    receipt = file_and_read_receipt(client)
    open_report(client, receipt)
    assert client.get(f"/wbs/status/berkas/{attachment_id}").status_code == 404
    assert client.get("/wbs/status/berkas/999999").status_code == 404


def test_without_a_session_reply_and_download_lead_to_the_look_up(client, seeded):
    assert client.post(REPLY, data={"body": "halo"}).headers["Location"].endswith(STATUS)
    assert client.get("/wbs/status/berkas/1").headers["Location"].endswith(STATUS)


def test_the_session_expires_after_its_minutes(app, client, seeded):
    receipt = file_and_read_receipt(client)
    open_report(client, receipt)
    with client.session_transaction() as session:
        held = dict(session["wbs_reporter"])
        session["wbs_reporter"] = {**held, "at": int(time.time()) - 16 * 60}
    page = client.get(STATUS).get_data(as_text=True)
    assert "Buka laporan WBS" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WbsReporterSession)) == 0


@pytest.mark.parametrize(
    "held",
    [
        {"token": "forged", "at": "now"},
        {"token": "forged", "at": 10**12},  # issued in the future
        {"token": "forged"},
        "text",
        {"token": 5, "at": "now"},
        {"token": ["x"], "at": "now"},
    ],
)
def test_forged_sessions_open_nothing(client, seeded, held):
    if isinstance(held, dict) and held.get("at") == "now":
        held = {**held, "at": int(time.time())}
    with client.session_transaction() as session:
        session["wbs_reporter"] = held
    page = client.get(STATUS).get_data(as_text=True)
    assert "Buka laporan WBS" in page


def test_a_replayed_token_after_closing_opens_nothing(app, client, seeded):
    receipt = file_and_read_receipt(client)
    open_report(client, receipt)
    with client.session_transaction() as session:
        stolen = dict(session["wbs_reporter"])
    client.post("/wbs/status/selesai")
    with client.session_transaction() as session:
        assert "wbs_reporter" not in session
        session["wbs_reporter"] = {**stolen, "at": int(time.time())}
    assert "Buka laporan WBS" in client.get(STATUS).get_data(as_text=True)


def test_nothing_of_the_request_is_stored(app, client, seeded):
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    client.environ_base["HTTP_USER_AGENT"] = "PelaporBrowser/9.9"
    receipt = file_and_read_receipt(client)
    open_report(client, receipt)
    client.post(REPLY, data={"body": "tambahan"}, content_type="multipart/form-data")
    with app.app_context():
        dump = "\n".join(
            str(row)
            for table in db.metadata.sorted_tables
            for row in db.session.execute(sa.text(f'SELECT * FROM "{table.name}"'))
        )
    assert "203.0.113.77" not in dump and "PelaporBrowser" not in dump
    assert receipt.replace("-", "") not in dump and receipt not in dump
    with app.app_context():
        assert {a.case_kind for a in db.session.scalars(sa.select(Attachment))} <= {"wbs", "wbs_message"}


@pytest.mark.parametrize("url", ["/wbs/", "/wbs/sop", FORM, STATUS, RECEIPT])
def test_english_visitors_read_english_wbs_pages(client, seeded, url):
    client.get("/bahasa/en")
    page = client.get(url).get_data(as_text=True)
    assert any(word in page for word in ("report", "Report", "receipt"))
    assert "Buat laporan WBS" not in page and "Buka laporan WBS" not in page


def test_a_rejected_report_still_takes_the_reporter_s_answer(app, client, seeded):
    """The team asks for consent to move a rejected report to pengaduan; the reporter answers here."""
    from zi_public.rules.wbs import Status

    receipt = file_and_read_receipt(client)
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        report.status = Status.DITOLAK
        report.closed_on = report.received_on
        db.session.commit()
    open_report(client, receipt)
    page = client.get(STATUS).get_data(as_text=True)
    assert "tidak dapat ditangani melalui WBS" in page and 'name="body"' in page
    response = client.post(REPLY, data={"body": "Saya setuju dialihkan."}, content_type="multipart/form-data")
    assert response.status_code == 302


class TestRateLimitedForm:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_WBS_FILE": "1 per hour"}

    def test_the_limit_counts_filed_reports_and_keeps_what_was_typed(self, app, client, seeded):
        assert post_form(client, what="").status_code == 200  # refused: does not count
        assert post_form(client, submission_key="a" * 32).status_code == 302
        response = post_form(client, submission_key="b" * 32, where="Gudang arsip lantai 2")
        page = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "Coba lagi dalam" in page and "Gudang arsip lantai 2" in page
        assert_private(response)
        assert report_count(app) == 1


class TestSmallUploadLimit:
    @pytest.fixture
    def app_config(self):
        return {"UPLOAD_MAX_BYTES": 4096, "MAX_CONTENT_LENGTH": 64 * 1024}

    def test_a_file_over_the_limit_is_refused_with_the_text_kept(self, app, client, seeded):
        response = post_form(client, files=[(PDF, "ok.pdf"), (b"%PDF-1.4\n" + b"0" * 5000, "besar.pdf")])
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Berkas terlalu besar" in page
        assert "masing-masing 4 KB" in page  # the form states the configured limit (it said "0 MB")
        assert "Loket 3, ruang pelayanan" in page
        assert report_count(app) == 0 and stored_files(app) == []

    def test_a_request_over_the_content_length_is_refused_without_a_500(self, app, client, seeded):
        response = post_form(client, files=[(b"0" * 100_000, "besar.pdf")])
        assert response.status_code == 413
        assert report_count(app) == 0 and stored_files(app) == []
        reply = client.post(REPLY, data={"body": "x" * 100_000})
        assert reply.status_code in (302, 413)  # without a session the body is never read


def test_the_reporter_sees_the_team_s_deadlines(app, client, seeded):
    from zi_public.i18n import format_long_date

    receipt = file_and_read_receipt(client)
    open_report(client, receipt)
    page = client.get(STATUS).get_data(as_text=True)
    with app.test_request_context():
        report = db.session.scalar(sa.select(WbsReport))
        answer_by, telaah_by = format_long_date(report.answer_by), format_long_date(report.telaah_by)
    assert f"menanggapi laporan Anda paling lambat {answer_by}" in page
    assert f"Telaah laporan selesai paling lambat {telaah_by}" in page
