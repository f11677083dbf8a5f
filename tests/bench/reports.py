"""Timings and peak memory of the pengaduan reports over many complaints.

    python -m tests.bench.reports                    # 10,000 and 100,000 complaints on SQLite
    python -m tests.bench.reports --sizes 20000 --postgres

Seeds N complaints received evenly over the three years up to today, each with the history events of
its flow (bulk inserts, not the HTTP path: seeding 100,000 takes seconds, not hours), then makes the
last full month's follow-up report and the last full semester's monev twice: through the CLI as an
operator's cron job does (`flask --app wsgi report ...`, start-up included; peak memory is that
process's maximum resident set size), and in-process (the builder alone). Goals (issue 6): at 100,000
complaints the monev takes at most 4 s and 150 MB, the monthly report at most 3 s, both via the CLI.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from tests.bench.backends import each_backend
from tests.conftest import base_config, upgrade_schema
from zi_public import create_app
from zi_public.exports import build_report
from zi_public.extensions import db
from zi_public.localtime import JAKARTA, today_jakarta
from zi_public.models import Bidang, Category, Layanan, Pengaduan, PengaduanEvent
from zi_public.rules.pengaduan import Action, Channel, Identity, Status
from zi_public.rules.periods import MONTH, SEMESTER, Period, period_of, previous
from zi_public.services.calendar import work_calendar
from zi_public.services.pengaduan.recap import recap_total
from zi_public.services.reference import seed_reference_data

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 5000


def _moment(day: date, hour: int = 10) -> datetime:
    """A stored timestamp (naive UTC) at `hour` o'clock Jakarta time on `day`."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA).astimezone(UTC).replace(tzinfo=None)


class Seeder:
    """Complaints with a plausible history: most answered and finished, some rejected, forwarded,
    reopened, rated and closed; the recent ones partly still open."""

    def __init__(self, today: date, seed: int = 6) -> None:
        self.today = today
        self.random = random.Random(seed)
        self.calendar = work_calendar()
        self.categories = db.session.scalars(sa.select(Category.id)).all()
        self.layanan = db.session.scalars(sa.select(Layanan.id)).all()
        self.bidang = db.session.scalars(sa.select(Bidang.id)).all()
        self.cases: list[dict] = []
        self.events: list[dict] = []
        self.event_id = 0

    def event(self, case: dict, action: Action, day: date, to_status: Status, **extra) -> None:
        self.event_id += 1
        self.events.append(
            {
                "id": self.event_id,
                "pengaduan_id": case["id"],
                "created_at": _moment(day, 10 + self.event_id % 6),
                "action": action.value,
                "from_status": case["status"],
                "to_status": to_status.value,
                "is_public": action not in (Action.DISPOSE, Action.FOLLOW_UP, Action.RATE),
                "body": extra.pop("body", ""),
                "bidang_id": extra.pop("bidang_id", None),
                "actor_id": None,
            }
        )
        case["status"] = to_status.value

    def later(self, day: date, most: int) -> date | None:
        """A working day 0..most working days after `day`, or None when that is after today."""
        result = self.calendar.add_working_days(day, self.random.randint(0, most))
        return result if result <= self.today else None

    def complaint(self, number: int, received_on: date) -> None:
        r = self.random
        add = self.calendar.add_working_days
        case = {
            "id": number,
            "number": f"PGD-{received_on.year}-{number:06d}",
            "access_code_hash": "0" * 64,
            "channel": r.choice(list(Channel)).value,
            "identity": r.choice(list(Identity)).value,
            "category_id": r.choice(self.categories),
            "layanan_id": r.choice(self.layanan),
            "title": "Pelayanan perizinan lambat",
            "description": "Berkas sudah lengkap sejak lama namun belum ada kabar dari petugas. " * 3,
            "requested_resolution": "",
            "location": "",
            "status": Status.BARU.value,
            "received_at": _moment(received_on, 8 + number % 8),
            "received_on": received_on,
            "verify_by": add(received_on, 3),
            "settle_by": received_on + timedelta(days=60),
            "triaged_on": None,
            "followup_by": None,
            "followed_up_on": None,
            "finished_on": None,
            "reply_until": None,
            "closed_at": None,
            "reopen_count": 0,
            "rating": None,
            "rated_at": None,
            "bidang_id": None,
            "rejection_reason": None,
            "forwarded_to": None,
        }
        self.cases.append(case)
        self.event(case, Action.SUBMIT, received_on, Status.BARU)
        triaged = self.later(received_on, 5)
        if triaged is None:
            return
        case["triaged_on"] = triaged
        fate = r.random()
        if fate < 0.10:
            case["rejection_reason"] = "Bukan kewenangan dinas."
            case["finished_on"] = triaged
            self.event(case, Action.REJECT, triaged, Status.DITOLAK, body=case["rejection_reason"])
            return
        if fate < 0.15:
            case["forwarded_to"] = "BPN Kota Magelang"
            case["finished_on"] = triaged
            self.event(case, Action.FORWARD, triaged, Status.DIALIHKAN)
            return
        case["followup_by"] = add(triaged, 5)
        self.event(case, Action.VERIFY, triaged, Status.TERVERIFIKASI)
        if r.random() < 0.05:  # verified, then found not to be ours: the rejection informs the reporter
            rejected = self.later(triaged, 3)
            if rejected is None:
                return
            case["rejection_reason"] = "Setelah diperiksa, bukan kewenangan dinas."
            case["followed_up_on"] = case["finished_on"] = rejected
            self.event(case, Action.REJECT, rejected, Status.DITOLAK, body=case["rejection_reason"])
            return
        disposed = self.later(triaged, 2)
        if disposed is None:
            return
        case["bidang_id"] = r.choice(self.bidang)
        self.event(
            case,
            Action.DISPOSE,
            disposed,
            Status.DITINDAKLANJUTI,
            body="Mohon ditindaklanjuti.",
            bidang_id=case["bidang_id"],
        )
        answered = self.later(disposed, 6)
        if answered is None:
            return
        case["followed_up_on"] = answered
        self.event(case, Action.FOLLOW_UP, answered, Status.DITINDAKLANJUTI, body="Berkas sudah diperiksa bidang.")
        self.event(case, Action.ANSWER, answered, Status.DITINDAKLANJUTI, body="Izin Anda terbit minggu ini.")
        finished = self.later(answered, 3)
        if finished is None:
            return
        self.finish(case, finished)
        if r.random() < 0.03:  # the reporter replies: reopened, answered again, finished again
            replied = self.later(finished, 5)
            again = replied and self.later(replied, 4)
            if again is None:
                return
            case["finished_on"] = case["reply_until"] = None
            case["reopen_count"] += 1
            self.event(case, Action.REPORTER_REPLY, replied, Status.DITINDAKLANJUTI, body="Belum sesuai.")
            self.event(case, Action.ANSWER, again, Status.DITINDAKLANJUTI, body="Sudah kami perbaiki.")
            self.finish(case, again)
        if r.random() < 0.4:
            rated = self.later(case["finished_on"], 3)
            if rated is not None:
                case["rating"], case["rated_at"] = r.randint(1, 4), _moment(rated, 12)
                self.event(case, Action.RATE, rated, Status.SELESAI)
        if case["reply_until"] < self.today:
            closed = self.calendar.add_working_days(case["reply_until"], 1)
            if closed <= self.today:
                case["closed_at"] = _moment(closed, 1)
                self.event(case, Action.CLOSE, closed, Status.SELESAI)

    def finish(self, case: dict, day: date) -> None:
        case["finished_on"] = day
        case["reply_until"] = self.calendar.add_working_days(day, 10)
        self.event(case, Action.FINISH, day, Status.SELESAI)

    def flush(self) -> None:
        for table, rows in ((Pengaduan.__table__, self.cases), (PengaduanEvent.__table__, self.events)):
            for start in range(0, len(rows), CHUNK):
                db.session.execute(sa.insert(table), rows[start : start + CHUNK])
        self.cases, self.events = [], []


def seed(n: int, today: date) -> None:
    """`n` complaints received evenly over the three years up to `today`, with their histories."""
    seed_reference_data()
    db.session.commit()
    seeder = Seeder(today)
    first = today - timedelta(days=3 * 365)
    span = (today - first).days
    for number in range(1, n + 1):
        seeder.complaint(number, first + timedelta(days=span * (number - 1) // n))
        if number % CHUNK == 0:
            seeder.flush()
    seeder.flush()
    db.session.commit()


#: Runs `flask` and, on exit, prints its own peak resident memory and CPU time (on a shared machine the
#: CPU time is the steadier figure; wall time grows with the load). The kernel's figure for a child
#: (wait4's ru_maxrss) starts from the parent's size when the child execs, and this parent has just
#: seeded a database; VmHWM is the high-water mark of the flask process's own memory.
_FLASK_WITH_PEAK = """
import atexit, resource, sys
def peak():
    with open('/proc/self/status') as fh:
        kb = next(line.split()[1] for line in fh if line.startswith('VmHWM:'))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print('peak-kb', kb, 'cpu-s', usage.ru_utime + usage.ru_stime, file=sys.stderr)
atexit.register(peak)
from flask.cli import main
sys.argv[0] = 'flask'
main()
"""


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak resident MB) of one `flask --app wsgi ...` process."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _FLASK_WITH_PEAK, "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True
    )
    elapsed = time.perf_counter() - started
    errors = result.stderr.decode()
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout.decode()}{errors}")
    peak_kb, _label, cpu = errors.rsplit("peak-kb", 1)[1].split()[:3]
    return elapsed, float(cpu), int(peak_kb) / 1024


def bench_backend(name: str, url: str, root: Path, sizes: list[int], repeat: int = 3) -> None:
    root.mkdir(parents=True, exist_ok=True)
    config = base_config(root, url)
    env = {
        **os.environ,
        **{f"ZI_{key}": str(config[key]) for key in ("DATABASE_URL", "SECRET_KEY", "DATA_KEYS", "HASH_KEY")},
    }
    env["ZI_UPLOAD_DIR"] = str(root / "uploads")
    env["ZI_INSTANCE_PATH"] = str(root / "instance")
    today = today_jakarta()
    month = previous(period_of(MONTH, today))
    semester = previous(period_of(SEMESTER, today))
    runs = [run_cli(["report", "--help"], env) for _ in range(repeat)]
    print(
        f"{name}: start-up alone (flask --app wsgi report --help) {_spread(r[0] for r in runs)} s"
        f" (CPU {_spread(r[1] for r in runs)} s)  peak {max(r[2] for r in runs):.0f} MB"
    )
    app = create_app(config)
    upgrade_schema(app)
    for size in sorted(sizes):
        with app.app_context():
            started = time.perf_counter()
            reseed(size, today)
            print(f"{name}, {size:,} complaints (seeded in {time.perf_counter() - started:.1f} s):")
            for period in (month, semester):
                _bench_report(env, root, period, repeat)
            db.session.remove()
            db.engine.dispose()


def reseed(n: int, today: date) -> None:
    """Replace every complaint by `n` fresh ones."""
    db.session.execute(sa.delete(PengaduanEvent))
    db.session.execute(sa.delete(Pengaduan))
    db.session.commit()
    seed(n, today)
    if db.engine.dialect.name == "postgresql":
        # Autovacuum would analyse the tables soon after such a load; without statistics at all the
        # planner takes the freshly filled tables for empty ones and nests loops over 600,000 events.
        db.session.execute(sa.text("ANALYZE pengaduan, pengaduan_event"))
        db.session.commit()


def _bench_report(env: dict[str, str], root: Path, period: Period, repeat: int) -> None:
    """The minimum and the median of `repeat` runs (the machine may be shared: the minimum is the report's own
    cost; peak memory is the highest of the runs)."""
    name = "pengaduan-bulanan" if period.kind == MONTH else "pengaduan-monev"
    received = db.session.scalar(
        sa.select(sa.func.count(Pengaduan.id)).where(Pengaduan.received_on.between(period.start, period.end))
    )
    expected = received
    if name == "pengaduan-bulanan":  # every complaint handled in the month: the ones carried over too
        expected += recap_total(period, as_of=period.end, lang="id").carried
    target = root / f"{name}.xlsx"
    runs = [run_cli(["report", name, "--period", period.code, "-o", str(target)], env) for _ in range(repeat)]
    in_process = []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        export = build_report(name, period)
        in_process.append((time.perf_counter() - started, time.process_time() - cpu_started))
        assert export.rows == expected, (export.rows, expected)
    print(
        f"  {name:<18} {period.code:<8} {expected:>7,} complaints   CLI {_spread(r[0] for r in runs)} s"
        f" (CPU {_spread(r[1] for r in runs)} s)  peak {max(r[2] for r in runs):4.0f} MB"
        f"   in-process {_spread(w for w, _ in in_process)} s (CPU {_spread(c for _, c in in_process)} s)"
    )


def _spread(values) -> str:
    """'min / median' of a few timings: the minimum is the report's own cost, the median what a busy machine gives."""
    values = list(values)
    return f"{min(values):5.2f} / {statistics.median(values):5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="complaint counts, comma-separated")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL (when reachable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each report; the minimum and median are shown")
    args = parser.parse_args()
    sizes = [int(value) for value in args.sizes.split(",") if value.strip()]
    each_backend(
        "reports", lambda name, url, root: bench_backend(name, url, root, sizes, args.repeat), postgres=args.postgres
    )


if __name__ == "__main__":
    main()
