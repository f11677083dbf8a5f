"""The recap "sisa bulan lalu + masuk - selesai = sisa" of a period, by channel, category, layanan or bidang.

The one home of these figures: the monthly follow-up report (exports/pengaduan_bulanan), the semester
monev and the public figures all call it. Counted in SQL (GROUP BY over the snapshot of
services.pengaduan.asof.handled_in, one statement for any number of dimensions), as of a day: a complaint
recorded after `as_of` is absent even when it was received earlier, so a report made later "as of" the same
day has the same figures.

carried    received before the period and not finished before it, as of `as_of` (a complaint reopened
           and open again counts here: its last end of handling is not before the period);
received   received (received_on) in the period;
finished   handling last ended (selesai, ditolak, dialihkan) in the period, as of `as_of`;
remaining  carried + received - finished: still open at the period's end (as of `as_of`);
followed_up          complaints whose follow-up clock (verified -> reporter informed, within the configured
                     working days) had its outcome in the period: met on time on the day the reporter was
                     informed, or missed on the first day after its due date without the reporter informed.
                     Each verified complaint counts once, in one period, so a year is the sum of its months;
followed_up_on_time  those of them met on time; on_time_share is the one over the other.

Aggregates only: no title, text or identity ever leaves this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.models import Bidang, Category, Layanan, Pengaduan
from zi_public.rules.pengaduan import Channel
from zi_public.rules.periods import Period
from zi_public.services.pengaduan.asof import PeriodCases, handled_in
from zi_public.services.pengaduan.labels import CHANNEL_LABELS
from zi_public.services.reference import every_row, localized_name

DIMENSIONS = ("channel", "category", "layanan", "bidang")
#: The dimensions as a report's first column names them.
DIMENSION_LABELS = {
    "channel": _l("Kanal"),
    "category": _l("Kategori"),
    "layanan": _l("Layanan"),
    "bidang": _l("Bidang"),
}
NOT_SET = _l("Tidak diisi")
TOTAL = _l("Jumlah")


@dataclass(frozen=True)
class RecapRow:
    """One line of the recap: a channel, catalogue entry (by code), None (not set) or the total."""

    key: str | None  # channel value / category, layanan or bidang code; None = not set (or the total)
    label: str  # in the recap's language
    carried: int  # open at the period's start (received before it, not finished before it)
    received: int  # received (received_on) in the period
    finished: int  # finished in the period (selesai, ditolak, dialihkan), as of `as_of`
    remaining: int  # carried + received - finished
    followed_up: int  # follow-up clocks whose outcome (met, or missed) fell in the period
    followed_up_on_time: int  # ... met by their due date

    @property
    def on_time_share(self) -> float | None:
        """The share of follow-ups met on time (0..1), None when none fell in the period."""
        return self.followed_up_on_time / self.followed_up if self.followed_up else None

    def counts(self) -> list[int]:
        """The counts in the order reports put them: carried, received, finished, remaining, followed up, on time."""
        return [self.carried, self.received, self.finished, self.remaining, self.followed_up, self.followed_up_on_time]

    def figures(self) -> list[int | float | None]:
        """The counts, then the on-time share: a report's recap columns."""
        return [*self.counts(), self.on_time_share]


_Counts = tuple[int, int, int, int, int]  # carried, received, finished, followed_up, followed_up_on_time
_ZERO: _Counts = (0, 0, 0, 0, 0)


_MEASURES = ("carried", "received", "finished", "followed_up", "followed_up_on_time")


def _flags(cases: PeriodCases) -> list[sa.ColumnElement[int]]:
    """Per complaint, 1 or 0 for each of _MEASURES."""
    return [sa.case((getattr(cases, name), 1), else_=0).label(name) for name in _MEASURES]


def _sums(columns) -> list[sa.ColumnElement[int]]:  # noqa: ANN001 - a FromClause's column collection
    return [sa.func.coalesce(sa.func.sum(columns[name]), 0) for name in _MEASURES]


def _total(cases: PeriodCases) -> _Counts:
    flags = sa.select(*_flags(cases)).select_from(cases.snap.from_clause).where(cases.where).subquery("handled")
    return tuple(int(v) for v in db.session.execute(sa.select(*_sums(flags.c))).one())  # type: ignore[return-value]


def _key_column(dimension: str, cases: PeriodCases) -> sa.ColumnElement:
    """What the dimension groups by: the channel, or the catalogue row's id (the bidang as of the day)."""
    return {
        "channel": Pengaduan.channel,
        "category": Pengaduan.category_id,
        "layanan": Pengaduan.layanan_id,
        "bidang": cases.snap.bidang_id,
    }[dimension]


def _counts(cases: PeriodCases, dimensions: Sequence[str]) -> dict[str, dict[object, _Counts]]:
    """Per dimension, the counts per key, from one statement: the complaints handled (the snapshot, read
    once: a WITH query used by several selects is materialised by SQLite and PostgreSQL alike) grouped by
    each dimension in turn, UNION ALL. Keys come back as text (one column for all) and are turned back here.
    """
    handled = (
        sa.select(*(_key_column(d, cases).label(d) for d in dimensions), *_flags(cases))
        .select_from(cases.snap.from_clause)
        .where(cases.where)
        .cte("handled")
    )
    # Grouped by the key itself, not a text cast of it, so the groups are the same on both databases.
    branches = [
        sa.select(
            sa.literal_column(str(position)).label("dimension"), sa.cast(handled.c[d], sa.String(40)), *_sums(handled.c)
        ).group_by(handled.c[d])
        for position, d in enumerate(dimensions)
    ]
    result: dict[str, dict[object, _Counts]] = {d: {} for d in dimensions}
    for position, key, *values in db.session.execute(sa.union_all(*branches)):
        dimension = dimensions[position]
        if key is not None and dimension != "channel":
            key = int(key)
        result[dimension][key] = tuple(int(v) for v in values)  # type: ignore[assignment]
    return result


def _row(key: str | None, label: str, counts: _Counts) -> RecapRow:
    carried, received, finished, followed_up, on_time = counts
    return RecapRow(key, label, carried, received, finished, carried + received - finished, followed_up, on_time)


def _channel_rows(counts: dict[object, _Counts]) -> list[RecapRow]:
    """Every channel, in the order of Channel (the reporter's own, then the team's intake form)."""
    return [_row(ch.value, str(CHANNEL_LABELS[ch]), counts.get(ch.value, _ZERO)) for ch in Channel]


def _catalogue_rows(model: type, counts: dict[object, _Counts], lang: str) -> list[RecapRow]:
    """The catalogue in its order: active entries (even at zero) and retired ones with complaints; then
    "not set" when complaints have none (no layanan chosen, no disposisi yet)."""
    rows = [
        _row(item.code, localized_name(item, lang), counts.get(item.id, _ZERO))
        for item in every_row(model)
        if item.is_active or item.id in counts
    ]
    if None in counts:
        rows.append(_row(None, str(NOT_SET), counts[None]))
    return rows


_ROWS: dict[str, Callable[[dict[object, _Counts], str], list[RecapRow]]] = {
    "channel": lambda counts, _lang: _channel_rows(counts),
    "category": lambda counts, lang: _catalogue_rows(Category, counts, lang),
    "layanan": lambda counts, lang: _catalogue_rows(Layanan, counts, lang),
    "bidang": lambda counts, lang: _catalogue_rows(Bidang, counts, lang),
}


def recap(period: Period, *, as_of: date, dimension: str, lang: str) -> list[RecapRow]:
    """The recap of `period` as of `as_of` by `dimension` (one of DIMENSIONS), labelled in `lang`.

    One row per key: every channel; every active catalogue entry and any retired one with complaints,
    in the catalogue's order; "not set" last when some complaint has none.
    """
    return recap_by(period, as_of=as_of, dimensions=(dimension,), lang=lang)[dimension]


def recap_by(
    period: Period, *, as_of: date, dimensions: Sequence[str] = DIMENSIONS, lang: str
) -> dict[str, list[RecapRow]]:
    """The recaps by several dimensions at once (each as `recap` gives it), from one statement."""
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown or not dimensions:
        raise ValueError(f"unknown recap dimension {unknown!r}; expected some of {', '.join(DIMENSIONS)}")
    counts = _counts(handled_in(period.start, period.end, as_of), dimensions)
    with force_locale(lang):
        return {d: _ROWS[d](counts[d], lang) for d in dimensions}


def recap_total(period: Period, *, as_of: date, lang: str) -> RecapRow:
    """The recap of `period` as of `as_of` over all complaints (key None, label "Jumlah"/"Total")."""
    counts = _total(handled_in(period.start, period.end, as_of))
    with force_locale(lang):
        return _row(None, str(TOTAL), counts)


def total_of_channels(lines: Sequence[RecapRow], lang: str) -> RecapRow:
    """recap_total from the recap by channel (recap_by(...)["channel"]), without another statement: every
    complaint has exactly one channel (a NOT NULL column that a CHECK constraint keeps to Channel), and
    every channel has its line, so the lines add up to the total."""
    counts = tuple(sum(values) for values in zip(*(_measured(line) for line in lines), strict=True))
    with force_locale(lang):
        return _row(None, str(TOTAL), counts)  # type: ignore[arg-type]


def _measured(line: RecapRow) -> _Counts:
    return line.carried, line.received, line.finished, line.followed_up, line.followed_up_on_time
