"""The paper-form file's rows: read as they stream past (services/tables.py), the header row mapped to
fields (paper_columns.py), and each row checked: filing.check for the response, like any channel, then the date
on the form and the one-response-per-permit-per-quarter rule, within the file and against what is stored."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.i18n import lazy_period_name
from zi_public.models import Layanan, SkmResponse
from zi_public.rules.periods import QUARTER, make_period
from zi_public.rules.skm import UNSUR, Channel
from zi_public.services import reference, tables
from zi_public.services.skm import filing
from zi_public.services.skm.paper_columns import (
    FIELD_NAMES,
    OPTION_FIELDS,
    Columns,
    HeaderProblems,
    Lookups,
    map_columns,
    recognised,
)
from zi_public.services.tables import FileRefused, Formula, as_number, as_text, cell_date, cell_text

#: The header row is the first of these rows that names at least HEADER_MIN_FIELDS fields (a title may sit above).
HEADER_ROWS = 10
HEADER_MIN_FIELDS = 3
#: Errors listed on the result page (all are counted).
MAX_ERRORS_SHOWN = 300
PERMIT_QUERY_CHUNK = 500
#: The date on a form may be at most this many years before 1 January of this year.
OLDEST_YEARS = 3


class RowsRefused(tables.RowsRefused):
    """Some rows are wrong, so nothing was imported. `errors`: the first MAX_ERRORS_SHOWN, by row; `columns`: the
    header row as read."""

    def __init__(self, problems: tables.Problems, *, rows: int, columns: Columns) -> None:
        super().__init__(problems, rows=rows)
        self.columns = columns


@dataclass
class ParsedFile:
    columns: Columns
    errors: tables.Problems = field(default_factory=lambda: tables.Problems(limit=MAX_ERRORS_SHOWN))
    rows: list[dict[str, Any]] = field(default_factory=list)  # the values of the valid rows, to insert
    digests: list[bytes] = field(default_factory=list)
    data_rows: int = 0
    #: (permit number, year, quarter) -> the first row that uses it
    permits: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def sha256(self) -> str:
        """The rows' checked content in any order: the same rows give the same hash whatever the file's bytes."""
        digest = hashlib.sha256()
        for row in sorted(self.digests):
            digest.update(row)
        return digest.hexdigest()

    def refusal(self) -> RowsRefused:
        return RowsRefused(self.errors, rows=self.data_rows, columns=self.columns)


def parse(data: bytes, *, today: date, max_rows: int) -> ParsedFile:
    """Read the sheet once (an xlsx: tables.open_rows checks it first): find the header row, then check each row
    as it streams past."""
    with tables.open_rows(data) as rows:
        columns = _header(rows)
        parsed = ParsedFile(columns=columns)
        positions = {name: column.index for name, column in columns.by_field.items()}
        checker = _RowChecker(columns, Lookups(reference.by_code_or_name(Layanan, include_retired=False)), today)
        for number, raw in tables.records(rows, positions, max_rows=max_rows):
            parsed.data_rows += 1
            checker.check(number, raw, parsed)
    if parsed.data_rows == 0:
        raise FileRefused(
            "no_rows", _l("Tidak ada baris data di bawah judul kolom. Isi satu baris untuk setiap formulir.")
        )
    return parsed


def _header(rows: Iterator[tables.Row]) -> Columns:
    """The columns named by the header row: the first of the first rows that names enough of them."""
    found = tables.find_header(
        rows, accept=lambda headings: recognised(headings) >= HEADER_MIN_FIELDS, within=HEADER_ROWS
    )
    if found is None:
        raise FileRefused(
            "header",
            _l(
                "Baris judul kolom tidak ditemukan di %(rows)d baris pertama lembar pertama. Pakai templat dari "
                "halaman ini: satu baris judul (Tanggal, Layanan, …, U1 Persyaratan, …), lalu satu baris untuk "
                "setiap formulir.",
                rows=HEADER_ROWS,
            ),
        )
    try:
        return map_columns(found[1])
    except HeaderProblems as problems:
        raise FileRefused("header", *problems.problems) from None


class _RowChecker:
    """Checks one row after another: filing.check for the response, then the date and the permit number."""

    def __init__(self, columns: Columns, lookups: Lookups, today: date) -> None:
        self.columns = columns.by_field
        self.lookups = lookups
        self.today = today
        self.oldest = date(today.year - OLDEST_YEARS, 1, 1)

    def check(self, number: int, raw: Mapping[str, Any], parsed: ParsedFile) -> None:
        errors: dict[str, object] = {}
        for name, value in raw.items():
            if isinstance(value, Formula):  # its text: never a value computed by us
                errors[name] = _l("Sel ini berisi rumus. Salin kolomnya lalu tempel sebagai nilai (Paste Values).")
        day = self._date(raw.get("submitted_on"), errors)
        checked = None
        try:
            checked = filing.check(self._input(raw))
        except filing.InvalidResponse as invalid:
            for name, message in invalid.errors.items():
                errors.setdefault(name, self._message(name, message, raw.get(name)))
        if checked is not None and day is not None and not errors:
            self._keep(number, checked, day, parsed, errors)
        for name, message in sorted(errors.items(), key=lambda item: self._position(item[0])):
            column = self.columns.get(name)
            header = column.header if column else FIELD_NAMES[name]
            parsed.errors.add(number, header, message, raw.get(name))

    def _position(self, name: str) -> int:
        column = self.columns.get(name)
        return column.index if column else tables.MAX_COLUMNS

    def _input(self, raw: Mapping[str, Any]) -> filing.ResponseInput:
        layanan = self.lookups.layanan_code(raw.get("layanan"))
        return filing.ResponseInput(
            layanan=None if layanan == Lookups.AMBIGUOUS else layanan,
            gender=self.lookups.option("gender", raw.get("gender")),
            age=as_number(raw.get("age")),
            education=self.lookups.option("education", raw.get("education")),
            occupation=self.lookups.option("occupation", raw.get("occupation")),
            answers={code: as_number(raw.get(code)) for code in UNSUR},
            vulnerable_group=self.lookups.option("vulnerable_group", raw.get("vulnerable_group")),
            permit_number=as_text(raw.get("permit_number")),
            suggestion=as_text(raw.get("suggestion")),
        )

    def _date(self, value: object, errors: dict[str, object]) -> date | None:
        if cell_text(value) == "":
            errors["submitted_on"] = _l("Wajib diisi: tanggal pada formulir.")
            return None
        day = cell_date(value)
        if day is None:
            errors["submitted_on"] = _l(
                "Tanggal tidak terbaca. Isi sebagai tanggal, atau sebagai teks dd/mm/yyyy, misalnya 15/08/2026."
            )
        elif day > self.today:
            errors["submitted_on"] = _l(
                "Tanggal ini belum tiba (hari ini %(today)s).", today=self.today.strftime("%d/%m/%Y")
            )
        elif day < self.oldest:
            errors["submitted_on"] = _l(
                "Tanggal ini terlalu lama; yang paling awal diterima %(oldest)s.",
                oldest=self.oldest.strftime("%d/%m/%Y"),
            )
        else:
            return day
        return None

    def _message(self, name: str, message: object, value: object) -> object:
        """The staff's words for a refused field (filing's are the respondent's: "Pilih jenis kelamin.")."""
        empty = cell_text(value) == ""
        if name in UNSUR:
            return _l("Kosong. Isi jawaban 1, 2, 3 atau 4.") if empty else filing.ANSWER_INVALID
        if name == "layanan":
            if empty:
                return _l("Wajib diisi: kode atau nama layanan.")
            if self.lookups.layanan_code(value) == Lookups.AMBIGUOUS:
                return reference.AMBIGUOUS_LAYANAN
            return _l("Layanan ini tidak ada di katalog. Isi kode atau nama layanan dari lembar “Pilihan”.")
        if name in OPTION_FIELDS:
            if empty:
                return _l("Wajib diisi: kode atau label dari lembar “Pilihan”.")
            return _l("Bukan pilihan yang dikenal. Isi kode atau label dari lembar “Pilihan”.")
        if name == "age" and empty:
            return _l("Wajib diisi: usia dalam tahun.")
        return message

    def _keep(self, number: int, checked: filing.CheckedResponse, day: date, parsed: ParsedFile, errors: dict) -> None:
        """Keep a valid row's values, unless its permit number already answered this quarter in the file."""
        values = filing.response_values(checked, channel=Channel.PAPER, submitted_on=day)
        if checked.permit_number:
            key = (checked.permit_number, int(values["year"]), int(values["quarter"]))
            first = parsed.permits.setdefault(key, number)
            if first != number:
                errors["permit_number"] = _l(
                    "Nomor izin ini sudah dipakai di baris %(row)d pada triwulan yang sama: satu tanggapan per izin "
                    "per triwulan.",
                    row=first,
                )
                return
        parsed.digests.append(hashlib.sha256(_canonical(values).encode()).digest())
        parsed.rows.append({**values, "import_row": number})


def _canonical(values: Mapping[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def check_stored_permits(parsed: ParsedFile) -> None:
    """Refuse the rows whose permit number already answered the survey in that quarter (a stored response)."""
    numbers = sorted({permit for permit, _year, _quarter in parsed.permits})
    header = parsed.columns.by_field.get("permit_number")
    for start in range(0, len(numbers), PERMIT_QUERY_CHUNK):
        chunk = numbers[start : start + PERMIT_QUERY_CHUNK]
        stmt = sa.select(SkmResponse.permit_number, SkmResponse.year, SkmResponse.quarter).where(
            SkmResponse.permit_number.in_(chunk)
        )
        for permit, year, quarter in db.session.execute(stmt):
            row = parsed.permits.get((permit, year, quarter))
            if row is not None and header is not None:
                message = _l(
                    "Nomor izin ini sudah mengisi survei pada %(quarter)s (tanggapan yang sudah tersimpan).",
                    quarter=lazy_period_name(make_period(QUARTER, year, quarter)),
                )
                parsed.errors.add(row, header.header, message, permit)
    parsed.errors.listed.sort(key=lambda error: error.row)
