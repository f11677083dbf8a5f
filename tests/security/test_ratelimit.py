"""The login limit holds across worker processes when the storage is Redis.

Each "worker" is a separate Python process with its own app, as under gunicorn. (Two apps in
one process would not prove anything: Flask-Limiter's `limiter` is one module-level object, so
they would share whatever storage was configured last.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import redis

from tests.conftest import IN_CI, base_config
from zi_public import create_app
from zi_public.extensions import db

REDIS_URL = os.environ.get("ZI_TEST_REDIS_URL", "redis://127.0.0.1:6379")
#: Unique per test run, so that counters left in Redis by an earlier run never count.
RUN_PREFIX = f"zi-test-{uuid.uuid4().hex[:12]}"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent(
    """
    import json
    import sys
    from zi_public import create_app

    client = create_app(json.loads(sys.argv[1])).test_client()
    print("ready", flush=True)
    for line in sys.stdin:
        response = client.post("/auth/login", data={"username": "nobody", "password": line.strip()})
        print(response.status_code, flush=True)
    """
)


class Worker:
    """One app in its own process; `login()` makes it handle one failed login POST."""

    def __init__(self, tmp: Path, shared_db_url: str, storage: str, prefix: str) -> None:
        config = base_config(
            tmp, shared_db_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage,
            RATELIMIT_KEY_PREFIX=prefix,
            # A moving window: with fixed windows a run that crosses a minute boundary starts a new count.
            RATELIMIT_STRATEGY="moving-window",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, json.dumps(config)],
            cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.ready = False  # workers start in parallel; the first login waits for start-up

    def readline(self) -> str:
        line = self.process.stdout.readline().strip()
        assert line, f"worker exited with {self.process.poll()}"
        return line

    def login(self) -> int:
        if not self.ready:
            assert self.readline() == "ready"
            self.ready = True
        self.process.stdin.write("wrong password\n")
        self.process.stdin.flush()
        return int(self.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture
def shared_db_url(sqlite_template, tmp_path) -> str:
    path = tmp_path / "shared.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def workers(tmp_path, shared_db_url):
    started: list[Worker] = []

    def start(storage: str, prefix: str) -> Worker:
        started.append(Worker(tmp_path, shared_db_url, storage, prefix))
        return started[-1]

    yield start
    for worker in started:
        worker.close()


@pytest.fixture
def redis_prefix():
    """A key prefix for this test; its keys are removed afterwards. Skips without Redis (not in CI)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        client.close()
        if IN_CI:
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (required in CI)")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"{RUN_PREFIX}-{uuid.uuid4().hex[:6]}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_two_workers_share_the_login_limit_through_redis(workers, redis_prefix):
    first, second = workers(REDIS_URL, redis_prefix), workers(REDIS_URL, redis_prefix)
    statuses = [(first if i % 2 else second).login() for i in range(10)]
    assert statuses == [200] * 10, "ten failed logins are answered normally"
    assert first.login() == 429
    assert second.login() == 429
    # A restarted (or newly added) worker starts from the shared count, not from zero.
    first.close()
    assert workers(REDIS_URL, redis_prefix).login() == 429


def test_memory_storage_is_per_process_which_is_why_production_needs_redis(workers):
    """The control: without a shared store each worker counts alone (so the test above can fail)."""
    first, second = workers("memory://", RUN_PREFIX), workers("memory://", RUN_PREFIX)
    assert [first.login() for _ in range(10)] == [200] * 10
    assert first.login() == 429
    assert [second.login() for _ in range(10)] == [200] * 10


def test_default_memory_storage_limits_logins_on_one_app(shared_db_url, tmp_path):
    app = create_app(base_config(tmp_path, shared_db_url, RATELIMIT_ENABLED=True))
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    client = app.test_client()
    data = {"username": "nobody", "password": "wrong"}
    assert [client.post("/auth/login", data=data).status_code for _ in range(10)] == [200] * 10
    blocked = client.post("/auth/login", data=data)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    # Only sign-in attempts are limited, and only from that address.
    assert client.get("/auth/login").status_code == 200
    other = client.post("/auth/login", data=data, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("storage", "warned"), [("memory://", True), ("redis://redis.internal:6379/0", False)])
def test_production_on_memory_storage_warns_at_start_up(tmp_path, caplog, storage, warned):
    config = base_config(
        tmp_path, "sqlite://", ENV="production", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage,
        BASE_URL="https://zi.example.id",
    )
    with caplog.at_level("WARNING", logger="zi_public.security.ratelimits"):
        create_app(config)
    messages = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("one worker on one host" in m and "redis://" in m for m in messages) == warned
