"""The two sheets every quarterly team evaluation's workbook ends with (services/evaluations.py): the team's
written evaluation with its version and the earlier final versions, and the follow-up items, those carried
forward from an earlier quarter marked, each with its status as of the report's day.

One home for the UPG's benturan-evaluasi and the Tim WBS's wbs-evaluasi; the semester monev has sheets of its
own (exports/pengaduan_monev_followup.py), as its recommendations are followed across semesters.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from zi_public.exports.document import long_date, period_label
from zi_public.exports.evaluation_version import version_text
from zi_public.exports.xlsx import Sheet
from zi_public.labels import label
from zi_public.localtime import to_jakarta
from zi_public.rules.periods import Period, parse_period
from zi_public.services import evaluation_versions, evaluations


def _day(moment: datetime, lang: str) -> str:
    return long_date(to_jakarta(moment).date(), lang)


def evaluation_rows(scope: str, period: Period, lang: str) -> list[list[object]]:
    """The team's text with its version and the earlier final versions: the period's own, or for a longer one
    (a year) each of the scope's periods in turn."""
    rows: list[list[object]] = [[_("Periode"), period_label(period, lang)]]
    for part in evaluations.periods_of(scope, period):
        written = evaluations.get_evaluation(scope, part)
        prefix = f"{period_label(part, lang)}: " if part != period else ""
        rows += [
            [prefix + _("Versi"), version_text(written, lang)],
            [prefix + _("Evaluasi"), written.text if written and written.text else _("(belum diisi)")],
            [prefix + _("Terakhir diperbarui"), to_jakarta(written.updated_at) if written else None],
        ]
        rows += [
            [
                prefix + _("Versi %(n)d (final, diganti)", n=archived.version_no),
                _(
                    "ditetapkan %(day)s, diganti %(replaced)s",
                    day=_day(archived.finalized_at, lang),
                    replaced=_day(archived.archived_at, lang),
                ),
            ]
            for archived in evaluation_versions.archived_versions(scope, part)
        ]
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
