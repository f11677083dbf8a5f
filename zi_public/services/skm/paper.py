"""Paper forms (issue 9, point 4): the Tim SKM types the paper questionnaires into an xlsx file, one row a
respondent, and uploads it; every row is validated and the file is imported whole or not at all.

The file is read as every staff spreadsheet is (services/tables.py): checked by its content (an xlsx, not a CSV
or an .xls renamed; no ZIP bomb, no macros: zi_public/security/office.py), then streamed row by row from the
archive (openpyxl's read-only mode); a formula is refused, never computed. Columns are found by their headers
(paper_columns.py): an unsur by its name, never by its position. Each row goes through filing.check, like a
web or kiosk response, and must also carry a plausible date and keep the one-response-per-permit-per-quarter
rule, within the file and against what is stored.

Nothing is imported unless every row is valid. A file whose rows were imported before imports nothing:
SkmImport.sha256 is the hash of the rows' checked content, in any order, so the same file saved again by
Excel (new bytes, same rows) is recognised as well. A valid file is inserted in bulk, with one audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from zi_public.extensions import db
from zi_public.i18n import period_name
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, SkmImport, SkmResponse, User
from zi_public.paging import Page, keyset_page
from zi_public.rules.periods import QUARTER, make_period
from zi_public.security.uploads import sanitize_filename
from zi_public.services import audit
from zi_public.services.skm.paper_columns import Columns
from zi_public.services.skm.paper_rows import MAX_ERRORS_SHOWN, ParsedFile, RowsRefused, check_stored_permits, parse
from zi_public.services.tables import XLSX, FileRefused, Problem, read_capped
from zi_public.unit_of_work import savepoint

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "MAX_ERRORS_SHOWN",
    "XLSX",
    "AlreadyImported",
    "ImportRefused",
    "Imported",
    "Problem",
    "RowsRefused",
    "import_file",
]

#: The file as a whole is refused: the reader's reasons (services/tables.py) and the import's own (header,
#: no_rows, conflict), each with what to do instead.
ImportRefused = FileRefused
#: Default of the configuration key SKM_IMPORT_MAX_BYTES.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Default of the configuration key SKM_IMPORT_MAX_ROWS: about 5 s of checking on a busy two-core machine, many times
#: what one quarter of the office's paper forms holds.
DEFAULT_MAX_ROWS = 10_000
INSERT_CHUNK = 1_000
AUDIT_ACTION = "skm.import"


class AlreadyImported(ValueError):
    """These rows were imported before (`existing`, by `by`): nothing was imported again."""

    def __init__(self, existing: SkmImport, by: User | None) -> None:
        super().__init__(existing.id)
        self.existing = existing
        self.by = by


@dataclass(frozen=True)
class Imported:
    skm_import: SkmImport
    columns: Columns


def import_file(
    actor: User,
    stream: BinaryIO,
    filename: str,
    *,
    today: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Imported:
    """Check an uploaded paper-form file and import every row of it, or none.

    Raises ImportRefused (the file), RowsRefused (the rows, by row and column) or AlreadyImported.
    """
    data = read_capped(stream, max_bytes)
    today = today or today_jakarta()
    parsed = parse(data, today=today, max_rows=max_rows)
    if parsed.errors.total:
        raise parsed.refusal()
    existing = db.session.scalar(sa.select(SkmImport).where(SkmImport.sha256 == parsed.sha256()))
    if existing is not None:
        raise AlreadyImported(existing, importer(existing))
    check_stored_permits(parsed)
    if parsed.errors.total:
        raise parsed.refusal()
    return _store(actor, filename, parsed)


# -- storing -------------------------------------------------------------------------------------------


_INSERT = sa.insert(SkmResponse.__table__)


def _store(actor: User, filename: str, parsed: ParsedFile) -> Imported:
    """One SkmImport and its rows in bulk, atomically; the file's hash decides a race between two uploads."""
    sha256 = parsed.sha256()
    name = sanitize_filename(filename or "", XLSX)
    skm_import = SkmImport(sha256=sha256, filename=name, rows=len(parsed.rows), imported_by_id=actor.id)
    try:
        with savepoint():
            db.session.add(skm_import)
            db.session.flush()
            for start in range(0, len(parsed.rows), INSERT_CHUNK):
                chunk = parsed.rows[start : start + INSERT_CHUNK]
                # A Core executemany: the ORM's bulk path costs three times as much for rows it never tracks.
                db.session.execute(_INSERT, [{**values, "import_id": skm_import.id} for values in chunk])
    except IntegrityError:
        existing = db.session.scalar(sa.select(SkmImport).where(SkmImport.sha256 == sha256))
        if existing is not None:
            raise AlreadyImported(existing, importer(existing)) from None
        raise ImportRefused(
            "conflict",
            _l("Nomor izin di berkas ini baru saja dipakai tanggapan lain. Unggah lagi untuk melihat barisnya."),
        ) from None
    audit.record(
        actor,
        AUDIT_ACTION,
        skm_import,
        data={
            "filename": name,
            "rows": skm_import.rows,
            "sha256": sha256,
            "columns": {c.field: c.header for c in parsed.columns.by_field.values()},
        },
    )
    return Imported(skm_import=skm_import, columns=parsed.columns)


# -- the list of imports -------------------------------------------------------------------------------


def recent_imports(args: Mapping[str, str], *, size: int) -> Page:
    """Past imports, newest first, one keyset page."""
    return keyset_page(sa.select(SkmImport), SkmImport.id, args=args, size=size)


def get_import(import_id: int) -> SkmImport | None:
    return db.session.get(SkmImport, import_id)


def importer(skm_import: SkmImport) -> User | None:
    return db.session.get(User, skm_import.imported_by_id) if skm_import.imported_by_id else None


def importer_names(imports: Sequence[SkmImport]) -> dict[int, str]:
    """The name of whoever made each import (by user id), in one query."""
    ids = {i.imported_by_id for i in imports if i.imported_by_id}
    if not ids:
        return {}
    users = db.session.scalars(sa.select(User).where(User.id.in_(ids)))
    return {user.id: user.full_name or user.username for user in users}


@dataclass(frozen=True)
class SummaryLine:
    layanan: Layanan
    year: int
    quarter: int
    responses: int

    @property
    def period_label(self) -> str:
        return period_name(make_period(QUARTER, self.year, self.quarter))


def import_summary(skm_import: SkmImport) -> list[SummaryLine]:
    """What one import added: responses per layanan and quarter (one GROUP BY)."""
    stmt = (
        sa.select(SkmResponse.layanan_id, SkmResponse.year, SkmResponse.quarter, sa.func.count())
        .where(SkmResponse.import_id == skm_import.id)
        .group_by(SkmResponse.layanan_id, SkmResponse.year, SkmResponse.quarter)
        .order_by(SkmResponse.year, SkmResponse.quarter, SkmResponse.layanan_id)
    )
    lines = list(db.session.execute(stmt))
    ids = {line[0] for line in lines}
    layanan = {row.id: row for row in db.session.scalars(sa.select(Layanan).where(Layanan.id.in_(ids)))}
    return [SummaryLine(layanan[lid], year, quarter, count) for lid, year, quarter, count in lines]
