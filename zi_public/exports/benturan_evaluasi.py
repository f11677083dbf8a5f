"""Evaluasi Triwulanan Penanganan Benturan Kepentingan (`benturan-evaluasi`, issue 10 point 10), for a quarter
or a year (its four quarters), as of a day, in the report's language.

Sheets: declarations by kind and decision; working days from declaration to decision; the mapping's changes;
WBS reports in the category benturan kepentingan (counts only, as the public WBS figures show them: "< 3");
campaign and socialisation activities on benturan kepentingan; the UPG's written evaluation; the follow-up
items (those carried forward from an earlier quarter marked, each with its status as of the day). The figures
are services/gratifikasi/benturan_evaluation.py's; the text and the items services/evaluations.py's. The title
block says which version of the team's evaluation the workbook carries and whether it is final (as the
pengaduan-monev does); the evaluation sheet says it too and lists the earlier final versions.
Signed by the UPG, acknowledged by the pimpinan. No declarant's name or NIK is in it.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from flask_babel import gettext as _

from zi_public.exports.document import document, period_label
from zi_public.exports.evaluation_sheets import evaluation_sheet, follow_up_sheet
from zi_public.exports.evaluation_version import version_line
from zi_public.exports.xlsx import Export, Sheet, write_workbook
from zi_public.labels import label
from zi_public.rules.benturan import DeclarationKind
from zi_public.rules.periods import Period
from zi_public.services import evaluations
from zi_public.services.gratifikasi import benturan_evaluation
from zi_public.services.gratifikasi.benturan_declarations import DeclarationFigures
from zi_public.services.gratifikasi.benturan_evaluation import Figures
from zi_public.services.gratifikasi.benturan_labels import (
    DECISION_LABELS,
    DECLARATION_KIND_LABELS,
    MAPPING_CHANGE_LABELS,
    MAPPING_FIELD_LABELS,
)
from zi_public.services.gratifikasi.campaign import topic_label
from zi_public.services.reference import localized_name

#: Who signs: the UPG prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "upg")
SCOPE = benturan_evaluation.SCOPE


def _decision_text(kind: DeclarationKind, decision: object, lang: str) -> str:
    if decision is not None:
        return str(label(DECISION_LABELS, decision, lang))
    if kind == DeclarationKind.TAHUNAN_NIHIL:
        return _("Tidak memerlukan keputusan")
    return _("Belum diputuskan")


def _declaration_rows(figures: Figures, lang: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for quarter_figures in figures.declarations:
        name = period_label(quarter_figures.period, lang)
        for row in quarter_figures.counts:
            kind = str(label(DECLARATION_KIND_LABELS, row.kind, lang))
            rows.append([name, kind, _decision_text(row.kind, row.decision, lang), row.count])
        rows.append([name, _("Jumlah"), "", quarter_figures.total])
    if figures.declarations_total is not None:
        rows.append([period_label(figures.period, lang), _("Jumlah"), "", figures.declarations_total.total])
    return rows


def _duration_row(name: str, declarations: DeclarationFigures) -> list[object]:
    return [name, declarations.decided, declarations.median_days_to_decision, declarations.max_days_to_decision]


def _duration_rows(figures: Figures, lang: str) -> list[list[object]]:
    rows = [_duration_row(period_label(d.period, lang), d) for d in figures.declarations]
    if figures.declarations_total is not None:
        rows.append(_duration_row(period_label(figures.period, lang), figures.declarations_total))
    return rows


def _mapping_rows(figures: Figures, lang: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for change in figures.mapping.rows:
        fields = ", ".join(
            str(label(MAPPING_FIELD_LABELS, name, lang)) for name in (change.fields or "").split(",") if name
        )
        mapping = change.mapping
        rows.append(
            [
                change.changed_on,
                str(label(MAPPING_CHANGE_LABELS, change.change, lang)),
                mapping.task,
                localized_name(mapping.bidang, lang) if mapping.bidang is not None else "",
                fields,
            ]
        )
    return rows


def _summary_rows(figures: Figures, period: Period, as_of: date, lang: str) -> list[list[object]]:
    """The period's figures in a few lines (the sheets after it hold the detail)."""
    declarations = figures.declarations_total or figures.declarations[0] if figures.declarations else None
    items = evaluations.items_for(SCOPE, period)
    still_open = sum(1 for i in items if evaluations.status_at(i, as_of) == evaluations.OPEN)
    rows: list[list[object]] = [
        [_("Pernyataan yang diterima"), declarations.total if declarations else 0],
        [_("Pernyataan yang diputuskan"), declarations.decided if declarations else 0],
        [
            _("Median waktu sampai keputusan (hari kerja)"),
            declarations.median_days_to_decision if declarations else None,
        ],
        [
            _("Waktu paling lama sampai keputusan (hari kerja)"),
            declarations.max_days_to_decision if declarations else None,
        ],
    ]
    rows += [
        [_("Pemetaan: %(change)s", change=str(label(MAPPING_CHANGE_LABELS, change, lang)).lower()), count]
        for change, count in figures.mapping.counts.items()
    ]
    rows += [
        [_("Laporan WBS benturan kepentingan, %(period)s", period=period_label(w.quarter, lang)), w.received]
        for w in figures.wbs
    ]
    rows += [
        [_("Kegiatan kampanye dan sosialisasi"), len(figures.activities)],
        [_("Tindak lanjut"), len(items)],
        [_("Tindak lanjut yang masih terbuka"), still_open],
    ]
    return rows


def _wbs_rows(figures: Figures, lang: str) -> list[list[object]]:
    return [[period_label(row.quarter, lang), row.received, *row.cells] for row in figures.wbs]


def _activity_rows(figures: Figures, lang: str) -> list[list[object]]:
    return [
        [a.held_on, str(topic_label(a.topic)), a.medium, a.audience, a.summary, len(a.attachments)]
        for a in figures.activities
    ]


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The benturan kepentingan evaluation of `period` (a quarter, or a year: its four quarters) as an xlsx."""
    figures = benturan_evaluation.figures(period, as_of=as_of)
    sheets = [
        Sheet(
            title=_("Ringkasan"),
            heading=_("Ringkasan"),
            headers=[_("Uraian"), _("Jumlah")],
            rows=_summary_rows(figures, period, as_of, lang),
            widths=[60, 14],
        ),
        Sheet(
            title=_("Pernyataan per jenis"),
            heading=_("Pernyataan benturan kepentingan menurut jenis dan keputusan atasan"),
            headers=[_("Triwulan"), _("Jenis pernyataan"), _("Keputusan atasan"), _("Jumlah")],
            rows=_declaration_rows(figures, lang),
            widths=[18, 44, 44, 10],
            wrap=frozenset({1, 2}),
        ),
        Sheet(
            title=_("Waktu keputusan"),
            heading=_(
                "Waktu dari pernyataan sampai keputusan atasan (hari kerja), untuk yang diputuskan dalam periode"
            ),
            headers=[_("Periode"), _("Diputuskan"), _("Median (hari kerja)"), _("Paling lama (hari kerja)")],
            rows=_duration_rows(figures, lang),
            widths=[18, 12, 14, 14],
            number_formats={2: "0.0"},
        ),
        Sheet(
            title=_("Perubahan pemetaan"),
            heading=_("Perubahan pemetaan benturan kepentingan dalam periode"),
            headers=[_("Tanggal"), _("Perubahan"), _("Tugas / proses"), _("Bidang"), _("Kolom yang diubah")],
            rows=_mapping_rows(figures, lang),
            widths=[12, 14, 50, 24, 40],
            wrap=frozenset({2, 4}),
        ),
        Sheet(
            title=_("Laporan WBS"),
            heading=_(
                'Laporan WBS kategori benturan kepentingan yang diterima (hanya jumlah; di bawah 3 ditulis "< 3")'
            ),
            headers=[_("Triwulan"), _("Diterima"), *(str(c) for c in benturan_evaluation.WBS_COLUMN_LABELS)],
            rows=_wbs_rows(figures, lang),
            widths=[18, 10, 12, 10, 16, 20],
        ),
        Sheet(
            title=_("Kegiatan"),
            heading=_("Kegiatan kampanye dan sosialisasi benturan kepentingan"),
            headers=[_("Tanggal"), _("Topik"), _("Media"), _("Peserta / sasaran"), _("Uraian"), _("Jumlah bukti")],
            rows=_activity_rows(figures, lang),
            widths=[12, 22, 20, 28, 50, 10],
            wrap=frozenset({3, 4}),
        ),
        evaluation_sheet(SCOPE, period, lang),
        follow_up_sheet(SCOPE, period, as_of, lang),
    ]
    title = _("Evaluasi Triwulanan Penanganan Benturan Kepentingan")
    doc = document(title, period, as_of, generated_at, lang, SIGNERS)
    doc = dataclasses.replace(doc, details=[*doc.details, version_line(SCOPE, period, lang)])
    content = write_workbook(sheets, doc)
    rows = (
        figures.declarations_total.total if figures.declarations_total else sum(d.total for d in figures.declarations)
    )
    return Export(content=content, rows=rows)
