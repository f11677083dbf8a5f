"""Perception surveys (issue 9, point 11): the questionnaires the Tim SKM runs beside the SKM, one response
from any channel, and the results per period.

Questionnaires are data (zi_public/rules/perception.py): the ones shipped in zi_public/data/
perception_questionnaires.json are loaded from the staff page, others pasted there as JSON; both arrive
inactive, and a loaded definition never changes (a new version gets a new code). Every channel (web form,
kiosk, API, a paper file's row) goes through `check` and `file_response`: all items required, each answer on
the questionnaire's scale, the layanan optional. Responses are anonymous and not audit-logged one by one;
every staff change is. The results per period: perception_results.py; paper forms: perception_paper.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import (
    Layanan,
    PerceptionAnswer,
    PerceptionItem,
    PerceptionQuestionnaire,
    PerceptionResponse,
    User,
)
from zi_public.rules import perception as rules
from zi_public.rules.skm import Channel
from zi_public.services import audit, reference
from zi_public.services.skm.filing import quarter_of
from zi_public.unit_of_work import begin_writing, savepoint

SHIPPED_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "perception_questionnaires.json"
#: A pasted definition: far above a 50-item questionnaire with notes (~40 KB), far below a flood.
MAX_DEFINITION_BYTES = 128 * 1024
#: How many problems a refused definition lists.
MAX_PROBLEMS = 30

#: The words of each problem code of rules/perception.py, given the problem's values (e.g. max=200).
PROBLEM_MESSAGES = {
    "required": lambda p: _l("Wajib diisi."),
    "type_object": lambda p: _l("Harus berupa objek JSON {…}."),
    "type_text": lambda p: _l('Harus berupa teks, atau objek {"id": …, "en": …}.'),
    "type_int": lambda p: _l("Harus bilangan bulat."),
    "type_list": lambda p: _l("Harus berupa daftar […]."),
    "type_bool": lambda p: _l("Harus true atau false."),
    "type_number": lambda p: _l('Harus berupa angka, misalnya "3.60".'),
    "unknown_key": lambda p: _l("Kolom tidak dikenal."),
    "too_long": lambda p: _l("Paling banyak %(n)d karakter.", n=p["max"]),
    "unreadable": lambda p: _l("Teks berisi karakter yang tidak dapat dibaca."),
    "line_break": lambda p: _l("Tulis dalam satu baris, tanpa ganti baris."),
    "pattern": lambda p: _l("Kode terdiri dari huruf kecil, angka dan tanda hubung, paling banyak 40 karakter."),
    "item_pattern": lambda p: _l("Kode butir diawali huruf, lalu huruf, angka, _ atau -, paling banyak 16 karakter."),
    "duplicate": lambda p: _l("Kode butir ini sudah dipakai butir lain."),
    "range": lambda p: _l("Harus antara %(low)d dan %(high)d.", low=p["low"], high=p["high"]),
    "count": lambda p: _l("Harus berisi %(low)d sampai %(high)d isian.", low=p["low"], high=p["high"]),
    "above_min": lambda p: _l("Nilai tertinggi skala harus lebih besar dari nilai terendahnya."),
    "url": lambda p: _l("Alamat harus diawali http:// atau https://, tanpa spasi."),
    "formula": lambda p: _l("Rumus indeks harus salah satu dari: %(choices)s.", choices=p["choices"]),
    "not_for_mean": lambda p: _l('Rumus mean tidak memakai "to".'),
    "places": lambda p: _l("Paling banyak %(places)d angka di belakang koma.", places=p["places"]),
    "band_range": lambda p: _l("Batas predikat tidak boleh di atas nilai indeks tertinggi (%(high)s).", high=p["high"]),
    "order": lambda p: _l("Urutkan predikat dari batas tertinggi ke terendah."),
    "band_code": lambda p: _l(
        "Kode predikat: huruf kecil, angka, _ atau -, paling banyak 20 karakter, tidak berulang."
    ),
}
CODE_TAKEN = _l("Kuesioner dengan kode ini sudah ada. Beri kode baru untuk versi yang berubah.")
NOT_JSON = _l("Bukan JSON yang sah (UTF-8, tanpa kunci ganda).")
ANSWER_MISSING = _l("Pilih salah satu jawaban.")
ANSWER_UNKNOWN = _l("Bukan butir kuesioner ini.")
LAYANAN_UNKNOWN = _l("Pilih layanan dari daftar, atau kosongkan.")


class DefinitionRefused(ValueError):
    """A definition was not loaded; `problems` lists (path, message) pairs, the path as in the JSON."""

    def __init__(self, problems: list[tuple[str, object]]) -> None:
        super().__init__(", ".join(path for path, _message in problems))
        self.problems = problems


class InvalidPerception(ValueError):
    """`errors` maps each field (an item code, "layanan", "answers") to a message for the respondent."""

    def __init__(self, errors: Mapping[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class DuplicateSubmission(Exception):
    """The same form (or API Idempotency-Key) was already submitted: nothing new is stored."""

    def __init__(self, existing: PerceptionResponse) -> None:
        super().__init__(existing.id)
        self.existing = existing


# --- questionnaires ----------------------------------------------------------------------------------


def shipped_definitions(path: Path = SHIPPED_FILE) -> list[rules.Questionnaire]:
    """The questionnaires shipped with the application (a broken file is a programming error: it raises)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [rules.parse_definition(entry) for entry in data["questionnaires"]]


def all_questionnaires() -> list[PerceptionQuestionnaire]:
    return list(db.session.scalars(sa.select(PerceptionQuestionnaire).order_by(PerceptionQuestionnaire.code)))


def shipped_not_loaded() -> list[rules.Questionnaire]:
    """Shipped questionnaires whose code is not in the database yet."""
    loaded = set(db.session.scalars(sa.select(PerceptionQuestionnaire.code)))
    return [definition for definition in shipped_definitions() if definition.code not in loaded]


def by_code(code: str | None) -> PerceptionQuestionnaire | None:
    if not isinstance(code, str) or not rules.CODE_PATTERN.fullmatch(code):
        return None
    return db.session.scalar(sa.select(PerceptionQuestionnaire).where(PerceptionQuestionnaire.code == code))


def active_by_code(code: str | None) -> PerceptionQuestionnaire | None:
    """The questionnaire respondents may answer now (web, kiosk, API); None when unknown or inactive."""
    questionnaire = by_code(code)
    return questionnaire if questionnaire is not None and questionnaire.is_active else None


def active_questionnaires() -> list[PerceptionQuestionnaire]:
    stmt = sa.select(PerceptionQuestionnaire).where(PerceptionQuestionnaire.is_active.is_(True))
    return list(db.session.scalars(stmt.order_by(PerceptionQuestionnaire.code)))


def load_shipped(actor: User, code: str) -> PerceptionQuestionnaire:
    """Load the shipped questionnaire `code` (inactive); DefinitionRefused when it is loaded already."""
    definition = next((d for d in shipped_definitions() if d.code == code), None)
    if definition is None:
        raise DefinitionRefused([("code", PROBLEM_MESSAGES["required"]({}))])
    return _create(actor, definition, origin="shipped")


def load_json(actor: User, text: str | bytes) -> PerceptionQuestionnaire:
    """Load a questionnaire from JSON pasted or uploaded by the Tim SKM (inactive), or DefinitionRefused."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(raw) > MAX_DEFINITION_BYTES:
        too_big = _l("Definisi terlalu besar: paling besar %(kb)d KB.", kb=MAX_DEFINITION_BYTES // 1024)
        raise DefinitionRefused([("", too_big)])
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse, object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DefinitionRefused([("", NOT_JSON)]) from None
    try:
        definition = rules.parse_definition(data)
    except rules.DefinitionError as exc:
        raise DefinitionRefused([_worded(problem) for problem in exc.problems[:MAX_PROBLEMS]]) from None
    return _create(actor, definition, origin="json")


def _refuse(name: str) -> float:
    raise ValueError(name)  # NaN and Infinity are not JSON


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def _worded(problem: rules.Problem) -> tuple[str, object]:
    return problem.path, PROBLEM_MESSAGES.get(problem.code, PROBLEM_MESSAGES["required"])(problem.params)


def _create(actor: User, definition: rules.Questionnaire, *, origin: str) -> PerceptionQuestionnaire:
    if by_code(definition.code) is not None:
        raise DefinitionRefused([("code", CODE_TAKEN)])
    row = PerceptionQuestionnaire(
        code=definition.code,
        title=definition.title.id,
        title_en=definition.title.en,
        definition_json=json.dumps(definition.as_data(), ensure_ascii=False),
        created_by_id=actor.id,
        items=[PerceptionItem(position=i, code=item.code) for i, item in enumerate(definition.items, start=1)],
    )
    try:
        with savepoint():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # a colleague loaded the same code just now
        raise DefinitionRefused([("code", CODE_TAKEN)]) from None
    audit.record(actor, "perception.questionnaire_load", row, data={"code": row.code, "origin": origin})
    return row


def set_active(actor: User, questionnaire: PerceptionQuestionnaire, on: bool) -> None:
    """Offer the questionnaire to respondents (web, kiosk, API), or stop offering it."""
    if questionnaire.is_active != on:
        questionnaire.is_active = on
        db.session.flush()
        audit.record(
            actor, "perception.questionnaire_active", questionnaire, data={"code": questionnaire.code, "on": on}
        )


def set_published(actor: User, questionnaire: PerceptionQuestionnaire, on: bool) -> None:
    """Show the questionnaire's results on the public site, or stop showing them."""
    if questionnaire.is_published != on:
        questionnaire.is_published = on
        db.session.flush()
        audit.record(
            actor, "perception.questionnaire_publish", questionnaire, data={"code": questionnaire.code, "on": on}
        )


# --- one response ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerceptionInput:
    """What a respondent sent: answers by item code (numbers or their digits) and an optional layanan code."""

    answers: object = field(default_factory=dict)
    layanan: object = None


@dataclass(frozen=True)
class CheckedPerception:
    answers: dict[str, int]
    layanan: Layanan | None


def check(questionnaire: PerceptionQuestionnaire, data: PerceptionInput, *, strict: bool = False) -> CheckedPerception:
    """The response as it will be stored, or InvalidPerception naming every wrong field. `strict` (the API)
    also refuses answers to items the questionnaire does not have."""
    definition = questionnaire.definition
    errors: dict[str, object] = {}
    layanan = None
    if data.layanan is not None and not (isinstance(data.layanan, str) and not data.layanan.strip()):
        code = data.layanan.strip() if isinstance(data.layanan, str) else None
        layanan = reference.active_by_code(Layanan, code) if code else None
        if layanan is None:
            errors["layanan"] = LAYANAN_UNKNOWN
    answers: dict[str, int] | None = None
    if not isinstance(data.answers, Mapping):
        errors["answers"] = _l("Jawaban harus berupa objek {kode butir: nilai}.")
    else:
        answers, problems = rules.parse_answers(definition, data.answers, strict=strict)
        scale = definition.scale
        for code, problem in problems.items():
            if problem == "missing":
                errors[code] = ANSWER_MISSING
            elif problem == "invalid":
                errors[code] = _l(
                    "Jawaban harus bilangan bulat %(low)d sampai %(high)d.", low=scale.min, high=scale.max
                )
            else:
                errors[code] = ANSWER_UNKNOWN
    if errors or answers is None:
        raise InvalidPerception(errors)
    return CheckedPerception(answers, layanan)


def response_values(
    questionnaire: PerceptionQuestionnaire, checked: CheckedPerception, *, channel: Channel, submitted_on: date
) -> dict[str, object]:
    """The column values of a checked response (the paper import inserts many at once)."""
    year, quarter = quarter_of(submitted_on)
    return {
        "questionnaire_id": questionnaire.id,
        "layanan_id": checked.layanan.id if checked.layanan else None,
        "channel": channel,
        "submitted_on": submitted_on,
        "year": year,
        "quarter": quarter,
    }


def answer_rows(questionnaire: PerceptionQuestionnaire, response_id: int, checked: CheckedPerception) -> list[dict]:
    """One row per item: what PerceptionAnswer stores for a checked response."""
    return [
        {"response_id": response_id, "item_id": item.id, "value": checked.answers[item.code]}
        for item in questionnaire.items
    ]


def file_response(
    questionnaire: PerceptionQuestionnaire,
    data: PerceptionInput,
    *,
    channel: Channel,
    submission_key: str | None = None,
    kiosk_device_id: int | None = None,
    strict: bool = False,
    now: datetime | None = None,
) -> PerceptionResponse:
    """Validate and store one response given today (web, kiosk, API): the response and all its answers, or
    nothing. InvalidPerception, or DuplicateSubmission for a resent form or Idempotency-Key."""
    existing = _by_submission_key(submission_key)
    if existing is not None:
        raise DuplicateSubmission(existing)
    checked = check(questionnaire, data, strict=strict)
    today = today_jakarta(now or datetime.now(UTC))
    response = PerceptionResponse(
        **response_values(questionnaire, checked, channel=channel, submitted_on=today),
        submission_key=submission_key or None,
        kiosk_device_id=kiosk_device_id,
    )
    if not submission_key:
        begin_writing()  # nothing unique can collide; any failure fails the whole request
        _insert(questionnaire, response, checked)
        return response
    try:
        with savepoint():
            _insert(questionnaire, response, checked)
    except IntegrityError:
        existing = _by_submission_key(submission_key)
        if existing is None:
            raise
        raise DuplicateSubmission(existing) from None
    return response


def _insert(questionnaire: PerceptionQuestionnaire, response: PerceptionResponse, checked: CheckedPerception) -> None:
    db.session.add(response)
    db.session.flush()
    db.session.execute(sa.insert(PerceptionAnswer), answer_rows(questionnaire, response.id, checked))


def _by_submission_key(submission_key: str | None) -> PerceptionResponse | None:
    if not submission_key:
        return None
    return db.session.scalar(sa.select(PerceptionResponse).where(PerceptionResponse.submission_key == submission_key))
