"""The mail outbox: services enqueue mail inside their transaction; `flask mail send` delivers it.

A mail is a row written in the same transaction as the change that causes it, so a rolled-back
change sends nothing and a committed one loses nothing, however slow or dead the SMTP server is:
the request never talks to SMTP. The sender claims one due row at a time with a compare-and-set
UPDATE (committed before the SMTP conversation starts, so no transaction or lock is held during
it), which makes two senders at once safe on SQLite and PostgreSQL alike. A failed attempt is
retried after 1, 2, 4 … minutes up to a cap; after the last attempt the mail is `failed` and shown
to admins as kind, case number, attempts, error and dates only. Once delivered, the content
(recipients, subject, body) is dropped.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from zi_public.extensions import db
from zi_public.localtime import naive_utc, now_utc
from zi_public.models import MailStatus, OutboxMail, User
from zi_public.rows import insert_row
from zi_public.services import audit
from zi_public.services.mail import MailError, plain_recipients, send_mail

logger = logging.getLogger("zi_public.mail")

KIND_MAX = 40
NUMBER_MAX = 20
ERROR_MAX = 200
_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")


class OutboxError(ValueError):
    """A mail cannot be queued as given (a programming error, not a delivery problem)."""


@dataclass
class SendCounts:
    """What one round of `send_pending` did."""

    sent: int = 0
    retrying: int = 0  # failed this time, will be tried again later
    failed: int = 0  # failed for the last time: now visible to admins
    skipped: int = 0  # due, but another sender claimed it first
    postponed: int = 0  # due, but left for the next round: the server did not answer the one before

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.failed

    def __str__(self) -> str:
        text = f"sent {self.sent}; retry later {self.retrying}; failed {self.failed}"
        return text + (f"; postponed {self.postponed} (SMTP server unreachable)" if self.postponed else "")


def _naive_utc(now: datetime | None) -> datetime:
    """`now` (default: the wall clock) as the next_attempt_at/sent_at columns store it."""
    return naive_utc(now or now_utc())


@dataclass(frozen=True)
class Mail:
    """One mail to queue: its kind (e.g. "pengaduan.receipt"), recipients, subject, body and case number."""

    kind: str
    to: Sequence[str]
    subject: str
    body: str
    number: str | None = None


def enqueue(kind: str, to: Sequence[str], subject: str, body: str, *, number: str | None = None) -> OutboxMail | None:
    """Queue one mail in the current transaction (insert, never commit, never send) and return its row.

    Malformed addresses are left out with a warning rather than failing the change that causes the
    mail; with no address left nothing is queued and None is returned.
    """
    row = _row(Mail(kind, to, subject, body, number))
    return None if row is None else insert_row(OutboxMail, **row)


def enqueue_all(mails: Sequence[Mail]) -> int:
    """Queue several mails of one change in one INSERT (as `enqueue` does each); how many were queued."""
    rows = [row for row in map(_row, mails) if row is not None]
    if rows:
        db.session.connection().execute(_INSERT, rows)
    return len(rows)


_INSERT = sa.insert(OutboxMail.__table__)


def _row(mail: Mail) -> dict[str, object] | None:
    """The outbox row of `mail`, or None when no recipient address is usable."""
    if not mail.kind or len(mail.kind) > KIND_MAX:
        raise OutboxError(f"mail kind must be 1-{KIND_MAX} characters")
    if mail.number is not None and len(mail.number) > NUMBER_MAX:
        raise OutboxError(f"case number must be at most {NUMBER_MAX} characters")
    distinct: dict[str, str] = {}  # each address once, whatever its case
    for address in mail.to:
        try:
            for plain in plain_recipients([address]):
                distinct.setdefault(plain.lower(), plain)
        except MailError:
            logger.warning("%s mail for %s: a malformed address was left out", mail.kind, mail.number or "-")
    if not distinct:
        return None
    now = _naive_utc(None)
    return {
        "kind": mail.kind,
        "case_number": mail.number,
        "recipients": "\n".join(distinct.values()),
        "subject": mail.subject,
        "body": mail.body,
        "status": MailStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def retry_delay(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """The pause after the `attempts`-th failed attempt: base, 2×base, 4×base … capped at max."""
    exponent = min(max(attempts, 1) - 1, 32)  # 2**32 × base is past any sensible cap already
    return timedelta(seconds=min(base_seconds * 2**exponent, max_seconds))


def describe_error(exc: BaseException) -> str:
    """A short reason for admins: the error's kind and SMTP code, never an address or the content."""
    cause = exc.__cause__ or exc
    if isinstance(cause, smtplib.SMTPRecipientsRefused):
        text = f"SMTPRecipientsRefused: {len(cause.recipients)} recipient(s)"
    elif isinstance(cause, smtplib.SMTPResponseException):
        text = f"{type(cause).__name__}: {cause.smtp_code}"
    elif isinstance(cause, smtplib.SMTPException):  # e.g. "Connection unexpectedly closed: timed out"
        text = f"{type(cause).__name__}: {cause}"
    elif isinstance(cause, OSError):
        text = f"{type(cause).__name__}: {cause.strerror}" if cause.strerror else type(cause).__name__
    elif isinstance(cause, MailError):
        text = f"MailError: {cause}"
    else:
        text = type(cause).__name__
    return _ADDRESS.sub("<address>", " ".join(text.split()))[:ERROR_MAX]


def is_unreachable(exc: BaseException) -> bool:
    """The server could not be talked to at all (refused, timed out, cut off), as opposed to refusing one mail."""
    cause = exc.__cause__ or exc
    if isinstance(cause, smtplib.SMTPServerDisconnected):  # e.g. no greeting before the timeout
        return True
    # Every other SMTPException (also an OSError) means the server answered: this mail is the problem.
    return isinstance(cause, OSError) and not isinstance(cause, smtplib.SMTPException)


@dataclass(frozen=True)
class Attempt:
    """The outcome of one delivery attempt."""

    status: MailStatus
    unreachable: bool = False  # the server did not answer: the round's other mails would wait for it too


def due_mail_ids(now: datetime | None = None, limit: int = 100) -> list[int]:
    """Pending mails whose time has come, oldest first."""
    moment = _naive_utc(now)
    stmt = (
        sa.select(OutboxMail.id)
        .where(OutboxMail.status == MailStatus.PENDING, OutboxMail.next_attempt_at <= moment)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def claim(mail_id: int, now: datetime | None = None) -> bool:
    """Take a due mail for one attempt: count the attempt and push it out of reach for the lease.

    A compare-and-set: of two senders racing for one row exactly one gets True (PostgreSQL re-checks
    the condition after the row lock is released; SQLite serialises writers).
    """
    moment = _naive_utc(now)
    lease = timedelta(seconds=max(float(current_app.config["OUTBOX_LEASE_SECONDS"]), 1.0))
    result = db.session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.status == MailStatus.PENDING,
            OutboxMail.next_attempt_at <= moment,
        )
        .values(attempts=OutboxMail.attempts + 1, next_attempt_at=moment + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def deliver(mail_id: int, now: datetime | None = None, *, commit: Callable[[], None]) -> Attempt:
    """One attempt at a claimed mail; records the outcome (not committed) and returns it.

    `commit` ends the claim's transaction after the content was read, so nothing is held open while
    SMTP is talked to.
    """
    moment = _naive_utc(now)
    mail = db.session.get(OutboxMail, mail_id, populate_existing=True)
    if mail is None:
        commit()
        return Attempt(MailStatus.FAILED)
    kind, number, attempts = mail.kind, mail.case_number, mail.attempts
    try:
        to, subject, body = (mail.recipients or "").split("\n"), mail.subject or "", mail.body or ""
    except Exception as exc:  # e.g. its data key was removed from ZI_DATA_KEYS
        to, error = [], exc
    else:
        error = None
    commit()
    if error is None:
        try:
            send_mail(to, subject, body)
        except Exception as exc:  # one bad mail must never stop the others
            error = exc
    if error is None:
        _record_sent(mail_id, moment)
        return Attempt(MailStatus.SENT)
    status = _record_failure(mail_id, kind, number, attempts, error, moment)
    return Attempt(status, unreachable=is_unreachable(error))


def _record_sent(mail_id: int, moment: datetime) -> None:
    db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(status=MailStatus.SENT, sent_at=moment, recipients=None, subject=None, body=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


def _record_failure(
    mail_id: int, kind: str, number: str | None, attempts: int, error: BaseException, moment: datetime
) -> MailStatus:
    cfg = current_app.config
    reason = describe_error(error)
    if attempts >= int(cfg["OUTBOX_MAX_ATTEMPTS"]):
        status, next_at = MailStatus.FAILED, moment
        logger.error("%s mail for %s failed for good after %d attempts: %s", kind, number or "-", attempts, reason)
    else:
        delay = retry_delay(attempts, float(cfg["OUTBOX_RETRY_BASE_SECONDS"]), float(cfg["OUTBOX_RETRY_MAX_SECONDS"]))
        status, next_at = MailStatus.PENDING, moment + delay
        logger.warning(
            "%s mail for %s not sent (attempt %d, next in %s): %s", kind, number or "-", attempts, delay, reason
        )
    db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(status=status, next_attempt_at=next_at, last_error=reason)
        .execution_options(synchronize_session=False)
    )
    return status


def send_pending(
    now: datetime | None = None,
    limit: int | None = None,
    *,
    commit: Callable[[], None],
    should_stop: Callable[[], bool] = lambda: False,
) -> SendCounts:
    """Deliver the mails due at `now`, one unit of work per mail, and count the outcomes.

    The caller owns the transactions and passes `commit` (the CLI passes db.session.commit): each claim
    is committed before its SMTP conversation and each outcome right after, so one bad mail never blocks
    the others and a crash loses at most one attempt. When the server does not answer at all (refused,
    timed out), the rest of the round is postponed unclaimed: a hung server costs one timeout per round,
    not one per mail. `should_stop` is asked between mails.
    """
    counts = SendCounts()
    batch = limit if limit is not None else int(current_app.config["OUTBOX_BATCH_SIZE"])
    ids = due_mail_ids(now, batch)
    commit()
    for position, mail_id in enumerate(ids):
        if should_stop():
            break
        if not claim(mail_id, now):
            commit()
            counts.skipped += 1
            continue
        attempt = deliver(mail_id, now, commit=commit)
        commit()
        if attempt.status == MailStatus.SENT:
            counts.sent += 1
        elif attempt.status == MailStatus.FAILED:
            counts.failed += 1
        else:
            counts.retrying += 1
        if attempt.unreachable:
            counts.postponed = len(ids) - position - 1
            break
    return counts


def failing_mails_stmt() -> sa.Select:
    """Mails that keep failing, for the admin list: given up, or pending after several failures.

    Only metadata columns are selected by callers' pages; the content columns are deferred.
    """
    threshold = int(current_app.config["OUTBOX_FAILING_ATTEMPTS"])
    return sa.select(OutboxMail).where(
        sa.or_(
            OutboxMail.status == MailStatus.FAILED,
            sa.and_(OutboxMail.status == MailStatus.PENDING, OutboxMail.attempts >= threshold),
        )
    )


def retry_now(actor: User, mail: OutboxMail, now: datetime | None = None) -> bool:
    """Make a failing mail due at once (one more attempt for a failed one); audit-logged. False if sent."""
    if mail.status == MailStatus.SENT:
        return False
    previous = mail.status
    mail.status = MailStatus.PENDING
    mail.next_attempt_at = _naive_utc(now)
    audit.record(
        actor,
        "outbox.retry",
        mail,
        data={"kind": mail.kind, "number": mail.case_number, "status": previous.value, "attempts": mail.attempts},
    )
    db.session.flush()
    return True
