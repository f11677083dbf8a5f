"""`flask --app wsgi mail send [--loop]`: delivers the outbox once, or runs as a worker until told to stop."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRETS, base_config
from tests.factories import make_outbox_mail
from tests.smtp import HangingSmtpServer, SmtpServer, refused_url
from zi_public import create_app
from zi_public.config import PROJECT_ROOT
from zi_public.extensions import db
from zi_public.models import MailStatus, OutboxMail
from zi_public.services import outbox


@pytest.fixture
def app_config(smtp):
    return {"SMTP_URL": smtp.url, "SMTP_TIMEOUT_SECONDS": 5}


def queue(app, count: int = 1) -> list[int]:
    with app.app_context():
        ids = [
            make_outbox_mail(to=[f"warga{n}@example.id"], subject=f"Mail {n}", body="Isi", number=f"PGD-{n}").id
            for n in range(count)
        ]
        db.session.commit()
    return ids


def test_mail_send_delivers_what_is_pending_and_prints_the_counts(app, smtp):
    queue(app, 2)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 2; retry later 0; failed 0"
    assert len(smtp.inbox.envelopes) == 2
    again = app.test_cli_runner().invoke(args=["mail", "send"])
    assert again.output.strip() == "sent 0; retry later 0; failed 0"


def test_mail_send_with_smtp_down_keeps_the_mail_for_later(app, smtp):
    [mail_id] = queue(app)
    app.config["SMTP_URL"] = refused_url()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 0; retry later 1; failed 0"
    with app.app_context():
        mail = db.session.get(OutboxMail, mail_id)
        assert mail.status == MailStatus.PENDING and mail.attempts == 1


@pytest.fixture
def worker_env(sqlite_template: Path, tmp_path: Path, smtp: SmtpServer) -> tuple[dict[str, str], object]:
    """A migrated SQLite file, an app on it (for the test's own writes), and the env of a worker process."""
    database = tmp_path / "worker.sqlite3"
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite:///{database}"
    app = create_app(base_config(tmp_path, url, SMTP_URL=smtp.url))
    env = {
        **os.environ,
        "ZI_DATABASE_URL": url,
        "ZI_INSTANCE_PATH": str(tmp_path / "instance"),
        "ZI_SMTP_URL": smtp.url,
        **{f"ZI_{key}": value for key, value in TEST_SECRETS.items()},
    }
    yield env, app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def mail_worker(env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """`flask mail send --loop --interval 60` as its own process; killed if the test leaves it running."""
    flask = Path(sys.executable).parent / "flask"
    with subprocess.Popen(
        [str(flask), "--app", "wsgi", "mail", "send", "--loop", "--interval", "60"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as worker:
        try:
            yield worker
        finally:
            if worker.poll() is None:
                worker.kill()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_mail_send_loop_is_a_worker_that_stops_cleanly(worker_env, smtp, stop_signal):
    env, app = worker_env
    queue(app, 3)
    with mail_worker(env) as worker:
        assert "mail worker started (every 60 s)" in worker.stderr.readline()
        assert worker.stdout.readline().strip() == "sent 3; retry later 0; failed 0"
        assert len(smtp.inbox.envelopes) == 3
        worker.send_signal(stop_signal)  # it is waiting out its 60 s pause: it must not finish it
        _, err = worker.communicate(timeout=20)
    assert worker.returncode == 0, err
    assert "mail worker stopped" in err and "Traceback" not in err


def test_an_api_filing_with_smtp_hung_answers_at_once_and_the_mail_goes_out_once_smtp_answers(app, seeded, smtp):
    """The issue's check: 201 well under 1.5 s with a server that accepts and hangs; `mail send` delivers
    the mail, with links on ZI_BASE_URL, once SMTP answers again."""
    app.config.update(BASE_URL="https://zi.example.id", PENGADUAN_TEAM_EMAILS=("tim@example.id",))
    complaint = {
        "category": "waktu",
        "title": "PBG belum terbit",
        "description": "Berkas lengkap sejak Agustus.",
        "identity": "terbuka",
        "name": "Budi",
        "email": "budi@example.id",
    }
    with HangingSmtpServer() as hanging:
        app.config.update(SMTP_URL=hanging.url, SMTP_TIMEOUT_SECONDS=30)
        started = time.perf_counter()
        response = app.test_client().post("/api/v1/pengaduan", json=complaint)
        elapsed = time.perf_counter() - started
        assert response.status_code == 201 and elapsed < 1.5
        assert hanging.connections == []  # the request never talked to SMTP
        number = response.get_json()["number"]

        app.config["SMTP_TIMEOUT_SECONDS"] = 0.3
        result = app.test_cli_runner().invoke(args=["mail", "send"])
        # One timeout for the round: the team's notice is not sent to wait for the hung server as well.
        assert result.output.strip() == "sent 0; retry later 1; failed 0; postponed 1 (SMTP server unreachable)"

    app.config["SMTP_URL"] = smtp.url
    with app.app_context():
        later = datetime.now(UTC) + timedelta(minutes=1)
        assert outbox.send_pending(now=later, commit=db.session.commit).sent == 2
    [receipt] = smtp.inbox.to("budi@example.id")
    assert number in receipt["Subject"] and "https://zi.example.id/pengaduan/status" in receipt.get_content()
    [notice] = smtp.inbox.to("tim@example.id")
    assert "https://zi.example.id/internal/pengaduan/" in notice.get_content()


def test_the_worker_pauses_when_the_server_does_not_answer(worker_env):
    env, app = worker_env
    queue(app, 3)
    with HangingSmtpServer() as hanging:
        env = {**env, "ZI_SMTP_URL": hanging.url, "ZI_SMTP_TIMEOUT_SECONDS": "0.3"}
        with mail_worker(env) as worker:
            assert "mail worker started" in worker.stderr.readline()
            first = worker.stdout.readline().strip()
            worker.send_signal(signal.SIGTERM)
            rest, err = worker.communicate(timeout=20)
        assert len(hanging.connections) == 1
    assert first == "sent 0; retry later 1; failed 0; postponed 2 (SMTP server unreachable)"
    assert rest == ""  # no second round straight away: it waits out its pause, then stops on SIGTERM
    assert worker.returncode == 0, err
