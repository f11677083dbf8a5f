"""WBS rows for the team-side tests: a report filed by the public service, in any state, with replies."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.factories import make_wbs, store_file
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import WbsMessage, WbsReport
from zi_public.rules.wbs import Handling, Outcome, Sender, Status
from zi_public.services import attachments

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
    """A report filed through the public service (tests.factories.make_wbs), then moved by hand to `status`
    as the team's steps would have left it (`columns` override any column), flushed."""
    stored = [store_file(data, name, kind="wbs") for data, name in attach]
    report = make_wbs(
        attachments=stored,
        today=received_on,
        category=category,
        identity=identity,
        what=WORDS["what"],
        who_name=WORDS["who_name"],
        who_position=WORDS["who_position"],
        who_unit=WORDS["who_unit"],
        when=WORDS["when_text"],
        where=WORDS["where_text"],
        how=WORDS["how"],
        how_known=WORDS["how_known"],
    )
    received_on = report.received_on
    values: dict[str, Any] = {"status": status}
    if status != Status.DITERIMA:
        values.update(telaah_on=received_on, names_party=True, describes_deviation=True, has_evidence=True)
    if status in (Status.DITINDAKLANJUTI, Status.SELESAI):
        values["handling"] = Handling.TIM
    if status == Status.SELESAI:
        values.update(outcome=Outcome.TERBUKTI, closed_on=received_on)
    if status == Status.DITOLAK:
        values["closed_on"] = received_on
    values.update(columns)
    if "outcome" in values:  # the CHECK wants the outcome with selesai: set it first
        report.outcome = values.pop("outcome")
        db.session.flush()
    for column, value in values.items():
        setattr(report, column, value)
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
