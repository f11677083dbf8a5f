"""Daftar Pemetaan Potensi Benturan Kepentingan (`benturan-pemetaan`, issue 10 point 8): a year's mapping as
of a day, grouped by bidang, with a summary by conflict type and risk; signed by the UPG, acknowledged by the
pimpinan; in the export's language.

Which rows: those of the year's mapping added by the end of `as_of` and not retired by then (a row retired
later is listed: on `as_of` it was still mapped). The change log (ConflictMappingChange) records which fields
changed and when, not what they held, so every row shows its current values; a row changed after `as_of` is
marked in the "Catatan" column with the fields that changed since, and the summary says so.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from zi_public.exports.document import document, long_date
from zi_public.exports.xlsx import Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.labels import label
from zi_public.models.benturan import ConflictMapping, ConflictMappingChange
from zi_public.models.reference import Bidang
from zi_public.rules.benturan import ConflictType, Risk
from zi_public.rules.periods import Period
from zi_public.services.gratifikasi import benturan_mapping as mapping
from zi_public.services.gratifikasi.benturan_labels import CONFLICT_TYPE_LABELS, MAPPING_FIELD_LABELS, RISK_LABELS
from zi_public.services.reference import localized_name

#: Who signs: the UPG prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "upg")


def rows_as_of(year: int, as_of: date) -> list[ConflictMapping]:
    """The year's rows mapped on `as_of`: added by then (by the change log; a row without one counts as
    added) and not retired by then; by bidang (catalogue order, rows for the whole office last), then id."""
    added = (
        sa.select(ConflictMappingChange.mapping_id)
        .where(ConflictMappingChange.change == mapping.ADDED, ConflictMappingChange.changed_on > as_of)
        .scalar_subquery()
    )
    stmt = (
        sa.select(ConflictMapping)
        .outerjoin(Bidang, Bidang.id == ConflictMapping.bidang_id)
        .where(
            ConflictMapping.year == year,
            ConflictMapping.id.not_in(added),
            sa.or_(ConflictMapping.retired_on.is_(None), ConflictMapping.retired_on > as_of),
        )
        .options(selectinload(ConflictMapping.layanan), selectinload(ConflictMapping.bidang))
        .order_by(Bidang.id.is_(None), Bidang.sort_order, Bidang.id, ConflictMapping.id)
    )
    return list(db.session.scalars(stmt))


def changed_after(row_ids: list[int], as_of: date) -> dict[int, list[str]]:
    """Row id → the fields changed after `as_of` (FIELDS order), for the rows that were."""
    if not row_ids:
        return {}
    stmt = sa.select(ConflictMappingChange).where(
        ConflictMappingChange.mapping_id.in_(row_ids),
        ConflictMappingChange.change == mapping.CHANGED,
        ConflictMappingChange.changed_on > as_of,
    )
    found: dict[int, set[str]] = {}
    for change in db.session.scalars(stmt):
        found.setdefault(change.mapping_id, set()).update(mapping.changed_fields(change))
    return {row_id: [name for name in mapping.FIELDS if name in names] for row_id, names in found.items()}


def _task_text(row: ConflictMapping, lang: str) -> str:
    if row.layanan is None:
        return row.task
    return f"{row.task}\n{_('Layanan')}: {localized_name(row.layanan, lang)}"


def _list_rows(rows: list[ConflictMapping], later: dict[int, list[str]], as_of: date, lang: str) -> list[list[object]]:
    result: list[list[object]] = []
    for number, row in enumerate(rows, start=1):
        note = ""
        if row.id in later:
            fields = ", ".join(str(label(MAPPING_FIELD_LABELS, name, lang)) for name in later[row.id])
            note = _("Diubah setelah %(day)s: %(fields)s", day=long_date(as_of, lang), fields=fields)
        result.append(
            [
                number,
                localized_name(row.bidang, lang) if row.bidang else _("Seluruh kantor"),
                _task_text(row, lang),
                label(CONFLICT_TYPE_LABELS, row.conflict_type, lang),
                row.description,
                label(RISK_LABELS, row.risk, lang),
                row.control,
                note,
            ]
        )
    return result


def _summary_rows(rows: list[ConflictMapping], lang: str, changed: int, as_of: date) -> list[list[object]]:
    counts = {(t, r): 0 for t in ConflictType for r in Risk}
    for row in rows:
        counts[(row.conflict_type, row.risk)] += 1
    result: list[list[object]] = []
    for conflict_type in ConflictType:
        values = [counts[(conflict_type, risk)] for risk in Risk]
        result.append([label(CONFLICT_TYPE_LABELS, conflict_type, lang), *values, sum(values)])
    totals = [sum(counts[(t, risk)] for t in ConflictType) for risk in Risk]
    result.append([_("Jumlah"), *totals, sum(totals)])
    result.append([])
    result.append(
        [
            _(
                "Isi setiap baris adalah isi saat laporan dibuat; riwayat perubahan mencatat bidang isian yang "
                "berubah, bukan isi sebelumnya. Baris yang diubah setelah %(day)s: %(count)d (lihat kolom Catatan).",
                day=long_date(as_of, lang),
                count=changed,
            )
        ]
    )
    return result


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The daftar pemetaan of `period`'s year as of `as_of`, as an xlsx workbook."""
    title = _("Daftar Pemetaan Potensi Benturan Kepentingan")
    rows = rows_as_of(period.year, as_of)
    later = changed_after([row.id for row in rows], as_of)
    sheets = [
        Sheet(
            title=_("Daftar pemetaan"),
            heading=title,
            headers=[
                _("No"),
                _("Bidang"),
                _("Tugas / layanan"),
                _("Jenis benturan"),
                _("Potensi benturan kepentingan"),
                _("Risiko"),
                _("Pengendalian"),
                _("Catatan"),
            ],
            rows=_list_rows(rows, later, as_of, lang),
            widths=[5, 20, 28, 18, 40, 10, 36, 22],
            wrap=frozenset({1, 2, 4, 6, 7}),
        ),
        Sheet(
            title=_("Ringkasan"),
            heading=_("Jumlah potensi benturan kepentingan per jenis dan tingkat risiko"),
            headers=[_("Jenis benturan"), *(str(label(RISK_LABELS, risk, lang)) for risk in Risk), _("Jumlah")],
            rows=_summary_rows(rows, lang, len(later), as_of),
            widths=[34, 10, 10, 10, 10],
            wrap=frozenset({0}),
        ),
    ]
    content = write_workbook(sheets, document(title, period, as_of, generated_at, lang, SIGNERS))
    return Export(content=content, rows=len(rows))
