"""Filing complaints and moving them through the flow, with the clocks."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.factories import PDF, make_pengaduan, make_user, pengaduan_input
from tests.test_unit_of_work import break_the_commit
from zi_public.models import AuditEntry, Bidang, Pengaduan, Role
from zi_public.rules.pengaduan import Action, Channel, Status
from zi_public.security.uploads import UploadRejected
from zi_public.services.pengaduan.filing import (
    DuplicateSubmission,
    InvalidPengaduan,
    file_pengaduan,
    file_with_uploads,
)
from zi_public.services.pengaduan.flow import ActionInput, ActionRefused, act, close_expired

# Friday 27 November 2026, 10:00 in Jakarta.
FRIDAY = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def test_filing_numbers_hashes_and_starts_the_clocks(db, seeded):
    filed = file_pengaduan(pengaduan_input(), channel=Channel.WEB, now=FRIDAY)
    case = filed.pengaduan
    assert case.number == "PGD-2026-000001"
    assert case.status == Status.BARU
    assert case.received_on == date(2026, 11, 27)
    assert case.verify_by == date(2026, 12, 2)  # Mon 30, Tue 1, Wed 2
    assert case.settle_by == date(2027, 1, 26)
    second = file_pengaduan(pengaduan_input(), channel=Channel.API, now=FRIDAY)
    assert second.pengaduan.number == "PGD-2026-000002"
    db.session.commit()
    raw = db.session.execute(sa.text("SELECT * FROM pengaduan WHERE id = :id"), {"id": case.id}).mappings().one()
    assert filed.access_code.replace("-", "") not in str(dict(raw))
    assert "Budi" not in str(raw["reporter_name"]) and "budi@" not in str(raw["reporter_email"])
    actions = list(db.session.scalars(sa.select(AuditEntry.action)))
    assert actions.count("pengaduan.create") == 2


def test_the_sequence_restarts_each_year(db, seeded):
    file_pengaduan(pengaduan_input(), channel=Channel.WEB, now=datetime(2026, 12, 31, 16, 59, tzinfo=UTC))
    # 17:00 UTC on 31 December is already 1 January in Jakarta.
    new_year = file_pengaduan(pengaduan_input(), channel=Channel.WEB, now=datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
    assert new_year.pengaduan.number == "PGD-2027-000001"


def test_anonymous_complaints_keep_no_identity(db, seeded):
    case = file_pengaduan(
        pengaduan_input(identity="anonim", name="X", email="x@example.id", phone="0812345678", nik="3371010101010001"),
        channel=Channel.WEB,
    ).pengaduan
    assert (case.reporter_name, case.reporter_email, case.reporter_phone, case.reporter_nik) == (None,) * 4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"layanan": "nope"}, "layanan"),
        ({"identity": "public"}, "identity"),
        ({"title": "   "}, "title"),
        ({"description": ""}, "description"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 10_001}, "description"),
        ({"name": ""}, "name"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "budi@contoh.test"}, "email"),  # a special-use domain
        ({"email": "buñi@example.id"}, "email"),  # not ASCII: the API's pattern refuses it too (rules.contact)
        ({"phone": "call me maybe"}, "phone"),
        ({"nik": "12345"}, "nik"),
        ({"incident_date": date(2026, 11, 28)}, "incident_date"),
    ],
)
def test_invalid_submissions_are_refused_whole(db, seeded, overrides, field):
    with pytest.raises(InvalidPengaduan) as info:
        file_pengaduan(pengaduan_input(**overrides), channel=Channel.WEB, now=FRIDAY)
    assert field in info.value.errors
    assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == 0


def test_double_submission_creates_one_pengaduan_input(db, seeded):
    first = file_pengaduan(pengaduan_input(), channel=Channel.WEB, submission_key="k" * 32).pengaduan
    with pytest.raises(DuplicateSubmission) as info:
        file_pengaduan(pengaduan_input(), channel=Channel.WEB, submission_key="k" * 32)
    assert info.value.existing.id == first.id


def test_concurrent_submissions_with_one_key_create_one_complaint(db, seeded, app):
    """Two workers file the same form at the same moment; each then commits, as its request would."""
    start = threading.Barrier(2)
    outcomes: list[tuple[str, str]] = []

    def worker() -> None:
        with app.app_context():
            start.wait()
            try:
                filed = file_pengaduan(pengaduan_input(), channel=Channel.WEB, submission_key="race" * 8)
                outcomes.append(("filed", filed.pengaduan.number))
            except DuplicateSubmission as exc:
                outcomes.append(("duplicate", exc.existing.number))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (duplicate, first), (filed, number) = sorted(outcomes)
    assert (duplicate, filed, first) == ("duplicate", "filed", number)
    assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == 1
    creates = sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "pengaduan.create")
    assert db.session.scalar(creates) == 1
    # The loser's number was given back with its savepoint: the next complaint is number 2.
    assert file_pengaduan(pengaduan_input(), channel=Channel.WEB).pengaduan.number.endswith("-000002")


def uploads(*names: str) -> list[FileStorage]:
    return [FileStorage(io.BytesIO(PDF), filename=name) for name in names]


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_filing_with_uploads_stores_and_attaches_the_files(db, seeded, app):
    case = file_with_uploads(pengaduan_input(), uploads("a.pdf", "b.pdf"), channel=Channel.WEB).pengaduan
    db.session.commit()
    assert sorted(a.original_name for a in case.attachments) == ["a.pdf", "b.pdf"]
    assert len(stored_files(app)) == 2


@pytest.mark.parametrize(
    ("overrides", "names", "error"),
    [
        ({"title": ""}, ("a.pdf",), InvalidPengaduan),  # refused after the files were stored
        ({}, ("a.pdf",) * 6, UploadRejected),  # more than PENGADUAN_MAX_ATTACHMENTS
    ],
)
def test_a_refused_filing_leaves_no_file_behind(db, seeded, app, overrides, names, error):
    with pytest.raises(error):
        file_with_uploads(pengaduan_input(**overrides), uploads(*names), channel=Channel.WEB)
    assert stored_files(app) == []
    assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == 0


def test_a_duplicate_with_files_stores_no_second_copy(db, seeded, app):
    file_with_uploads(pengaduan_input(), uploads("a.pdf"), channel=Channel.WEB, submission_key="k" * 32)
    db.session.commit()
    with pytest.raises(DuplicateSubmission):
        file_with_uploads(pengaduan_input(), uploads("a.pdf"), channel=Channel.WEB, submission_key="k" * 32)
    assert len(stored_files(app)) == 1


def test_a_failed_commit_of_a_filing_leaves_no_stray_file(db, seeded, app):
    file_with_uploads(pengaduan_input(), uploads("a.pdf", "b.pdf"), channel=Channel.WEB)
    assert len(stored_files(app)) == 2
    break_the_commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert stored_files(app) == []
    assert db.session.scalar(sa.select(sa.func.count(Pengaduan.id))) == 0


def test_full_flow_with_clocks(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    case = make_pengaduan(now=FRIDAY)
    bidang = db.session.scalar(sa.select(Bidang).where(Bidang.code == "perizinan-b"))
    monday = FRIDAY + timedelta(days=3)
    act(team, case, Action.VERIFY, ActionInput(), now=monday)
    assert (case.status, case.triaged_on, case.followup_by) == (
        Status.TERVERIFIKASI,
        date(2026, 11, 30),
        date(2026, 12, 7),
    )
    # Finishing needs an answer to the reporter first (with or without a disposisi).
    with pytest.raises(ActionRefused, match="answer_required"):
        act(team, case, Action.FINISH, ActionInput(), now=monday)
    act(team, case, Action.DISPOSE, ActionInput(body="Mohon dicek", bidang_id=bidang.id), now=monday)
    # A disposisi is internal: the follow-up clock stops only when the reporter is informed.
    assert case.status == Status.DITINDAKLANJUTI and case.bidang == bidang and case.followed_up_on is None
    with pytest.raises(ActionRefused, match="answer_required"):
        act(team, case, Action.FINISH, ActionInput(), now=monday)
    act(team, case, Action.ANSWER, ActionInput(body="PBG terbit besok."), now=monday)
    assert case.followed_up_on == date(2026, 11, 30)
    act(team, case, Action.FINISH, ActionInput(), now=monday)
    assert case.status == Status.SELESAI and case.finished_on == date(2026, 11, 30)
    assert case.reply_until == date(2026, 12, 14)
    act("reporter", case, Action.RATE, ActionInput(rating=4, body="Cepat"), now=monday)
    assert case.rating == 4
    act("reporter", case, Action.REPORTER_REPLY, ActionInput(body="Belum terbit"), now=monday + timedelta(days=1))
    assert case.status == Status.DITINDAKLANJUTI and case.reopen_count == 1 and case.reply_until is None
    act(team, case, Action.FINISH, ActionInput(), now=monday + timedelta(days=2))
    assert close_expired(now=monday + timedelta(days=10)) == []
    assert close_expired(now=monday + timedelta(days=30)) == [case]
    assert case.is_closed
    with pytest.raises(ActionRefused, match="flow"):
        act("reporter", case, Action.REPORTER_REPLY, ActionInput(body="Lagi"), now=monday + timedelta(days=31))
    public = [e.action for e in case.events if e.is_public]
    assert Action.DISPOSE not in public and Action.ANSWER in public


@pytest.mark.parametrize(
    ("action", "data", "code"),
    [
        (Action.FINISH, ActionInput(), "flow"),
        (Action.REJECT, ActionInput(body="  "), "body_required"),
        (Action.FORWARD, ActionInput(), "forward_target_required"),
        (Action.REJECT, ActionInput(body="Bukan\x00kewenangan"), "body_unreadable"),
        (Action.FORWARD, ActionInput(forwarded_to="BPN\nKota"), "forward_target_unreadable"),
        (Action.DISPOSE, ActionInput(body="x"), "flow"),
        (Action.ANSWER, ActionInput(body="x" * 10_001), "flow"),
    ],
)
def test_refused_actions_change_nothing(db, seeded, action, data, code):
    team = make_user(role=Role.PENGADUAN)
    case = make_pengaduan()
    with pytest.raises(ActionRefused, match=code):
        act(team, case, action, data)
    assert case.status == Status.BARU and len(case.events) == 1


def test_the_team_may_answer_and_finish_without_a_disposisi(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    case = make_pengaduan(now=FRIDAY)
    monday = FRIDAY + timedelta(days=3)
    act(team, case, Action.VERIFY, ActionInput(), now=monday)
    act(team, case, Action.ANSWER, ActionInput(body="Sudah kami jelaskan di loket."), now=monday)
    act(team, case, Action.FINISH, ActionInput(), now=monday)
    assert (case.status, case.bidang, case.followed_up_on, case.finished_on) == (
        Status.SELESAI,
        None,
        date(2026, 11, 30),
        date(2026, 11, 30),
    )


def test_reject_and_forward_are_final_with_their_reason(db, seeded):
    team = make_user(role=Role.PENGADUAN)
    rejected = make_pengaduan(now=FRIDAY)
    act(team, rejected, Action.REJECT, ActionInput(body="Bukan kewenangan kami"), now=FRIDAY)
    assert rejected.status == Status.DITOLAK and rejected.triaged_on == rejected.finished_on == date(2026, 11, 27)
    forwarded = make_pengaduan()
    act(team, forwarded, Action.FORWARD, ActionInput(forwarded_to="BPN Kota Magelang"))
    assert forwarded.status == Status.DIALIHKAN and forwarded.forwarded_to == "BPN Kota Magelang"
    with pytest.raises(ActionRefused):
        act(team, forwarded, Action.VERIFY, ActionInput())


def test_history_and_stamps_are_dated_by_the_moment_given_not_the_wall_clock(db, seeded):
    """Reports rebuild past days from these stamps: a filing or action dated `now` must say `now`."""
    team = make_user(role=Role.PENGADUAN)
    case = make_pengaduan(now=FRIDAY)
    assert case.events[0].created_at == case.received_at == datetime(2026, 11, 27, 3, 0)
    monday = FRIDAY + timedelta(days=3)
    act(team, case, Action.VERIFY, ActionInput(), now=monday)
    act(team, case, Action.ANSWER, ActionInput(body="Sudah kami jelaskan."), now=monday)
    act(team, case, Action.FINISH, ActionInput(), now=monday)
    act("reporter", case, Action.RATE, ActionInput(rating=3), now=monday + timedelta(hours=1))
    assert case.rated_at == datetime(2026, 11, 30, 4, 0)
    later = datetime(2027, 1, 4, 3, 0, tzinfo=UTC)
    assert close_expired(now=later) == [case]
    assert case.closed_at == datetime(2027, 1, 4, 3, 0)
