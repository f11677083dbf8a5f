"""The rows read: the header row, the columns by their headings, each row as {key: value}; the problems found
in them, counted by row and column, for an import of all rows or none."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l

from zi_public.services.tables.cells import cell_text, heading_key, is_blank, shown
from zi_public.services.tables.files import FileRefused, Row

K = TypeVar("K")


def find_header(
    rows: Iterator[Row], *, accept: Callable[[list[str]], bool] = bool, within: int | None = None
) -> tuple[int, list[str]] | None:
    """The header row as (row number, headings as text): the first row that `accept`s its headings (by default,
    the first row), looked for in the first `within` rows; None when there is none. Reads `rows` up to it."""
    for number, values in rows:
        if within is not None and number > within:
            return None
        headings = [cell_text(value) for value in values]
        if accept(headings):
            return number, headings
    return None


def find_columns(headings: Sequence[str], names: Mapping[K, Iterable[str]]) -> dict[K, int]:
    """The position of the first heading that is one of each key's names, compared through heading_key with
    the spaces left out ("Kode Layanan" = "kode_layanan" = "KodeLayanan"); keys not found are left out."""
    keys = [heading_key(heading).replace(" ", "") for heading in headings]
    found: dict[K, int] = {}
    for key, aliases in names.items():
        wanted = {heading_key(alias).replace(" ", "") for alias in aliases}
        position = next((i for i, heading in enumerate(keys) if heading and heading in wanted), None)
        if position is not None:
            found[key] = position
    return found


def records(rows: Iterator[Row], columns: Mapping[K, int], *, max_rows: int) -> Iterator[tuple[int, dict[K, Any]]]:
    """(row number, {key: value}) for each row with something in `columns` (key -> position); FileRefused
    (too_many_rows) at the row past `max_rows`."""
    count = 0
    for number, values in rows:
        record = {key: values[i] if i < len(values) else None for key, i in columns.items()}
        if all(is_blank(value) for value in record.values()):
            continue  # e.g. a row with only a running number in a column not read
        count += 1
        if count > max_rows:
            raise FileRefused(
                "too_many_rows",
                _l("Berkas ini berisi lebih dari %(limit)d baris data. Bagi ke beberapa berkas.", limit=max_rows),
            )
        yield number, record


@dataclass(frozen=True)
class Problem:
    """One problem of an uploaded table: its row as the spreadsheet numbers it (0: the file as a whole), its
    column's heading as written ("": the whole row), why, and what the cell held as shown ("": nothing)."""

    row: int
    column: str
    message: object
    value: str = ""


@dataclass
class Problems:
    """Every problem found in a file: all counted, the first `limit` kept (None: all) in the order found."""

    limit: int | None = None
    listed: list[Problem] = field(default_factory=list)
    total: int = 0
    rows: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, message: object, value: object = None) -> None:
        self.total += 1
        self.rows.add(row)
        if self.limit is None or len(self.listed) < self.limit:
            self.listed.append(Problem(row, column, message, shown(value)))

    def file(self, refused: FileRefused) -> None:
        """The problems of a file refused as a whole, as row 0."""
        for message in refused.problems:
            self.add(0, "", message)

    def __bool__(self) -> bool:
        return self.total > 0


class RowsRefused(ValueError):
    """Nothing was imported: `errors` lists the problems kept (by row and column), `total` counts them all,
    `bad_rows` the rows they are in, `rows` the data rows read."""

    def __init__(self, problems: Problems, *, rows: int = 0) -> None:
        super().__init__(f"{problems.total} problem(s) in {len(problems.rows)} of {rows} rows")
        self.errors = problems.listed
        self.total = problems.total
        self.bad_rows = len(problems.rows)
        self.rows = rows
