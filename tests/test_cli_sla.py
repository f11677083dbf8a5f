"""`flask --app wsgi sla tick`: closes expired cases and queues the team's digest, which `mail send` delivers
(real SMTP server)."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import advance, make_pengaduan, make_user
from tests.smtp import SmtpServer, refused_url
from zi_public.extensions import db
from zi_public.localtime import JAKARTA, today_jakarta
from zi_public.models import AuditEntry, MailStatus, OutboxMail, Pengaduan, PengaduanEvent, Role
from zi_public.rules.pengaduan import Action, Channel
from zi_public.services import outbox
from zi_public.services.calendar import work_calendar

TEAM = "tim.pengaduan@example.id"


@pytest.fixture
def app_config(smtp):
    return {"SMTP_URL": f"smtp://127.0.0.1:{smtp.port}", "PENGADUAN_TEAM_EMAILS": (TEAM,)}


def at_noon(day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=JAKARTA).astimezone(UTC)


#: The reporters of this scenario leave a phone number, not an email: only the team's mail goes out.
REPORTER = {"layanan": None, "name": "Budi", "email": None, "phone": "08123456789"}
HANDLED = (Action.VERIFY, Action.DISPOSE, Action.ANSWER)


@pytest.fixture
def cases(app, seeded, smtp):
    """Real-clock scenario: one expired finished case, one overdue, one due by the next working day, one fresh."""
    with app.app_context():
        team = make_user(role=Role.PENGADUAN)
        calendar = work_calendar()
        today = today_jakarta()
        long_ago = at_noon(today - timedelta(days=60))
        expired = make_pengaduan(title="Selesai lama", now=long_ago, **REPORTER)
        for action in (*HANDLED, Action.FINISH):
            advance(team, expired, action, long_ago)
        open_window = make_pengaduan(title="Baru selesai", now=long_ago, **REPORTER)
        for action in HANDLED:
            advance(team, open_window, action, long_ago)
        advance(team, open_window, Action.FINISH, at_noon(today))
        overdue = make_pengaduan(
            title="Belum diverifikasi", channel=Channel.KIOSK, now=at_noon(today - timedelta(days=20)), **REPORTER
        )
        horizon = calendar.add_working_days(today, 1)
        # A day whose 3-working-day verification deadline falls today or on the next working day.
        due_day = next(
            today - timedelta(days=k)
            for k in range(1, 15)
            if today <= calendar.add_working_days(today - timedelta(days=k), 3) <= horizon
        )
        due = make_pengaduan(title="Jatuh tempo", channel=Channel.API, now=at_noon(due_day), **REPORTER)
        fresh = make_pengaduan(title="Masuk hari ini", now=at_noon(today), **REPORTER)
        db.session.commit()
        outbox.send_pending(commit=db.session.commit)  # the new-case notices went out when they were filed
        smtp.inbox.envelopes.clear()
        return {
            "expired": expired.number,
            "open_window": open_window.number,
            "overdue": overdue.number,
            "overdue_late": calendar.count_working_days(overdue.verify_by, today),
            "due": due.number,
            "fresh": fresh.number,
        }


def digest_bodies(smtp: SmtpServer) -> list[str]:
    return [
        email.message_from_bytes(e.original_content, policy=email.policy.default).get_content()
        for e in smtp.inbox.envelopes
        if TEAM in e.rcpt_tos
    ]


def test_tick_closes_expired_cases_and_mails_the_digest(app, cases, smtp):
    result = app.test_cli_runner().invoke(args=["sla", "tick"])
    assert result.exit_code == 0, result.output
    assert "closed 1; due 1; overdue 1" in result.output and "digest queued" in result.output
    assert smtp.inbox.envelopes == []  # queued, not sent: the tick never waits for SMTP
    assert "sent 1;" in app.test_cli_runner().invoke(args=["mail", "send"]).output
    with app.app_context():
        closed = {n for n in db.session.scalars(sa.select(Pengaduan.number).where(Pengaduan.closed_at.is_not(None)))}
    assert closed == {cases["expired"]}  # the case still inside its reply window stays open
    [body] = digest_bodies(smtp)
    assert cases["overdue"] in body and f"terlambat {cases['overdue_late']} hari kerja" in body
    assert cases["due"] in body and "Jatuh tempo" in body
    for quiet in ("expired", "open_window", "fresh"):
        assert cases[quiet] not in body
    assert cases["overdue_late"] > 0


def test_tick_twice_closes_once(app, cases, smtp):
    runner = app.test_cli_runner()
    assert "closed 1;" in runner.invoke(args=["sla", "tick"]).output
    second = runner.invoke(args=["sla", "tick"])
    assert second.exit_code == 0 and "closed 0; due 1; overdue 1" in second.output
    with app.app_context():
        closes = db.session.scalar(
            sa.select(sa.func.count(PengaduanEvent.id)).where(PengaduanEvent.action == Action.CLOSE)
        )
        audits = db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "pengaduan.close")
        )
    assert closes == audits == 1


def test_smtp_down_keeps_the_closing_and_the_digest_waits_in_the_outbox(app, cases, smtp):
    app.config["SMTP_URL"] = refused_url()  # nothing listens there
    result = app.test_cli_runner().invoke(args=["sla", "tick"])
    assert result.exit_code == 0 and "digest queued" in result.output
    assert "retry later 1" in app.test_cli_runner().invoke(args=["mail", "send"]).output
    with app.app_context():
        expired = db.session.scalar(sa.select(Pengaduan).where(Pengaduan.number == cases["expired"]))
        assert expired.is_closed
        digest = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "pengaduan.digest")).one()
        assert digest.status == MailStatus.PENDING and digest.case_number is None


def test_a_quiet_day_sends_no_mail(app, smtp):
    result = app.test_cli_runner().invoke(args=["sla", "tick"])
    assert result.exit_code == 0 and "closed 0; due 0; overdue 0" in result.output
    assert "sent 0;" in app.test_cli_runner().invoke(args=["mail", "send"]).output
    assert smtp.inbox.envelopes == []


def test_no_team_address_is_reported(app, cases, smtp):
    app.config["PENGADUAN_TEAM_EMAILS"] = ()
    result = app.test_cli_runner().invoke(args=["sla", "tick"])
    assert result.exit_code == 0 and "no team address" in result.output
    app.test_cli_runner().invoke(args=["mail", "send"])
    assert digest_bodies(smtp) == []
