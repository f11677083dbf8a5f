"""Receipt guessing at /wbs/status is limited across worker processes sharing Redis, and the limiter's
keys in Redis hold no client address (only wbs_client_key's daily keyed hash).

Each "worker" is a separate Python process with its own app, as under gunicorn (see test_ratelimit.py for
why two apps in one process would prove nothing). The workers count with the moving window: the configured
"10 per minute" in fixed windows would restart its count whenever the run crosses a minute boundary.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import redis

from tests.conftest import base_config
from tests.security.test_ratelimit import PROJECT_ROOT, REDIS_URL, redis_prefix, shared_db_url  # noqa: F401
from zi_public import create_app
from zi_public.config import DefaultConfig
from zi_public.extensions import db
from zi_public.security import codes
from zi_public.security.anonymity import wbs_client_key

ADDRESS = "203.0.113.7"  # the guesser's address, as the proxy reports it

WORKER = textwrap.dedent(
    f"""
    import json
    import sys
    from zi_public import create_app

    client = create_app(json.loads(sys.argv[1])).test_client()
    print("ready", flush=True)
    for line in sys.stdin:
        response = client.post(
            "/wbs/status", data={{"receipt": line.strip()}}, environ_base={{"REMOTE_ADDR": "{ADDRESS}"}}
        )
        print(response.status_code, flush=True)
    """
)


class Worker:
    """One app in its own process; `guess(receipt)` makes it handle one look-up POST."""

    def __init__(self, config: dict[str, object]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, json.dumps(config)],
            cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.ready = False

    def readline(self) -> str:
        line = self.process.stdout.readline().strip()
        assert line, f"worker exited with {self.process.poll()}"
        return line

    def guess(self, receipt: str) -> int:
        if not self.ready:
            assert self.readline() == "ready"
            self.ready = True
        self.process.stdin.write(receipt + "\n")
        self.process.stdin.flush()
        return int(self.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


def test_receipt_guesses_on_two_workers_share_one_hashed_count_in_redis(tmp_path, shared_db_url, redis_prefix):  # noqa: F811
    config = base_config(
        tmp_path, shared_db_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=redis_prefix, RATELIMIT_STRATEGY="moving-window",
    )  # fmt: skip
    assert DefaultConfig.RATELIMIT_WBS_STATUS.startswith("10 per minute")  # the count this test spends
    first, second = Worker(config), Worker(config)
    try:
        guesses = [codes.new_receipt() for _ in range(12)]  # well-formed, so each one is looked up
        statuses = [(first if i % 2 else second).guess(guesses[i]) for i in range(10)]
        assert statuses == [200] * 10, "ten wrong receipts are answered ('not found'), five on each worker"
        assert first.guess(guesses[10]) == 429
        assert second.guess(guesses[11]) == 429
    finally:
        first.close()
        second.close()

    app = create_app(config)
    with app.test_request_context("/wbs/status", method="POST", environ_base={"REMOTE_ADDR": ADDRESS}):
        hashed = wbs_client_key()
    with app.app_context():
        db.engine.dispose()
    store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        keys = [k.decode() for k in store.scan_iter(match=f"*{redis_prefix}*")]
    finally:
        store.close()
    assert keys, "the workers counted in Redis"
    for key in keys:
        assert hashed in key, key
        assert ADDRESS not in key and "127.0.0.1" not in key and ADDRESS.replace(".", "") not in key, key
