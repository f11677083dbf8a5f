"""Print timings of the foundation's hot paths on SQLite and (when reachable) PostgreSQL.

    python -m tests.bench            # or: make bench
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.bench.backends import each_backend
from tests.conftest import base_config, upgrade_schema
from tests.factories import TEST_PASSWORD, make_user
from zi_public import create_app
from zi_public.config import DefaultConfig
from zi_public.extensions import db
from zi_public.models import Role
from zi_public.rules.working_days import WorkCalendar
from zi_public.services import audit


def timed(label: str, fn: Callable[[], object], repeat: int) -> None:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    total = sum(samples)
    p50 = statistics.median(samples) * 1000
    p95 = sorted(samples)[int(len(samples) * 0.95) - 1] * 1000
    print(f"  {label:<44} {repeat / total:10.1f}/s   p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")


def bench_backend(name: str, url: str, root: Path) -> None:
    print(f"{name}:")
    # The production argon2id profile, so the login number is the real one.
    config = base_config(root, url, PASSWORD_HASH_PARAMS=DefaultConfig.PASSWORD_HASH_PARAMS)
    upgrade_schema(create_app(config))
    app = create_app(config)
    with app.app_context():
        make_user(role=Role.PENGADUAN, username="bench")
        db.session.commit()
    client = app.test_client()
    timed("GET / (home page)", lambda: client.get("/"), 300)
    timed("GET /api/v1/layanan", lambda: client.get("/api/v1/layanan"), 300)

    def login() -> None:
        response = app.test_client().post("/auth/login", data={"username": "bench", "password": TEST_PASSWORD})
        assert response.status_code == 302

    timed("POST /auth/login (argon2id, production cost)", login, 20)

    with app.app_context():

        def record_one() -> None:
            audit.record("bench", "bench.write", target_type="bench", target_id=1, data={"n": 1})
            db.session.commit()

        timed("audit.record + commit", record_one, 500)
        timed("audit verify (whole chain)", audit.verify_chain, 5)
        print(f"    (chain length {audit.verify_chain().entries})")
        db.session.remove()
        db.engine.dispose()


def bench_rules() -> None:
    print("rules:")
    calendar = WorkCalendar()
    calendar.add_working_days(date(2026, 1, 1), 400)  # warm the per-year holiday cache
    start = date(2026, 11, 27)
    timed("add_working_days(start, 60)", lambda: calendar.add_working_days(start, 60), 2000)
    timed("count_working_days over one year", lambda: calendar.count_working_days(start, date(2027, 11, 27)), 500)


def main() -> None:
    each_backend("foundation", bench_backend)
    bench_rules()


if __name__ == "__main__":
    main()
