"""How close the complaint API comes to a bare Flask + SQLAlchemy endpoint, on the same database.

    python -m tests.bench.api_ratio [--runs 5] [--requests 200]

For each backend (SQLite, and PostgreSQL when reachable) and each run, the same process times:
  - filing:   POST /api/v1/pengaduan            vs. a bare endpoint doing one INSERT + commit;
  - look-up:  GET /api/v1/pengaduan/<number>    vs. a bare endpoint doing one SELECT by a unique key.
The ratio is our throughput divided by the bare one (1.0 = as fast as the bare endpoint). Runs alternate
ours and bare so that a busy machine slows both alike; the median of the runs and their spread are printed.
Both apps run in-process through Flask's test client, one thread, rate limiting off, mail to the outbox.
Ours runs as an office does: a complaint team of two with email addresses, so every filing queues the
reporter's receipt and the team's new-case mail.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

from tests.bench.backends import each_backend
from tests.bench.pengaduan_api import PAYLOAD, seed_office
from tests.conftest import base_config, upgrade_schema
from zi_public import create_app


def bare_app(url: str) -> Flask:
    """The baseline: one table, one INSERT per POST, one SELECT by a unique key per GET."""
    app = Flask("bare")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    bare_db = SQLAlchemy()
    bare_db.init_app(app)

    class BareCase(bare_db.Model):
        __tablename__ = "bench_bare_case"
        id = sa.Column(sa.Integer, primary_key=True)
        number = sa.Column(sa.String(20), unique=True, nullable=False)
        title = sa.Column(sa.String(200), nullable=False)
        description = sa.Column(sa.Text, nullable=False)

    counter = itertools.count(1)

    @app.post("/cases")
    def create():
        data = request.get_json()
        case = BareCase(number=f"B-{next(counter):08d}", title=data["title"], description=data["description"])
        bare_db.session.add(case)
        bare_db.session.commit()
        return jsonify(number=case.number), 201

    @app.get("/cases/<number>")
    def show(number: str):
        case = bare_db.session.execute(sa.select(BareCase).where(BareCase.number == number)).scalar_one_or_none()
        if case is None:
            return jsonify(error="not found"), 404
        return jsonify(number=case.number, title=case.title)

    with app.app_context():
        BareCase.__table__.drop(bare_db.engine, checkfirst=True)
        bare_db.create_all()
    return app


def throughput(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def bench_backend(name: str, url: str, root: Path, runs: int, n: int) -> None:
    config = base_config(root, url)
    upgrade_schema(create_app(config))
    ours = create_app(config)
    with ours.app_context():
        seed_office()
    bare = bare_app(url)
    ours_client, bare_client = ours.test_client(), bare.test_client()

    def file_ours() -> dict:
        response = ours_client.post("/api/v1/pengaduan", json=PAYLOAD)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def file_bare() -> dict:
        response = bare_client.post("/cases", json=PAYLOAD)
        assert response.status_code == 201
        return response.get_json()

    filed, bare_filed = file_ours(), file_bare()
    ours_path, bare_path = f"/api/v1/pengaduan/{filed['number']}", f"/cases/{bare_filed['number']}"
    headers = {"X-Access-Code": filed["access_code"]}

    def look_ours() -> None:
        assert ours_client.get(ours_path, headers=headers).status_code == 200

    def look_bare() -> None:
        assert bare_client.get(bare_path).status_code == 200

    for fn in (file_ours, file_bare, look_ours, look_bare):  # warm up caches and connection pools
        throughput(fn, 10)
    filing, looking = [], []
    for _ in range(runs):
        ours_rate, bare_rate = throughput(file_ours, n), throughput(file_bare, n)
        filing.append((ours_rate, bare_rate))
        ours_rate, bare_rate = throughput(look_ours, n * 3), throughput(look_bare, n * 3)
        looking.append((ours_rate, bare_rate))
    print(f"{name}: {runs} runs")
    for label, pairs in (("filing  (POST)", filing), ("look-up (GET) ", looking)):
        ratios = [o / b for o, b in pairs]
        print(
            f"  {label} ours {statistics.median(o for o, _ in pairs):8.1f}/s  bare "
            f"{statistics.median(b for _, b in pairs):8.1f}/s  ratio median {statistics.median(ratios):.2f}x "
            f"(spread {min(ratios):.2f}-{max(ratios):.2f}; runs {' '.join(f'{r:.2f}' for r in ratios)})"
        )
    for app in (ours, bare):
        with app.app_context():
            app.extensions["sqlalchemy"].session.remove()
            app.extensions["sqlalchemy"].engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    each_backend("ratio", lambda name, url, root: bench_backend(name, url, root, args.runs, args.requests))


if __name__ == "__main__":
    main()
