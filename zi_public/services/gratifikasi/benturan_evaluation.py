"""The quarterly evaluation of conflict-of-interest handling (issue 10, point 10): the figures of a quarter
(or of a year: its four quarters), as of a day, beside the UPG's written evaluation and follow-up items
(services/evaluations.py, scope "benturan").

- declarations by kind and decision, and the working days from declaration to decision
  (services/gratifikasi/benturan_declarations.quarter_figures);
- the mapping's changes in the period: added / changed / retired, and the list
  (services/gratifikasi/benturan_mapping.changes_in);
- WBS reports in the category `benturan-kepentingan`: counts only, exactly as the public WBS figures show
  the category's row (services/wbs/stats.public_tables over the quarterly figure tables; no report is read):
  a small count as "< 3" and, where a small one could be worked out from the others, a dash — so the UPG
  and the pimpinan learn nothing about a whistle-blower that the public page does not tell. Quarters in
  which the WBS received no report at all show 0;
- campaign and socialisation activities on benturan kepentingan (services/gratifikasi/campaign.activities_in).

The evaluation of a quarter is made in the month EVALUATION_MONTHS names (rules/benturan.py: Q1 in April, Q2
in July, Q3 in October, Q4 in December).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.models import ConflictMappingChange, UpgCampaignActivity, WbsCategory
from zi_public.rules.benturan import EVALUATION_MONTHS
from zi_public.rules.periods import MONTH, QUARTER, Period, make_period
from zi_public.services import evaluations
from zi_public.services.gratifikasi import benturan_declarations, benturan_mapping, campaign
from zi_public.services.gratifikasi.benturan_declarations import DeclarationFigures
from zi_public.services.wbs import stats

SCOPE = "benturan"
#: The WBS category whose reports the evaluation counts.
WBS_CATEGORY = "benturan-kepentingan"
#: The campaign topic whose activities the evaluation lists.
CAMPAIGN_TOPIC = "benturan_kepentingan"
#: The mapping's kinds of change, in the order the evaluation counts them.
CHANGES = ("added", "changed", "retired")
#: The WBS columns shown (stats.PUBLIC_COLUMNS: in process, ditolak, terbukti, tidak terbukti).
WBS_COLUMNS = stats.PUBLIC_COLUMNS
#: Their headings, in the words of the public WBS figures (templates/wbs/_statistik.html).
WBS_COLUMN_LABELS = (_l("Dalam proses"), _l("Ditolak"), _l("Selesai: terbukti"), _l("Selesai: tidak terbukti"))


def quarters_of(period: Period) -> list[Period]:
    """The quarters a quarter or a year is made of."""
    return evaluations.periods_of(SCOPE, period)


def evaluation_month(quarter: Period) -> Period:
    """The month the quarter's evaluation is made in (April for Q1, ..., December for Q4)."""
    if quarter.kind != QUARTER:
        raise ValueError("an evaluation month belongs to a quarter")
    return make_period(MONTH, quarter.year, EVALUATION_MONTHS[quarter.index - 1])


def up_to(period: Period, as_of: date) -> Period:
    """`period` cut at `as_of` (the same period when as_of is its last day or later)."""
    return period if as_of >= period.end else dataclasses.replace(period, end=as_of)


@dataclass(frozen=True)
class MappingChanges:
    counts: dict[str, int]  # per CHANGES
    rows: list[ConflictMappingChange]

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class WbsCounts:
    """One quarter's WBS reports in the category: received and per WBS_COLUMNS, each as text (wbs_cell)."""

    quarter: Period
    received: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    period: Period
    as_of: date
    declarations: list[DeclarationFigures]  # one per quarter
    declarations_total: DeclarationFigures | None  # the whole year's, when the period is a year
    mapping: MappingChanges
    wbs: list[WbsCounts]  # one per quarter
    activities: list[UpgCampaignActivity]


def declaration_figures(period: Period, as_of: date) -> DeclarationFigures:
    return benturan_declarations.quarter_figures(up_to(period, as_of))


def mapping_changes(period: Period, as_of: date) -> MappingChanges:
    rows = benturan_mapping.changes_in(period, as_of=as_of)
    counted = Counter(row.change for row in rows)
    return MappingChanges({change: counted.get(change, 0) for change in CHANGES}, rows)


def wbs_counts(quarters: list[Period]) -> list[WbsCounts]:
    """Each quarter's WBS reports in the category, received in the quarter and where they stand now, as the
    public WBS figures publish the category's row (stats.public_tables: the same suppression of small counts)."""
    category_id = db.session.scalar(sa.select(WbsCategory.id).where(WbsCategory.code == WBS_CATEGORY))
    tables = {table.quarter: table for table in stats.public_tables(quarters)} if category_id else {}
    result = []
    for quarter in quarters:
        table = tables.get(quarter)
        if table is None:  # no WBS report at all in the quarters asked about: nothing to hide
            result.append(WbsCounts(quarter, "0", tuple("0" for _column in WBS_COLUMNS)))
            continue
        row = table.category_ids.index(category_id)
        total = table.row_totals[row]
        result.append(WbsCounts(quarter, stats.HIDDEN_MARK if total is None else total, table.cells[row]))
    return result


def activities(period: Period, as_of: date) -> list[UpgCampaignActivity]:
    """The campaign and socialisation activities on benturan kepentingan held in the period up to as_of."""
    return [a for a in campaign.activities_in(up_to(period, as_of)) if a.topic == CAMPAIGN_TOPIC]


def figures(period: Period, *, as_of: date) -> Figures:
    """The evaluation's figures of `period` (a quarter or a year) as of `as_of`."""
    quarters = quarters_of(period)
    return Figures(
        period=period,
        as_of=as_of,
        declarations=[declaration_figures(q, as_of) for q in quarters if q.start <= as_of],
        declarations_total=declaration_figures(period, as_of) if len(quarters) > 1 else None,
        mapping=mapping_changes(period, as_of),
        wbs=wbs_counts([q for q in quarters if q.start <= as_of]),
        activities=activities(period, as_of),
    )
