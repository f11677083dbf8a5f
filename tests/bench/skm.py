"""The SKM's IKM per quarter and its `skm-triwulan` export over 10,000 to 1,000,000 stored responses, on
SQLite and (when reachable) PostgreSQL, each against a bare baseline measured in the same run.

    python -m tests.bench.skm                              # 10k, 100k, 1M on both backends (or: make bench)
    python -m tests.bench.skm --sizes 10000,100000 --no-postgres

The table grows in steps (10k, then 90k more, ...) by one INSERT … SELECT per step: generate_series on
PostgreSQL, a recursive CTE on SQLite (1M rows in seconds). Every response lies in the measured quarter, so
the export holds all of them (the hardest case: a quarter's report is never bigger); layanan, profile,
channel and answers (mostly 3s and 4s) vary, a third carry a permit number, a fifth a suggestion (some
starting with "=").

- IKM: services/skm/results.result(quarter) — what the public page, the API and the export use — against the
  bare aggregate `SELECT count(*), sum(u1) … sum(u9) … WHERE submitted_on BETWEEN …` on the same connection;
  the best of several runs each, alternating (the machine may be shared: the minimum is the code's own cost).
  Goal (issue 9): at most 2× the bare aggregate.
- Export: build_report("skm-triwulan", quarter) against a bare openpyxl write-only dump of the same rows (the
  same SELECT streamed with yield_per into one sheet by ws.append, saved to memory). Each runs in a fresh
  subprocess that creates the app, then times the work alone (wall and CPU), twice: cold as a cron job runs
  it, then warm as a long-running server does (statements compiled); the ratio is the warm one, the cold
  export time is printed too. Its peak memory is that
  process's resident high-water mark (VmHWM: start-up included, so the RSS before the work is printed too);
  the best of two runs each (one at 1M). On a busy machine the CPU-time ratio is the steadier figure.
  Goals (issue 9): at most 1.5× the bare dump, peak RSS under 200 MB at 100,000 responses.
  The export writes every response twice (the data sheet and its layanan's sheet), the dump once.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from tests.bench.backends import each_backend
from tests.conftest import base_config, upgrade_schema
from zi_public import create_app
from zi_public.extensions import db
from zi_public.models import Layanan, SkmResponse
from zi_public.rules.periods import parse_period
from zi_public.rules.skm import EDUCATIONS, OCCUPATIONS, UNSUR

ROOT = Path(__file__).resolve().parents[2]
SIZES = (10_000, 100_000, 1_000_000)
PERIOD = "2026-Q3"
#: Answers 1-4 drawn from 0-19: 1 once, 2 three times, 3 eight times, 4 eight times (an office rated "Baik").
_ANSWER_OF = [1] + [2] * 3 + [3] * 8 + [4] * 8
_DIALECT = {
    "sqlite": {
        "rows": "WITH RECURSIVE seq(n) AS (SELECT :first UNION ALL SELECT n + 1 FROM seq WHERE n < :last) {insert} "
        "SELECT {values} FROM seq",
        "draw": "(abs(random()) % {k})",
        "day": "date(:start, '+' || (n % :days) || ' days')",
        "now": "datetime('now')",
    },
    "postgresql": {
        "rows": "{insert} SELECT {values} FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) seq(n)",
        "draw": "floor(random() * {k})::int",
        "day": "CAST(:start AS date) + CAST(n % :days AS integer)",
        "now": "now() at time zone 'utc'",
    },
}


def _choice(key: str, options: list[object]) -> str:
    """SQL: the option at position `key` (an integer expression evaluated once: a simple CASE)."""
    whens = " ".join(f"WHEN {i} THEN {_literal(option)}" for i, option in enumerate(options))
    return f"CASE {key} {whens} END"


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def fill_sql(dialect: str, layanan_ids: list[int]) -> str:
    """INSERT … SELECT of the responses numbered :first to :last, all given in the quarter from :start."""
    d = _DIALECT[dialect]
    draw = d["draw"]
    suggestions = ["Pelayanan sudah baik; ruang tunggu perlu kursi tambahan.", '=HYPERLINK("http://x")', "", "", ""]
    columns = {
        "id": "n",
        "layanan_id": _choice(draw.format(k=len(layanan_ids)), layanan_ids),
        "channel": _choice("n % 10", ["web"] * 6 + ["kiosk"] * 2 + ["paper", "api"]),
        "submitted_on": d["day"],
        "year": ":year",
        "quarter": ":quarter",
        "created_at": d["now"],
        "gender": _choice("n % 2", ["l", "p"]),
        "age": "17 + (n * 31) % 59",
        "education": _choice(f"(n * 7) % {len(EDUCATIONS)}", list(EDUCATIONS)),
        "occupation": _choice(f"(n * 5) % {len(OCCUPATIONS)}", list(OCCUPATIONS)),
        "vulnerable_group": _choice("n % 10", ["lansia", "disabilitas", "ibu-hamil-menyusui", "anak"] + [None] * 6),
        **{code.lower(): _choice(draw.format(k=len(_ANSWER_OF)), _ANSWER_OF) for code in UNSUR},
        "permit_number": "CASE WHEN n % 3 = 0 THEN 'PBG-' || n END",
        "suggestion": _choice("n % 5", suggestions),
    }
    insert = f"INSERT INTO skm_response ({', '.join(columns)})"
    return d["rows"].format(insert=insert, values=", ".join(columns.values()))


def grow(dialect: str, have: int, want: int) -> float:
    """Add responses have+1 … want; returns the seconds it took (ANALYZE included)."""
    period = parse_period(PERIOD)
    layanan_ids = list(db.session.scalars(sa.select(Layanan.id).order_by(Layanan.id)))
    sql = sa.text(fill_sql(dialect, layanan_ids))
    started = time.perf_counter()
    step = 250_000  # bounded statements: SQLite's recursive CTE and PostgreSQL's WAL stay small
    for first in range(have + 1, want + 1, step):
        last = min(want, first + step - 1)
        params = {"first": first, "last": last, "start": period.start.isoformat(), "days": 92}
        db.session.execute(sql, {**params, "year": period.year, "quarter": period.index})
        db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return time.perf_counter() - started


# -- in-process: the IKM against the bare aggregate ---------------------------------------------------------


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_ikm(repeat: int) -> tuple[float, float, int]:
    """(bare aggregate s, results.result s, respondents), best of `repeat`, alternating the two."""
    from zi_public.services.skm import results

    period = parse_period(PERIOD)
    bare = sa.text(
        "SELECT count(*), " + ", ".join(f"sum({code.lower()})" for code in UNSUR) + " FROM skm_response "
        "WHERE submitted_on BETWEEN :start AND :end"
    )
    params = {"start": period.start, "end": period.end}
    counted = db.session.execute(bare, params).one()[0]
    ours = results.result(period, as_of=period.end)
    assert ours.respondents == counted, (ours.respondents, counted)
    bare_times, our_times = [], []
    for _ in range(repeat):
        bare_times.append(best(lambda: db.session.execute(bare, params).one(), 1))
        our_times.append(best(lambda: results.result(period, as_of=period.end), 1))
    return min(bare_times), min(our_times), counted


# -- in a fresh process: the export against the bare dump ---------------------------------------------------


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        return int(next(line.split()[1] for line in fh if line.startswith(field + ":")))


def bare_dump(period_code: str) -> int:
    """The same rows as the data sheet, streamed into one write-only sheet with openpyxl's own append."""
    from openpyxl import Workbook

    period = parse_period(period_code)
    r = SkmResponse
    stmt = (
        sa.select(
            r.submitted_on,
            r.layanan_id,
            sa.type_coerce(r.channel, sa.String),
            r.gender,
            r.age,
            r.education,
            r.occupation,
            r.vulnerable_group,
            *(getattr(r, code.lower()) for code in UNSUR),
            r.suggestion,
        )
        .where(r.submitted_on.between(period.start, period.end))
        .order_by(r.submitted_on, r.id)
        .execution_options(yield_per=2000)
    )
    book = Workbook(write_only=True)
    ws = book.create_sheet("Data")
    ws.append(["Tanggal", "Layanan", "Kanal", "JK", "Usia", "Pendidikan", "Pekerjaan", "Rentan", *UNSUR, "Saran"])
    count = 0
    for row in db.session.execute(stmt):
        ws.append(list(row))
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return count


def export(period_code: str) -> int:
    from zi_public.exports import build_report

    return build_report("skm-triwulan", parse_period(period_code)).rows


def child(kind: str, url: str, root: str, period_code: str) -> None:
    """Run one export (or bare dump) in this fresh process, cold then warm; print what it cost as JSON."""
    app = create_app(base_config(Path(root), url))
    with app.app_context():
        db.session.execute(sa.select(1)).all()  # connect before measuring
        rss_before = _status_kb("VmRSS")
        costs = []
        for _ in range(2):  # cold (a cron job's run), then warm (a long-running server's: statements compiled)
            started, cpu_started = time.perf_counter(), time.process_time()
            rows = (export if kind == "export" else bare_dump)(period_code)
            costs.append((time.perf_counter() - started, time.process_time() - cpu_started))
            db.session.rollback()
    (cold, cold_cpu), (seconds, cpu) = costs
    peak, before = _status_kb("VmHWM") / 1024, rss_before / 1024
    figures = {"rows": rows, "s": seconds, "cpu": cpu, "cold_s": cold, "cold_cpu": cold_cpu}
    print(json.dumps({**figures, "peak_mb": peak, "before_mb": before}))


def run_child(kind: str, url: str, root: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "tests.bench.skm", "--child", kind, "--url", url, "--root", str(root)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=os.environ)
    if result.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_backend(name: str, url: str, root: Path, sizes: list[int], repeat: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    config = base_config(root, url)
    app = create_app(config)
    upgrade_schema(app)
    with app.app_context():
        from zi_public.services.reference import seed_reference_data

        seed_reference_data()
        db.session.commit()
    have = 0
    print(f"{name}:")
    print(
        f"  {'responses':>10} {'fill':>6} | {'aggregate':>9} {'IKM':>8} {'ratio':>5} |"
        f" {'bare dump':>15} {'export':>15} {'ratio':>5} {'CPU':>5} {'cold':>6} | {'RSS before':>10}"
        f" {'peak dump':>9} {'peak export':>11}"
    )
    for size in sorted(sizes):
        with app.app_context():
            filled = grow(name, have, size)
            have = size
            aggregate, ikm, counted = bench_ikm(repeat)
            assert counted == size
            db.session.remove()
            db.engine.dispose()
        runs = 2 if size <= 100_000 else 1  # alternating, the best of each
        dumps, exports = [], []
        for _ in range(runs):
            dumps.append(run_child("dump", url, root))
            exports.append(run_child("export", url, root))
        assert all(run["rows"] == size for run in dumps + exports)
        dump_s, export_s = min(d["s"] for d in dumps), min(e["s"] for e in exports)
        dump_cpu, export_cpu = min(d["cpu"] for d in dumps), min(e["cpu"] for e in exports)
        print(
            f"  {size:>10,} {filled:>5.1f}s | {aggregate * 1000:>7.1f}ms {ikm * 1000:>6.1f}ms {ikm / aggregate:>5.2f} |"
            f" {dump_s:>6.2f}s (CPU {dump_cpu:>5.2f}) {export_s:>6.2f}s (CPU {export_cpu:>5.2f})"
            f" {export_s / dump_s:>5.2f} {export_cpu / dump_cpu:>5.2f} {min(e['cold_s'] for e in exports):>5.2f}s |"
            f" {min(e['before_mb'] for e in exports):>8.0f}MB {max(d['peak_mb'] for d in dumps):>7.0f}MB"
            f" {max(e['peak_mb'] for e in exports):>9.0f}MB",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="response counts, comma-separated")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--repeat", type=int, default=7, help="runs of the IKM timings (the best is shown)")
    parser.add_argument("--child", choices=("export", "dump"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.root, PERIOD)
        return
    sizes = [int(value) for value in args.sizes.split(",") if value.strip()]
    each_backend(
        "skm", lambda name, url, root: bench_backend(name, url, root, sizes, args.repeat), postgres=not args.no_postgres
    )


if __name__ == "__main__":
    main()
