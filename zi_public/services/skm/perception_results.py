"""Perception survey results per period (issue 9, point 11): SQL aggregates (responses counted per channel,
answers per item and point of the scale); the arithmetic (reverse scoring, the index, rounding) is
rules/perception.py's. Never loads a response row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import Layanan, PerceptionAnswer, PerceptionItem, PerceptionQuestionnaire, PerceptionResponse
from zi_public.rules import perception as rules
from zi_public.rules.periods import QUARTER, Period, period_of
from zi_public.rules.skm import Channel
from zi_public.services.skm.results import cut_off, quarters_up_to


@dataclass(frozen=True)
class PeriodResult:
    """A questionnaire's result over `period` up to `as_of` (None: no responses)."""

    questionnaire: PerceptionQuestionnaire
    period: Period
    as_of: date
    result: rules.PerceptionResult | None
    by_channel: dict[Channel, int]


def _responses_in(questionnaire: PerceptionQuestionnaire, start: date, end: date, layanan: Layanan | None):
    conditions = [
        PerceptionResponse.questionnaire_id == questionnaire.id,
        PerceptionResponse.submitted_on >= start,
        PerceptionResponse.submitted_on <= end,
    ]
    if layanan is not None:
        conditions.append(PerceptionResponse.layanan_id == layanan.id)
    return conditions


def result(
    questionnaire: PerceptionQuestionnaire,
    period: Period,
    *,
    as_of: date | None = None,
    layanan: Layanan | None = None,
) -> PeriodResult:
    """The result over the period's days up to `as_of` (default: its last day): two GROUP BY queries, one
    counting responses per channel, one counting answers per item and point of the scale."""
    end = cut_off(period, as_of)
    where = _responses_in(questionnaire, period.start, end, layanan)
    by_channel = {
        Channel(channel): n
        for channel, n in db.session.execute(
            sa.select(PerceptionResponse.channel, sa.func.count()).where(*where).group_by(PerceptionResponse.channel)
        )
    }
    respondents = sum(by_channel.values())
    counts: dict[str, dict[int, int]] = {}
    if respondents:
        stmt = (
            sa.select(PerceptionItem.code, PerceptionAnswer.value, sa.func.count())
            .select_from(PerceptionAnswer)
            .join(PerceptionResponse, PerceptionResponse.id == PerceptionAnswer.response_id)
            .join(PerceptionItem, PerceptionItem.id == PerceptionAnswer.item_id)
            .where(*where)
            .group_by(PerceptionItem.code, PerceptionAnswer.value)
        )
        for code, value, n in db.session.execute(stmt):
            counts.setdefault(code, {})[int(value)] = int(n)
    computed = rules.result_from_counts(questionnaire.definition, respondents, counts)
    return PeriodResult(questionnaire, period, end, computed, by_channel)


def latest_quarter(questionnaire: PerceptionQuestionnaire, today: date) -> Period | None:
    """The latest quarter with responses, not after today (the public page opens on it)."""
    last = db.session.scalar(
        sa.select(sa.func.max(PerceptionResponse.submitted_on)).where(
            PerceptionResponse.questionnaire_id == questionnaire.id, PerceptionResponse.submitted_on <= today
        )
    )
    return period_of(QUARTER, last) if last else None


def quarter_list(today: date, count: int = 8) -> list[Period]:
    """The current quarter and those before it, newest first (the pages' period links): the SKM results'
    quarters_up_to, so neither runs back past rules/periods.MIN_YEAR."""
    return quarters_up_to(period_of(QUARTER, today), count)[::-1]
