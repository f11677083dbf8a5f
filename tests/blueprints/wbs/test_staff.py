"""The Tim WBS's pages: inbox, the audited case page, every action over HTTP, files, the sealed identity, settings."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image

from tests.factories import PDF, TEST_PASSWORD, make_user
from tests.services.wbs.staff_factories import WORDS, add_reporter_message, make_report
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Pengaduan, Role, WbsMessage, WbsReport, WbsUnsealRequest
from zi_public.rules.wbs import Sender, Status

INBOX = "/internal/wbs"
IDENTITY = "Siti Aminah, staf loket, 0812-3456-7890"


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PAGE_SIZE": 2}


def new_report(app, **kwargs) -> int:
    with app.app_context():
        report = make_report(**kwargs)
        db.session.commit()
        return report.id


def reporter_says(app, report_id: int, body: str, attach=()) -> int:
    with app.app_context():
        message = add_reporter_message(db.session.get(WbsReport, report_id), body, attach=list(attach))
        db.session.commit()
        return message.id


def report_row(app, report_id: int) -> dict:
    with app.app_context():
        r = db.session.get(WbsReport, report_id)
        return {
            "status": r.status,
            "telaah_on": r.telaah_on,
            "handling": r.handling,
            "outcome": r.outcome,
            "closed_on": r.closed_on,
            "first_answer_on": r.first_answer_on,
            "moved": r.moved_to_pengaduan_id,
            "messages": [(m.sender, m.body) for m in r.messages],
        }


def audit_actions(app, prefix: str = "wbs") -> list[tuple[str, str, dict]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry.action, AuditEntry.actor, AuditEntry.data)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.id)
        )
        return [(a, actor, json.loads(d)) for a, actor, d in rows]


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="wbs-(\d+)"', html)]


def sign_in(client, username: str) -> None:
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"username": username, "password": TEST_PASSWORD}).status_code == 302


# --- inbox


def test_inbox_lists_newest_first_filters_and_pages(app, seeded, client, login_as):
    old = new_report(app, received_on=today_jakarta() - timedelta(days=60))  # both clocks overdue
    rejected = new_report(app, status=Status.DITOLAK, category="gratifikasi")
    fresh = new_report(app, identity=IDENTITY)
    reporter_says(app, fresh, "Ada bukti tambahan.")
    login_as(Role.WBS)
    html = client.get(INBOX).get_data(as_text=True)
    assert row_ids(html) == [fresh, rejected]
    assert "identitas tersegel" in html and "Pelapor menunggu jawaban" in html
    assert WORDS["what"] not in html  # the list carries no report text
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert row_ids(client.get(next_link).get_data(as_text=True)) == [old]
    assert row_ids(client.get(f"{INBOX}?overdue=y").get_data(as_text=True)) == [old]
    assert row_ids(client.get(f"{INBOX}?status=ditolak").get_data(as_text=True)) == [rejected]
    assert row_ids(client.get(f"{INBOX}?category=gratifikasi").get_data(as_text=True)) == [rejected]
    assert "Tidak ada laporan yang cocok" in client.get(f"{INBOX}?status=selesai").get_data(as_text=True)
    assert [a for a, _actor, _d in audit_actions(app, "wbs.read")] == []  # the list is no case read


@pytest.mark.parametrize("query", ["status=hapus", "category=x'--", "category=<script>", "before=abc&status=x"])
def test_broken_filters_show_a_message_and_no_rows(app, seeded, client, login_as, query):
    new_report(app)
    login_as(Role.WBS)
    response = client.get(f"{INBOX}?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and row_ids(html) == [] and "Perbaiki filter" in html
    assert "<script>" not in html


def test_empty_inbox_says_so(client, login_as):
    login_as(Role.WBS)
    assert "Belum ada laporan WBS" in client.get(INBOX).get_data(as_text=True)


# --- case page


def test_case_page_shows_the_report_and_each_read_is_audited(app, seeded, client, login_as):
    report_id = new_report(app, identity=IDENTITY, attach=[(PDF, "bukti.pdf")])
    member = login_as(Role.WBS, username="tim1")
    html = client.get(f"{INBOX}/{report_id}").get_data(as_text=True)
    for text in (WORDS["what"], WORDS["who_name"], WORDS["how_known"], "Jawaban pertama kepada pelapor", "Telaah"):
        assert text in html, text
    assert IDENTITY not in html and "identitas tersegel" in html
    assert re.findall(r'id="form-(\w+)"', html) == ["unseal", "message", "note", "telaah", "reject"]
    assert f"{INBOX}/{report_id}/lampiran/" in html
    client.get(f"{INBOX}/{report_id}")
    reads = audit_actions(app, "wbs.read")
    assert [(a, actor) for a, actor, _d in reads] == [("wbs.read", "tim1")] * 2
    assert member.username == "tim1"


def test_unknown_or_forged_ids_are_404_not_500(app, seeded, client, login_as):
    report_id = new_report(app)
    login_as(Role.WBS)
    for url in (
        f"{INBOX}/999999",
        f"{INBOX}/{report_id}/lampiran/999999",
        f"{INBOX}/{report_id}/lampiran/999999/asli",
        f"{INBOX}/99999999999999999999",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{INBOX}/999999/telaah").status_code == 404
    assert client.post(f"{INBOX}/{report_id}/hapus").status_code in (404, 405)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.WBS])
def test_every_other_role_is_refused_every_wbs_url(app, seeded, client, login_as, role):
    report_id = new_report(app, identity=IDENTITY, attach=[(PDF, "bukti.pdf")])
    login_as(role)
    for url in (
        INBOX,
        f"{INBOX}/{report_id}",
        f"{INBOX}/{report_id}/identitas",
        f"{INBOX}/pengaturan",
        f"{INBOX}/{report_id}/lampiran/1",
        f"{INBOX}/{report_id}/lampiran/1/asli",
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        "telaah",
        "reject",
        "pesan",
        "catatan",
        "identitas/minta",
        "identitas/1",
        "pindah-ke-pengaduan",
        "telaah-ulang",
    ):
        assert client.post(f"{INBOX}/{report_id}/{url}", data={"reject-body": "x"}).status_code == 403, url
    assert report_row(app, report_id)["status"] == Status.DITERIMA
    assert audit_actions(app, "wbs.") == []


# --- actions


def test_every_action_over_http(app, seeded, client, login_as):
    report_id = new_report(app)
    login_as(Role.WBS, username="tim1")
    base = f"{INBOX}/{report_id}"
    response = client.post(
        f"{base}/telaah",
        data={
            "telaah-names_party": "y",
            "telaah-describes_deviation": "y",
            "telaah-has_evidence": "y",
            "telaah-body": "Kriteria lengkap.",
        },
    )
    assert response.status_code == 302
    assert report_row(app, report_id)["status"] == Status.DITELAAH
    response = client.post(
        f"{base}/follow_up",
        data={
            "follow_up-handling": "aph",
            "follow_up-referred_on": today_jakarta().isoformat(),
            "follow_up-referral_reference": "B/123/XI/2026",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    html = client.get(base).get_data(as_text=True)
    assert "B/123/XI/2026" in html and "penegak hukum" in html
    assert client.post(f"{base}/finish", data={"finish-outcome": "terbukti"}).status_code == 302
    row = report_row(app, report_id)
    assert row["status"] == Status.SELESAI and row["closed_on"] == today_jakarta()
    assert [a for a, _actor, _d in audit_actions(app) if a != "wbs.read"] == [
        "wbs.note_add",
        "wbs.telaah",
        "wbs.follow_up",
        "wbs.finish",
    ]


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("finish", {"finish-outcome": "terbukti"}, "tidak dapat dilakukan pada status"),
        ("follow_up", {"follow_up-handling": "tim"}, "tidak dapat dilakukan pada status"),
        ("reject", {"reject-body": "  "}, "Tulis alasan penolakan"),
        ("reject", {"reject-body": "a\x07b"}, "tidak dapat dibaca"),
        ("reject", {"reject-body": "a\x00b"}, None),  # NUL: the input guard answers 400 before the view
        ("telaah", {"telaah-body": "x" * 10_001}, "Paling banyak 10000 karakter"),
    ],
)
def test_refused_actions_rerender_with_a_message_and_change_nothing(app, seeded, client, login_as, path, data, message):
    report_id = new_report(app)
    login_as(Role.WBS)
    response = client.post(f"{INBOX}/{report_id}/{path}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == (200 if message else 400)
    assert message is None or message in html
    row = report_row(app, report_id)
    assert row["status"] == Status.DITERIMA and row["messages"] == [] and row["telaah_on"] is None
    # The read of the re-rendered page is committed (audited); no write is.
    assert [a for a, _actor, _d in audit_actions(app)] == (["wbs.read"] if message else [])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"follow_up-handling": "kpk"}, "Pilih penanganan"),
        ({"follow_up-handling": "apip"}, "Isi tanggal pelimpahan"),
        ({"follow_up-handling": "apip", "follow_up-referred_on": "2026-13-45"}, "Tanggal tidak valid"),
        (
            {"follow_up-handling": "apip", "follow_up-referred_on": "2099-01-01", "follow_up-referral_reference": "a"},
            "tidak boleh setelah hari ini",
        ),
    ],
)
def test_follow_up_input_is_checked(app, seeded, client, login_as, data, message):
    report_id = new_report(app, status=Status.DITELAAH)
    login_as(Role.WBS)
    response = client.post(f"{INBOX}/{report_id}/follow_up", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert report_row(app, report_id)["status"] == Status.DITELAAH


def test_reject_then_move_to_pengaduan_with_consent(app, seeded, client, login_as):
    report_id = new_report(app, identity=IDENTITY)
    consent = reporter_says(app, report_id, "Ya, saya setuju dijadikan pengaduan.")
    login_as(Role.WBS)
    base = f"{INBOX}/{report_id}"
    assert client.post(f"{base}/reject", data={"reject-body": "Ini keluhan layanan."}).status_code == 302
    html = client.get(base).get_data(as_text=True)
    assert 'id="form-move"' in html and "Ya, saya setuju" in html
    response = client.post(
        f"{base}/pindah-ke-pengaduan",
        data={"move-consent": "", "move-category": "biaya", "move-title": "Pungli", "move-description": "d"},
    )
    assert response.status_code == 200 and "persetujuannya" in response.get_data(as_text=True)
    response = client.post(
        f"{base}/pindah-ke-pengaduan",
        data={"move-consent": str(consent), "move-category": "nope", "move-title": "Pungli", "move-description": "d"},
    )
    assert response.status_code == 200 and "kategori pengaduan dari daftar" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == 0
    response = client.post(
        f"{base}/pindah-ke-pengaduan",
        data={"move-consent": str(consent), "move-category": "biaya", "move-title": "Pungli", "move-description": "d"},
    )
    assert response.status_code == 302
    row = report_row(app, report_id)
    with app.app_context():
        complaint = db.session.get(Pengaduan, row["moved"])
        assert complaint.identity.value == "anonim" and complaint.reporter_name is None
        assert IDENTITY not in complaint.description
    assert complaint.number in row["messages"][-1][1]
    html = client.get(base).get_data(as_text=True)
    assert f"pengaduan {complaint.number}" in html and 'id="form-move"' not in html


def test_messages_and_notes(app, seeded, client, login_as):
    report_id = new_report(app)
    login_as(Role.WBS)
    base = f"{INBOX}/{report_id}"
    response = client.post(
        f"{base}/pesan",
        data={"message-body": "Mohon kirim foto kuitansi.", "message-files": [(io.BytesIO(PDF), "surat.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert client.post(f"{base}/catatan", data={"note-body": "Cek ke bidang."}).status_code == 302
    row = report_row(app, report_id)
    assert row["first_answer_on"] == today_jakarta()
    assert row["messages"] == [(Sender.TEAM, "Mohon kirim foto kuitansi."), (Sender.NOTE, "Cek ke bidang.")]
    html = client.get(base).get_data(as_text=True)
    assert "internal, tidak terlihat pelapor" in html and "dari percakapan" in html
    # A hostile file: refused, the text kept on the page, nothing stored.
    response = client.post(
        f"{base}/pesan",
        data={"message-body": "Teks yang diketik", "message-files": [(io.BytesIO(b"MZ not a pdf"), "x.pdf")]},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Teks yang diketik" in html and "Jenis berkas" in html
    assert len(report_row(app, report_id)["messages"]) == 2
    response = client.post(f"{base}/pesan", data={"message-body": "\u200b"})
    assert response.status_code == 200 and len(report_row(app, report_id)["messages"]) == 2


def gps_photo() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (7.0, 28.0, 12.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_reporters_photo_comes_without_gps_unless_the_original_is_asked_for(app, seeded, client, login_as):
    report_id = new_report(app)
    reporter_says(app, report_id, "Ini fotonya.", attach=[(gps_photo(), "foto.jpg")])
    login_as(Role.WBS)
    html = client.get(f"{INBOX}/{report_id}").get_data(as_text=True)
    clean_url, original_url = re.findall(rf'href="({INBOX}/{report_id}/lampiran/\d+(?:/asli)?)"', html)
    assert "salinan tanpa metadata" in html
    clean = client.get(clean_url)
    assert clean.status_code == 200 and clean.headers["Cache-Control"] == "no-store"
    assert "attachment" in clean.headers["Content-Disposition"]
    assert b"SpyCam" not in clean.data and len(Image.open(io.BytesIO(clean.data)).getexif()) == 0
    original = client.get(original_url)
    assert original.status_code == 200 and b"SpyCam" in original.data
    downloads = [a for a, _actor, _d in audit_actions(app, "wbs_message.attachment")]
    assert downloads == ["wbs_message.attachment_download", "wbs_message.attachment_download_original"]


def test_a_file_of_another_report_is_not_served(app, seeded, client, login_as):
    mine = new_report(app)
    other = new_report(app, attach=[(PDF, "lain.pdf")])
    reporter_says(app, other, "lain", attach=[(PDF, "lain2.pdf")])
    login_as(Role.WBS)
    html = client.get(f"{INBOX}/{other}").get_data(as_text=True)
    for attachment_id in re.findall(rf"{INBOX}/{other}/lampiran/(\d+)", html):
        assert client.get(f"{INBOX}/{mine}/lampiran/{attachment_id}").status_code == 404


# --- the sealed identity


def test_unseal_needs_a_second_member_and_only_the_requester_reads_it(app, seeded, client, login_as):
    report_id = new_report(app, identity=IDENTITY)
    with app.app_context():
        make_user(role=Role.WBS, username="checker")
        db.session.commit()
    login_as(Role.WBS, username="asker")
    base = f"{INBOX}/{report_id}"
    assert client.get(f"{base}/identitas").status_code == 302  # not approved: back to the case with a message
    assert client.post(f"{base}/identitas/minta", data={"unseal-reason": ""}).status_code == 200
    assert client.post(f"{base}/identitas/minta", data={"unseal-reason": "Saksi untuk APIP."}).status_code == 302
    with app.app_context():
        request_id = db.session.scalar(sa.select(WbsUnsealRequest.id))
    # Neither button (a hand-made request): nothing is decided, not even a refusal.
    assert client.post(f"{base}/identitas/{request_id}", data={}).status_code == 400
    # The requester approving their own request: refused, nothing decided.
    response = client.post(f"{base}/identitas/{request_id}", data={f"decide-{request_id}-approve": "Setujui"})
    assert response.status_code == 200 and "anggota Tim WBS yang lain" in response.get_data(as_text=True)
    sign_in(client, "checker")
    html = client.get(base).get_data(as_text=True)
    assert "Saksi untuk APIP." in html and f'id="decide-{request_id}"' in html
    assert (
        client.post(f"{base}/identitas/{request_id}", data={f"decide-{request_id}-approve": "Setujui"}).status_code
        == 302
    )
    assert client.get(f"{base}/identitas").status_code == 302  # the approver does not read it
    sign_in(client, "asker")
    response = client.get(f"{base}/identitas")
    assert response.status_code == 200 and IDENTITY in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    steps = [(a, actor) for a, actor, _d in audit_actions(app) if a != "wbs.read"]
    assert steps == [("wbs.unseal_request", "asker"), ("wbs.unseal_approve", "checker"), ("wbs.identity_view", "asker")]
    assert IDENTITY not in json.dumps(audit_actions(app, ""))


def test_a_forged_request_id_is_refused_cleanly(app, seeded, client, login_as):
    report_id = new_report(app, identity=IDENTITY)
    login_as(Role.WBS)
    response = client.post(f"{INBOX}/{report_id}/identitas/424242", data={"decide-424242-approve": "Setujui"})
    assert response.status_code == 200 and "tidak ditemukan" in response.get_data(as_text=True)


# --- settings


def test_the_team_edits_the_public_texts(app, seeded, client, login_as):
    login_as(Role.WBS, username="tim1")
    assert client.get(f"{INBOX}/pengaturan").status_code == 200
    data = {
        "regulation_title": "Peraturan Wali Kota Magelang Nomor 1 Tahun 2026",
        "regulation_text": "Pasal 1",
        "sop_text": "1. Terima\n2. Telaah",
    }
    assert client.post(f"{INBOX}/pengaturan", data=data).status_code == 302
    html = client.get(f"{INBOX}/pengaturan").get_data(as_text=True)
    assert "Nomor 1 Tahun 2026" in html and "2. Telaah" in html
    changes = audit_actions(app, "setting.change")
    assert {d["to"] for _a, actor, d in changes if actor == "tim1"} >= {"Pasal 1", "1. Terima\n2. Telaah"}
    response = client.post(f"{INBOX}/pengaturan", data={**data, "regulation_title": "a\nb", "sop_text": "x\x1b"})
    assert response.status_code == 200 and "satu baris" in response.get_data(as_text=True)
    assert "Nomor 1 Tahun 2026" in client.get(f"{INBOX}/pengaturan").get_data(as_text=True)


def test_messages_table_untouched_by_reads(app, seeded, client, login_as):
    report_id = new_report(app)
    login_as(Role.WBS)
    client.get(f"{INBOX}/{report_id}")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(WbsMessage.id))) == 0


def test_dashboard_shows_the_teams_figures(app, seeded, client, login_as):
    login_as(Role.WBS, username="tim1")
    assert "Tidak ada laporan WBS yang perlu ditangani" in client.get("/internal/").get_data(as_text=True)
    late = new_report(app, received_on=today_jakarta() - timedelta(days=60), identity=IDENTITY)
    new_report(app)
    new_report(app, status=Status.DITOLAK)
    reporter_says(app, late, "Halo?")
    with app.app_context():
        other = make_user(role=Role.WBS, username="tim2")
        db.session.add(WbsUnsealRequest(report_id=late, requested_by_id=other.id, reason="perlu"))
        db.session.commit()
    html = client.get("/internal/").get_data(as_text=True)
    counts = re.search(r'id="wbs-counts".*?</ul>', html, re.S).group(0)
    # today, to telaah, overdue, awaiting an answer, unseal requests to decide, open
    assert re.findall(r'stat-number">(\d+)<', counts) == ["2", "2", "1", "1", "1", "2"]
    assert f'href="{INBOX}"' in html


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_post_without_the_csrf_token_is_refused(app, seeded, client, app_config):
    report_id = new_report(app, identity=IDENTITY)
    with app.app_context():
        make_user(role=Role.WBS, username="tim1")
        db.session.commit()
    login_page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    data = {"username": "tim1", "password": TEST_PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=data).status_code == 302
    base = f"{INBOX}/{report_id}"
    for path, data in (
        ("reject", {"reject-body": "Bukan WBS."}),
        ("pesan", {"message-body": "Halo"}),
        ("identitas/minta", {"unseal-reason": "perlu"}),
        ("pengaturan", {"sop_text": "x"}),
    ):
        url = f"{INBOX}/{path}" if path == "pengaturan" else f"{base}/{path}"
        assert client.post(url, data=data).status_code == 400, path
    row = report_row(app, report_id)
    assert row["status"] == Status.DITERIMA and row["messages"] == []
    html = client.get(base).get_data(as_text=True)
    form = re.search(r'<form[^>]*id="form-reject".*?</form>', html, re.S).group(0)
    token = re.search(r'name="reject-csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post(f"{base}/reject", data={"reject-body": "Bukan WBS.", "reject-csrf_token": token})
    assert response.status_code == 302 and report_row(app, report_id)["status"] == Status.DITOLAK


def test_the_team_pages_in_english(app, seeded, client, login_as):
    from tests.test_i18n import INDONESIAN_ONLY, LANG_COOKIE, MO_FILE, PO_FILE, VisibleText

    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        pytest.fail("run `make translations`")
    report_id = new_report(app, status=Status.DITELAAH, identity=IDENTITY, attach=[(PDF, "a.pdf")])
    reporter_says(app, report_id, "Halo")
    with app.app_context():
        other = make_user(role=Role.WBS, username="tim2")
        db.session.add(WbsUnsealRequest(report_id=report_id, requested_by_id=other.id, reason="perlu"))
        db.session.commit()
    login_as(Role.WBS)
    client.set_cookie(LANG_COOKIE, "en")
    for url, sentence in (
        (INBOX, "WBS inbox"),
        (f"{INBOX}/{report_id}", "Conversation and notes"),
        (f"{INBOX}/pengaturan", "Public WBS texts"),
        ("/internal/", "WBS"),
    ):
        html = client.get(url).get_data(as_text=True)
        page = VisibleText(html)
        assert page.lang == "en" and any(sentence in piece for piece in page.pieces), url
        codes = set(re.findall(r'<option value="([^"]*)"', html))  # what a select sends, not what it shows
        assert not sorted(INDONESIAN_ONLY.intersection(page.pieces) - codes), url
