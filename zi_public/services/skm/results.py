"""SKM results: NRR, IKM, mutu and kinerja per triwulan, semester and year, overall and per layanan, with the
population and whether the sample suffices.

Every figure comes from SQL aggregates (COUNT and SUM of u1..u9, grouped where needed): rows are never
loaded. A semester or a year pools all the responses of the period; it is never an average of quarterly
IKMs. `as_of` cuts a period off at a day (responses submitted on or before it), so that the March report can
be made in March (pages pass today; None counts the whole period). The arithmetic is rules/ikm.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import Layanan, SkmPopulation, SkmResponse
from zi_public.rules.ikm import IkmResult, ikm_from_sums, minimum_sample
from zi_public.rules.periods import QUARTER, Period, latest, period_of
from zi_public.rules.skm import UNSUR, publishable_groups
from zi_public.services.skm import population as populations
from zi_public.services.skm.settings import legacy_weighting

#: SUM(u1) … SUM(u9), in the order of UNSUR.
_SUMS = tuple(sa.func.sum(getattr(SkmResponse, code.lower())) for code in UNSUR)


@dataclass(frozen=True)
class Result:
    """The results of one period (overall, or for one layanan) as they stood on `as_of`.

    `ikm` is None when nobody answered; `population`, `minimum_sample` and `sample_sufficient` are None when
    the Tim SKM entered no population for the period."""

    period: Period
    layanan: Layanan | None
    as_of: date
    ikm: IkmResult | None
    population: int | None
    minimum_sample: int | None
    sample_sufficient: bool | None

    @property
    def respondents(self) -> int:
        return 0 if self.ikm is None else self.ikm.respondents

    def sums(self) -> dict[str, int]:
        """The sum of the answers to each unsur (the exact data behind the NRR); zeros without responses."""
        if self.ikm is None:
            return dict.fromkeys(UNSUR, 0)
        return {code: int(value * self.ikm.respondents) for code, value in self.ikm.nrr.items()}


def cut_off(period: Period, as_of: date | None = None) -> date:
    """The last day counted: the period's end, or `as_of` when that comes first (None: no cut-off)."""
    return period.end if as_of is None else min(period.end, as_of)


def _within(period: Period, last_day: date) -> sa.ColumnElement[bool]:
    return sa.and_(SkmResponse.submitted_on >= period.start, SkmResponse.submitted_on <= last_day)


def _sums(row: Sequence[object]) -> list[int]:
    return [int(value or 0) for value in row]  # type: ignore[call-overload]


def unsur_sums(period: Period, *, layanan: Layanan | None = None, as_of: date | None = None) -> tuple[int, list[int]]:
    """(respondents, the sums of the answers to U1..U9) of `period` up to `as_of`, in one aggregate query."""
    query = sa.select(sa.func.count(), *_SUMS).where(_within(period, cut_off(period, as_of)))
    if layanan is not None:
        query = query.where(SkmResponse.layanan_id == layanan.id)
    count, *sums = db.session.execute(query).one()
    return int(count), _sums(sums)


def _result(
    period: Period,
    layanan: Layanan | None,
    last_day: date,
    count: int,
    sums: list[int],
    served: int | None,
    legacy: bool,
) -> Result:
    ikm = ikm_from_sums(count, sums, legacy=legacy)
    minimum = None if served is None else minimum_sample(served)
    sufficient = None if minimum is None else count >= minimum
    return Result(period, layanan, last_day, ikm, served, minimum, sufficient)


def _legacy(legacy: bool | None) -> bool:
    return legacy_weighting() if legacy is None else legacy


def result(
    period: Period, *, layanan: Layanan | None = None, as_of: date | None = None, legacy: bool | None = None
) -> Result:
    """The results of `period` (overall, or for `layanan`) up to `as_of`; `legacy` None = the office's
    setting (services/skm/settings.py)."""
    last_day = cut_off(period, as_of)
    count, sums = unsur_sums(period, layanan=layanan, as_of=last_day)
    served = populations.population(period, layanan)
    return _result(period, layanan, last_day, count, sums, served, _legacy(legacy))


def results_by_layanan(period: Period, *, as_of: date | None = None, legacy: bool | None = None) -> list[Result]:
    """One Result per layanan that has responses in `period` up to `as_of`, in the catalogue's order (one
    GROUP BY query for the answers, one for the population)."""
    last_day = cut_off(period, as_of)
    rows = db.session.execute(
        sa.select(SkmResponse.layanan_id, sa.func.count(), *_SUMS)
        .where(_within(period, last_day))
        .group_by(SkmResponse.layanan_id)
    ).all()
    if not rows:
        return []
    layanan = {
        item.id: item for item in db.session.scalars(sa.select(Layanan).where(Layanan.id.in_([row[0] for row in rows])))
    }
    served = populations.population_by_layanan(period)
    weighting = _legacy(legacy)
    results = [
        _result(period, layanan[layanan_id], last_day, int(count), _sums(sums), served.get(layanan_id), weighting)
        for layanan_id, count, *sums in rows
    ]
    return sorted(results, key=lambda r: (r.layanan.sort_order, r.layanan.id))  # type: ignore[union-attr]


@dataclass(frozen=True)
class PublishedByLayanan:
    """The per-layanan results the public may see: `shown` alone; `pooled` only as a count (rules/skm.py
    publishable_groups: no published figure rests on fewer than MIN_PUBLISHED_RESPONDENTS answers)."""

    shown: list[Result]
    pooled: list[Result]

    @property
    def pooled_respondents(self) -> int:
        return sum(r.respondents for r in self.pooled)

    def withholds(self, layanan: Layanan) -> bool:
        """Whether this layanan's own figures are not published (it is pooled)."""
        return any(r.layanan is not None and r.layanan.id == layanan.id for r in self.pooled)


def published_by_layanan(
    period: Period, *, as_of: date | None = None, legacy: bool | None = None
) -> PublishedByLayanan:
    """results_by_layanan, split into what the public pages and the API publish per layanan and what they pool."""
    found = results_by_layanan(period, as_of=as_of, legacy=legacy)
    by_id = {r.layanan.id: r for r in found}  # type: ignore[union-attr]
    shown, pooled = publishable_groups({layanan_id: r.respondents for layanan_id, r in by_id.items()})
    return PublishedByLayanan([by_id[i] for i in shown], [by_id[i] for i in pooled])


def quarters_up_to(last: Period, count: int) -> list[Period]:
    """The `count` quarters ending with the one that holds `last`'s final day, oldest first (none before
    MIN_YEAR)."""
    return latest(QUARTER, last.end, count)[::-1]


def quarter_series(
    last: Period, count: int = 8, *, as_of: date | None = None, legacy: bool | None = None
) -> list[Result]:
    """The overall result of each of the `count` quarters up to `last` (the line chart), oldest first; a
    quarter nobody answered has `ikm` None. One GROUP BY query for the answers, one for the population."""
    quarters = quarters_up_to(last, max(1, count))
    first, final = quarters[0], quarters[-1]
    last_day = cut_off(final, as_of)
    year, quarter = SkmResponse.year, SkmResponse.quarter
    rows = db.session.execute(
        sa.select(year, quarter, sa.func.count(), *_SUMS)
        .where(SkmResponse.submitted_on >= first.start, SkmResponse.submitted_on <= last_day)
        .group_by(year, quarter)
    ).all()
    answered = {(int(y), int(q)): (int(n), _sums(sums)) for y, q, n, *sums in rows}
    served = _population_by_quarter(first, final)
    weighting = _legacy(legacy)
    series = []
    for period in quarters:
        key = (period.year, period.index)
        n, sums = answered.get(key, (0, [0] * len(UNSUR)))
        series.append(_result(period, None, min(period.end, last_day), n, sums, served.get(key), weighting))
    return series


def _population_by_quarter(first: Period, final: Period) -> dict[tuple[int, int], int]:
    """(year, quarter) -> services delivered by all layanan, for the quarters from `first` to `final`."""
    key = SkmPopulation.year * 10 + SkmPopulation.quarter
    rows = db.session.execute(
        sa.select(SkmPopulation.year, SkmPopulation.quarter, sa.func.sum(SkmPopulation.served))
        .where(key >= first.year * 10 + first.index, key <= final.year * 10 + final.index)
        .group_by(SkmPopulation.year, SkmPopulation.quarter)
    )
    return {(int(y), int(q)): int(total) for y, q, total in rows}


def latest_quarter(today: date) -> Period | None:
    """The latest quarter with responses, not after `today` (the public page opens on it)."""
    latest = db.session.scalar(
        sa.select(sa.func.max(SkmResponse.submitted_on)).where(SkmResponse.submitted_on <= today)
    )
    return None if latest is None else period_of(QUARTER, latest)


def years_with_responses(today: date) -> list[int]:
    """The years from the first response to the latest one not after `today`, newest first (the public
    page's choices). Two queries: each of MIN and MAX alone is an index look-up, together a scan on SQLite."""
    not_after = SkmResponse.submitted_on <= today
    first = db.session.scalar(sa.select(sa.func.min(SkmResponse.submitted_on)).where(not_after))
    latest = db.session.scalar(sa.select(sa.func.max(SkmResponse.submitted_on)).where(not_after))
    if first is None or latest is None:
        return []
    return list(range(latest.year, first.year - 1, -1))
