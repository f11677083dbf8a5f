"""Paper perception forms (issue 9, point 11): the xlsx template of a questionnaire (one row a respondent)
and its all-or-nothing import, the same shape as the SKM's paper import.

The file is read as every staff spreadsheet is (services/tables): checked by its content, its rows streamed, a
formula cell read as the value Excel saved with it. Columns are found by their heading, never by position:
"tanggal" (the day written on the form), "layanan" (optional: the catalogue's code or name) and one column per
item, headed by the item's code ("P1", or "P1 …" followed by anything). Every row is checked as every other
channel's response is (services/skm/perception.py) and the problems listed by row and column; nothing is
imported unless every row is valid; a file imported before (same SHA-256) imports nothing again. One audit
entry per file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

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
from zi_public.services import audit, reference, tables
from zi_public.services.skm.perception import CheckedPerception, answer_rows, response_values
from zi_public.unit_of_work import savepoint

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
#: How many problems a refused file lists (one bad column in 20,000 rows would list 20,000).
MAX_ERRORS = 200
#: The date and layanan columns' headings (compared through tables.find_columns).
DATE_HEADINGS = frozenset({"tanggal", "tanggalpengisian", "tanggalsurvei", "date"})
LAYANAN_HEADINGS = frozenset({"layanan", "kodelayanan", "namalayanan", "service"})
_CHUNK = 1000
#: What ends an item's code in its heading: "P1 Persyaratan", "P1. …", "P1: …", "P1) …", "P1 - …".
_CODE_END = re.compile(r"[\s.:)\-—–]+")

Checked = tuple[int, date, CheckedPerception]


class PaperImportRefused(tables.RowsRefused):
    """Nothing was imported: `errors` lists the problems found, by row and column (row 0: the file)."""


@dataclass(frozen=True)
class ImportOutcome:
    rows: int
    already: bool  # the same file was imported before: nothing imported now


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


def check_file(
    questionnaire: PerceptionQuestionnaire, data: bytes, today: date
) -> tuple[list[Checked], tables.Problems, int]:
    """Each row's checked response, every problem by row and column (a file refused as a whole: one problem at
    row 0), and how many data rows were read."""
    problems = tables.Problems(limit=MAX_ERRORS)
    try:
        data = tables.read_capped(data, MAX_IMPORT_BYTES)
        # The values Excel saved with its formulas, as this import has always taken them.
        with tables.open_rows(data, formula_values=True) as rows:
            checked, read = _check_rows(questionnaire.definition, rows, today, problems)
            return checked, problems, read
    except tables.FileRefused as refused:
        problems = tables.Problems(limit=MAX_ERRORS)  # the rows read before the file broke off are not the point
        problems.file(refused)
        return [], problems, 0


def _check_rows(
    definition: rules.Questionnaire, rows: Iterator[tables.Row], today: date, problems: tables.Problems
) -> tuple[list[Checked], int]:
    header = tables.find_header(rows)
    if header is None:
        problems.add(0, "", _l("Berkas tidak berisi data."))
        return [], 0
    header_row, headings = header
    columns = tables.find_columns(headings, {"date": DATE_HEADINGS, "layanan": LAYANAN_HEADINGS})
    date_at, layanan_at = columns.get("date"), columns.get("layanan")
    item_at = _item_columns(definition, headings)
    missing = [item.code for item in definition.items if item.code not in item_at]
    if date_at is None or missing:
        message = _l(
            "Baris judul harus memuat kolom tanggal dan satu kolom per butir berjudul kodenya (kurang: %(missing)s).",
            missing=", ".join((["tanggal"] if date_at is None else []) + missing),
        )
        problems.add(header_row, "", message)
        return [], 0
    used = {date_at, *item_at.values(), *([] if layanan_at is None else [layanan_at])}
    # Retired layanan too: a paper form may name one retired since.
    catalogue = reference.by_code_or_name(Layanan, include_retired=True)
    checked: list[Checked] = []
    read = 0
    for number, cells in tables.records(rows, {i: i for i in used}, max_rows=MAX_IMPORT_ROWS):
        read += 1
        before = problems.total
        day, problem = _day(cells[date_at], today)
        if problem is not None:
            problems.add(number, headings[date_at], problem, cells[date_at])
        layanan = None
        if layanan_at is not None and not tables.is_blank(cells[layanan_at]):
            text = tables.cell_text(cells[layanan_at])
            try:
                layanan = catalogue.find(text)
            except reference.AmbiguousName:
                problems.add(number, headings[layanan_at], reference.AMBIGUOUS_LAYANAN, text)
            else:
                if layanan is None:
                    message = _l("Layanan tidak dikenal: %(value)s.", value=text[:80])
                    problems.add(number, headings[layanan_at], message, text)
        answers: dict[str, int] = {}
        for item in definition.items:
            raw = cells[item_at[item.code]]
            answer = rules.parse_value(tables.as_number(raw), definition.scale)
            if answer is None:
                message = (
                    _l("Wajib diisi.")
                    if tables.is_blank(raw)
                    else _l(
                        "Jawaban harus bilangan bulat %(low)d sampai %(high)d.",
                        low=definition.scale.min,
                        high=definition.scale.max,
                    )
                )
                problems.add(number, headings[item_at[item.code]], message, raw)
            else:
                answers[item.code] = answer
        if problems.total == before and day is not None:
            checked.append((number, day, CheckedPerception(answers, layanan)))
    if read == 0:
        problems.add(0, "", _l("Berkas tidak berisi data."))
    return checked, read


def _item_columns(definition: rules.Questionnaire, headings: list[str]) -> dict[str, int]:
    """Each item's column: the first heading whose first word is the item's code, in any case ("p1", "P1. …")."""
    items: dict[str, int] = {}
    for item in definition.items:
        code = item.code.casefold()
        for i, heading in enumerate(headings):
            first = _CODE_END.split(heading.strip(), maxsplit=1)[0].casefold()
            if first == code and item.code not in items and i not in items.values():
                items[item.code] = i
    return items


def _day(value: object, today: date) -> tuple[date | None, object | None]:
    if tables.is_blank(value):
        return None, _l("Wajib diisi.")
    day = tables.cell_date(value)
    if day is None:
        return None, _l(
            "Tanggal tidak terbaca. Isi sebagai tanggal, atau sebagai teks dd/mm/yyyy, misalnya 15/08/2026."
        )
    if day > today:
        return None, _l("Tanggal tidak boleh setelah hari ini.")
    if day.year < MIN_YEAR:
        return None, _l("Tanggal terlalu lama.")
    return day, None


def import_file(
    actor: User, questionnaire: PerceptionQuestionnaire, data: bytes, filename: str, *, today: date | None = None
) -> ImportOutcome:
    """Import every row of a filled template, or nothing (PaperImportRefused listing the problems)."""
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = db.session.scalar(sa.select(PerceptionImport).where(PerceptionImport.sha256 == sha256))
    if earlier is not None:
        return ImportOutcome(earlier.rows, already=True)
    checked, problems, read = check_file(questionnaire, data, today or today_jakarta())
    if problems:
        raise PaperImportRefused(problems, rows=read)
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


def _insert_chunk(questionnaire: PerceptionQuestionnaire, record: PerceptionImport, chunk: list[Checked]) -> None:
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
