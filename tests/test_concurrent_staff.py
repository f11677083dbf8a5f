"""Several officers at once on a real threaded server: every case page (an audited read) opens, the chain holds.

A case page read writes an audit entry, so concurrent readers are concurrent writers of the hash chain. On
SQLite two requests used to read the same chain head and the second failed (UNIQUE prev_hash: 9 % of page
opens with 2 officers, 62 % with 20). The gunicorn variant with two worker processes is in
tests/bench/staff_concurrency.py.
"""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.e2e.conftest import serving
from tests.factories import TEST_PASSWORD, make_pengaduan, make_user
from zi_public.extensions import db as _db
from zi_public.models import Role
from zi_public.services.audit import verify_chain

OFFICERS = 20
PAGES_EACH = 4


@pytest.fixture
def server(seeded: Flask) -> Iterator[str]:
    with serving(seeded) as url:
        yield url


def signed_in(base: str, username: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    data = urllib.parse.urlencode({"username": username, "password": TEST_PASSWORD}).encode()
    with opener.open(f"{base}/auth/login", data=data, timeout=30) as response:
        assert response.status == 200 and "/auth/login" not in response.url  # followed the redirect in
    return opener


def status_of(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> int:
    """The status of a GET of `url` (a POST of `data`), after following redirects."""
    try:
        with opener.open(url, data=data, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def at_once(requests: list[Callable[[], int]], repeat: int = 1) -> Counter[int]:
    """Every request in its own thread, all let go at the same moment, each made `repeat` times in a row; how
    many ended with each status."""
    start = threading.Barrier(len(requests))
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def run(request: Callable[[], int]) -> None:
        start.wait()
        for _ in range(repeat):
            status = request()
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_twenty_officers_open_case_pages_at_once_and_the_audit_chain_holds(seeded, server):
    with seeded.app_context():
        usernames = [make_user(Role.PENGADUAN).username for _ in range(OFFICERS)]
        case = make_pengaduan(identity="rahasia")
        _db.session.commit()
        page = f"{server}/internal/pengaduan/{case.id}"
    openers = [signed_in(server, name) for name in usernames]
    statuses = at_once([lambda opener=opener: status_of(opener, page) for opener in openers], repeat=PAGES_EACH)
    assert statuses == {200: OFFICERS * PAGES_EACH}
    with seeded.app_context():
        report = verify_chain()
    assert report.ok, str(report)


UPG_OFFICERS = 8


def test_upg_officers_verifying_one_report_at_once_move_it_once(seeded, server):
    """Eight UPG members press "verify" on the same new report at the same moment: one moves it, the others are
    told it changed (400, never a 500), the history holds one verification and the audit chain holds."""
    from tests.factories import make_gratifikasi
    from zi_public.models import GratifikasiEvent, GratifikasiReport
    from zi_public.rules.gratifikasi import Action, Status

    with seeded.app_context():
        usernames = [make_user(Role.UPG).username for _ in range(UPG_OFFICERS)]
        report = make_gratifikasi().report
        _db.session.commit()
        report_id, submitted = report.id, report.events[0].id
    form = urllib.parse.urlencode(
        {"action": "verify", "verify-seen_status": "baru", "verify-seen_event": str(submitted)}
    ).encode()
    url = f"{server}/internal/gratifikasi/{report_id}/aksi"
    openers = [signed_in(server, name) for name in usernames]
    # 200: the redirect to the case page, followed
    statuses = at_once([lambda opener=opener: status_of(opener, url, form) for opener in openers])
    assert statuses == {200: 1, 400: UPG_OFFICERS - 1}, statuses
    with seeded.app_context():
        assert _db.session.get(GratifikasiReport, report_id).status == Status.DIVERIFIKASI
        verified = _db.session.scalars(
            sa.select(GratifikasiEvent).where(
                GratifikasiEvent.report_id == report_id, GratifikasiEvent.action == Action.VERIFY
            )
        ).all()
        assert len(verified) == 1
        chain = verify_chain()
    assert chain.ok, str(chain)


CLICKS = 4


def test_one_answer_sent_several_times_at_once_is_recorded_and_mailed_once(seeded, server):
    """A frantic double (quadruple) click on "Kirim tanggapan": the same form, with one one-time key, arrives four
    times at once from one browser. One answer is recorded and audited, one mail is queued for the reporter, and
    every request lands on the case page (never an error); the audit chain holds."""
    import secrets

    from tests.factories import advance
    from zi_public.models import OutboxMail, PengaduanEvent
    from zi_public.rules.pengaduan import Action

    with seeded.app_context():
        username = make_user(Role.PENGADUAN).username
        case = make_pengaduan()
        advance("test", case, Action.VERIFY)
        _db.session.commit()
        case_id, number = case.id, case.number
    form = {"answer-body": "Izin Anda terbit besok.", "answer-submission_key": secrets.token_urlsafe(24)}
    data = urllib.parse.urlencode(form).encode()
    opener = signed_in(server, username)  # one browser: one session
    url = f"{server}/internal/pengaduan/{case_id}/answer"
    # 200: the redirect to the case page, followed
    statuses = at_once([lambda: status_of(opener, url, data)] * CLICKS)
    assert statuses == {200: CLICKS}, statuses
    with seeded.app_context():
        answers = _db.session.scalars(
            sa.select(PengaduanEvent).where(
                PengaduanEvent.pengaduan_id == case_id, PengaduanEvent.action == Action.ANSWER
            )
        ).all()
        mails = _db.session.scalars(
            sa.select(OutboxMail).where(OutboxMail.case_number == number, OutboxMail.kind == "pengaduan.answer")
        ).all()
        assert len(answers) == 1 and len(mails) == 1
        chain = verify_chain()
    assert chain.ok, str(chain)
