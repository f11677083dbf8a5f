"""The team's part of the monev workbook (exports/pengaduan_monev.py): the recommendations of earlier semesters
and where they stand, the evaluation text with its version, and this semester's recommendations.

The text and the recommendations are services/evaluations.py's (scope "pengaduan_monev"): each recommendation
is a follow-up item with an owner, a due date, a status and evidence, carried into every later semester's
monev until it is done. Statuses are as of the report's day (evaluations.status_at), so a monev made again
later "as of" the same day shows them as they were.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from zi_public.exports.document import long_date, period_label
from zi_public.exports.evaluation_version import parts, written_rows
from zi_public.models import FollowUpItem
from zi_public.rules.periods import Period, parse_period
from zi_public.services import evaluations

SCOPE = "pengaduan_monev"
#: The columns of a recommendation, after the column that names where it comes from.
ITEM_HEADERS_WIDTHS = (60, 24, 12, 14, 12, 44)


def item_headers(as_of: date, lang: str) -> list[str]:
    return [
        _("Rekomendasi"),
        _("Penanggung jawab"),
        _("Batas waktu"),
        _("Status per %(day)s", day=long_date(as_of, lang)),
        _("Tanggal selesai"),
        _("Bukti / hasil tindak lanjut"),
    ]


def _item_cells(item: FollowUpItem, as_of: date) -> list[object]:
    status = evaluations.status_at(item, as_of)
    done_on = item.done_on if status == evaluations.DONE else None
    return [item.item, item.owner, item.due_on, str(evaluations.STATUS_LABELS[status]), done_on, item.evidence]


def carried_rows(period: Period, as_of: date, lang: str) -> list[list[object]]:
    """Every recommendation of an earlier semester still open when `period` began, or done during it, with
    its status as of `as_of` ("tindak lanjut hasil monev sebelumnya")."""
    rows = [
        [period_label(parse_period(item.period), lang), *_item_cells(item, as_of)]
        for item in evaluations.items_for(SCOPE, period)
        if evaluations.is_carried(SCOPE, item, period)
    ]
    if not rows:
        rows.append([_("Tidak ada rekomendasi monev sebelumnya yang masih terbuka."), *[None] * 6])
    return rows


def evaluation_rows(period: Period, as_of: date, lang: str) -> list[list[object]]:
    """The team's text with its version and the earlier final versions, then the recommendations the semester
    set with their status as of `as_of`: the semester's own, or for a year each semester's in turn."""
    blank = [None] * 5
    rows: list[list[object]] = [[_("Periode"), period_label(period, lang), *blank]]
    for semester, prefix in parts(SCOPE, period, lang):
        rows += [[*row, *blank] for row in written_rows(SCOPE, semester, prefix, lang)]
        items = evaluations.items_set_by(SCOPE, semester)
        rows += [[prefix + _("Rekomendasi %(n)d", n=n), *_item_cells(item, as_of)] for n, item in enumerate(items, 1)]
        if not items:
            rows.append([prefix + _("Rekomendasi"), _("(belum diisi)"), *blank])
    return rows
