"""The status page's rating and reply carry the public forms' one-time key: the same form sent again (a double
click, the browser's back-and-resend) records nothing and lands on the status page with a neutral notice instead
of a refusal; a key is its own form's, so one replayed on the other form is that form's new one; a missing or
malformed key is replaced, never refused and never a 500."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.blueprints.pengaduan.test_public_status import STATUS, file_case, finish_case, load, look_up
from zi_public.extensions import db
from zi_public.models import PengaduanEvent
from zi_public.rules.pengaduan import Action, Status

KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')


def keys(client) -> list[str]:  # noqa: ANN001
    """The one-time keys of the status page's forms, in page order (rating, then reply)."""
    return KEY.findall(client.get(STATUS).get_data(as_text=True))


def events(app, number: str, action: Action) -> int:  # noqa: ANN001
    with app.app_context():
        case_id = load(app, number).id
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(PengaduanEvent)
            .where(PengaduanEvent.pengaduan_id == case_id, PengaduanEvent.action == action)
        )


@pytest.fixture
def finished(app, client, seeded) -> str:  # noqa: ANN001
    """A finished complaint looked up on `client`: its number."""
    number, code = file_case(app)
    finish_case(app, number)
    look_up(client, number, code)
    return number


def test_a_resent_reply_records_nothing_and_says_it_was_sent(app, client, finished):
    rating_key, reply_key = keys(client)
    assert rating_key != reply_key
    data = {"body": "PBG yang terbit salah nama.", "submission_key": reply_key}
    assert client.post(f"{STATUS}/balas", data=data).status_code == 302
    again = client.post(f"{STATUS}/balas", data=data)
    assert again.status_code == 302 and again.headers["Location"].endswith(STATUS)
    page = client.get(STATUS).get_data(as_text=True)
    assert "Balasan ini sudah terkirim sebelumnya" in page
    assert "tidak dapat dinilai atau dibalas" not in page  # no refusal
    case = load(app, finished)
    assert (case.status, case.reopen_count) == (Status.DITINDAKLANJUTI, 1)
    assert events(app, finished, Action.REPORTER_REPLY) == 1


def test_a_resent_rating_records_nothing_and_keeps_the_first(app, client, finished):
    rating_key = keys(client)[0]
    first = {"rating": "3", "comment": "Cepat.", "submission_key": rating_key}
    assert client.post(f"{STATUS}/nilai", data=first).status_code == 302
    resent = client.post(f"{STATUS}/nilai", data={**first, "rating": "1"})  # the same form, a value changed
    assert resent.status_code == 302
    assert "Penilaian ini sudah terkirim sebelumnya" in client.get(STATUS).get_data(as_text=True)
    assert (load(app, finished).rating, events(app, finished, Action.RATE)) == (3, 1)
    # A fresh page is a fresh form: the reporter may change the rating.
    fresh = keys(client)[0]
    assert fresh != rating_key
    assert client.post(f"{STATUS}/nilai", data={"rating": "4", "submission_key": fresh}).status_code == 302
    assert (load(app, finished).rating, events(app, finished, Action.RATE)) == (4, 2)


def test_a_key_replayed_on_the_other_form_is_that_forms_own(app, client, finished):
    rating_key = keys(client)[0]
    assert client.post(f"{STATUS}/nilai", data={"rating": "2", "submission_key": rating_key}).status_code == 302
    reply = client.post(f"{STATUS}/balas", data={"body": "Masih salah.", "submission_key": rating_key})
    assert reply.status_code == 302
    assert "Balasan Anda terkirim" in client.get(STATUS).get_data(as_text=True)
    assert events(app, finished, Action.REPORTER_REPLY) == 1


@pytest.mark.parametrize("key", ["", "pendek", "k" * 65, "kunci dengan spasi dan !!!!", "a" * 20 + "\x00", "é" * 30])
def test_a_missing_or_malformed_key_is_replaced_not_refused(app, client, finished, key):
    reply = client.post(f"{STATUS}/balas", data={"body": "Balasan saya.", "submission_key": key})
    assert reply.status_code == 302
    assert events(app, finished, Action.REPORTER_REPLY) == 1
    with app.app_context():
        stored = db.session.scalar(
            sa.select(PengaduanEvent.submission_key).where(PengaduanEvent.action == Action.REPORTER_REPLY)
        )
    assert stored != key and re.fullmatch(r"[A-Za-z0-9_\-]{16,64}", stored)


def test_a_refused_reply_comes_back_with_its_key_so_the_resend_records_once(app, client, finished):
    reply_key = keys(client)[1]
    refused = client.post(f"{STATUS}/balas", data={"body": "   ", "submission_key": reply_key})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Tulis balasan Anda." in page
    assert reply_key in KEY.findall(page)  # the corrected form is the same form
    data = {"body": "Sekarang terisi.", "submission_key": reply_key}
    assert client.post(f"{STATUS}/balas", data=data).status_code == 302
    assert client.post(f"{STATUS}/balas", data=data).status_code == 302
    assert events(app, finished, Action.REPORTER_REPLY) == 1
