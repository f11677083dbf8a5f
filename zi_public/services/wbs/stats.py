"""WBS figures kept per quarter in the same transaction as each change, surviving the retention purge.

What one report adds (its *share*): one in the quarter it was received and its category, with its result
('' while open, 'ditolak', or the outcome of a finished one) and the quarter it closed in; and the working
days from receipt to the team's first answer and to closing, in the quarter each was reached, kept as
histograms so that a median over any quarters is exact. Only quarters are kept, never days: a purged
report must not stay recognisable through its figures.

The result is read from the columns the flow sets through the ORM (closed_on, outcome), not from `status`:
the flow moves the status with a conditional UPDATE (services/wbs/flow.py), which no mapper event sees;
closed_on and the outcome are flushed just before it, in the same savepoint.

Kept by ORM events, like services/pengaduan/stats_aggregates.py: on WbsReport insert and update (the share
before the change leaves, the share after it enters) and delete. A delete is a purge (retention is the only
thing that deletes a report): its share moves from the stored reports' rows to the purged rows
(`is_purged`), which nothing recounts. A working-day override changes the day counts of stored reports:
their histograms are recounted (WBS volumes are small: all of them). SQL that bypasses the ORM, or an
upgrade of the `holidays` package, needs `rebuild` (`flask --app wsgi stats rebuild` runs it too).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import WbsCategory, WbsReport, WorkdayOverride
from zi_public.models.wbs_stats import WbsStatDays, WbsStatQuarter
from zi_public.rules import disclosure
from zi_public.rules.periods import QUARTER, Period, make_period, period_of
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar
from zi_public.services.counters import CounterTable
from zi_public.services.reference import localized_name

FIRST_ANSWER, CLOSING = "first_answer", "closing"
#: Each measure: the column whose day ends it (counted in working days from received_on).
MEASURES = {FIRST_ANSWER: "first_answer_on", CLOSING: "closed_on"}
OPEN, REJECTED = "", "ditolak"
FIELDS = ("category_id", "received_on", "first_answer_on", "closed_on", "outcome")


def quarter_of(day: date) -> str:
    """'2026-Q2' for a day of April-June 2026."""
    return period_of(QUARTER, day).code


def quarter_period(code: str) -> Period:
    year, index = code.split("-Q")
    return make_period(QUARTER, int(year), int(index))


def quarters_of(period: Period) -> list[str]:
    """The quarters a quarter or a year (or a semester) is made of, e.g. ['2026-Q1', …, '2026-Q4']."""
    return [quarter_of(month.start) for month in period.months()[::3]]


@dataclass(frozen=True)
class Share:
    quarter: str
    category_id: int
    result: str
    closed_quarter: str
    days: tuple[tuple[str, str, int], ...]  # (measure, quarter reached, working days from receipt)


def result_of(closed_on: date | None, outcome: object) -> str:
    """'' while open; the outcome of a finished report; 'ditolak' for one closed without an outcome."""
    if closed_on is None:
        return OPEN
    return str(getattr(outcome, "value", outcome)) if outcome else REJECTED


def share_of(values: Mapping[str, Any], calendar: WorkCalendar | None) -> Share:
    """The share of a report given its FIELDS; `calendar` is needed once a measure was reached."""
    received_on = values["received_on"]
    days = []
    for measure, column in MEASURES.items():
        stop = values[column]
        if stop is not None:
            assert calendar is not None
            days.append((measure, quarter_of(stop), calendar.count_working_days(received_on, stop)))
    closed_on = values["closed_on"]
    return Share(
        quarter=quarter_of(received_on),
        category_id=values["category_id"],
        result=result_of(closed_on, values["outcome"]),
        closed_quarter=quarter_of(closed_on) if closed_on else "",
        days=tuple(days),
    )


@dataclass
class Deltas:
    """Changes to apply to the figure tables, summed per row."""

    quarters: Counter[tuple[str, int, str, str, bool]]
    days: Counter[tuple[str, int, str, int, bool]]

    @classmethod
    def of(cls, signed: Iterable[tuple[int, Share, bool]]) -> Deltas:
        quarters: Counter[tuple[str, int, str, str, bool]] = Counter()
        days: Counter[tuple[str, int, str, int, bool]] = Counter()
        for sign, share, purged in signed:
            quarters[(share.quarter, share.category_id, share.result, share.closed_quarter, purged)] += sign
            for measure, quarter, n in share.days:
                days[(quarter, share.category_id, measure, n, purged)] += sign
        return cls(Counter({k: n for k, n in quarters.items() if n}), Counter({k: n for k, n in days.items() if n}))

    def apply(self, connection: sa.Connection) -> None:
        """Add the deltas to the figure tables."""
        _QUARTER_COUNTS.add(connection, self.quarters)
        _DAYS_COUNTS.add(connection, self.days)


_QUARTER_COUNTS = CounterTable(
    "wbs_stat_quarter",
    ("quarter", "category_id", "result", "closed_quarter", "is_purged"),
    ("count",),
    {"is_purged": sa.Boolean},
)
_DAYS_COUNTS = CounterTable(
    "wbs_stat_days", ("quarter", "category_id", "measure", "days", "is_purged"), ("count",), {"is_purged": sa.Boolean}
)


# --- keeping the figures with every change (ORM events) -------------------------------------------------


def _calendar_if_needed(connection: sa.Connection, *values: Mapping[str, Any]) -> WorkCalendar | None:
    if any(v[column] is not None for v in values for column in MEASURES.values()):
        return work_calendar(connection)
    return None


def _stored_values(connection: sa.Connection, report_id: int) -> dict[str, Any]:
    t = WbsReport.__table__
    row = connection.execute(sa.select(*(t.c[key] for key in FIELDS)).where(t.c.id == report_id)).one()
    return dict(zip(FIELDS, row, strict=True))


def _loaded_or_stored(connection: sa.Connection, target: WbsReport) -> dict[str, Any]:
    loaded = sa.inspect(target).dict
    if all(key in loaded for key in FIELDS):
        return {key: loaded[key] for key in FIELDS}
    return _stored_values(connection, target.id)


_BEFORE = "wbs_stats.before"


def _before_update(_mapper: Any, connection: sa.Connection, target: WbsReport) -> None:
    state = sa.inspect(target)
    before, unknown = {}, False
    for key in FIELDS:
        history = state.attrs[key].history
        if history.deleted:
            before[key] = history.deleted[0]
        elif history.added:
            unknown = True
    if unknown:
        before = _stored_values(connection, target.id)
    if before:
        state.info[_BEFORE] = before


def _after_insert(_mapper: Any, connection: sa.Connection, target: WbsReport) -> None:
    # No field of the share has a server default: one never set on a new report is NULL (no read back).
    loaded = sa.inspect(target).dict
    values = {key: loaded.get(key) for key in FIELDS}
    Deltas.of([(1, share_of(values, _calendar_if_needed(connection, values)), False)]).apply(connection)


def _after_update(_mapper: Any, connection: sa.Connection, target: WbsReport) -> None:
    before = sa.inspect(target).info.pop(_BEFORE, None)
    if not before:
        return
    after = _loaded_or_stored(connection, target)
    old = {**after, **before}
    calendar = _calendar_if_needed(connection, old, after)
    Deltas.of([(-1, share_of(old, calendar), False), (1, share_of(after, calendar), False)]).apply(connection)


def _before_delete(_mapper: Any, connection: sa.Connection, target: WbsReport) -> None:
    """A purge: the report's share moves to the purged rows, which outlive it."""
    values = _stored_values(connection, target.id)
    share = share_of(values, _calendar_if_needed(connection, values))
    Deltas.of([(-1, share, False), (1, share, True)]).apply(connection)


def _override_changed(_mapper: Any, connection: sa.Connection, _target: WorkdayOverride) -> None:
    recount_days(connection)


sa.event.listen(WbsReport, "after_insert", _after_insert)
sa.event.listen(WbsReport, "before_update", _before_update)
sa.event.listen(WbsReport, "after_update", _after_update)
sa.event.listen(WbsReport, "before_delete", _before_delete)
for _event in ("after_insert", "after_update", "after_delete"):
    sa.event.listen(WorkdayOverride, _event, _override_changed)


# --- recounting from the stored reports --------------------------------------------------------------------


def _shares_from_reports(connection: sa.Connection, calendar: WorkCalendar) -> list[tuple[int, Share, bool]]:
    t = WbsReport.__table__
    rows = connection.execute(
        sa.select(*(t.c[key] for key in FIELDS), sa.func.count()).group_by(*(t.c[key] for key in FIELDS))
    )
    result = []
    for row in rows:
        values = dict(zip(FIELDS, row[:-1], strict=True))
        share = share_of(values, calendar)
        result.extend([(1, share, False)] * int(row[-1]))
    return result


def recount_days(connection: sa.Connection) -> None:
    """Recount the stored reports' working-day histograms (after a change to the working-day calendar)."""
    t = WbsStatDays.__table__
    connection.execute(t.delete().where(t.c.is_purged.is_(False)))
    deltas = Deltas.of(_shares_from_reports(connection, work_calendar(connection)))
    Deltas(Counter(), deltas.days).apply(connection)


def rebuild(connection: sa.Connection) -> None:
    """Recompute the stored reports' rows of both tables (the purged reports' rows stay as they are)."""
    for table in (WbsStatQuarter.__table__, WbsStatDays.__table__):
        connection.execute(table.delete().where(table.c.is_purged.is_(False)))
    Deltas.of(_shares_from_reports(connection, work_calendar(connection))).apply(connection)


# --- reading the figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterFigures:
    """Per category id, for reports received in a quarter, as they stood at the quarter's end."""

    received: dict[int, int]
    open_at_end: dict[int, int]  # received in the quarter, not closed by its end
    rejected: dict[int, int]  # ditolak by the quarter's end
    outcomes: dict[int, dict[str, int]]  # finished by the quarter's end, per outcome


def _sum(column: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(column), 0)


def quarter_figures(connection: sa.Connection, quarter: str | Sequence[str]) -> QuarterFigures:
    """Reports received in `quarter` (or several), by category, with what each had come to by the end of
    the last of them."""
    quarters = [quarter] if isinstance(quarter, str) else list(quarter)
    quarter = max(quarters)
    t = WbsStatQuarter.__table__
    rows = connection.execute(
        sa.select(t.c.category_id, t.c.result, t.c.closed_quarter, _sum(t.c.count))
        .where(t.c.quarter.in_(quarters))
        .group_by(t.c.category_id, t.c.result, t.c.closed_quarter)
    )
    received: Counter[int] = Counter()
    open_: Counter[int] = Counter()
    rejected: Counter[int] = Counter()
    outcomes: dict[int, Counter[str]] = {}
    for category_id, result, closed_quarter, count in rows:
        if not count:  # a row a report moved out of
            continue
        received[category_id] += count
        if not closed_quarter or closed_quarter > quarter:
            open_[category_id] += count
        elif result == REJECTED:
            rejected[category_id] += count
        else:
            outcomes.setdefault(category_id, Counter())[result] += count
    return QuarterFigures(
        dict(received), dict(open_), dict(rejected), {c: dict(counts) for c, counts in outcomes.items()}
    )


def open_at_end_of(connection: sa.Connection, quarter: str) -> dict[int, int]:
    """Per category, every report received up to `quarter` and still open at its end (the backlog)."""
    t = WbsStatQuarter.__table__
    rows = connection.execute(
        sa.select(t.c.category_id, _sum(t.c.count))
        .where(t.c.quarter <= quarter, sa.or_(t.c.closed_quarter == "", t.c.closed_quarter > quarter))
        .group_by(t.c.category_id)
    )
    return {category_id: count for category_id, count in rows if count}


def days_histogram(connection: sa.Connection, quarters: Sequence[str], measure: str) -> Counter[int]:
    """How many reports reached `measure` in `quarters` after each number of working days."""
    t = WbsStatDays.__table__
    rows = connection.execute(
        sa.select(t.c.days, _sum(t.c.count))
        .where(t.c.quarter.in_(list(quarters)), t.c.measure == measure)
        .group_by(t.c.days)
    )
    return Counter({days: count for days, count in rows if count})


def histogram_percentile(histogram: Mapping[int, int], q: float) -> float | None:
    """The q-quantile (0..1) of the values a histogram counts, interpolated between ranks as Excel's
    PERCENTILE.INC does (the same as exports.pengaduan_monev.percentile over the expanded values)."""
    total = sum(histogram.values())
    if not total:
        return None
    position = (total - 1) * q
    low_rank, high_rank = int(position), min(int(position) + 1, total - 1)
    ordered = sorted(histogram.items())

    def value_at(rank: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if rank < seen:
                return value
        return ordered[-1][0]

    low, high = value_at(low_rank), value_at(high_rank)
    return low + (high - low) * (position - int(position))


def public_table(connection: sa.Connection, quarter: str) -> dict[int, dict[str, int]]:
    """Per category, reports received in `quarter` by their result now ('' open, 'ditolak', the outcomes)."""
    t = WbsStatQuarter.__table__
    rows = connection.execute(
        sa.select(t.c.category_id, t.c.result, _sum(t.c.count))
        .where(t.c.quarter == quarter)
        .group_by(t.c.category_id, t.c.result)
    )
    table: dict[int, dict[str, int]] = {}
    for category_id, result, count in rows:
        if count:
            table.setdefault(category_id, {})[result] = count
    return table


def quarters_with_reports(connection: sa.Connection) -> list[str]:
    """Every quarter some report was received in, newest first."""
    t = WbsStatQuarter.__table__
    rows = connection.execute(
        sa.select(t.c.quarter).group_by(t.c.quarter).having(_sum(t.c.count) > 0).order_by(t.c.quarter.desc())
    )
    return [quarter for (quarter,) in rows]


# --- the public statistics page (issue 8, point 7) ----------------------------------------------------------

#: The public table's columns: where the reports received in a quarter stand now.
PUBLIC_COLUMNS = (OPEN, REJECTED, "terbukti", "tidak_terbukti")


@dataclass(frozen=True)
class PublicTable:
    """One quarter's published table: rows per category (category ids in order), columns PUBLIC_COLUMNS.

    Each cell is its count, SMALL_MARK ("< 3") or HIDDEN_MARK (hidden so that a small one cannot be worked
    out); a total is None when the totals are left out altogether (rules/disclosure.py).
    """

    quarter: Period
    category_ids: tuple[int, ...]
    cells: tuple[tuple[str, ...], ...]
    row_totals: tuple[str | None, ...]
    column_totals: tuple[str | None, ...]
    total: str | None


SMALL_MARK, HIDDEN_MARK = "< 3", "–"


@functools.lru_cache(maxsize=256)
def _published(table: tuple[tuple[int, ...], ...]) -> disclosure.Published:
    return disclosure.suppress(table)


def _text(mark: disclosure.Cell, value: int | None) -> str | None:
    if mark == disclosure.Cell.OMITTED:
        return None
    if mark == disclosure.Cell.SMALL:
        return SMALL_MARK
    if mark == disclosure.Cell.HIDDEN:
        return HIDDEN_MARK
    return str(value)


def public_tables(quarters: Sequence[Period]) -> list[PublicTable]:
    """The published WBS tables of `quarters` (counts only, small ones suppressed), every category a row."""
    connection = db.session.connection()
    category_ids = tuple(connection.scalars(sa.select(WbsCategory.id).order_by(WbsCategory.id)))
    if not category_ids:
        return []
    counted = {quarter.code: public_table(connection, quarter.code) for quarter in quarters}
    if not any(counted.values()):  # no report in any of them: no section (an empty quarter beside others is "< 3")
        return []
    tables = []
    for quarter in quarters:
        counts = counted[quarter.code]
        table = tuple(tuple(counts.get(c, {}).get(column, 0) for column in PUBLIC_COLUMNS) for c in category_ids)
        published = _published(table)
        marks = published.marks
        height, width = len(category_ids), len(PUBLIC_COLUMNS)
        tables.append(
            PublicTable(
                quarter=quarter,
                category_ids=category_ids,
                cells=tuple(tuple(str(_text(marks[i][j], table[i][j])) for j in range(width)) for i in range(height)),
                row_totals=tuple(_text(marks[i][width], sum(table[i])) for i in range(height)),
                column_totals=tuple(_text(marks[height][j], sum(row[j] for row in table)) for j in range(width)),
                total=_text(marks[height][width], sum(map(sum, table))),
            )
        )
    return tables


def public_quarters(period: Period, today: date) -> list[Period]:
    """The quarters the public page shows beside `period`: those of the year (up to today), or the last four."""
    current = period_of(QUARTER, today)
    if period.kind == "year":
        quarters = [make_period(QUARTER, period.year, i) for i in range(1, 5)]
        return [q for q in quarters if q.start <= current.start]
    quarters = [current]
    while len(quarters) < 4:
        last = quarters[-1]
        quarters.append(make_period(QUARTER, last.year - (last.index == 1), 4 if last.index == 1 else last.index - 1))
    return quarters[::-1]


def category_names(lang: str) -> dict[int, str]:
    """The categories' names in `lang` (English when it has one), by id, for the public tables."""
    categories = db.session.scalars(sa.select(WbsCategory).order_by(WbsCategory.id))
    return {c.id: localized_name(c, lang) for c in categories}
