"""One SKM response, from any channel: validate it against the catalogue and rules/skm.py, then store it.

Every channel (web form, kiosk, API, a paper file's row) goes through `check` and `file_response`, so a
response is accepted or refused the same way wherever it comes from. Responses are anonymous: no name, no
address, no audit entry per response (the paper import records one entry per file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, SkmResponse
from zi_public.rules import skm as rules
from zi_public.rules.periods import QUARTER, period_of
from zi_public.rules.skm import Channel
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.services import reference
from zi_public.unit_of_work import begin_writing, savepoint


@dataclass(frozen=True)
class ResponseInput:
    """What a respondent sent, as text or numbers straight from a form, a JSON body or a spreadsheet row."""

    layanan: object = None
    gender: object = None
    age: object = None
    education: object = None
    occupation: object = None
    answers: Mapping[str, object] = field(default_factory=dict)
    vulnerable_group: object = None
    permit_number: object = None
    suggestion: object = None


@dataclass(frozen=True)
class CheckedResponse:
    """A response that passed every check: codes and numbers ready to store."""

    layanan: Layanan
    gender: str
    age: int
    education: str
    occupation: str
    answers: rules.Answers
    vulnerable_group: str | None
    permit_number: str | None
    suggestion: str


class InvalidResponse(ValueError):
    """`errors` maps each field ("layanan", "age", "U3", …) to a message for the respondent."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class DuplicateSubmission(Exception):
    """The same form (or API Idempotency-Key) was already submitted: nothing new is stored."""

    def __init__(self, existing: SkmResponse) -> None:
        super().__init__(existing.id)
        self.existing = existing


ANSWER_MISSING = _l("Pilih salah satu jawaban.")
ANSWER_INVALID = _l("Jawaban harus salah satu dari 1, 2, 3 atau 4.")
PERMIT_TAKEN = _l("Nomor izin ini sudah dipakai untuk mengisi survei pada triwulan ini.")


class PermitAlreadyUsed(InvalidResponse):
    """The permit number already answered the survey this quarter: the response is valid, but not a second one
    (the API answers 409 where a malformed response gets 400)."""

    def __init__(self) -> None:
        super().__init__({"permit_number": PERMIT_TAKEN})


def _text(value: object) -> str | None:
    """Text as given, stripped; None for a non-text value (a number where a code belongs is refused)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return None
    return value.strip()


def _choice(value: object, allowed: tuple[str, ...]) -> str | None:
    text = _text(value)
    if not text:
        return None
    text = text.lower()
    return text if text in allowed else None


def check(data: ResponseInput) -> CheckedResponse:
    """The response as it will be stored, or InvalidResponse naming every field that is wrong."""
    errors: dict[str, object] = {}
    layanan_code = _text(data.layanan)
    # An unreadable code names no layanan and is never looked up (a NUL byte breaks PostgreSQL's parameters).
    readable_code = bool(layanan_code) and is_readable(layanan_code, multiline=False)  # type: ignore[arg-type]
    layanan = reference.active_by_code(Layanan, layanan_code) if readable_code else None
    if layanan is None:
        errors["layanan"] = _l("Pilih layanan yang Anda terima dari daftar.")
    gender = _choice(data.gender, rules.GENDERS)
    if gender is None:
        errors["gender"] = _l("Pilih jenis kelamin.")
    age = rules.parse_age(data.age)
    if age is None:
        errors["age"] = _l("Isi usia dalam tahun, antara %(low)d dan %(high)d.", low=rules.MIN_AGE, high=rules.MAX_AGE)
    education = _choice(data.education, rules.EDUCATIONS)
    if education is None:
        errors["education"] = _l("Pilih pendidikan terakhir dari daftar.")
    occupation = _choice(data.occupation, rules.OCCUPATIONS)
    if occupation is None:
        errors["occupation"] = _l("Pilih pekerjaan dari daftar.")
    vulnerable = None
    if data.vulnerable_group not in (None, ""):
        vulnerable = _choice(data.vulnerable_group, rules.VULNERABLE_GROUPS)
        if vulnerable is None:
            errors["vulnerable_group"] = _l("Pilih kelompok rentan dari daftar, atau kosongkan.")
    answers_raw = data.answers if isinstance(data.answers, Mapping) else {}
    answers, answer_errors = rules.parse_answers(answers_raw)
    for code, problem in answer_errors.items():
        errors[code] = ANSWER_MISSING if problem == "missing" else ANSWER_INVALID
    permit_text = _text(data.permit_number)
    permit = None
    if permit_text is None or (permit_text and not is_readable(permit_text, multiline=False)):
        errors["permit_number"] = _l("Nomor izin tidak terbaca.")
    elif permit_text:
        permit = rules.normalise_permit_number(permit_text)
        if permit and len(permit) > rules.LIMITS["permit_number"]:
            errors["permit_number"] = _l("Paling banyak %(n)d karakter.", n=rules.LIMITS["permit_number"])
    suggestion = _text(data.suggestion)
    if suggestion is None or (suggestion and not is_readable(suggestion, multiline=True)):
        errors["suggestion"] = _l("Saran tidak terbaca.")
    elif len(suggestion) > rules.LIMITS["suggestion"]:
        errors["suggestion"] = _l("Paling banyak %(n)d karakter.", n=rules.LIMITS["suggestion"])
    elif not has_visible_content(suggestion):
        suggestion = ""
    if errors:
        raise InvalidResponse(errors)
    return CheckedResponse(
        layanan=layanan,  # type: ignore[arg-type]
        gender=gender,  # type: ignore[arg-type]
        age=age,  # type: ignore[arg-type]
        education=education,  # type: ignore[arg-type]
        occupation=occupation,  # type: ignore[arg-type]
        answers=answers,  # type: ignore[arg-type]
        vulnerable_group=vulnerable,
        permit_number=permit,
        suggestion=suggestion or "",
    )


def quarter_of(day: date) -> tuple[int, int]:
    """(year, quarter) of a day: rules/periods' quarter, the one the results and reports count it in."""
    quarter = period_of(QUARTER, day)
    return quarter.year, quarter.index


def permit_taken(permit_number: str | None, year: int, quarter: int) -> bool:
    """Has this permit number already answered the survey in this quarter?"""
    if not permit_number:
        return False
    stmt = sa.select(SkmResponse.id).where(
        SkmResponse.permit_number == permit_number, SkmResponse.year == year, SkmResponse.quarter == quarter
    )
    return db.session.scalar(stmt.limit(1)) is not None


def response_values(checked: CheckedResponse, *, channel: Channel, submitted_on: date) -> dict[str, object]:
    """The column values of a checked response (the paper import inserts many of these at once)."""
    year, quarter = quarter_of(submitted_on)
    values: dict[str, object] = {
        "layanan_id": checked.layanan.id,
        "channel": channel,
        "submitted_on": submitted_on,
        "year": year,
        "quarter": quarter,
        "gender": checked.gender,
        "age": checked.age,
        "education": checked.education,
        "occupation": checked.occupation,
        "vulnerable_group": checked.vulnerable_group,
        "permit_number": checked.permit_number,
        "suggestion": checked.suggestion,
    }
    for code, answer in checked.answers.as_dict().items():
        values[code.lower()] = answer
    return values


def file_response(
    data: ResponseInput,
    *,
    channel: Channel,
    submission_key: str | None = None,
    kiosk_device_id: int | None = None,
    now: datetime | None = None,
) -> SkmResponse:
    """Validate and store one response given today (web, kiosk, API).

    Raises InvalidResponse, or its PermitAlreadyUsed when the permit already answered this quarter (also when a
    concurrent request won that race), or DuplicateSubmission for a resent form or Idempotency-Key.
    """
    existing = _by_submission_key(submission_key)
    if existing is not None:
        raise DuplicateSubmission(existing)
    checked = check(data)
    today = today_jakarta(now or datetime.now(UTC))
    values = response_values(checked, channel=channel, submitted_on=today)
    if permit_taken(checked.permit_number, int(values["year"]), int(values["quarter"])):  # type: ignore[call-overload]
        raise PermitAlreadyUsed()
    response = SkmResponse(**values, submission_key=submission_key or None, kiosk_device_id=kiosk_device_id)
    if not checked.permit_number and not submission_key:
        begin_writing()  # nothing unique can collide: no savepoint needed
        db.session.add(response)
        db.session.flush()
        return response
    try:
        with savepoint():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        existing = _by_submission_key(submission_key)
        if existing is not None:
            raise DuplicateSubmission(existing) from None
        raise PermitAlreadyUsed() from None
    return response


def _by_submission_key(submission_key: str | None) -> SkmResponse | None:
    if not submission_key:
        return None
    return db.session.scalar(sa.select(SkmResponse).where(SkmResponse.submission_key == submission_key))
