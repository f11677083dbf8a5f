"""The mail outbox against real SMTP servers: delivered, refused, down, hung; encrypted; never twice."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import MAIL_BODY, MAIL_SUBJECT, MAIL_TO, make_filed, make_outbox_mail, make_user
from tests.smtp import HangingSmtpServer, Inbox, SmtpServer, refused_url
from zi_public.extensions import db as _db
from zi_public.models import AuditEntry, MailStatus, OutboxMail
from zi_public.services import outbox
from zi_public.services.mail import MailError


@pytest.fixture
def app_config(smtp):
    return {
        "SMTP_URL": smtp.url,
        "MAIL_FROM": "ZI Public <no-reply@zi.example.id>",
        "SMTP_TIMEOUT_SECONDS": 5,  # generous for a busy machine; the hung-server test sets its own
    }


def send(now: datetime, **kwargs) -> outbox.SendCounts:
    return outbox.send_pending(now=now, commit=_db.session.commit, **kwargs)


def fresh(mail_id: int) -> OutboxMail:
    _db.session.expire_all()
    return _db.session.get(OutboxMail, mail_id)


def raw_row(mail_id: int) -> dict:
    """The stored values, bypassing the decrypting column type."""
    row = _db.session.execute(
        sa.text("SELECT recipients, subject, body, status, kind, case_number FROM outbox_mail WHERE id = :id"),
        {"id": mail_id},
    ).mappings()
    return dict(row.one())


def test_a_queued_mail_is_delivered_and_its_content_dropped(db, smtp):
    mail = make_outbox_mail(to=[MAIL_TO, "BUDI.SANTOSO@example.id", "tim@example.id"])
    db.session.commit()
    now = datetime.now(UTC)
    assert smtp.inbox.envelopes == []  # queueing sends nothing

    counts = send(now)

    assert (counts.sent, counts.retrying, counts.failed) == (1, 0, 0)
    [envelope] = smtp.inbox.envelopes
    assert envelope.rcpt_tos == [MAIL_TO, "tim@example.id"]
    [message] = smtp.inbox.messages()
    assert message["Subject"] == MAIL_SUBJECT and message.get_content().strip() == MAIL_BODY
    stored = fresh(mail.id)
    assert stored.status == MailStatus.SENT and stored.attempts == 1
    assert stored.sent_at == now.replace(tzinfo=None)
    assert raw_row(mail.id) == {
        "recipients": None,
        "subject": None,
        "body": None,
        "status": "sent",
        "kind": "pengaduan.receipt",
        "case_number": "PGD-2026-00001",
    }
    assert send(now + timedelta(hours=1)).total == 0  # delivered once, never again


def test_content_is_encrypted_at_rest(db):
    mail = make_outbox_mail()
    db.session.commit()
    row = raw_row(mail.id)
    for column, plain in (("recipients", MAIL_TO), ("subject", MAIL_SUBJECT), ("body", MAIL_BODY)):
        assert row[column].startswith("zk1.")
        assert plain not in row[column] and "PGD-2026-00001" not in row[column] and "budi" not in row[column]
    assert fresh(mail.id).body == MAIL_BODY  # and readable through the keyring


def test_a_mail_is_part_of_the_transaction_that_causes_it(db, smtp):
    make_outbox_mail()
    db.session.rollback()  # the change failed: its mail goes with it
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
    assert send(datetime.now(UTC)).total == 0 and smtp.inbox.envelopes == []


def test_queueing_never_talks_to_smtp_even_when_it_hangs(app, db):
    with HangingSmtpServer() as hanging:
        app.config["SMTP_URL"] = hanging.url
        app.config["SMTP_TIMEOUT_SECONDS"] = 30  # a request that waited for it would be noticed
        started = time.perf_counter()
        for n in range(5):
            make_outbox_mail(number=f"PGD-2026-{n:05d}")
        db.session.commit()
        elapsed = time.perf_counter() - started
        assert hanging.connections == []
    assert elapsed < 1.0


def test_bad_addresses_are_left_out_and_nothing_is_queued_without_one(db, caplog):
    mail = make_outbox_mail(to=["budi@example.id\r\nBcc: evil@example.com", "ok@example.id", "", "a b@example.id"])
    assert mail.recipients == "ok@example.id"
    assert outbox.enqueue("pengaduan.receipt", ["", "not an address"], "s", "b") is None
    assert all("evil" not in r.getMessage() and "not an address" not in r.getMessage() for r in caplog.records)
    with pytest.raises(outbox.OutboxError):
        outbox.enqueue("", ["ok@example.id"], "s", "b")


def test_a_server_that_is_down_is_retried_with_back_off_and_the_mail_is_not_lost(app, db):
    down = refused_url()  # nothing listens: connection refused
    app.config["SMTP_URL"] = down
    mail = make_outbox_mail()
    db.session.commit()
    t0 = datetime.now(UTC)

    counts = send(t0)
    assert (counts.sent, counts.retrying, counts.failed) == (0, 1, 0)
    stored = fresh(mail.id)
    assert stored.status == MailStatus.PENDING and stored.attempts == 1
    assert stored.next_attempt_at == (t0 + timedelta(minutes=1)).replace(tzinfo=None)
    assert stored.last_error.startswith("ConnectionRefusedError")

    assert send(t0 + timedelta(seconds=59)).total == 0  # not yet due
    assert send(t0 + timedelta(minutes=1)).retrying == 1
    assert fresh(mail.id).next_attempt_at == (t0 + timedelta(minutes=3)).replace(tzinfo=None)  # then 2 minutes
    assert send(t0 + timedelta(minutes=3)).retrying == 1
    assert fresh(mail.id).next_attempt_at == (t0 + timedelta(minutes=7)).replace(tzinfo=None)  # then 4

    with SmtpServer() as back:
        app.config["SMTP_URL"] = back.url
        assert send(t0 + timedelta(minutes=6)).total == 0
        assert send(t0 + timedelta(minutes=7)).sent == 1
        [message] = back.inbox.messages()
    assert message.get_content().strip() == MAIL_BODY
    stored = fresh(mail.id)
    assert (stored.status, stored.attempts, stored.last_error) == (MailStatus.SENT, 4, None)


class RefusingInbox(Inbox):
    """Refuses every recipient with a message that names it (as real servers do)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


def test_a_hung_server_costs_one_timeout_per_round_and_the_mail_goes_out_once_smtp_answers(app, db):
    first, *others = (make_outbox_mail(number=f"PGD-2026-0000{n}") for n in range(3))
    db.session.commit()
    t0 = datetime.now(UTC)
    with HangingSmtpServer() as hanging:
        app.config["SMTP_URL"] = hanging.url
        app.config["SMTP_TIMEOUT_SECONDS"] = 0.3
        started = time.perf_counter()
        counts = send(t0)
        elapsed = time.perf_counter() - started
        assert len(hanging.connections) == 1  # the other two were not sent to wait for it as well
    assert (counts.retrying, counts.postponed) == (1, 2) and elapsed < 5
    assert str(counts) == "sent 0; retry later 1; failed 0; postponed 2 (SMTP server unreachable)"
    stored = fresh(first.id)
    assert stored.status == MailStatus.PENDING and "timed out" in stored.last_error
    assert [fresh(m.id).attempts for m in others] == [0, 0]  # postponed, not counted as attempts

    with SmtpServer() as back:
        app.config["SMTP_URL"] = back.url
        app.config["SMTP_TIMEOUT_SECONDS"] = 5  # the server answers now; 0.3 s can pass on a busy machine
        assert send(t0 + timedelta(seconds=1)).sent == 2  # the postponed ones are still due
        assert send(t0 + timedelta(minutes=1)).sent == 1  # the one that timed out, after its back-off
        assert len(back.inbox.envelopes) == 3


def test_a_refused_mail_does_not_postpone_the_others(app, db):
    with SmtpServer(RefusingInbox()) as refusing:
        app.config["SMTP_URL"] = refusing.url
        for n in range(3):
            make_outbox_mail(number=f"PGD-2026-0000{n}")
        db.session.commit()
        counts = send(datetime.now(UTC))
    assert (counts.retrying, counts.postponed) == (3, 0)  # the server answers: each mail gets its attempt


def test_a_refused_recipient_is_retried_and_the_error_names_no_address(app, db):
    with SmtpServer(RefusingInbox()) as refusing:
        app.config["SMTP_URL"] = refusing.url
        mail = make_outbox_mail()
        db.session.commit()
        assert send(datetime.now(UTC)).retrying == 1
    stored = fresh(mail.id)
    assert stored.status == MailStatus.PENDING
    assert stored.last_error == "SMTPRecipientsRefused: 1 recipient(s)"
    assert "@" not in stored.last_error


def test_after_the_last_attempt_the_mail_fails_and_an_admin_retry_gives_it_one_more(app, db, smtp):
    app.config.update(SMTP_URL=refused_url(), OUTBOX_MAX_ATTEMPTS=3)
    mail = make_outbox_mail()
    db.session.commit()
    now = datetime.now(UTC)
    outcomes = []
    for _ in range(3):
        counts = send(now)
        outcomes.append((counts.retrying, counts.failed))
        now = now + timedelta(hours=2)
    assert outcomes == [(1, 0), (1, 0), (0, 1)]
    stored = fresh(mail.id)
    assert stored.status == MailStatus.FAILED and stored.attempts == 3 and stored.body == MAIL_BODY  # kept for a retry
    assert send(now + timedelta(days=30)).total == 0  # failed mails are left alone

    from zi_public.models import Role

    admin = make_user(role=Role.ADMIN)
    assert outbox.retry_now(admin, stored, now=now)
    db.session.commit()
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "outbox.retry")).one()
    assert entry.target_id == str(mail.id) and "PGD-2026-00001" in entry.data and MAIL_BODY not in entry.data
    app.config["SMTP_URL"] = smtp.url
    assert send(now).sent == 1
    assert fresh(mail.id).status == MailStatus.SENT
    assert not outbox.retry_now(admin, fresh(mail.id), now=now)  # nothing to retry once delivered


def test_one_undecryptable_mail_does_not_block_the_others(db, smtp):
    broken = make_outbox_mail(number="PGD-2026-00001")
    good = make_outbox_mail(number="PGD-2026-00002")
    db.session.commit()
    # As if its data key had been removed from ZI_DATA_KEYS.
    db.session.execute(sa.text("UPDATE outbox_mail SET body = 'zk1.gone.AAAA' WHERE id = :id"), {"id": broken.id})
    db.session.commit()
    counts = send(datetime.now(UTC))
    assert (counts.sent, counts.retrying) == (1, 1)
    assert fresh(good.id).status == MailStatus.SENT
    assert fresh(broken.id).status == MailStatus.PENDING and fresh(broken.id).last_error == "KeyringError"


def test_stop_is_honoured_between_mails(db, smtp):
    for n in range(3):
        make_outbox_mail(number=f"PGD-2026-{n:05d}")
    db.session.commit()
    asked = []
    counts = send(datetime.now(UTC), should_stop=lambda: asked.append(1) or len(asked) > 1)
    assert counts.sent == 1 and len(smtp.inbox.envelopes) == 1


def test_a_claimed_mail_cannot_be_claimed_again_until_its_lease_ends(app, db):
    mail = make_outbox_mail()
    db.session.commit()
    now = datetime.now(UTC)
    assert outbox.claim(mail.id, now) is True
    db.session.commit()
    assert outbox.claim(mail.id, now) is False
    lease = timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"])
    assert outbox.claim(mail.id, now + lease - timedelta(seconds=1)) is False
    assert outbox.claim(mail.id, now + lease) is True  # its sender died: another one may take it


def test_a_claim_racing_an_uncommitted_claim_loses(app, db):
    """Sender A has claimed but not committed; sender B's claim waits for A's lock and then finds nothing."""
    mail = make_outbox_mail()
    db.session.commit()
    now = datetime.now(UTC)
    assert outbox.due_mail_ids(now) == [mail.id]
    assert outbox.claim(mail.id, now) is True  # A, transaction still open
    result: list[bool] = []

    def sender_b() -> None:
        with app.app_context():
            result.append(outbox.claim(mail.id, now))
            _db.session.commit()

    thread = threading.Thread(target=sender_b)
    thread.start()
    db.session.commit()  # A commits: B (blocked on the row or the database lock) re-checks and loses
    thread.join(timeout=30)
    assert result == [False]
    assert fresh(mail.id).attempts == 1


def test_two_senders_at_once_deliver_every_mail_exactly_once(app, db, smtp):
    numbers = [f"PGD-2026-{n:05d}" for n in range(12)]
    for number in numbers:
        make_outbox_mail(number=number, subject=f"Mail {number}")
    db.session.commit()
    now = datetime.now(UTC)
    counts: list[outbox.SendCounts] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sender() -> None:
        try:
            with app.app_context():
                start.wait(timeout=30)
                counts.append(outbox.send_pending(now=now, commit=_db.session.commit))
        except BaseException as exc:  # surfaced below, not swallowed by the thread
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    subjects = sorted(m["Subject"] for m in smtp.inbox.messages())
    assert subjects == sorted(f"Mail {n}" for n in numbers)  # each once: none twice, none lost
    assert sum(c.sent for c in counts) == len(numbers)
    assert sum(c.sent + c.skipped for c in counts) >= len(numbers)


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(0, 1), (1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (7, 60), (12, 60), (200, 60)],
)
def test_back_off_doubles_up_to_the_cap(attempts, minutes):
    assert outbox.retry_delay(attempts, 60, 3600) == timedelta(minutes=minutes)


def test_errors_are_described_without_addresses_or_content():
    import smtplib

    refused = smtplib.SMTPRecipientsRefused({"budi@example.id": (550, b"no")})
    try:
        raise MailError("mail to 1 recipient(s) failed") from refused
    except MailError as exc:
        assert outbox.describe_error(exc) == "SMTPRecipientsRefused: 1 recipient(s)"
    data_error = smtplib.SMTPDataError(554, b"Message from budi@example.id rejected: spam")
    try:
        raise MailError("failed") from data_error
    except MailError as exc:
        assert outbox.describe_error(exc) == "SMTPDataError: 554"
    assert outbox.describe_error(MailError("not a plain mail address: 'x@y.id'")) == (
        "MailError: not a plain mail address: '<address>'"
    )
    assert len(outbox.describe_error(MailError("x" * 500))) <= 200


def test_failing_list_shows_failed_and_repeatedly_failing_mails_only(app, db):
    app.config.update(SMTP_URL=refused_url(), OUTBOX_MAX_ATTEMPTS=4, OUTBOX_FAILING_ATTEMPTS=2)
    once, twice, given_up = (make_outbox_mail(number=f"PGD-2026-0000{n}") for n in (1, 2, 3))
    db.session.commit()
    now = datetime.now(UTC)
    send(now)  # all three: attempt 1
    db.session.execute(sa.update(OutboxMail).where(OutboxMail.id == twice.id).values(attempts=2))
    db.session.execute(
        sa.update(OutboxMail).where(OutboxMail.id == given_up.id).values(status=MailStatus.FAILED, attempts=4)
    )
    db.session.commit()
    listed = set(db.session.scalars(outbox.failing_mails_stmt()))
    assert {m.id for m in listed} == {twice.id, given_up.id}


def test_a_mail_never_carries_an_access_code(app, db, seeded, smtp):
    """Everything queued for a new complaint, read back decrypted, holds no form of its access code."""
    from zi_public.rules.pengaduan import Channel

    app.config["PENGADUAN_TEAM_EMAILS"] = ("tim@example.id",)
    filed = make_filed(channel=Channel.API, email=MAIL_TO)
    db.session.commit()  # filing queued the receipt and the team's notice with the complaint
    send(datetime.now(UTC) + timedelta(seconds=1))
    code = filed.access_code
    texts = [m.as_string() for m in smtp.inbox.messages()]
    assert len(texts) == 2, "filing queues the receipt and the team's notice"
    for text in texts:
        for form in (code, code.replace("-", ""), code.lower()):
            assert form not in text


def test_keys_rotate_re_encrypts_queued_mail_which_is_then_delivered(app, db, smtp):
    from zi_public.security.keyring import Keyring, current_keyring
    from zi_public.services.keys import rotate_keys

    mail = make_outbox_mail()
    db.session.commit()
    old_spec = app.config["DATA_KEYS"]
    app.extensions["zi_keyring"] = Keyring.parse("new:" + "B" * 43 + "," + old_spec)
    counts = rotate_keys(current_keyring())
    db.session.commit()
    assert counts["outbox_mail.body"] == counts["outbox_mail.subject"] == counts["outbox_mail.recipients"] == 1
    assert raw_row(mail.id)["body"].startswith("zk1.new.")
    assert send(datetime.now(UTC)).sent == 1
    [message] = smtp.inbox.messages()
    assert message.get_content().strip() == MAIL_BODY
