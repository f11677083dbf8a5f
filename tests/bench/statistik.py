"""The public statistics page over 1,000 to 1,000,000 complaints, on SQLite and (when reachable) PostgreSQL.

    python -m tests.bench.statistik                          # 1k, 10k, 100k, 1M on both backends
    python -m tests.bench.statistik --sizes 1000 10000 --no-postgres

The database grows in steps (1k, then 9k more, ...): complaints received evenly over the three years up
to today, most triaged, verified, answered and finished within or after their clocks, the recent ones
partly open. Seeding bypasses the ORM (executemany on SQLite, COPY on PostgreSQL: 1M rows in well under a
minute), so after each step the figures are recounted with stats_aggregates.rebuild — what the migration
does once for an existing database; that time is printed too. Then the page is requested in-process
(Flask's test client): the default last twelve months and one whole year, the median of several requests.
Goal (issue 6): at most 50 ms at 1,000,000 complaints; before the figures were kept per month it grew
linearly (0.03 s at 1k, 0.08 s at 10k, 0.55 s at 100k).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from tests.bench.backends import each_backend
from tests.conftest import base_config, upgrade_schema
from zi_public import create_app
from zi_public.extensions import db
from zi_public.localtime import JAKARTA, today_jakarta
from zi_public.models import Category, Pengaduan
from zi_public.rules.pengaduan import Status
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan import stats_aggregates
from zi_public.services.reference import seed_reference_data

SIZES = (1_000, 10_000, 100_000, 1_000_000)
REQUESTS = 9
COLUMNS = (
    "id number access_code_hash channel identity category_id title description requested_resolution location "
    "status rejection_reason forwarded_to received_at received_on verify_by settle_by triaged_on followup_by "
    "followed_up_on finished_on reopen_count"
).split()


class Complaints:
    """Rows of the pengaduan table with plausible clock dates (working days from the real calendar)."""

    def __init__(self, today: date, categories: list[int], seed: int = 6) -> None:
        self.today = today
        self.first = today.replace(year=today.year - 3)
        self.categories = categories
        self.random = random.Random(seed)
        self.calendar = work_calendar()
        self._added: dict[tuple[date, int], date] = {}

    def add(self, day: date, n: int) -> date:
        key = (day, n)
        if key not in self._added:
            self._added[key] = self.calendar.add_working_days(day, n)
        return self._added[key]

    def rows(self, first_id: int, count: int):
        r, span = self.random, (self.today - self.first).days
        for case_id in range(first_id, first_id + count):
            received = self.first + timedelta(days=r.randrange(span + 1))
            status, reason, target = Status.BARU, None, None
            triaged = followup_by = followed = finished = None
            candidate = self.add(received, r.choice((0, 1, 1, 2, 2, 3, 3, 4, 6)))
            if candidate <= self.today:
                triaged, fate = candidate, r.random()
                if fate < 0.10:
                    status, reason, finished = Status.DITOLAK, "Bukan kewenangan dinas.", triaged
                elif fate < 0.15:
                    status, target, finished = Status.DIALIHKAN, "BPN Kota Magelang", triaged
                else:
                    status, followup_by = Status.TERVERIFIKASI, self.add(triaged, 5)
                    answered = self.add(triaged, r.choice((1, 2, 3, 4, 5, 5, 6, 8, 12)))
                    if answered <= self.today:
                        status, followed = Status.DITINDAKLANJUTI, answered
                        done = self.add(answered, r.choice((0, 1, 2, 3, 20, 45)))
                        if done <= self.today:
                            status, finished = Status.SELESAI, done
            received_at = datetime(received.year, received.month, received.day, 9, tzinfo=JAKARTA).astimezone(UTC)
            yield (
                case_id,
                f"PGD-{received.year}-{case_id:07d}",
                "0" * 64,
                "web",
                "anonim",
                r.choice(self.categories),
                "Pelayanan perizinan lambat",
                "Berkas sudah lengkap sejak lama namun belum ada kabar dari petugas.",
                "",
                "",
                status.value,
                reason,
                target,
                received_at.replace(tzinfo=None),
                received,
                self.add(received, 3),
                received + timedelta(days=60),
                triaged,
                followup_by,
                followed,
                finished,
                0,
            )


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def bulk_insert(rows) -> None:
    """Insert rows past the ORM: the DB-API's executemany on SQLite, COPY on PostgreSQL."""
    raw = db.engine.raw_connection()
    try:
        if db.engine.dialect.name == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY pengaduan ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join("?" for _ in COLUMNS)
            raw.cursor().executemany(
                f"INSERT INTO pengaduan ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                ([_sqlite_value(v) for v in row] for row in rows),
            )
        raw.commit()
    finally:
        raw.close()


def page_time(client, url: str) -> float:
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(samples)


def bench_backend(name: str, url: str, root: Path, sizes: list[int]) -> None:
    config = base_config(root, url)
    upgrade_schema(create_app(config))
    app = create_app(config)
    client = app.test_client()
    with app.app_context():
        seed_reference_data()
        db.session.commit()
        today = today_jakarta()
        complaints = Complaints(today, list(db.session.scalars(sa.select(Category.id))))
    print(f"{name}:")
    year_header = f"year {today.year - 1}"
    print(f"  {'complaints':>10}  {'seed':>7}  {'rebuild':>8}  {'last 12 months':>14}  {year_header:>10}")
    have = 0
    for size in sorted(sizes):
        with app.app_context():
            start = time.perf_counter()
            bulk_insert(complaints.rows(have + 1, size - have))
            seeded = time.perf_counter() - start
            start = time.perf_counter()
            with db.engine.begin() as connection:
                stats_aggregates.rebuild(connection)
            rebuilt = time.perf_counter() - start
            assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == size
            db.session.remove()
        have = size
        client.get("/pengaduan/statistik")  # warm: templates compiled, connection pooled
        recent = page_time(client, "/pengaduan/statistik")
        year = page_time(client, f"/pengaduan/statistik?year={today.year - 1}")
        print(
            f"  {size:>10,}  {seeded:6.1f}s  {rebuilt:7.2f}s  {recent * 1000:11.1f} ms  {year * 1000:7.1f} ms",
            flush=True,
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    each_backend(
        "statistik", lambda name, url, root: bench_backend(name, url, root, args.sizes), postgres=not args.no_postgres
    )


if __name__ == "__main__":
    main()
