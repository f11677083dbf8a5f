"""Admins see mails that keep failing (kind, number, attempts, error, dates) but never their content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_outbox_mail
from tests.smtp import refused_url
from tests.test_csrf import sign_in, token_from
from zi_public.extensions import db
from zi_public.models import AuditEntry, MailStatus, OutboxMail, Role
from zi_public.services import outbox

SECRET_BODY = "Isi rahasia: PBG atas nama Budi belum terbit"
SECRET_SUBJECT = "Tanggapan atas pengaduan PGD-2026-00042"
RECIPIENT = "budi.santoso@example.id"


@pytest.fixture
def app_config():
    return {"SMTP_URL": refused_url(), "OUTBOX_MAX_ATTEMPTS": 2, "OUTBOX_FAILING_ATTEMPTS": 2}


@pytest.fixture
def failing_mail_id(app) -> int:
    """A mail SMTP refused twice: failed for good, its content kept for a retry."""
    with app.app_context():
        mail = make_outbox_mail("pengaduan.answer", [RECIPIENT], SECRET_SUBJECT, SECRET_BODY, "PGD-2026-00042")
        make_outbox_mail(to=["ok@example.id"], subject="Diterima", body="Baik", number="PGD-2026-00043")
        db.session.commit()
        mail_id = mail.id
        db.session.execute(
            sa.update(OutboxMail)
            .where(OutboxMail.id != mail_id)
            .values(status=MailStatus.SENT, sent_at=datetime.now(UTC), recipients=None, subject=None, body=None)
        )
        db.session.commit()
        now = datetime.now(UTC)
        for attempt in range(2):
            outbox.send_pending(now=now + timedelta(hours=attempt), commit=db.session.commit)
        assert db.session.get(OutboxMail, mail_id).status == MailStatus.FAILED
    return mail_id


def test_admin_sees_the_failing_mail_without_its_content(client, login_as, failing_mail_id):
    login_as(Role.ADMIN)
    response = client.get("/internal/antrean-surel")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="mail-{failing_mail_id}"' in html
    assert "pengaduan.answer" in html and "PGD-2026-00042" in html and "ConnectionRefusedError" in html
    assert "PGD-2026-00043" not in html  # delivered mails are not listed
    for secret in (SECRET_BODY, "Budi", RECIPIENT, "budi.santoso", "Tanggapan atas", "zk1."):
        assert secret not in html
    assert 'href="/internal/antrean-surel"' in client.get("/internal/").get_data(as_text=True)  # in the menu


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_other_roles_are_refused(client, login_as, failing_mail_id, role):
    login_as(role)
    assert client.get("/internal/antrean-surel").status_code == 403
    assert client.post(f"/internal/antrean-surel/{failing_mail_id}/kirim-ulang").status_code == 403
    assert 'href="/internal/antrean-surel"' not in client.get("/internal/").get_data(as_text=True)


def test_retry_now_makes_the_mail_due_and_is_audit_logged(app, client, login_as, failing_mail_id):
    admin = login_as(Role.ADMIN)
    response = client.post(f"/internal/antrean-surel/{failing_mail_id}/kirim-ulang")
    assert response.status_code == 302 and response.headers["Location"].endswith("/internal/antrean-surel")
    with app.app_context():
        mail = db.session.get(OutboxMail, failing_mail_id)
        assert mail.status == MailStatus.PENDING and mail.next_attempt_at <= datetime.now(UTC).replace(tzinfo=None)
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "outbox.retry")).one()
        assert entry.actor_id == admin.id and entry.target_id == str(failing_mail_id)
        assert SECRET_BODY not in entry.data and RECIPIENT not in entry.data
    assert client.post("/internal/antrean-surel/999999/kirim-ulang").status_code == 404


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "OUTBOX_FAILING_ATTEMPTS": 1}])
def test_retry_without_a_csrf_token_is_refused(app, client, app_config):
    with app.app_context():
        mail = outbox.enqueue("pengaduan.answer", [RECIPIENT], SECRET_SUBJECT, SECRET_BODY, number="PGD-2026-00042")
        mail.status = MailStatus.FAILED
        db.session.commit()
        mail_id = mail.id
    sign_in(app, client, "adm", Role.ADMIN)
    assert (
        client.post(f"/internal/antrean-surel/{mail_id}/kirim-ulang", data={"csrf_token": "forged"}).status_code == 400
    )
    page = client.get("/internal/antrean-surel").get_data(as_text=True)
    token = token_from(page)
    assert client.post(f"/internal/antrean-surel/{mail_id}/kirim-ulang", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(OutboxMail, mail_id).status == MailStatus.PENDING


def test_no_failing_mail_shows_the_empty_state(client, login_as):
    login_as(Role.ADMIN)
    html = client.get("/internal/antrean-surel").get_data(as_text=True)
    assert "Tidak ada surel yang gagal terkirim." in html and "<table" not in html


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2, "OUTBOX_FAILING_ATTEMPTS": 1}])
def test_the_list_is_paged_newest_first(app, client, login_as, app_config):
    with app.app_context():
        mails = [make_outbox_mail(number=f"PGD-2026-{n:05d}") for n in range(1, 6)]
        for mail in mails:
            mail.status = MailStatus.FAILED
        db.session.commit()
        ids = [mail.id for mail in mails]
    login_as(Role.ADMIN)

    def listed(html: str) -> list[int]:
        return [mail_id for mail_id in sorted(ids, reverse=True) if f'id="mail-{mail_id}"' in html]

    first = client.get("/internal/antrean-surel").get_data(as_text=True)
    assert listed(first) == [ids[4], ids[3]] and 'rel="prev"' not in first
    second = client.get("/internal/antrean-surel", query_string={"before": ids[3]}).get_data(as_text=True)
    assert listed(second) == [ids[2], ids[1]] and 'rel="prev"' in second and 'rel="next"' in second
    last = client.get("/internal/antrean-surel", query_string={"before": ids[1]}).get_data(as_text=True)
    assert listed(last) == [ids[0]] and 'rel="next"' not in last
    bad = client.get("/internal/antrean-surel", query_string={"before": "x"})
    assert bad.status_code == 200 and listed(bad.get_data(as_text=True)) == [ids[4], ids[3]]
