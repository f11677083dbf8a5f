"""The two sheets every quarterly team evaluation's workbook ends with (services/evaluations.py): the team's
written evaluation with its version and the earlier final versions, and the follow-up items, those carried
forward from an earlier quarter marked, each with its status as of the report's day.

One home for the UPG's benturan-evaluasi and the Tim WBS's wbs-evaluasi; the semester monev has sheets of its
own (exports/pengaduan_monev_followup.py), as its recommendations are followed across semesters.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from zi_public.exports.document import period_label
from zi_public.exports.evaluation_version import parts, written_rows
from zi_public.exports.xlsx import Sheet
from zi_public.labels import label
from zi_public.rules.periods import Period, parse_period
from zi_public.services import evaluations


def evaluation_rows(scope: str, period: Period, lang: str) -> list[list[object]]:
    """The team's text with its version and the earlier final versions: the period's own, or for a longer one
    (a year) each of the scope's periods in turn."""
    rows: list[list[object]] = [[_("Periode"), period_label(period, lang)]]
    for part, prefix in parts(scope, period, lang):
        rows += written_rows(scope, part, prefix, lang)
    return rows


def item_rows(scope: str, period: Period, as_of: date, lang: str) -> list[list[object]]:
    """The follow-up items of the period's evaluation, each with its status at the end of `as_of`."""
    rows: list[list[object]] = []
    for item in evaluations.items_for(scope, period):
        status = evaluations.status_at(item, as_of)
        rows.append(
            [
                period_label(parse_period(item.period), lang),
                _("Ya") if evaluations.is_carried(scope, item, period) else _("Tidak"),
                item.item,
                item.owner,
                item.due_on,
                str(label(evaluations.STATUS_LABELS, status, lang)),
                item.done_on if status == evaluations.DONE else None,
                item.evidence,
            ]
        )
    return rows


def evaluation_sheet(scope: str, period: Period, lang: str) -> Sheet:
    return Sheet(
        title=_("Evaluasi"),
        heading=_("Evaluasi tim"),
        headers=[_("Bagian"), _("Isi")],
        rows=evaluation_rows(scope, period, lang),
        widths=[26, 100],
        wrap=frozenset({1}),
    )


def follow_up_sheet(scope: str, period: Period, as_of: date, lang: str) -> Sheet:
    return Sheet(
        title=_("Tindak lanjut"),
        heading=_("Rencana tindak lanjut (yang masih terbuka dibawa ke triwulan berikutnya)"),
        headers=[
            _("Ditetapkan pada"),
            _("Dibawa dari triwulan sebelumnya"),
            _("Tindak lanjut"),
            _("Penanggung jawab"),
            _("Batas waktu"),
            _("Status"),
            _("Tanggal selesai"),
            _("Bukti / hasil tindak lanjut"),
        ],
        rows=item_rows(scope, period, as_of, lang),
        widths=[12, 14, 50, 24, 12, 10, 12, 40],
        wrap=frozenset({2, 7}),
    )
