"""Mail through the outbox and a real local SMTP server (aiosmtpd): receipts, answers, team notices, failures."""

from __future__ import annotations

import email
import email.policy
import logging

import pytest
import sqlalchemy as sa
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.factories import advance, make_filed, make_pengaduan, make_user
from tests.smtp import SmtpServer, refused_url
from zi_public.models import MailStatus, OutboxMail, Pengaduan, Role
from zi_public.rules.pengaduan import Action, Channel
from zi_public.services import outbox
from zi_public.services.mail import MailError, parse_smtp_url, send_mail
from zi_public.services.pengaduan.flow import ActionInput, act

TEAM = "tim.pengaduan@example.id"


@pytest.fixture
def app_config(smtp):
    return {
        "SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "MAIL_FROM": "ZI Public <no-reply@zi.example.id>",
        "BASE_URL": "https://zi.example.id",
        "PENGADUAN_TEAM_EMAILS": (TEAM,),
    }


def deliver(db) -> outbox.SendCounts:
    """What `flask mail send` does: deliver the queued mail."""
    return outbox.send_pending(commit=db.session.commit)


def file_and_notify(db, **overrides):
    """File a complaint (it queues its mails with it), commit, and deliver what was queued."""
    filed = make_filed(**overrides)
    db.session.commit()
    deliver(db)
    return filed


def test_reporter_gets_the_number_and_the_status_link_but_never_the_access_code(db, seeded, smtp):
    filed = file_and_notify(db)
    [mail] = smtp.inbox.to("budi@example.id")
    body = mail.get_content()
    assert filed.pengaduan.number in mail["Subject"] and filed.pengaduan.number in body
    assert "https://zi.example.id/pengaduan/status" in body
    code = filed.access_code
    for form in (code, code.replace("-", ""), code.lower()):
        assert form not in mail.as_string()
    assert mail["From"] == "ZI Public <no-reply@zi.example.id>"
    assert mail["Message-ID"].endswith("@zi.example.id>") and mail["Date"]
    assert mail.get_content_charset() == "utf-8"


def test_the_team_gets_new_case_mail_without_the_reporter_identity(db, seeded, smtp):
    make_user(role=Role.PENGADUAN, email="petugas@example.id")
    make_user(role=Role.PENGADUAN, email="cuti@example.id", is_active=False)
    make_user(role=Role.WBS, email="wbs@example.id")
    db.session.commit()
    filed = file_and_notify(db, identity="rahasia", title="PBG belum terbit — sudah 3 bulan")
    [team_mail] = smtp.inbox.to(TEAM)
    assert set(smtp.inbox.envelopes[-1].rcpt_tos) == {TEAM, "petugas@example.id"}
    body = team_mail.get_content()
    assert filed.pengaduan.number in body and "Waktu penyelesaian" in body
    assert "PBG belum terbit — sudah 3 bulan" in body  # UTF-8 survives the trip
    assert "Identitas    : Rahasia" in body and "Saluran      : Web" in body  # the labels of pages and reports
    assert f"https://zi.example.id/internal/pengaduan/{filed.pengaduan.id}" in body
    assert "Budi" not in team_mail.as_string() and "budi@example.id" not in team_mail.as_string()


def test_labels_in_mail_are_indonesian_whatever_the_page_language(db, seeded, smtp, app):
    with app.test_request_context("/kiosk/pengaduan", headers={"Cookie": "zi_lang=en"}):
        make_pengaduan(channel=Channel.KIOSK, identity="anonim")
    db.session.commit()
    deliver(db)
    body = smtp.inbox.to(TEAM)[0].get_content()
    assert "Identitas    : Anonim" in body and "Saluran      : Kios" in body and "Kiosk" not in body


def test_anonymous_reporters_get_nothing(db, seeded, smtp):
    file_and_notify(db, identity="anonim", name="X", email="x@example.id")
    assert smtp.inbox.to("x@example.id") == []
    assert len(smtp.inbox.to(TEAM)) == 1


def test_a_public_answer_is_mailed_and_an_internal_note_is_not(db, seeded, smtp):
    team = make_user(role=Role.PENGADUAN)
    case = make_pengaduan()
    advance(team, case, Action.VERIFY)
    advance(team, case, Action.DISPOSE, bidang="perizinan-b")
    advance(team, case, Action.FOLLOW_UP, body="Catatan internal: berkas di meja Kabid")
    advance(team, case, Action.ANSWER, body="PBG Anda terbit hari Senin, 30 November.")
    db.session.commit()
    deliver(db)
    [receipt, mail] = smtp.inbox.to("budi@example.id")
    assert receipt["Subject"] == f"Pengaduan {case.number} telah kami terima"
    assert case.number in mail["Subject"]
    body = mail.get_content()
    assert "PBG Anda terbit hari Senin, 30 November." in body and "Catatan internal" not in body
    assert "https://zi.example.id/pengaduan/status" in body


def test_a_rolled_back_answer_mails_nothing(db, seeded, smtp):
    team = make_user(role=Role.PENGADUAN)
    case = make_pengaduan()
    act(team, case, Action.VERIFY, ActionInput())
    db.session.commit()
    act(team, case, Action.ANSWER, ActionInput(body="Jawaban yang tidak jadi disimpan."))
    db.session.rollback()  # the request failed after the answer: its mail goes with it
    deliver(db)
    assert [m["Subject"] for m in smtp.inbox.to("budi@example.id")] == [f"Pengaduan {case.number} telah kami terima"]


def test_without_smtp_url_the_mail_is_logged_not_sent(db, seeded, smtp, app, caplog):
    app.config["SMTP_URL"] = None
    with caplog.at_level(logging.INFO, logger="zi_public.mail"):
        filed = file_and_notify(db)
    assert smtp.inbox.envelopes == []
    logged = [r.getMessage() for r in caplog.records if r.name == "zi_public.mail"]
    assert len(logged) == 2  # receipt and team notice
    assert any(filed.pengaduan.number in m and "budi@example.id" in m for m in logged)
    assert all(filed.access_code not in m for m in logged)


def test_an_unreachable_server_does_not_break_filing_and_loses_no_mail(db, seeded, app, caplog):
    app.config["SMTP_URL"] = refused_url()  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="zi_public.mail"):
        filed = file_and_notify(db)  # does not raise
    db.session.expire_all()  # read the complaint back from the database, not the session's copy
    assert db.session.scalar(sa.select(Pengaduan.number).where(Pengaduan.id == filed.pengaduan.id)) == (
        filed.pengaduan.number
    )
    assert any("not sent" in r.getMessage() and filed.pengaduan.number in r.getMessage() for r in caplog.records)
    waiting = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.case_number == filed.pengaduan.number))
    assert sorted((m.kind, m.status) for m in waiting) == [
        ("pengaduan.new_case", MailStatus.PENDING),
        ("pengaduan.receipt", MailStatus.PENDING),
    ]
    with pytest.raises(MailError):
        send_mail(["budi@example.id"], "x", "y")


def test_send_mail_refuses_header_smuggling(app, smtp):
    with app.app_context():
        with pytest.raises(MailError):
            send_mail(["budi@example.id\r\nBcc: evil@example.com"], "Hai", "isi")
        with pytest.raises(MailError):
            send_mail(["Budi <budi@example.id>, evil@example.com"], "Hai", "isi")
        send_mail(["budi@example.id", "BUDI@example.id", ""], "Judul\r\nBcc: evil@example.com", "isi")
    [envelope] = smtp.inbox.envelopes
    assert envelope.rcpt_tos == ["budi@example.id"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message["Bcc"] is None and message["Subject"] == "Judul Bcc: evil@example.com"


def test_starttls_required_but_not_offered_is_an_error(app, smtp):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp.port}?starttls=1"
    with app.app_context(), pytest.raises(MailError):
        send_mail(["budi@example.id"], "x", "y")
    assert smtp.inbox.envelopes == []


def test_credentials_in_the_url_are_url_decoded_and_used(app):
    seen: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"p@ss:w/rd", handled=False)

    # Plain-text AUTH without TLS only because this server is on loopback inside the test.
    with SmtpServer(authenticator=authenticator, auth_require_tls=False) as server:
        app.config["SMTP_URL"] = f"smtp://mailer%40zi:p%40ss%3Aw%2Frd@127.0.0.1:{server.port}"
        with app.app_context():
            send_mail(["budi@example.id"], "x", "y")
            app.config["SMTP_URL"] = f"smtp://mailer%40zi:wrong@127.0.0.1:{server.port}"
            with pytest.raises(MailError):
                send_mail(["budi@example.id"], "x", "y")
        assert len(server.inbox.envelopes) == 1
    assert seen[0] == (b"mailer@zi", b"p@ss:w/rd")


@pytest.mark.parametrize(
    "url",
    ["http://mail.example.id", "smtp://", "smtp://host:notaport", "smtps://host?starttls=1", "mail.example.id:25"],
)
def test_bad_smtp_urls_are_clear_errors(url):
    with pytest.raises(MailError):
        parse_smtp_url(url)


def test_smtp_url_forms():
    plain = parse_smtp_url("smtp://relay.example.id")
    assert (plain.host, plain.port, plain.implicit_tls, plain.starttls, plain.username) == (
        "relay.example.id",
        25,
        False,
        False,
        None,
    )
    tls = parse_smtp_url("smtps://u:p@relay.example.id")
    assert (tls.port, tls.implicit_tls, tls.username, tls.password) == (465, True, "u", "p")
    assert parse_smtp_url("smtp://relay.example.id:587?starttls=1").starttls


def test_links_come_from_the_base_url_never_from_the_request_host(db, seeded, smtp, app):
    app.config["BASE_URL"] = None  # development: the documented local default (production requires it)
    with app.test_request_context("/pengaduan/", base_url="https://lapor.example.id"):
        make_pengaduan()
    app.config["BASE_URL"] = "https://zi.example.id"
    with app.test_request_context("/api/v1/pengaduan", base_url="https://attacker.example.com"):
        make_pengaduan(channel=Channel.API)
    db.session.commit()
    deliver(db)
    first, second = (m.get_content() for m in smtp.inbox.to("budi@example.id"))
    assert "http://127.0.0.1:5000/pengaduan/status" in first and "lapor.example.id" not in first
    assert "https://zi.example.id/pengaduan/status" in second and "attacker" not in second


def test_a_member_who_leaves_the_team_gets_no_more_new_case_mail(db, seeded, smtp):
    """The team's addresses are kept per process (every filing mails them); a change is seen at once."""
    member = make_user(role=Role.PENGADUAN, email="petugas@example.id")
    db.session.commit()
    file_and_notify(db)
    assert set(smtp.inbox.envelopes[-1].rcpt_tos) == {TEAM, "petugas@example.id"}
    member.is_active = False
    db.session.commit()
    newcomer = make_user(role=Role.PENGADUAN, email="baru@example.id")
    db.session.commit()
    file_and_notify(db)
    assert set(smtp.inbox.envelopes[-1].rcpt_tos) == {TEAM, "baru@example.id"}
    assert newcomer.is_active
