"""Finding a complaint for its reporter by number and access code: one answer for both mistakes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import advance, make_filed, make_user, pengaduan_input
from zi_public.models import Bidang, Role
from zi_public.rules.pengaduan import Action, Channel
from zi_public.services.pengaduan import lookup, visibility
from zi_public.services.pengaduan.clocks import clocks_of
from zi_public.services.pengaduan.filing import file_pengaduan
from zi_public.services.pengaduan.flow import ActionInput, act, close_expired
from zi_public.services.pengaduan.lookup import find_for_reporter, status_for_reporter

# Monday 2 March 2026, 17:30 UTC: already Tuesday 3 March, 00:30, in Jakarta.
MONDAY_NIGHT = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)


def wrong_pairs(number: str, code: str) -> list[tuple[str, str]]:
    return [
        (number, "AAAAA-AAAAA"),
        ("PGD-2026-999999", code),
        ("", ""),
        ("x" * 5000, "y" * 5000),
    ]


def test_lookup_needs_number_and_code_and_says_nothing_else(db, seeded):
    filed = file_pengaduan(pengaduan_input(), channel=Channel.WEB)
    number, code = filed.pengaduan.number, filed.access_code
    assert find_for_reporter(number, code) is filed.pengaduan
    assert find_for_reporter(number.lower(), code.lower().replace("-", " ")) is filed.pengaduan
    assert status_for_reporter(number.lower(), code.lower().replace("-", " ")).number == number
    for wrong_number, wrong_code in wrong_pairs(number, code):
        assert find_for_reporter(wrong_number, wrong_code) is None
        assert status_for_reporter(wrong_number, wrong_code) is None


@pytest.mark.parametrize("find", [find_for_reporter, status_for_reporter])
def test_the_code_is_hashed_whatever_the_mistake(db, seeded, monkeypatch, find):
    """An unknown or malformed number costs the same hashing as a wrong code: no timing oracle."""
    filed = file_pengaduan(pengaduan_input(), channel=Channel.WEB)
    checked = []
    real_check = lookup.codes.check_code

    def spy(code: str, stored_hash: str) -> bool:
        checked.append(code)
        return real_check(code, stored_hash)

    monkeypatch.setattr(lookup.codes, "check_code", spy)
    pairs = wrong_pairs(filed.pengaduan.number, filed.access_code)
    for number, code in pairs:
        assert find(number, code) is None
    assert checked == [code for _, code in pairs]


def test_the_status_shows_what_the_loaded_complaint_shows(db, seeded):
    """The status look-up selects columns instead of loading the complaint: the same answer as the ORM's."""
    team = make_user(Role.PENGADUAN)
    filed = make_filed(now=MONDAY_NIGHT)
    case = filed.pengaduan
    bidang_id = db.session.scalar(sa.select(Bidang.id).where(Bidang.code == "perizinan-a"))
    steps = [
        (team, Action.VERIFY, ActionInput(body="Catatan verifikasi")),
        (team, Action.DISPOSE, ActionInput(body="Instruksi untuk bidang", bidang_id=bidang_id)),
        (team, Action.FOLLOW_UP, ActionInput(body="Berkas diperiksa ulang")),
        (team, Action.ANSWER, ActionInput(body="PBG terbit besok.")),
        (team, Action.FINISH, ActionInput()),
        ("reporter", Action.REPORTER_REPLY, ActionInput(body="Belum terbit.")),
        (team, Action.ANSWER, ActionInput(body="Sudah terbit hari ini.")),
    ]
    for actor, action, data in steps:
        act(actor, case, action, data, now=MONDAY_NIGHT)
    db.session.commit()
    for as_of in (date(2026, 3, 3), date(2026, 6, 1)):
        found = status_for_reporter(case.number, filed.access_code, today=as_of)
        assert found.history == visibility.public_history(case.events)
        assert [e.action for e in found.history] == [
            Action.SUBMIT,
            Action.VERIFY,
            Action.ANSWER,
            Action.FINISH,
            Action.REPORTER_REPLY,
            Action.ANSWER,
        ]
        assert [a.text for a in found.answers] == ["PBG terbit besok.", "Sudah terbit hari ini."]
        assert found.clocks == clocks_of(case, as_of)
        assert (found.status, found.received_on, found.is_closed, found.forwarded_to) == (
            case.status,
            case.received_on,
            case.is_closed,
            case.forwarded_to,
        )
        assert (found.verify_by, found.settle_by, found.followup_by, found.reply_until) == (
            case.verify_by,
            case.settle_by,
            case.followup_by,
            case.reply_until,
        )


def test_the_status_of_a_forwarded_complaint_and_of_a_closed_one(db, seeded):
    team = make_user(Role.PENGADUAN)
    forwarded, closed = make_filed(now=MONDAY_NIGHT), make_filed(now=MONDAY_NIGHT)
    advance(team, forwarded.pengaduan, Action.FORWARD, now=MONDAY_NIGHT)
    for action in (Action.VERIFY, Action.ANSWER, Action.FINISH):
        advance(team, closed.pengaduan, action, now=MONDAY_NIGHT)
    assert close_expired(now=MONDAY_NIGHT + timedelta(days=60)) == [closed.pengaduan]
    db.session.commit()
    for filed in (forwarded, closed):
        case = filed.pengaduan
        found = status_for_reporter(case.number, filed.access_code)
        assert (found.status, found.forwarded_to, found.is_closed) == (case.status, case.forwarded_to, case.is_closed)
        assert found.history == visibility.public_history(case.events)
    assert status_for_reporter(forwarded.pengaduan.number, forwarded.access_code).forwarded_to == "BPN Kota Magelang"
    assert status_for_reporter(closed.pengaduan.number, closed.access_code).is_closed is True


def test_a_receipt_finds_its_complaint_by_the_ticket_number_and_nothing_else(db, seeded):
    filed = file_pengaduan(pengaduan_input(), channel=Channel.WEB)
    assert lookup.for_receipt(filed.pengaduan.number) is filed.pengaduan
    for forged in (None, "", 42, ["PGD"], {"number": filed.pengaduan.number}, "PGD-2026-999999"):
        assert lookup.for_receipt(forged) is None
