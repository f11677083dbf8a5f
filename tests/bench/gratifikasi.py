"""Timings and peak memory of the gratifikasi recap (`gratifikasi-rekap`) over many reports.

    python -m tests.bench.gratifikasi                       # 10,000 reports on SQLite (or: make bench)
    python -m tests.bench.gratifikasi --sizes 10000,100000 --postgres

Seeds N reports that reached the UPG evenly over the twelve months up to today, each with the history events
of its flow (bulk inserts through the models' column types, so the reporter's data is encrypted as the service
stores it), a custody item for one report in twenty and a campaign activity a week. Then makes the recap of
the year up to today (every report in it: the hardest case) and of the last full month, through the CLI as an
operator's cron job does (start-up included; peak memory is that process's resident high-water mark) and
in-process (the builder alone, wall and CPU time). Prints numbers; asserts only that the recap lists every
report of its period.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from tests.bench.backends import each_backend
from tests.bench.reports import _moment, run_cli
from tests.conftest import base_config, upgrade_schema
from zi_public import create_app
from zi_public.exports import build_report
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import GratifikasiCustody, GratifikasiEvent, GratifikasiReport, UpgCampaignActivity
from zi_public.rules.gratifikasi import (
    REPORT_DAYS,
    Action,
    Channel,
    CustodyExit,
    Decision,
    Disposition,
    GiftLocation,
    GiftType,
    Kind,
    Status,
)
from zi_public.rules.periods import MONTH, YEAR, Period, period_of, previous
from zi_public.services.calendar import work_calendar

CHUNK = 2000


class Seeder:
    """Reports with a plausible history: most verified and forwarded, received gifts decided and finished,
    some late, some refused, some closed as incomplete; the recent ones partly still open."""

    def __init__(self, today: date, seed: int = 10) -> None:
        self.today = today
        self.random = random.Random(seed)
        self.calendar = work_calendar()
        self.reports: list[dict] = []
        self.events: list[dict] = []
        self.custody: list[dict] = []
        self.event_id = 0

    def later(self, day: date, most: int) -> date | None:
        result = self.calendar.add_working_days(day, self.random.randint(0, most))
        return result if result <= self.today else None

    def event(self, report: dict, action: Action, day: date, to_status: Status | None = None) -> None:
        self.event_id += 1
        new = (to_status or Status(report["status"])).value
        self.events.append(
            {
                "id": self.event_id,
                "report_id": report["id"],
                "created_at": _moment(day, 9 + self.event_id % 7),
                "action": action.value,
                "from_status": report["status"],
                "to_status": new,
                "actor_id": None,
                "is_public": action != Action.NOTE,
                "body": "",
            }
        )
        report["status"] = new

    def report(self, number: int, reported_on: date) -> None:
        r, add = self.random, self.calendar.add_working_days
        kind = Kind.DITOLAK if r.random() < 0.15 else Kind.DITERIMA
        received_on = reported_on - timedelta(days=r.choice([1, 4, 7, 14, 28, 49, 63]))  # 63 days: late
        days = self.calendar.count_working_days(received_on, reported_on)
        received = kind == Kind.DITERIMA
        report = {
            "id": number,
            "number": f"GRT-{reported_on.year}-{number:06d}",
            "access_code_hash": "0" * 64,
            "submission_key": None,
            "channel": r.choice(list(Channel)).value,
            "kind": kind.value,
            "status": Status.BARU.value,
            "reporter_nik": f"33710101{number:08d}",
            "reporter_name": f"Pegawai {number}",
            "reporter_phone": "081234567890",
            "reporter_email": None,
            "reporter_address": "Jl. Pahlawan 1, Magelang",
            "reporter_position": r.choice(["Analis Perizinan", "Pengadministrasi Umum", "Kepala Seksi"]),
            "reporter_unit": r.choice(["Bidang Perizinan A", "Bidang Perizinan B", "Sekretariat"]),
            "giver_name": "Pemberi",
            "giver_institution": r.choice(["PT Contoh Sejahtera", "CV Maju", '=HYPERLINK("http://x")', ""]),
            "giver_relationship": "Pemohon izin",
            "gift_type": r.choice(list(GiftType)).value,
            "gift_description": "Parsel makanan dan minuman untuk hari raya",
            "value_idr": r.choice([150_000, 500_000, 750_000, 1_500_000, 5_000_000]),
            "received_on": received_on,
            "place": "Kantor",
            "occasion": "Hari raya",
            "chronology": "Pemohon datang membawa parsel setelah izinnya terbit.",
            "gift_location": (GiftLocation.PELAPOR if received else GiftLocation.TIDAK_ADA).value,
            "exemption_code": None,
            "regulation_code": "perkpk-2-2019",
            "received_at": _moment(reported_on, 8 + number % 8),
            "reported_on": reported_on,
            "report_due": add(received_on, REPORT_DAYS) if received else None,
            "office_due": add(received_on, 7) if received else None,
            "working_days_since_received": days,
            "is_late": received and days > REPORT_DAYS,
            "verified_on": None,
            "completion_requested_on": None,
            "completion_by": None,
            "completed_on": None,
            "forward_by": add(reported_on, 10),
            "forwarded_on": None,
            "kpk_reference": None,
            "decision": None,
            "decision_number": None,
            "decision_date": None,
            "disposition": None,
            "disposition_note": "",
            "finished_on": None,
        }
        self.reports.append(report)
        self.event(report, Action.SUBMIT, reported_on)
        if number % 20 == 0:
            left = self.later(reported_on, 40)
            self.custody.append(
                {
                    "report_id": number,
                    "received_from": f"Pegawai {number}",
                    "received_on": reported_on,
                    "description": "Parsel makanan",
                    "condition": "Baik",
                    "storage_location": "Lemari UPG",
                    "value_idr": report["value_idr"],
                    "left_on": left,
                    "left_how": CustodyExit.DISERAHKAN_KPK.value if left else None,
                    "left_note": "",
                    "created_at": _moment(reported_on, 15),
                    "updated_at": _moment(reported_on, 15),
                }
            )
        verified = self.later(reported_on, 3)
        if verified is None:
            return
        if r.random() < 0.05:
            report["completion_requested_on"] = verified
            report["completion_by"] = add(verified, 20)
            self.event(report, Action.REQUEST_COMPLETION, verified, Status.PERLU_KELENGKAPAN)
            if report["completion_by"] < self.today:
                report["finished_on"] = add(report["completion_by"], 1)
                self.event(report, Action.CLOSE_INCOMPLETE, report["finished_on"], Status.TIDAK_LENGKAP)
            return
        report["verified_on"] = verified
        self.event(report, Action.VERIFY, verified, Status.DIVERIFIKASI)
        forwarded = self.later(verified, 12)
        if forwarded is None:
            return
        report["forwarded_on"], report["kpk_reference"] = forwarded, f"KPK/{number}"
        self.event(report, Action.FORWARD, self.later(forwarded, 2) or forwarded, Status.DITERUSKAN)
        if received:
            decided = self.later(forwarded, 30)
            if decided is None:
                return
            report["decision"] = r.choice(list(Decision)).value
            report["decision_number"], report["decision_date"] = f"SK-{number}", decided
            self.event(report, Action.DECIDE, decided, Status.DITETAPKAN)
            start = decided
        else:
            start = forwarded
        finished = self.later(start, 10)
        if finished is None:
            return
        report["disposition"] = (Disposition.DITOLAK_PELAPOR if not received else r.choice(list(Disposition)[:3])).value
        report["finished_on"] = finished
        self.event(report, Action.FINISH, finished, Status.SELESAI)

    def flush(self) -> None:
        for table, rows in (
            (GratifikasiReport.__table__, self.reports),
            (GratifikasiEvent.__table__, self.events),
            (GratifikasiCustody.__table__, self.custody),
        ):
            for start in range(0, len(rows), CHUNK):
                db.session.execute(sa.insert(table), rows[start : start + CHUNK])
        self.reports, self.events, self.custody = [], [], []


def reseed(n: int, today: date) -> None:
    """Replace every report by `n` fresh ones, reported evenly over the year up to `today`."""
    for model in (GratifikasiEvent, GratifikasiCustody, GratifikasiReport, UpgCampaignActivity):
        db.session.execute(sa.delete(model))
    db.session.commit()
    seeder = Seeder(today)
    first = date(today.year, 1, 1)
    span = (today - first).days
    for number in range(1, n + 1):
        seeder.report(number, first + timedelta(days=span * (number - 1) // n))
        if number % CHUNK == 0:
            seeder.flush()
    seeder.flush()
    db.session.execute(
        sa.insert(UpgCampaignActivity.__table__),
        [
            {
                "held_on": first + timedelta(days=week * 7),
                "topic": "no_calo_no_pungli",
                "medium": "Banner / poster",
                "audience": "Pemohon izin",
                "summary": "Pemasangan banner.",
                "created_at": _moment(first + timedelta(days=week * 7), 12),
                "created_by_id": None,
            }
            for week in range(span // 7)
        ],
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE gratifikasi_report, gratifikasi_event, gratifikasi_custody"))
        db.session.commit()


def _bench_recap(env: dict[str, str], root: Path, period: Period, repeat: int) -> None:
    """The best of `repeat` runs through the CLI and in-process (the machine may be shared)."""
    r = GratifikasiReport
    today = today_jakarta()
    listed = db.session.scalar(
        sa.select(sa.func.count(r.id)).where(r.reported_on.between(period.start, min(period.end, today)))
    )
    target = root / "gratifikasi-rekap.xlsx"
    runs = [
        run_cli(["report", "gratifikasi-rekap", "--period", period.code, "-o", str(target)], env) for _ in range(repeat)
    ]
    wall, cpu, peak_mb = min(x[0] for x in runs), min(x[1] for x in runs), max(x[2] for x in runs)
    in_process = []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        export = build_report("gratifikasi-rekap", period)
        in_process.append((time.perf_counter() - started, time.process_time() - cpu_started))
        assert export.rows == listed, (export.rows, listed)
    size_kb = target.stat().st_size / 1024
    print(
        f"  gratifikasi-rekap {period.code:<8} {listed:>7,} reports   CLI {wall:5.2f} s (CPU {cpu:5.2f} s)"
        f"  peak {peak_mb:4.0f} MB   in-process {min(w for w, _ in in_process):5.2f} s"
        f" (CPU {min(c for _, c in in_process):5.2f} s)   {size_kb:,.0f} KB"
    )


def bench_backend(name: str, url: str, root: Path, sizes: list[int], repeat: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    config = base_config(root, url)
    env = {
        **os.environ,
        **{f"ZI_{key}": str(config[key]) for key in ("DATABASE_URL", "SECRET_KEY", "DATA_KEYS", "HASH_KEY")},
    }
    env["ZI_UPLOAD_DIR"] = str(root / "uploads")
    env["ZI_INSTANCE_PATH"] = str(root / "instance")
    today = today_jakarta()
    wall, cpu, peak_mb = run_cli(["report", "--help"], env)
    print(f"{name}: start-up alone (flask --app wsgi report --help) {wall:.2f} s (CPU {cpu:.2f} s) {peak_mb:.0f} MB")
    app = create_app(config)
    upgrade_schema(app)
    for size in sorted(sizes):
        with app.app_context():
            started = time.perf_counter()
            reseed(size, today)
            print(f"{name}, {size:,} gratifikasi reports (seeded in {time.perf_counter() - started:.1f} s):")
            for period in (period_of(YEAR, today), previous(period_of(MONTH, today))):
                _bench_recap(env, root, period, repeat)
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="report counts, comma-separated")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL (when reachable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each recap; the best is shown")
    args = parser.parse_args()
    sizes = [int(value) for value in args.sizes.split(",") if value.strip()]
    each_backend(
        "gratifikasi",
        lambda name, url, root: bench_backend(name, url, root, sizes, args.repeat),
        postgres=args.postgres,
    )


if __name__ == "__main__":
    main()
