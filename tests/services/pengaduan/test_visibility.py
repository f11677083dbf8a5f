"""What the reporter may see of a complaint, and what each staff role may see of the reporter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.factories import advance, make_pengaduan, make_user
from zi_public.models import Bidang, Role
from zi_public.rules.pengaduan import Action, Status
from zi_public.services.pengaduan import visibility
from zi_public.services.pengaduan.flow import ActionInput, act

# Monday 2 March 2026, 17:30 UTC: already Tuesday 3 March, 00:30, in Jakarta.
MONDAY_NIGHT = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize("action", list(Action))
def test_every_action_is_either_public_or_internal_and_only_public_ones_carry_text(action):
    assert visibility.is_public_action(action) == (action in visibility.PUBLIC_ACTIONS)
    assert visibility.TEXT_ACTIONS <= visibility.PUBLIC_ACTIONS
    internal = {Action.DISPOSE, Action.FOLLOW_UP, Action.RATE}
    assert visibility.is_public_action(action) == (action not in internal)


def test_the_history_shows_public_events_and_only_the_texts_written_for_the_reporter(db, seeded):
    team = make_user(Role.PENGADUAN)
    case = make_pengaduan(now=MONDAY_NIGHT)
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
    history = visibility.public_history(case.events)
    assert [(e.action, e.text) for e in history] == [
        (Action.SUBMIT, None),
        (Action.VERIFY, None),  # the team's note on verifying stays internal
        (Action.ANSWER, "PBG terbit besok."),
        (Action.FINISH, None),
        (Action.REPORTER_REPLY, "Belum terbit."),
        (Action.ANSWER, "Sudah terbit hari ini."),
    ]
    assert history[-1].status == Status.DITINDAKLANJUTI
    assert {e.on for e in history[1:]} == {date(2026, 3, 3)}  # the day in Jakarta, not in UTC
    answers = visibility.public_answers(history)
    assert [a.text for a in answers] == ["PBG terbit besok.", "Sudah terbit hari ini."]
    internal = [e for e in case.events if not visibility.reporter_sees(e)]
    assert [e.action for e in internal] == [Action.DISPOSE, Action.FOLLOW_UP]
    assert not any(visibility.reporter_reads_text(e) for e in internal)


def test_a_rejection_shows_its_reason_and_a_reopening_keeps_its_reason_internal(db, seeded):
    team = make_user(Role.PENGADUAN)
    rejected, reopened = make_pengaduan(now=MONDAY_NIGHT), make_pengaduan(now=MONDAY_NIGHT)
    act(team, rejected, Action.REJECT, ActionInput(body="Bukan kewenangan kami"))
    for action in (Action.VERIFY, Action.DISPOSE, Action.ANSWER, Action.FINISH):
        advance(team, reopened, action)
    advance(team, reopened, Action.REOPEN, body="Pelapor menelepon: belum selesai")
    assert [e.text for e in visibility.public_history(rejected.events)] == [None, "Bukan kewenangan kami"]
    reopening = visibility.public_history(reopened.events)[-1]
    assert (reopening.action, reopening.text) == (Action.REOPEN, None)


def test_rahasia_identity_is_for_the_team_only(db, seeded):
    rahasia = make_pengaduan(now=MONDAY_NIGHT, identity="rahasia", phone="0812 3456 789")
    terbuka = make_pengaduan(now=MONDAY_NIGHT)
    anonim = make_pengaduan(now=MONDAY_NIGHT, identity="anonim")
    team_view = visibility.reporter_view(rahasia, Role.PENGADUAN)
    assert (team_view.kind, team_view.name, team_view.phone) == ("visible", "Budi Santoso", "0812 3456 789")
    assert visibility.reporter_view(rahasia, Role.PIMPINAN).kind == "hidden"
    assert visibility.reporter_view(rahasia, Role.PIMPINAN).name is None
    assert visibility.reporter_view(terbuka, Role.PIMPINAN).name == "Budi Santoso"
    assert visibility.reporter_view(anonim, Role.PENGADUAN) == visibility.reporter_view(anonim, Role.PIMPINAN)
    assert visibility.reporter_view(anonim, Role.PENGADUAN).kind == "anonim"
