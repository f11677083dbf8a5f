"""WBS rows for the team-side tests, made directly (no public filing): a report in any state, with messages."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from tests.factories import store_file
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import WbsCategory, WbsMessage, WbsReport
from zi_public.rules.wbs import Sender, Status
from zi_public.security.keyring import keyed_hash
from zi_public.services import attachments

_receipts = itertools.count(1)

WORDS = {
    "what": "Pak Budi meminta uang pelicin Rp5.000.000 untuk izin PBG.",
    "who_name": "Budi Santoso",
    "who_position": "Analis perizinan",
    "who_unit": "Bidang Perizinan B",
    "when_text": "Oktober 2026",
    "where_text": "Ruang layanan lantai 2",
    "how": "Diminta secara lisan di loket, lalu lewat WhatsApp.",
    "how_known": "Saya sendiri yang diminta.",
}


def make_report(
    *,
    status: Status = Status.DITERIMA,
    category: str = "korupsi",
    identity: str | None = None,
    received_on: date | None = None,
    attach: list[tuple[bytes, str]] = (),
    **columns: Any,
) -> WbsReport:
    """A report as it would stand after filing (and the team's steps up to `status`), flushed."""
    received_on = received_on or today_jakarta()
    category_id = db.session.scalar(sa.select(WbsCategory.id).where(WbsCategory.code == category))
    values: dict[str, Any] = {
        **WORDS,
        "receipt_hash": keyed_hash(f"receipt-{next(_receipts)}", "wbs-test"),
        "category_id": category_id,
        "status": status,
        "has_identity": identity is not None,
        "identity": identity,
        "received_on": received_on,
        "answer_by": received_on + timedelta(days=5),
        "telaah_by": received_on + timedelta(days=20),
    }
    if status != Status.DITERIMA:
        values.update(telaah_on=received_on, names_party=True, describes_deviation=True, has_evidence=True)
    if status in (Status.DITINDAKLANJUTI, Status.SELESAI):
        values["handling"] = "tim"
    if status == Status.SELESAI:
        values.update(outcome="terbukti", closed_on=received_on)
    if status == Status.DITOLAK:
        values["closed_on"] = received_on
    values.update(columns)
    report = WbsReport(**values)
    db.session.add(report)
    db.session.flush()
    if attach:
        stored = [store_file(data, name, kind="wbs") for data, name in attach]
        attachments.attach(report, stored)
        db.session.flush()
    return report


def add_reporter_message(report: WbsReport, body: str, *, attach: list[tuple[bytes, str]] = ()) -> WbsMessage:
    """A reply from the reporter (as services/wbs/reporter.reply would store it), flushed."""
    message = WbsMessage(sender=Sender.REPORTER, body=body, sent_on=today_jakarta())
    report.messages.append(message)
    db.session.flush()
    if attach:
        stored = [store_file(data, name, kind="wbs_message") for data, name in attach]
        attachments.attach(message, stored)
        db.session.flush()
    return message
