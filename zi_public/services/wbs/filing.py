"""Filing a WBS report (4W1H): validation, the receipt, the clocks, the evidence files.

The receipt is the whistle-blower's only key: it is made here, returned once (Filed.receipt) and stored
only as its keyed hash. Nothing about the reporter is kept but what they chose to write: the day the
report arrived (never the moment), no address, no browser. An identity, if given, is sealed: the team
sees `has_identity` only (services/wbs/unseal.py opens it with a second member's approval).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models.wbs import WbsCategory, WbsReport
from zi_public.rules.text import TextProblem, has_visible_content, text_problem
from zi_public.rules.wbs import Status
from zi_public.rules.working_days import WorkCalendar
from zi_public.security import codes
from zi_public.security.keyring import keyed_hash
from zi_public.security.uploads import StoredFile, UploadRejected, removed_on_error
from zi_public.services import attachments as attachment_files
from zi_public.services import reference
from zi_public.services.calendar import work_calendar
from zi_public.services.wbs.clocks import FIRST_ANSWER, TELAAH, WbsClockPolicy, clock_policy, due_on
from zi_public.services.wbs.reporter_audit import FILED, reporter_event
from zi_public.unit_of_work import savepoint

#: Longest accepted value per field (characters); the forms and the API schema use the same numbers.
LIMITS = {
    "category": 40,
    "what": 10_000,
    "who_name": 200,
    "who_position": 200,
    "who_unit": 200,
    "when": 200,
    "where": 500,
    "how": 10_000,
    "how_known": 5_000,
    "identity": 2_000,
}
#: Fields written on one line (a line break there is refused); the others are paragraphs.
SINGLE_LINE = frozenset({"category", "who_name", "who_position", "who_unit", "when"})
#: What a reporter may attach (checked by content, zi_public.security.uploads): photos, PDF and office
#: documents without macros; staff read images and office documents as copies without their metadata.
ALLOWED_UPLOADS = frozenset({"image", "pdf", "office"})
#: What the reporter is told about text no person types (a control character) or a line break in a one-line field.
TEXT_PROBLEMS = {
    TextProblem.UNREADABLE: _l("Isian memuat karakter yang tidak dapat dibaca."),
    TextProblem.LINE_BREAK: _l("Tulis isian ini dalam satu baris."),
}
#: Purpose of the keyed hash of a form's submission key (the key itself is never stored).
SUBMISSION_PURPOSE = "wbs-submission"


@dataclass(frozen=True)
class WbsInput:
    """What a whistle-blower sends (web form or API), before validation. `identity`: free text the
    reporter chose to give (None or blank: anonymous)."""

    category: str
    what: str
    who_name: str = ""
    who_position: str = ""
    who_unit: str = ""
    when: str = ""
    where: str = ""
    how: str = ""
    how_known: str = ""
    identity: str | None = None


class InvalidWbs(ValueError):
    """The submission (or reply) cannot be accepted; `errors` maps each field to a message."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class DuplicateSubmission(Exception):
    """The same form (or API Idempotency-Key) was already submitted (double click, resend): nothing new was filed.

    The receipt of the first submission cannot be shown again: only its hash exists.
    """


@dataclass(frozen=True)
class Filed:
    report: WbsReport
    receipt: str  # shown once to the reporter; only its keyed hash is stored


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def validate(data: WbsInput) -> tuple[dict[str, object], WbsCategory | None]:
    """Check a submission; returns (errors by field, the category)."""
    errors: dict[str, object] = {}
    for item in fields(WbsInput):
        value = getattr(data, item.name)
        if value is not None and not isinstance(value, str):
            errors[item.name] = _l("Isian tidak valid.")
        elif value and (problem := text_problem(value, multiline=item.name not in SINGLE_LINE)):
            errors[item.name] = TEXT_PROBLEMS[problem]
        elif len(_clean(value)) > LIMITS[item.name]:
            errors[item.name] = _l("Paling banyak %(n)d karakter.", n=LIMITS[item.name])
    category = None
    if "category" not in errors:
        category = reference.active_by_code(WbsCategory, _clean(data.category))
        if category is None:
            errors["category"] = _l("Pilih kategori dari daftar.")
    if "what" not in errors and not has_visible_content(_clean(data.what)):
        errors["what"] = _l("Ceritakan apa yang terjadi.")
    return errors, category


def file_with_uploads(data: WbsInput, files: Sequence[FileStorage], *, submission_key: str | None = None) -> Filed:
    """File a report with the evidence files the reporter sent: all of it, or nothing and no stray file.

    Raises UploadRejected, InvalidWbs or DuplicateSubmission.
    """
    limit = int(current_app.config["WBS_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    _refuse_duplicate(submission_key)  # before storing anything
    errors, _category = validate(data)
    if errors:  # before storing anything: a refused text costs no disk space either
        raise InvalidWbs(errors)
    budget = attachment_files.pixel_budget()  # one for all the files of this submission
    with removed_on_error(attachment_files.upload_dir()) as stored:
        for file in files:
            stored.append(attachment_files.store_file("wbs", file, allowed=ALLOWED_UPLOADS, budget=budget))
        return file_report(data, attachments=stored, submission_key=submission_key)


def file_report(
    data: WbsInput,
    *,
    attachments: Sequence[StoredFile] = (),
    today: date | None = None,
    submission_key: str | None = None,
    calendar: WorkCalendar | None = None,
    policy: WbsClockPolicy | None = None,
) -> Filed:
    """Validate and record a new report with its (stored) evidence files; the receipt is returned once.

    A `submission_key` (the web form's hidden key, the API's Idempotency-Key) makes a resend file nothing:
    DuplicateSubmission, also when a concurrent request with the same key won the race (the unique index
    decides, in a savepoint).
    """
    _refuse_duplicate(submission_key)
    errors, category = validate(data)
    if errors:
        raise InvalidWbs(errors)
    assert category is not None
    today = today or today_jakarta()
    calendar = calendar or work_calendar()
    policy = policy or clock_policy()
    receipt = codes.new_receipt()
    identity = _clean(data.identity)
    try:
        with savepoint():
            report = WbsReport(
                receipt_hash=codes.hash_receipt(receipt),
                submission_key_hash=_submission_hash(submission_key),
                category_id=category.id,
                status=Status.DITERIMA,
                what=_clean(data.what),
                who_name=_clean(data.who_name) or None,
                who_position=_clean(data.who_position) or None,
                who_unit=_clean(data.who_unit) or None,
                when_text=_clean(data.when) or None,
                where_text=_clean(data.where) or None,
                how=_clean(data.how) or None,
                how_known=_clean(data.how_known) or None,
                has_identity=bool(identity),
                identity=identity or None,
                received_on=today,
                answer_by=due_on(FIRST_ANSWER, today, calendar, policy),
                telaah_by=due_on(TELAAH, today, calendar, policy),
            )
            db.session.add(report)
            if attachments:
                attachment_files.attach(report, attachments)
            db.session.flush()
            reporter_event(report.id, FILED, today=today)
    except IntegrityError:
        if submission_key and _by_submission_key(submission_key) is not None:
            raise DuplicateSubmission() from None
        raise
    return Filed(report, receipt)


def _submission_hash(submission_key: str | None) -> str | None:
    return keyed_hash(submission_key, SUBMISSION_PURPOSE) if submission_key else None


def _by_submission_key(submission_key: str | None) -> WbsReport | None:
    if not submission_key:
        return None
    return db.session.scalar(
        sa.select(WbsReport).where(WbsReport.submission_key_hash == _submission_hash(submission_key))
    )


def _refuse_duplicate(submission_key: str | None) -> None:
    if _by_submission_key(submission_key) is not None:
        raise DuplicateSubmission()
