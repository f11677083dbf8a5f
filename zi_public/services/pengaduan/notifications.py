"""Pengaduan mails: the reporter's receipt and answers, the team's new-case notice.

Nothing here talks to SMTP: each mail is queued in the outbox (zi_public.services.outbox) inside the
transaction of the change that causes it, and `flask mail send` delivers it. A rolled-back change
sends nothing; a slow or unreachable SMTP server slows no request and loses no mail. Mails go out in
Indonesian with an English line for the reporter, whatever the page language was (the reporter's
language is not stored). The access code is never put in a mail: it was shown once on the receipt page,
or on the slip the Tim Pengaduan handed over or read out for a complaint it recorded (box, telephone,
letter, LAPOR!...), whose receipt mail says by which channel it came.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import sqlalchemy as sa
from babel.dates import format_date
from flask import current_app

from zi_public import links
from zi_public.extensions import db
from zi_public.labels import label
from zi_public.models import Pengaduan, PengaduanEvent, Role, User
from zi_public.rules.pengaduan import SELF_CHANNELS, Action, Identity
from zi_public.services import outbox
from zi_public.services.pengaduan.digest import Digest, digest_mail
from zi_public.services.pengaduan.labels import CHANNEL_LABELS, IDENTITY_LABELS
from zi_public.services.process_cache import ProcessCache

MAIL_LOCALE = "id"  # labels in mail are Indonesian whatever the page language was


@lru_cache(maxsize=512)  # a few dates recur in every mail of a day; Babel parses the pattern on each call
def long_date(value: object) -> str:
    """'Rabu, 2 Desember 2026' in Indonesian, for mail bodies."""
    return format_date(value, "EEEE, d MMMM yyyy", locale="id") if value else "-"


def team_recipients() -> list[str]:
    """PENGADUAN_TEAM_EMAILS plus every active `pengaduan` user with an email, each once."""
    configured = current_app.config.get("PENGADUAN_TEAM_EMAILS") or ()
    if isinstance(configured, str):  # ZI_PENGADUAN_TEAM_EMAILS="a@x.id,b@x.id"
        configured = configured.split(",")
    users = _TEAM.get("emails", lambda: tuple(db.session.connection().execute(_TEAM_EMAILS).scalars()))
    return _distinct([*configured, *users])


#: Every filing mails the team: a process reads (and decrypts) the team's addresses once a minute. A change
#: of an account in this process is seen at once, in another process within the minute; a queued mail keeps
#: the recipients it was queued with in any case.
_TEAM = ProcessCache("zi_public.pengaduan_team", User)
# The email column is encrypted, so only "has one" can be asked of SQL.
_TEAM_EMAILS = sa.select(User.email).where(
    User.role == Role.PENGADUAN, User.is_active.is_(True), User.email.is_not(None)
)


def _distinct(addresses: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for address in addresses:
        address = (address or "").strip()
        if address:
            seen.setdefault(address.lower(), address)
    return list(seen.values())


def _queue(kind: str, number: str | None, to: list[str], subject: str, body: str) -> bool:
    """Queue one mail of `kind` in the current transaction; False when it has no usable recipient."""
    return outbox.enqueue(f"pengaduan.{kind}", to, subject, body, number=number) is not None


def notify_new_case(case: Pengaduan) -> None:
    """Tell the reporter (if they left an email) the number, and the team that a case arrived."""
    mails = []
    if case.identity != Identity.ANONIM and case.reporter_email:
        receipt = _receipt_mail(case, links.pengaduan_status())
        mails.append(outbox.Mail("pengaduan.receipt", [case.reporter_email], *receipt, number=case.number))
    team = team_recipients()
    if team:  # nobody to tell: no mail to write
        mails.append(outbox.Mail("pengaduan.new_case", team, *_team_mail(case), number=case.number))
    outbox.enqueue_all(mails)  # one INSERT: every filing queues these


def notify_answer(case: Pengaduan, event: PengaduanEvent) -> None:
    """Send a public answer (tanggapan) to the reporter, if they left an email."""
    if event.action != Action.ANSWER or not event.is_public:
        return
    if case.identity == Identity.ANONIM or not case.reporter_email:
        return
    status_url = links.pengaduan_status()
    subject = f"Tanggapan atas pengaduan {case.number}"
    body = "\n".join(
        [
            f"Yth. {case.reporter_name or 'Pelapor'},",
            "",
            f"Tim Pengaduan memberikan tanggapan atas pengaduan Anda nomor {case.number}:",
            "",
            event.body,
            "",
            f"Riwayat lengkap dan balasan Anda: {status_url}",
            "Masukkan nomor pengaduan dan kode akses yang Anda terima saat mengirim pengaduan.",
            "",
            f"(English) The complaint team answered your complaint {case.number}. "
            f"See the full history at {status_url} with your number and access code.",
            "",
            _signature(),
        ]
    )
    _queue("answer", case.number, [case.reporter_email], subject, body)


def _receipt_mail(case: Pengaduan, status_url: str) -> tuple[str, str]:
    subject = f"Pengaduan {case.number} telah kami terima"
    if case.channel in SELF_CHANNELS:
        received = f"Pengaduan Anda telah kami terima dengan nomor {case.number} pada {long_date(case.received_on)}."
        code_from, code_from_en = "ditampilkan saat Anda mengirim pengaduan", "shown when you filed it"
        received_en = f"We received your complaint under number {case.number}."
    else:  # recorded by the team: say by which channel, and that the code came with the slip
        lines = [
            f"Pengaduan Anda telah kami catat dengan nomor {case.number}.",
            f"Kanal    : {_mail_label('channel', case.channel)}",
            f"Diterima : {long_date(case.received_on)}",
        ]
        if case.lapor_number:
            lines.append(f"Nomor pelacakan SP4N-LAPOR!: {case.lapor_number}")
        received = "\n".join(lines)
        code_from = "diberikan petugas kami saat pengaduan dicatat"
        code_from_en = "our officer gave you when the complaint was recorded"
        received_en = (
            f"We recorded your complaint under number {case.number} "
            f"(channel: {_mail_label('channel', case.channel, 'en')}, received {case.received_on.isoformat()})."
        )
    body = "\n".join(
        [
            f"Yth. {case.reporter_name or 'Pelapor'},",
            "",
            received,
            f"Pengaduan akan diverifikasi paling lambat {long_date(case.verify_by)}.",
            "",
            f"Pantau statusnya di {status_url} dengan nomor pengaduan dan kode akses yang {code_from}. "
            "Demi keamanan, kode akses tidak pernah kami kirim lewat email.",
            "Setiap tanggapan kami juga akan dikirim ke alamat email ini.",
            "",
            f"(English) {received_en} Follow it at {status_url} with the number and the access code "
            f"{code_from_en} (we never send the access code by email).",
            "",
            _signature(),
        ]
    )
    return subject, body


def _team_mail(case: Pengaduan) -> tuple[str, str]:
    # Never the reporter's identity: mail is less protected than the internal area (rahasia cases).
    subject = f"[Pengaduan baru] {case.number} · {case.category.name}"
    body = "\n".join(
        [
            "Pengaduan baru masuk.",
            "",
            f"Nomor        : {case.number}",
            f"Kategori     : {case.category.name}",
            f"Layanan      : {case.layanan.name if case.layanan else '-'}",
            f"Judul        : {case.title}",
            f"Saluran      : {_mail_label('channel', case.channel)}",
            *([f"Nomor LAPOR! : {case.lapor_number}"] if case.lapor_number else []),
            f"Identitas    : {_mail_label('identity', case.identity)}",
            f"Diterima     : {long_date(case.received_on)}",
            f"Verifikasi paling lambat : {long_date(case.verify_by)}",
            f"Selesai paling lambat    : {long_date(case.settle_by)}",
            "",
            f"Buka di area internal: {links.pengaduan_case(case.id)}",
        ]
    )
    return subject, body


_MAIL_LABEL_TABLES = {"channel": CHANNEL_LABELS, "identity": IDENTITY_LABELS}


@lru_cache(maxsize=64)  # every team mail has both; switching the language for them cost more than the mail
def _mail_label(table: str, value: object, locale: str = MAIL_LOCALE) -> str | None:
    """The label in the mail's language (Indonesian, the catalogues' source: the same in every app), or in
    `locale` for the English line (the catalogue is the same in every app too)."""
    return label(_MAIL_LABEL_TABLES[table], value, locale)


def _signature() -> str:
    return f"Tim Pengaduan {current_app.config.get('SITE_NAME', '')}".strip()


def send_digest(digest: Digest) -> str:
    """Queue the team's mail of the day's digest; returns 'queued', 'empty' or 'no_recipients'."""
    if not digest.items:
        return "empty"  # no mail on a quiet day: a daily "nothing to do" mail teaches people to ignore it
    recipients = team_recipients()
    if not recipients:
        return "no_recipients"
    subject, body = digest_mail(digest, current_app.config.get("SITE_NAME", ""))
    return "queued" if _queue("digest", None, recipients, subject, body) else "no_recipients"
