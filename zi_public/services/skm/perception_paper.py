"""Paper perception forms (issue 9, point 11): the xlsx template of a questionnaire (one row a respondent)
and its all-or-nothing import, the same shape as the SKM's paper import.

Columns are found by their heading, never by position: "tanggal" (the day written on the form), "layanan"
(optional: the catalogue's code or name) and one column per item, headed by the item's code ("P1", or
"P1 …" followed by anything). Every row is checked as every other channel's response is
(services/skm/perception.py) and the problems listed by row and column; nothing is imported unless every row
is valid; a file imported before (same SHA-256) imports nothing again. One audit entry per file.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from zi_public.exports.xlsx import Sheet, write_workbook
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import (
    Layanan,
    PerceptionAnswer,
    PerceptionImport,
    PerceptionQuestionnaire,
    PerceptionResponse,
    User,
)
from zi_public.rules import perception as rules
from zi_public.rules.periods import MIN_YEAR
from zi_public.rules.skm import Channel
from zi_public.security import office
from zi_public.services import audit
from zi_public.services.skm.perception import CheckedPerception, answer_rows, response_values
from zi_public.unit_of_work import savepoint

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
#: How many problems a refused file lists (one bad column in 20,000 rows would list 20,000).
MAX_ERRORS = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_HEADINGS = frozenset({"tanggal", "tanggalpengisian", "tanggalsurvei", "date"})
LAYANAN_HEADINGS = frozenset({"layanan", "kodelayanan", "namalayanan", "service"})
_CHUNK = 1000
_TEXT_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class RowError:
    """One problem: the file's row (0 = the file as a whole), the column's heading as written, the message."""

    row: int
    column: str
    message: object


class PaperImportRefused(ValueError):
    """Nothing was imported: `errors` lists the problems found, by row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass(frozen=True)
class ImportOutcome:
    rows: int
    already: bool  # the same file was imported before: nothing imported now


def _file_error(message: object) -> PaperImportRefused:
    return PaperImportRefused([RowError(0, "", message)])


def _key(value: object) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(value or "")).casefold())


def template(questionnaire: PerceptionQuestionnaire, locale: str = "id") -> bytes:
    """The xlsx the Tim SKM fills in: one row a paper form; a second sheet explains the columns."""
    definition = questionnaire.definition
    headers = ["tanggal", "layanan", *(f"{item.code} {item.text.get(locale)}" for item in definition.items)]
    scale = definition.scale
    guide = [
        ["tanggal", str(_l("Tanggal yang tertulis pada formulir (tanggal/bulan/tahun)."))],
        ["layanan", str(_l("Kode atau nama layanan dari katalog; boleh dikosongkan."))],
        *([item.code, item.text.get(locale)] for item in definition.items),
        *(
            [str(point), str(_l("Jawaban %(n)d: %(label)s", n=point, label=scale.label(point).get(locale)))]
            for point in scale.points
        ),
    ]
    return write_workbook(
        [
            Sheet(title=definition.code, headers=headers, rows=[], widths=[12, 24, *([16] * len(definition.items))]),
            Sheet(title=str(_l("Petunjuk")), headers=[str(_l("Kolom")), str(_l("Isi"))], rows=guide, widths=[12, 90]),
        ]
    )


def read_rows(data: bytes) -> list[tuple[int, list[object]]]:
    """The rows of the first sheet of an xlsx file, numbered as a spreadsheet shows them."""
    if not data:
        raise _file_error(_l("Berkas kosong."))
    if len(data) > MAX_IMPORT_BYTES:
        raise _file_error(_l("Berkas terlalu besar: paling besar %(n)d MB.", n=MAX_IMPORT_BYTES // (1024 * 1024)))
    if office.sniff_office(data) != XLSX_TYPE:
        raise _file_error(_l("Unggah berkas xlsx (templat dari halaman ini)."))
    try:
        office.check_office(data)
    except office.OfficeRefused as exc:
        raise _file_error(_l("Berkas xlsx rusak atau berisi makro/tautan luar.")) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = []
                for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                    if number > MAX_IMPORT_ROWS + 1:
                        raise _file_error(_l("Berkas terlalu panjang: paling banyak %(n)d baris.", n=MAX_IMPORT_ROWS))
                    rows.append((number, list(values)))
            finally:
                workbook.close()
    except PaperImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same
        raise _file_error(_l("Berkas xlsx tidak dapat dibaca.")) from exc
    return rows


def _columns(definition: rules.Questionnaire, header: list[object]) -> tuple[int | None, int | None, dict[str, int]]:
    keys = [_key(value) for value in header]
    date_at = next((i for i, key in enumerate(keys) if key in DATE_HEADINGS), None)
    layanan_at = next((i for i, key in enumerate(keys) if key in LAYANAN_HEADINGS), None)
    items: dict[str, int] = {}
    for item in definition.items:
        code = item.code.casefold()
        for i, value in enumerate(header):
            first = re.split(r"[\s.:)\-—–]+", str(value or "").strip(), maxsplit=1)[0].casefold()
            if first == code and item.code not in items and i not in items.values():
                items[item.code] = i
    return date_at, layanan_at, items


def _cell(values: list[object], index: int | None) -> object:
    return values[index] if index is not None and index < len(values) else None


def _day(value: object, today: date) -> tuple[date | None, object | None]:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str) and (match := _TEXT_DATE.fullmatch(value.strip())):
        d, m, y, y2, m2, d2 = match.groups()
        try:
            day = date(int(y or y2), int(m or m2), int(d or d2))
        except ValueError:
            return None, _l("Tanggal tidak ada di kalender.")
    elif value is None or (isinstance(value, str) and not value.strip()):
        return None, _l("Wajib diisi.")
    else:
        return None, _l("Tulis tanggal sebagai tanggal, mis. 30/11/2026.")
    if day > today:
        return None, _l("Tanggal tidak boleh setelah hari ini.")
    if day.year < MIN_YEAR:
        return None, _l("Tanggal terlalu lama.")
    return day, None


def _answer(value: object, scale: rules.Scale) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet stores every number as a float
    return rules.parse_value(value, scale)


def check_rows(
    questionnaire: PerceptionQuestionnaire, rows: list[tuple[int, list[object]]], today: date
) -> tuple[list[tuple[int, date, CheckedPerception]], list[RowError]]:
    """Each row's checked response, or every problem by row and column."""
    definition = questionnaire.definition
    content = [(n, values) for n, values in rows if any(str(v if v is not None else "").strip() for v in values)]
    if not content:
        return [], [RowError(0, "", _l("Berkas tidak berisi data."))]
    (header_row, header), data_rows = content[0], content[1:]
    date_at, layanan_at, item_at = _columns(definition, header)
    missing = [item.code for item in definition.items if item.code not in item_at]
    if date_at is None or missing:
        message = _l(
            "Baris judul harus memuat kolom tanggal dan satu kolom per butir berjudul kodenya (kurang: %(missing)s).",
            missing=", ".join((["tanggal"] if date_at is None else []) + missing),
        )
        return [], [RowError(header_row, "", message)]
    if not data_rows:
        return [], [RowError(0, "", _l("Berkas tidak berisi data."))]
    layanan_by_key = _layanan_keys()
    errors: list[RowError] = []
    checked: list[tuple[int, date, CheckedPerception]] = []
    for number, values in data_rows:
        row_errors: list[RowError] = []
        day, problem = _day(_cell(values, date_at), today)
        if problem is not None:
            row_errors.append(RowError(number, str(header[date_at]), problem))
        layanan = None
        raw_layanan = _cell(values, layanan_at)
        if raw_layanan not in (None, "") and str(raw_layanan).strip():
            layanan = layanan_by_key.get(_key(raw_layanan))
            if layanan is None:
                message = _l("Layanan tidak dikenal: %(value)s.", value=str(raw_layanan)[:80])
                row_errors.append(RowError(number, str(header[layanan_at]), message))
        answers: dict[str, int] = {}
        for item in definition.items:
            raw = _cell(values, item_at[item.code])
            answer = _answer(raw, definition.scale)
            if answer is None:
                message = (
                    _l("Wajib diisi.")
                    if raw is None or (isinstance(raw, str) and not raw.strip())
                    else _l(
                        "Jawaban harus bilangan bulat %(low)d sampai %(high)d.",
                        low=definition.scale.min,
                        high=definition.scale.max,
                    )
                )
                row_errors.append(RowError(number, str(header[item_at[item.code]]), message))
            else:
                answers[item.code] = answer
        if row_errors:
            errors.extend(row_errors)
        elif day is not None:
            checked.append((number, day, CheckedPerception(answers, layanan)))
    return checked, errors


def _layanan_keys() -> dict[str, Layanan]:
    """Every layanan of the catalogue by its code and its names (a paper form may name a retired one)."""
    keys: dict[str, Layanan] = {}
    for item in db.session.scalars(sa.select(Layanan)):
        for value in (item.name_en, item.name, item.code):
            if value:
                keys[_key(value)] = item
    return keys


def import_file(
    actor: User, questionnaire: PerceptionQuestionnaire, data: bytes, filename: str, *, today: date | None = None
) -> ImportOutcome:
    """Import every row of a filled template, or nothing (PaperImportRefused listing the problems)."""
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = db.session.scalar(sa.select(PerceptionImport).where(PerceptionImport.sha256 == sha256))
    if earlier is not None:
        return ImportOutcome(earlier.rows, already=True)
    checked, errors = check_rows(questionnaire, read_rows(data), today or today_jakarta())
    if errors:
        raise PaperImportRefused(errors[:MAX_ERRORS])
    record = PerceptionImport(
        questionnaire_id=questionnaire.id,
        sha256=sha256,
        filename=filename[:255] or "-",
        rows=len(checked),
        imported_by_id=actor.id,
    )
    try:
        with savepoint():
            db.session.add(record)
            db.session.flush()
            for start in range(0, len(checked), _CHUNK):
                _insert_chunk(questionnaire, record, checked[start : start + _CHUNK])
    except IntegrityError:  # a colleague imported the same file just now
        return ImportOutcome(len(checked), already=True)
    audit.record(
        actor,
        "perception.import",
        record,
        data={"questionnaire": questionnaire.code, "rows": len(checked), "filename": record.filename, "sha256": sha256},
    )
    return ImportOutcome(len(checked), already=False)


def _insert_chunk(
    questionnaire: PerceptionQuestionnaire, record: PerceptionImport, chunk: list[tuple[int, date, CheckedPerception]]
) -> None:
    values = [
        {
            **response_values(questionnaire, response, channel=Channel.PAPER, submitted_on=day),
            "import_id": record.id,
            "import_row": row,
        }
        for row, day, response in chunk
    ]
    ids = db.session.scalars(
        sa.insert(PerceptionResponse).returning(PerceptionResponse.id, sort_by_parameter_order=True), values
    ).all()
    answers = [
        row
        for response_id, (_row, _day, response) in zip(ids, chunk, strict=True)
        for row in answer_rows(questionnaire, response_id, response)
    ]
    db.session.execute(sa.insert(PerceptionAnswer), answers)
