"""The one home of Asia/Jakarta time: every clock date, report date and page date comes from here.

The database stores naive UTC timestamps (`*_at`) and Jakarta calendar dates (`*_on`, `*_by`).
Jakarta has no daylight saving time, so a UTC timestamp's Jakarta date is a fixed +7 hours away.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

JAKARTA = ZoneInfo("Asia/Jakarta")


def now_utc() -> datetime:
    """An aware UTC now (the default of every `now=` parameter)."""
    return datetime.now(UTC)


def today_jakarta(now: datetime | None = None) -> date:
    """The calendar date in Asia/Jakarta: what every clock counts from."""
    return (now or now_utc()).astimezone(JAKARTA).date()


def naive_utc(moment: datetime) -> datetime:
    """What a `*_at` column stores: naive UTC (an aware value is converted, a naive one is taken as UTC)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def to_jakarta(stored: datetime | None) -> datetime | None:
    """A stored naive-UTC timestamp as a naive Asia/Jakarta one (for screens and spreadsheets)."""
    if stored is None:
        return None
    aware = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    return aware.astimezone(JAKARTA).replace(tzinfo=None)


def jakarta_date(stored: datetime) -> date:
    """The Jakarta calendar date of a stored naive-UTC timestamp."""
    aware = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    return aware.astimezone(JAKARTA).date()


def end_of_day_utc(day: date) -> datetime:
    """The naive-UTC instant just after `day` ends in Jakarta: "recorded by the end of that day" is `< this`."""
    return start_of_day_utc(day) + timedelta(days=1)


def start_of_day_utc(day: date) -> datetime:
    """The naive-UTC instant `day` begins in Jakarta."""
    return naive_utc(datetime.combine(day, time.min, tzinfo=JAKARTA))


class jakarta_date_sql(FunctionElement):  # noqa: N801 - named like the SQL function it stands for
    """SQL twin of jakarta_date: the Asia/Jakarta calendar date of a stored naive-UTC timestamp (UTC+7)."""

    type = sa.Date()
    inherit_cache = True


@compiles(jakarta_date_sql, "sqlite")
def _jakarta_date_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(jakarta_date_sql)
def _jakarta_date_default(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"CAST(({compiler.process(element.clauses, **kw)}) + INTERVAL '7 hours' AS DATE)"
