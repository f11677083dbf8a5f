"""The Tim Pengaduan's pages: inbox, case page per role, attachment downloads, and every action."""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.factories import PDF, TEST_PASSWORD, make_pengaduan, make_user, store_file
from tests.smtp import refused_url
from zi_public.extensions import db
from zi_public.models import Attachment, AuditEntry, Bidang, OutboxMail, Pengaduan, Role
from zi_public.rules.pengaduan import Channel, Status

INBOX = "/internal/pengaduan"
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PAGE_SIZE": 2}


#: A reporter who filled in every field: the case page shows each one to the roles that may see it.
EVERY_FIELD = {
    "description": "Sudah 3 bulan berkas lengkap.\nPBG belum terbit.",
    "requested_resolution": "PBG diterbitkan minggu ini",
    "phone": "0812 1111 2222",
    "nik": "3371010101010001",
}


def file_case(app, *, days_ago: int = 0, channel: Channel = Channel.WEB, attach: bytes | None = None, **fields) -> int:
    """A complaint filed `days_ago` days ago (with `attach` as "bukti transfer.pdf"), committed; its id."""
    with app.app_context():
        stored = [store_file(attach, "bukti transfer.pdf")] if attach is not None else []
        now = datetime.now(UTC) - timedelta(days=days_ago)
        case = make_pengaduan(now=now, channel=channel, attachments=stored, **{**EVERY_FIELD, **fields})
        db.session.commit()
        return case.id


def case_row(app, case_id: int) -> tuple[Status, int]:
    with app.app_context():
        case = db.session.get(Pengaduan, case_id)
        return case.status, len(case.events)


def audit_entries(app, prefix: str = "pengaduan.") -> list[tuple[str, str, dict]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry.action, AuditEntry.actor, AuditEntry.data)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.id)
        )
        return [(action, actor, json.loads(data)) for action, actor, data in rows]


def number_of(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Pengaduan, case_id).number


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="pengaduan-(\d+)"', html)]


# --- inbox


def test_inbox_lists_newest_first_and_marks_overdue_rows(app, seeded, client, login_as):
    old = file_case(app, days_ago=30)  # verification was due long ago
    fresh = file_case(app, channel=Channel.KIOSK, category="biaya")
    login_as(Role.PENGADUAN)
    html = client.get(INBOX).get_data(as_text=True)
    assert row_ids(html) == [fresh, old]
    old_row = re.search(rf'<tr id="pengaduan-{old}"[^>]*>.*?</tr>', html, re.S).group(0)
    fresh_row = re.search(rf'<tr id="pengaduan-{fresh}"[^>]*>.*?</tr>', html, re.S).group(0)
    assert 'class="is-overdue"' in old_row and "Terlambat" in old_row
    assert "is-overdue" not in fresh_row and "Terlambat" not in fresh_row
    assert "Kios" in fresh_row and number_of(app, fresh) in fresh_row


def test_each_inbox_filter(app, seeded, client, login_as):
    old = file_case(app, days_ago=40)
    kiosk = file_case(app, channel=Channel.KIOSK, category="biaya")
    api = file_case(app, channel=Channel.API)
    login_as(Role.PIMPINAN)
    old_month = (datetime.now(JAKARTA) - timedelta(days=40)).strftime("%Y-%m")

    def ids(query: str) -> list[int]:
        response = client.get(f"{INBOX}?{query}")
        assert response.status_code == 200
        return row_ids(response.get_data(as_text=True))

    assert ids("overdue=y") == [old]
    assert ids("status=baru&channel=kiosk") == [kiosk]
    assert ids("status=selesai") == []
    assert ids("category=biaya") == [kiosk]
    assert ids("channel=api") == [api]
    assert old in ids(f"month={old_month}") and kiosk not in ids(f"month={old_month}")
    assert ids("bidang=perizinan-a") == []
    assert ids(f"q={number_of(app, api).lower()}") == [api]
    assert ids("q=PGD-") == [api, kiosk]  # the second page holds the third
    assert "Tidak ada pengaduan yang cocok" in client.get(f"{INBOX}?status=ditolak").get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "month=2026-13",
        "month=0000-01",
        "month=kemarin",
        "status=hapus",
        "channel=fax",
        "category=x'--",
        "bidang=<script>",
        "q=%25",
        "q=PGD_2026",
        "q=" + "9" * 50,
    ],
)
def test_broken_filters_show_a_message_and_no_rows(app, seeded, client, login_as, query):
    file_case(app)
    login_as(Role.PENGADUAN)
    response = client.get(f"{INBOX}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert row_ids(html) == [] and "Perbaiki filter" in html and "<script>" not in html


def test_paging_keeps_the_filters(app, seeded, client, login_as):
    kiosk = [file_case(app, channel=Channel.KIOSK) for _ in range(3)]
    file_case(app, channel=Channel.WEB)
    login_as(Role.PENGADUAN)
    html = client.get(f"{INBOX}?channel=kiosk").get_data(as_text=True)
    assert row_ids(html) == [kiosk[2], kiosk[1]]
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "channel=kiosk" in next_link and f"before={kiosk[1]}" in next_link
    html = client.get(next_link).get_data(as_text=True)
    assert row_ids(html) == [kiosk[0]]
    prev_link = re.search(r'rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "channel=kiosk" in prev_link
    assert row_ids(client.get(f"{INBOX}?channel=kiosk&before=abc").get_data(as_text=True)) == [kiosk[2], kiosk[1]]


def test_empty_inbox_says_so(client, login_as):
    login_as(Role.PENGADUAN)
    assert "Belum ada pengaduan yang masuk" in client.get(INBOX).get_data(as_text=True)


def test_menu_and_dashboards_show_the_counts(app, seeded, client, login_as):
    file_case(app, days_ago=30)
    file_case(app)
    login_as(Role.PENGADUAN)
    html = client.get("/internal/").get_data(as_text=True)
    assert f'href="{INBOX}"' in html
    counts = re.search(r'id="pengaduan-counts".*?</ul>', html, re.S).group(0)
    numbers = re.findall(r'stat-number">(\d+)<', counts)
    assert numbers == ["1", "2", "1", "2"]  # today, to verify, overdue, open
    client.post("/auth/logout")
    login_as(Role.PIMPINAN)
    html = client.get("/internal/").get_data(as_text=True)
    assert re.findall(r'stat-number">(\d+)<', html) == ["2", "2", "1", "1"]  # open, to verify, overdue, today


# --- case page


def test_team_sees_everything_and_the_read_is_audited(app, seeded, client, login_as):
    case_id = file_case(
        app, identity="rahasia", attach=PDF, incident_date=datetime.now(JAKARTA).date() - timedelta(days=45)
    )
    login_as(Role.PENGADUAN, username="tim1")
    response = client.get(f"{INBOX}/{case_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "PBG belum terbit",
        "Sudah 3 bulan berkas lengkap.<br>PBG belum terbit.",
        "PBG diterbitkan minggu ini",
        "Budi Santoso",
        "budi@example.id",
        "0812 1111 2222",
        "3371010101010001",
        "bukti transfer.pdf",
        "Diverifikasi paling lambat",
        "Pengaduan diterima",
    ):
        assert text in html, text
    assert "lebih dari 30 hari setelah layanan" in html
    assert f"{INBOX}/{case_id}/lampiran/" in html
    offered = re.findall(r'id="action-(\w+)"', html)
    assert offered == ["verify", "reject", "forward"]
    assert audit_entries(app)[-1] == (
        "pengaduan.read",
        "tim1",
        {"number": number_of(app, case_id), "identity_shown": True},
    )


def test_pimpinan_reads_but_never_sees_a_rahasia_identity(app, seeded, client, login_as):
    rahasia = file_case(app, identity="rahasia", attach=PDF)
    terbuka = file_case(app)
    anonim = file_case(app, identity="anonim")
    login_as(Role.PIMPINAN, username="kepala")
    html = client.get(f"{INBOX}/{rahasia}").get_data(as_text=True)
    assert "disembunyikan" in html and "PBG belum terbit" in html
    for secret in ("Budi", "budi@example.id", "0812 1111 2222", "3371010101010001"):
        assert secret not in html
    assert "bukti transfer.pdf" in html and "/lampiran/" not in html
    assert 'id="action-' not in html
    assert "Budi Santoso" in client.get(f"{INBOX}/{terbuka}").get_data(as_text=True)
    assert "tidak ada identitas" in client.get(f"{INBOX}/{anonim}").get_data(as_text=True)
    reads = [entry for entry in audit_entries(app) if entry[0] == "pengaduan.read"]
    assert [(actor, data["identity_shown"]) for _, actor, data in reads] == [
        ("kepala", False),
        ("kepala", False),
        ("kepala", False),
    ]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.WBS, Role.UPG, Role.SKM])
def test_other_roles_cannot_open_a_case(app, seeded, client, login_as, role):
    case_id = file_case(app, attach=PDF)
    login_as(role)
    with app.app_context():
        attachment_id = db.session.scalar(sa.select(Attachment.id))
    assert client.get(INBOX).status_code == 403
    assert client.get(f"{INBOX}/{case_id}").status_code == 403
    assert client.get(f"{INBOX}/{case_id}/lampiran/{attachment_id}").status_code == 403
    assert client.post(f"{INBOX}/{case_id}/verify").status_code == 403
    assert case_row(app, case_id) == (Status.BARU, 1)
    assert not [entry for entry in audit_entries(app) if entry[0] != "pengaduan.create"]


# --- attachments


def attachment_of(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Attachment.id).where(Attachment.case_kind == "pengaduan", Attachment.case_id == case_id)
        )


def test_the_team_downloads_the_original_bytes(app, seeded, client, login_as):
    case_id = file_case(app, attach=PDF)
    attachment_id = attachment_of(app, case_id)
    login_as(Role.PENGADUAN)
    response = client.get(f"{INBOX}/{case_id}/lampiran/{attachment_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "bukti transfer.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert audit_entries(app)[-1][0] == "pengaduan.attachment_download"
    assert audit_entries(app)[-1][2]["attachment"] == attachment_id


def test_pimpinan_cannot_download_and_foreign_or_broken_attachments_are_404(app, seeded, client, login_as):
    mine = file_case(app, attach=PDF)
    other = file_case(app, attach=PDF)
    login_as(Role.PIMPINAN)
    assert client.get(f"{INBOX}/{mine}/lampiran/{attachment_of(app, mine)}").status_code == 403
    client.post("/auth/logout")
    login_as(Role.PENGADUAN)
    assert client.get(f"{INBOX}/{mine}/lampiran/{attachment_of(app, other)}").status_code == 404
    assert client.get(f"{INBOX}/{mine}/lampiran/999999").status_code == 404
    assert client.get(f"{INBOX}/999999/lampiran/{attachment_of(app, mine)}").status_code == 404
    with app.app_context():
        attachment = db.session.get(Attachment, attachment_of(app, mine))
        stored = next(Path(app.config["UPLOAD_DIR"]).rglob(attachment.stored_name))
    stored.write_bytes(b"zk1.tampered")
    assert client.get(f"{INBOX}/{mine}/lampiran/{attachment_of(app, mine)}").status_code == 404
    stored.unlink()
    assert client.get(f"{INBOX}/{mine}/lampiran/{attachment_of(app, mine)}").status_code == 404
    assert [e for e in audit_entries(app) if e[0] == "pengaduan.attachment_download"] == []


# --- actions


def act_on(client, case_id: int, action: str, **fields: str):
    """POST `action`'s form as a freshly rendered page sends it (its own one-time key unless `submission_key`)."""
    fields.setdefault("submission_key", secrets.token_urlsafe(24))
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"{INBOX}/{case_id}/{action}", data=data, follow_redirects=True)


def test_a_retired_bidang_stays_an_inbox_filter_but_is_no_dispose_target(app, seeded, client, login_as):
    case_id = file_case(app)
    with app.app_context():
        retired = db.session.scalar(sa.select(Bidang).where(Bidang.code == "perizinan-b"))
        retired.is_active = False
        db.session.commit()
        retired_id = retired.id
        active_id = db.session.scalar(sa.select(Bidang.id).where(Bidang.code == "perizinan-a"))
    login_as(Role.PENGADUAN)
    act_on(client, case_id, "verify")
    html = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    dispose = re.search(r'id="action-dispose".*?</form>', html, re.S).group(0)
    assert f'value="{active_id}"' in dispose and f'value="{retired_id}"' not in dispose
    inbox = client.get(INBOX).get_data(as_text=True)
    assert 'value="perizinan-b"' in inbox and 'value="perizinan-a"' in inbox


def test_the_whole_flow_through_the_page(app, seeded, client, login_as):
    case_id = file_case(app)
    with app.app_context():
        bidang_id = db.session.scalar(sa.select(Bidang.id).where(Bidang.code == "perizinan-b"))
    login_as(Role.PENGADUAN, username="tim1")
    steps = [
        ("verify", {}, Status.TERVERIFIKASI, "Pengaduan diverifikasi"),
        ("dispose", {"bidang": str(bidang_id), "body": "Mohon dicek"}, Status.DITINDAKLANJUTI, "didisposisikan ke"),
        ("follow_up", {"body": "Berkas diperiksa ulang"}, Status.DITINDAKLANJUTI, "Tindak lanjut dicatat"),
        ("answer", {"body": "PBG terbit besok."}, Status.DITINDAKLANJUTI, "Tanggapan disimpan"),
        ("finish", {}, Status.SELESAI, "Pengaduan diselesaikan"),
        ("reopen", {"body": "Pelapor menelepon: belum terbit"}, Status.DITINDAKLANJUTI, "dibuka kembali"),
    ]
    for action, fields, status, message in steps:
        response = act_on(client, case_id, action, **fields)
        assert response.status_code == 200, action
        assert message in response.get_data(as_text=True), action
        assert case_row(app, case_id)[0] == status, action
    html = response.get_data(as_text=True)
    history = re.search(r'id="history".*?</ol>', html, re.S).group(0)
    follow_up = re.search(r"<li>\s*<strong>Tindak lanjut</strong>.*?</li>", history, re.S).group(0)
    assert "internal" in follow_up and "Berkas diperiksa ulang" in follow_up and "tim1" in follow_up
    answer = re.search(r"<li>\s*<strong>Tanggapan kepada pelapor</strong>.*?</li>", history, re.S).group(0)
    assert "internal" not in answer
    with app.app_context():  # the answer, and only the answer, was queued for the reporter with the change
        number = db.session.get(Pengaduan, case_id).number
        queued = db.session.scalars(
            sa.select(OutboxMail).where(OutboxMail.case_number == number).order_by(OutboxMail.id)
        ).all()
        assert [m.kind for m in queued] == ["pengaduan.receipt", "pengaduan.answer"]  # no team address set
        assert "PBG terbit besok." in queued[-1].body
    writes = [action for action, actor, _ in audit_entries(app) if action not in ("pengaduan.read", "pengaduan.create")]
    assert writes == [f"pengaduan.{step[0]}" for step in steps]


def test_reject_and_forward_from_the_page(app, seeded, client, login_as):
    rejected, forwarded = file_case(app), file_case(app)
    login_as(Role.PENGADUAN)
    response = act_on(client, rejected, "reject", body="Bukan kewenangan kami", confirm="y")
    assert "alasan ditampilkan" in response.get_data(as_text=True)
    response = act_on(client, forwarded, "forward", forwarded_to="BPN Kota Magelang", confirm="y")
    assert "BPN Kota Magelang" in response.get_data(as_text=True)
    assert case_row(app, rejected)[0] == Status.DITOLAK and case_row(app, forwarded)[0] == Status.DIALIHKAN
    html = client.get(f"{INBOX}/{rejected}").get_data(as_text=True)
    assert "Bukan kewenangan kami" in html and 'id="action-' not in html


@pytest.mark.parametrize(
    ("setup", "action", "fields", "message"),
    [
        ([], "finish", {}, "Tindakan ini tidak dapat dilakukan pada status saat ini"),
        ([], "dispose", {"bidang": "1", "body": "x"}, "Tindakan ini tidak dapat dilakukan pada status saat ini"),
        ([], "reject", {"body": "   ", "confirm": "y"}, "Tulis alasan penolakan"),
        ([], "forward", {"forwarded_to": "", "confirm": "y"}, "Tulis nama instansi tujuan"),
        ([], "forward", {"forwarded_to": "x" * 201, "confirm": "y"}, "paling banyak 200 karakter"),
        (["verify"], "dispose", {"bidang": "abc", "body": "Cek"}, "Pilih bidang tujuan"),
        (["verify"], "dispose", {"bidang": "9" * 30, "body": "Cek"}, "Pilih bidang tujuan"),
        (["verify"], "dispose", {"bidang": "999999", "body": "Cek"}, "Pilih bidang tujuan"),
        (["verify"], "answer", {"body": "y" * 10_001}, "Teks terlalu panjang"),
        ([], "reject", {"body": "Bukan \x1b[31mkewenangan", "confirm": "y"}, "karakter yang tidak dapat dibaca"),
        ([], "forward", {"forwarded_to": "BPN\x07", "confirm": "y"}, "karakter yang tidak dapat dibaca"),
        (["verify", "dispose"], "finish", {}, "Kirim tanggapan kepada pelapor sebelum menyelesaikan"),
    ],
)
def test_refused_actions_change_nothing_and_say_why(app, seeded, client, login_as, setup, action, fields, message):
    case_id = file_case(app)
    with app.app_context():
        bidang_id = db.session.scalar(sa.select(Bidang.id).where(Bidang.code == "perizinan-a"))
    login_as(Role.PENGADUAN)
    for step in setup:
        extra = {"bidang": str(bidang_id), "body": "Cek"} if step == "dispose" else {}
        assert act_on(client, case_id, step, **extra).status_code == 200
    before = case_row(app, case_id)
    audit_before = audit_entries(app, f"pengaduan.{action}")
    reads_before = len(audit_entries(app, "pengaduan.read"))
    response = act_on(client, case_id, action, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert case_row(app, case_id) == before
    assert audit_entries(app, f"pengaduan.{action}") == audit_before
    # The refusal shows the case page again: that read of the case is audit-logged like any other.
    assert len(audit_entries(app, "pengaduan.read")) == reads_before + 1
    if "body" in fields and fields["body"].strip():
        assert fields["body"] in html  # what was typed is still in the form


def test_unknown_actions_and_cases(app, seeded, client, login_as):
    case_id = file_case(app)
    login_as(Role.PENGADUAN)
    assert client.post(f"{INBOX}/{case_id}/delete").status_code == 404
    assert client.post(f"{INBOX}/{case_id}/close").status_code == 404  # cron's action, not a button
    assert client.post(f"{INBOX}/{case_id}/rate").status_code == 404
    assert client.post(f"{INBOX}/999999/verify").status_code == 404
    assert client.get(f"{INBOX}/{case_id}/verify").status_code == 405
    assert case_row(app, case_id) == (Status.BARU, 1)


@pytest.mark.parametrize("app_config", [{"SMTP_URL": refused_url(), "SMTP_TIMEOUT_SECONDS": 2}])
def test_a_failing_mail_does_not_undo_the_answer(app, seeded, client, login_as):
    # Nothing listens on that port: the mail server is down while the team answers.
    case_id = file_case(app)
    login_as(Role.PENGADUAN)
    act_on(client, case_id, "verify")
    response = act_on(client, case_id, "answer", body="Kami proses.")
    assert response.status_code == 200 and "Tanggapan disimpan" in response.get_data(as_text=True)
    assert case_row(app, case_id) == (Status.TERVERIFIKASI, 3)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_actions_need_the_csrf_token(app, seeded, client):
    case_id = file_case(app)
    with app.app_context():
        make_user(role=Role.PENGADUAN, username="tim1")
        db.session.commit()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
    login = client.post("/auth/login", data={"username": "tim1", "password": TEST_PASSWORD, "csrf_token": token})
    assert login.status_code == 302
    # No token or a forged one: the page again with what was typed and why, nothing changed.
    typed = {"reject-body": "Bukan kewenangan kami", "reject-confirm": "y"}
    for data in (typed, {**typed, "reject-csrf_token": "forged"}):
        response = client.post(f"{INBOX}/{case_id}/reject", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Formulir kedaluwarsa" in html
        block = re.search(r'id="block-reject".*?</section>', html, re.S).group(0)
        assert "Bukan kewenangan kami" in block and "checked" in block
    assert client.post(f"{INBOX}/{case_id}/verify").status_code == 200
    assert case_row(app, case_id) == (Status.BARU, 1)
    html = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    form = re.search(r'id="action-verify".*?</form>', html, re.S).group(0)
    hidden = dict(re.findall(r'name="(verify-[a-z_]+)" type="hidden" value="([^"]+)"', form))
    assert set(hidden) == {"verify-csrf_token", "verify-submission_key"}  # what the browser sends back
    assert client.post(f"{INBOX}/{case_id}/verify", data=hidden).status_code == 302
    assert case_row(app, case_id) == (Status.TERVERIFIKASI, 2)
