"""The UPG's gratifikasi inbox and case page over HTTP: the audited read, every action, the pimpinan's
read-only view, other roles refused, stale and hostile forms (400 with the page, nothing changed), files."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_attachment, make_gratifikasi
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry
from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.rules.gratifikasi import Decision, Status
from zi_public.services.gratifikasi import flow

INBOX = "/internal/gratifikasi/"


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PAGE_SIZE": 2}


def new_report(app, **overrides) -> int:
    with app.app_context():
        if overrides.get("kind") == "ditolak":
            overrides.setdefault("gift_location", "")
        report = make_gratifikasi(**overrides).report
        db.session.commit()
        return report.id


def row(app, report_id: int) -> dict:
    with app.app_context():
        r = db.session.get(GratifikasiReport, report_id)
        return {
            "status": r.status,
            "forwarded_on": r.forwarded_on,
            "kpk_reference": r.kpk_reference,
            "decision": r.decision,
            "decision_number": r.decision_number,
            "events": len(r.events),
            "last_event": flow.last_event_id(r),
        }


def audit_actions(app, prefix: str = "gratifikasi.") -> list[tuple[str, str, dict]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry.action, AuditEntry.actor, AuditEntry.data)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.id)
        )
        return [(action, actor, json.loads(data)) for action, actor, data in rows]


def post_action(client, app, report_id: int, action: str, **fields):
    state = row(app, report_id)
    data = {
        "action": action,
        f"{action}-seen_status": state["status"].value,
        f"{action}-seen_event": str(state["last_event"]),
    }
    data.update({f"{action}-{key}": value for key, value in fields.items()})
    return client.post(f"/internal/gratifikasi/{report_id}/aksi", data=data)


def test_the_upg_forwards_and_decides_and_the_case_shows_it(app, client, login_as):
    report_id = new_report(app)
    upg = login_as("upg")
    today = today_jakarta().isoformat()

    page = client.get(f"/internal/gratifikasi/{report_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Budi Santoso" in html and "3371010101900001" in html and "Jl. Pahlawan 1" in html
    assert "dilaporkan setelah batas waktu kantor" in html  # received 2 November: the office's 7 days passed
    assert 'id="form-verify"' in html and 'id="form-forward"' not in html
    assert html.index('id="form-verify"') < html.index('id="form-request_completion"')  # usual step first

    assert post_action(client, app, report_id, "verify").status_code == 302
    response = post_action(client, app, report_id, "forward", forwarded_on=today, kpk_reference="R-77/KPK")
    assert response.status_code == 302
    response = post_action(
        client, app, report_id, "decide", decision="milik_penerima", decision_number="SK 9/2026", decision_date=today
    )
    assert response.status_code == 302
    state = row(app, report_id)
    assert state["status"] == Status.DITETAPKAN and state["decision"] == Decision.MILIK_PENERIMA
    assert state["kpk_reference"] == "R-77/KPK" and state["decision_number"] == "SK 9/2026"

    html = client.get(f"/internal/gratifikasi/{report_id}").get_data(as_text=True)
    assert "R-77/KPK" in html and "SK 9/2026" in html and "Milik penerima" in html
    assert 'id="form-finish"' in html and 'id="form-decide"' not in html

    actions = audit_actions(app)
    assert [a for a, _u, _d in actions] == [
        "gratifikasi.create",
        "gratifikasi.read",
        "gratifikasi.verify",
        "gratifikasi.forward",
        "gratifikasi.decide",
        "gratifikasi.read",
    ]
    assert all(actor == upg.username for _a, actor, _d in actions[1:])


def test_inbox_lists_filters_and_searches(app, client, login_as):
    first = new_report(app)
    refused = new_report(app, kind="ditolak")
    late = new_report(app, received_on=today_jakarta() - timedelta(days=80))
    login_as("upg")
    html = client.get(INBOX).get_data(as_text=True)
    assert f"gratifikasi-{late}" in html and f"gratifikasi-{refused}" in html  # newest first, 2 a page
    assert f"gratifikasi-{first}" not in html and 'rel="next"' in html
    assert "Budi" not in html  # no personal data in the list
    html = client.get(INBOX, query_string={"late": "y"}).get_data(as_text=True)
    assert f"gratifikasi-{late}" in html and f"gratifikasi-{first}" not in html and "Terlambat" in html
    html = client.get(INBOX, query_string={"kind": "ditolak"}).get_data(as_text=True)
    assert f"gratifikasi-{refused}" in html and f"gratifikasi-{late}" not in html
    with app.app_context():
        number = db.session.get(GratifikasiReport, first).number
    html = client.get(INBOX, query_string={"q": number.lower()}).get_data(as_text=True)
    assert f"gratifikasi-{first}" in html and f"gratifikasi-{late}" not in html
    html = client.get(INBOX, query_string={"overdue": "y"}).get_data(as_text=True)
    assert f"gratifikasi-{first}" not in html
    for bad in ({"status": "hapus"}, {"q": "GRT%"}, {"kind": "\x00"}, {"before": "-1"}, {"q": "x" * 500}):
        response = client.get(INBOX, query_string=bad)
        assert response.status_code in (200, 400), bad  # a NUL byte is refused app-wide (400)


def test_the_open_clock_is_overdue_in_the_inbox(app, client, login_as):
    report_id = new_report(app)
    with app.app_context():
        db.session.execute(
            sa.update(GratifikasiReport)
            .where(GratifikasiReport.id == report_id)
            .values(forward_by=today_jakarta() - timedelta(days=1))
        )
        db.session.commit()
    login_as("upg")
    html = client.get(INBOX, query_string={"overdue": "y"}).get_data(as_text=True)
    assert f'id="gratifikasi-{report_id}" class="is-overdue"' in html and "due-overdue" in html
    html = client.get(f"/internal/gratifikasi/{report_id}").get_data(as_text=True)
    assert 'id="open-clock" class="due-overdue"' in html


def test_the_pimpinan_reads_and_changes_nothing(app, client, login_as):
    report_id = new_report(app)
    boss = login_as("pimpinan")
    assert client.get(INBOX).status_code == 200
    page = client.get(f"/internal/gratifikasi/{report_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Budi Santoso" in html and '<form method="post" action="/internal/gratifikasi' not in html
    for action in ("verify", "note", "request_completion"):
        assert post_action(client, app, report_id, action, text="x").status_code == 403
    assert row(app, report_id)["status"] == Status.BARU
    reads = [(a, u) for a, u, _d in audit_actions(app) if a == "gratifikasi.read"]
    assert reads == [("gratifikasi.read", boss.username)]


@pytest.mark.parametrize("role", ["admin", "pengaduan", "wbs", "skm"])
def test_other_roles_are_refused(app, client, login_as, role):
    report_id = new_report(app)
    login_as(role)
    assert client.get(INBOX).status_code == 403
    assert client.get(f"/internal/gratifikasi/{report_id}").status_code == 403
    assert post_action(client, app, report_id, "verify").status_code == 403
    assert audit_actions(app, "gratifikasi.read") == []


def test_a_stale_form_is_refused_with_a_message(app, client, login_as):
    report_id = new_report(app)
    login_as("upg")
    state = row(app, report_id)
    stale = {"action": "verify", "verify-seen_status": "baru", "verify-seen_event": str(state["last_event"])}
    assert post_action(client, app, report_id, "note", text="Sudah ditelepon.").status_code == 302
    response = client.post(f"/internal/gratifikasi/{report_id}/aksi", data=stale)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "sudah berubah sejak halaman dibuka" in html
    assert "Budi Santoso" not in html and 'id="redacted"' in html  # a rolled-back page shows no personal data
    assert row(app, report_id)["status"] == Status.BARU
    # The page shows the case as it is now: its form is measured against that, so sending it again works.
    current = row(app, report_id)["last_event"]
    assert f'name="verify-seen_event" type="hidden" value="{current}"' in html
    fresh = {**stale, "verify-seen_event": str(current)}
    assert client.post(f"/internal/gratifikasi/{report_id}/aksi", data=fresh).status_code == 302
    assert row(app, report_id)["status"] == Status.DIVERIFIKASI


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tindakan ini tidak dapat dilakukan"),
        ({"action": "hapus"}, "Tindakan ini tidak dapat dilakukan"),
        ({"action": "decide"}, "Tindakan ini tidak dapat dilakukan"),  # not open in status baru
        ({"action": "verify"}, "Formulir kedaluwarsa atau tidak lengkap"),  # no seen_* fields
        ({"action": "verify", "verify-seen_status": "baru", "verify-seen_event": "x\x00"}, "Formulir kedaluwarsa"),
        ({"action": "verify", "verify-seen_status": "hapus", "verify-seen_event": "1"}, "Formulir kedaluwarsa"),
        (
            {"action": "note", "note-seen_status": "baru", "note-seen_event": "1", "note-text": "a\x00b"},
            "tidak dapat dibaca",
        ),
        (
            {"action": "note", "note-seen_status": "baru", "note-seen_event": "1", "note-text": "x" * 10_001},
            "Paling banyak",
        ),
        ({"action": "\x00" * 100}, "Tindakan ini tidak dapat dilakukan"),
    ],
)
def test_hostile_posts_give_400_with_a_message_and_change_nothing(app, client, login_as, data, message):
    report_id = new_report(app)
    login_as("upg")
    before = row(app, report_id)
    response = client.post(f"/internal/gratifikasi/{report_id}/aksi", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert row(app, report_id) == before
    assert [a for a, _u, _d in audit_actions(app)] == ["gratifikasi.create"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"forwarded_on": "31-12-2026", "kpk_reference": "R-1"}, "Tanggal tidak valid"),
        ({"forwarded_on": "2026-02-30", "kpk_reference": "R-1"}, "Tanggal tidak valid"),
        ({"forwarded_on": "99999-01-01", "kpk_reference": "R-1"}, "Tanggal tidak valid"),
        ({"forwarded_on": "2026-11-30\x00", "kpk_reference": "R-1"}, "Tanggal tidak valid"),
        ({"forwarded_on": "", "kpk_reference": "R-1"}, "Tanggal diteruskan ke KPK"),
        ({"forwarded_on": "2099-01-01", "kpk_reference": "R-1"}, "tidak boleh setelah hari ini"),
        ({"forwarded_on": "2020-01-01", "kpk_reference": "R-1"}, "tidak boleh sebelum laporan diterima"),
        ({"forwarded_on": "TODAY", "kpk_reference": "x" * 121}, "Paling banyak 120 karakter"),
        ({"forwarded_on": "TODAY", "kpk_reference": "R\n1"}, "satu baris"),
    ],
)
def test_garbage_forward_forms_keep_what_was_typed(app, client, login_as, fields, message):
    report_id = new_report(app)
    login_as("upg")
    assert post_action(client, app, report_id, "verify").status_code == 302
    before = row(app, report_id)
    fields = {k: (today_jakarta().isoformat() if v == "TODAY" else v) for k, v in fields.items()}
    response = post_action(client, app, report_id, "forward", **fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert row(app, report_id) == before


def test_close_incomplete_needs_the_confirmation(app, client, login_as):
    report_id = new_report(app)
    login_as("upg")
    assert post_action(client, app, report_id, "request_completion", text="Lampirkan foto.").status_code == 302
    with app.app_context():
        report = db.session.get(GratifikasiReport, report_id)
        report.completion_requested_on = date(2026, 1, 5)
        report.completion_by = today_jakarta() - timedelta(days=1)
        db.session.commit()
    html = client.get(f"/internal/gratifikasi/{report_id}").get_data(as_text=True)
    assert 'id="form-close_incomplete"' in html and "button danger" in html
    response = post_action(client, app, report_id, "close_incomplete")
    assert response.status_code == 400 and "Centang konfirmasi" in response.get_data(as_text=True)
    assert row(app, report_id)["status"] == Status.PERLU_KELENGKAPAN
    assert post_action(client, app, report_id, "close_incomplete", confirm="y").status_code == 302
    assert row(app, report_id)["status"] == Status.TIDAK_LENGKAP
    html = client.get(f"/internal/gratifikasi/{report_id}").get_data(as_text=True)
    assert "dihentikan: laporan ditutup" in html and 'id="actions"' in html  # the note stays open
    assert "belum berjalan" not in html  # the clocks stopped with the report: not "not started"
    assert 'id="form-close_incomplete"' not in html


def test_attachments_download_through_the_case_file_helper(app, client, login_as):
    with app.app_context():
        report = make_gratifikasi().report
        attachment = make_attachment(report)
        db.session.commit()
        report_id, attachment_id = report.id, attachment.id
    login_as("upg")
    html = client.get(f"/internal/gratifikasi/{report_id}").get_data(as_text=True)
    assert f"/internal/gratifikasi/{report_id}/lampiran/{attachment_id}" in html
    response = client.get(f"/internal/gratifikasi/{report_id}/lampiran/{attachment_id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(f"/internal/gratifikasi/{report_id}/lampiran/999999").status_code == 404
    assert "gratifikasi.attachment_download" in [a for a, _u, _d in audit_actions(app)]


def test_a_missing_case_is_404(app, client, login_as):
    login_as("upg")
    assert client.get("/internal/gratifikasi/999999").status_code == 404
    assert client.post("/internal/gratifikasi/999999/aksi", data={}).status_code == 404


def test_the_english_pages(app, client, login_as):
    report_id = new_report(app, received_on=today_jakarta() - timedelta(days=80))
    login_as("upg")
    client.set_cookie(LANG_COOKIE, "en")
    html = client.get(f"/internal/gratifikasi/{report_id}").get_data(as_text=True)
    for text in ("Giver and gift", "Regulation in force on the day received", "Article 12C of Law 20/2001", "Verify"):
        assert text in html, text
    assert "Pemberi dan gratifikasi" not in html and "Minta kelengkapan" not in html
    html = client.get(INBOX).get_data(as_text=True)
    assert "Late: " in html and "Goods" in html and "Dilaporkan" not in html
    response = post_action(client, app, report_id, "request_completion", text="")
    assert response.status_code == 400 and "The reporter's personal data is not shown" in response.get_data(
        as_text=True
    )
