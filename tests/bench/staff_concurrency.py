"""Officers at once against gunicorn with two worker processes, on SQLite and (when reachable) PostgreSQL.

    python -m tests.bench.staff_concurrency [--officers 20] [--pages 10]

Each officer signs in, then opens the same case page `--pages` times (every opening is an audited read: a
write to the hash chain). Prints the answers by status, the time taken, and whether `audit verify` passes.
The threaded development server is covered by tests/test_concurrent_staff.py.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from tests.bench.backends import each_backend
from tests.conftest import TEST_SECRETS, base_config, upgrade_schema
from tests.factories import make_pengaduan, make_user
from tests.test_concurrent_staff import signed_in, status_of
from zi_public import create_app
from zi_public.extensions import db
from zi_public.models import Role
from zi_public.services.audit import verify_chain
from zi_public.services.reference import seed_reference_data

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str, root: Path, officers: int) -> tuple[list[str], int]:
    config = base_config(root, url)
    app = create_app(config)
    upgrade_schema(app)
    with app.app_context():
        seed_reference_data()
        names = [make_user(Role.PENGADUAN).username for _ in range(officers)]
        case = make_pengaduan(identity="rahasia")
        db.session.commit()
        case_id = case.id
        db.session.remove()
        db.engine.dispose()
    return names, case_id


def serve(url: str, root: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ZI_DATABASE_URL": url,
        "ZI_UPLOAD_DIR": str(root / "uploads"),
        "ZI_BASE_URL": f"http://127.0.0.1:{port}",
        "ZI_RATELIMIT_ENABLED": "false",
        "ZI_WTF_CSRF_ENABLED": "false",  # the officers sign in with a plain POST
        "ZI_PASSWORD_HASH_PARAMS": '{"time_cost": 1, "memory_cost": 1024, "parallelism": 1}',
        **{f"ZI_{key}": str(value) for key, value in TEST_SECRETS.items()},
    }
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    command.append("wsgi:app")
    return subprocess.Popen(command, cwd=PROJECT, env=env)


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            urllib.request.urlopen(f"{base}/auth/login", timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("gunicorn did not answer")


def run(name: str, url: str, root: Path, officers: int, pages: int) -> None:
    names, case_id = prepare(url, root, officers)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = serve(url, root, port)
    try:
        wait_until_up(base, process)
        openers = [signed_in(base, username) for username in names]
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        start = threading.Barrier(officers)

        def officer(opener: urllib.request.OpenerDirector) -> None:
            start.wait()
            for _ in range(pages):
                status = status_of(opener, f"{base}/internal/pengaduan/{case_id}")
                with lock:
                    statuses[status] += 1

        threads = [threading.Thread(target=officer, args=(opener,)) for opener in openers]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        process.terminate()
        process.wait(timeout=30)
    app = create_app(base_config(root, url))
    with app.app_context():
        report = verify_chain()
        db.session.remove()
        db.engine.dispose()
    total = officers * pages
    print(
        f"{name}: gunicorn -w 2, {officers} officers × {pages} case pages: "
        f"{dict(sorted(statuses.items()))} in {elapsed:.1f} s ({total / elapsed:.0f}/s); audit verify: {report}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    each_backend("staff", lambda name, url, root: run(name, url, root, args.officers, args.pages))


if __name__ == "__main__":
    main()
