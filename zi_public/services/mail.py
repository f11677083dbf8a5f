"""Outgoing mail through ZI_SMTP_URL; logged instead of sent when the setting is unset.

Only the outbox worker (zi_public.services.outbox, `flask mail send`) calls send_mail: everything else
queues its mail with `outbox.enqueue`, so no request ever waits for an SMTP server.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

logger = logging.getLogger("zi_public.mail")

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TIMEOUT_SECONDS = 15.0
SUBJECT_MAX = 200


class MailError(RuntimeError):
    """The mail could not be sent (bad setting, unreachable server, refused recipients)."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver, parsed from an smtp:// or smtps:// URL."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpSettings:
    """smtp://[user:pass@]host[:port][?starttls=1] or smtps://...; credentials may be %-encoded."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:  # e.g. a non-numeric port
        raise MailError(f"ZI_SMTP_URL is not a valid URL: {exc}") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise MailError("ZI_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise MailError("ZI_SMTP_URL has no host")
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["0"])[-1].lower() in {"1", "true", "yes"}
    if parts.scheme == "smtps" and starttls:
        raise MailError("ZI_SMTP_URL: smtps:// is already TLS; starttls=1 applies to smtp:// only")
    return SmtpSettings(
        host=parts.hostname,
        port=port or DEFAULT_PORTS[parts.scheme],
        implicit_tls=parts.scheme == "smtps",
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


#: An address of only these characters is plain by construction (no header, no second address can hide in
#: it); anything else goes through email.utils.parseaddr and the checks below.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def plain_recipients(to: Sequence[str]) -> list[str]:
    """Distinct, well-formed addresses; anything that could smuggle a header is refused."""
    seen: dict[str, str] = {}
    for raw in to:
        address = (raw or "").strip()
        if not address:
            continue
        if _PLAIN_ADDRESS.fullmatch(address) is None:  # the common case needs no parser
            _, parsed = parseaddr(address)
            if parsed != address or "@" not in address or any(c in address for c in "\r\n,;<>\"'() "):
                raise MailError(f"not a plain mail address: {address!r}")
        seen.setdefault(address.lower(), address)
    return list(seen.values())


def build_message(to: Sequence[str], subject: str, body: str) -> EmailMessage:
    """A UTF-8 text message with From, To, Subject, Date and Message-ID."""
    sender = current_app.config["MAIL_FROM"]
    _, sender_address = parseaddr(sender)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    # A subject is one line: folding user text (a title) into it must not start a new header.
    message["Subject"] = " ".join(subject.split())[:SUBJECT_MAX]
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = sender_address.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body, charset="utf-8")
    return message


def send_mail(to: Sequence[str], subject: str, body: str) -> None:
    """Send one plain-text mail to `to`; raise MailError when it cannot be delivered."""
    recipients = plain_recipients(to)
    if not recipients:
        return
    message = build_message(recipients, subject, body)
    url = current_app.config.get("SMTP_URL")
    if not url:
        logger.info("mail not sent (ZI_SMTP_URL unset)\n%s", message.as_string())
        return
    settings = parse_smtp_url(url)
    timeout = float(current_app.config.get("SMTP_TIMEOUT_SECONDS") or TIMEOUT_SECONDS)
    try:
        _deliver(settings, message, recipients, timeout)
    except (smtplib.SMTPException, OSError) as exc:  # OSError covers refused, timeouts and TLS errors
        raise MailError(f"mail to {len(recipients)} recipient(s) failed: {exc.__class__.__name__}: {exc}") from exc


def _deliver(settings: SmtpSettings, message: EmailMessage, recipients: list[str], timeout: float) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.implicit_tls:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    with smtp:
        if settings.starttls:
            smtp.starttls(context=context)  # raises SMTPNotSupportedError when the server does not offer it
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        refused = smtp.send_message(message, to_addrs=recipients)
    if refused:
        raise MailError(f"{len(refused)} recipient(s) refused by the server")
