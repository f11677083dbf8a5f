"""The Tim Pengaduan records complaints from the box, the telephone, letters, SP4N-LAPOR!...: the day received
drives the clocks and is audited, LAPOR!'s number is unique (the database decides a race), LAPOR!'s flags map to
an identity, the reporter's mail carries the number only."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from tests.factories import make_user, pengaduan_input
from zi_public.models import AuditEntry, OutboxMail, Pengaduan, PengaduanEvent, Role
from zi_public.rules.clocks import ClockState
from zi_public.rules.pengaduan import INTAKE_BACKDATE_DAYS, Channel, Identity
from zi_public.services.pengaduan import intake
from zi_public.services.pengaduan.clocks import SETTLE, VERIFY, clocks_of
from zi_public.services.pengaduan.filing import (
    DuplicateLaporNumber,
    DuplicateSubmission,
    InvalidPengaduan,
    Recording,
    file_pengaduan,
)

# Friday 27 November 2026, 10:00 in Jakarta: the day the team records.
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)
MONDAY_2_NOV = date(2026, 11, 2)


def entry(**overrides: object) -> intake.IntakeInput:
    """A complaint-box entry received on Monday 2 November; `complaint` fields and intake fields overridable."""
    fields = {f.name for f in dataclasses.fields(intake.IntakeInput)}
    own = {k: v for k, v in overrides.items() if k in fields}
    complaint = pengaduan_input(**{k: v for k, v in overrides.items() if k not in fields})
    return intake.IntakeInput(**{"complaint": complaint, "channel": "kotak", "received_on": MONDAY_2_NOV, **own})


def lapor(number: str = "4291234", **overrides: object) -> intake.IntakeInput:
    return entry(channel="lapor", lapor_number=number, **overrides)


@pytest.fixture
def officer(db, seeded):
    user = make_user(Role.PENGADUAN, username="siti")
    db.session.flush()
    return user


def refusal(exc_info: pytest.ExceptionInfo[InvalidPengaduan], field: str) -> str:
    return words(exc_info.value.errors[field])


def words(message: object) -> str:
    """A (lazy) message as the page would show it, in Indonesian."""
    with current_app.test_request_context():
        return str(message)


def count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Pengaduan.id)))


def test_a_lapor_complaint_flagged_anonim_and_rahasia_is_anonim_with_clocks_from_the_day_received(db, officer):
    filed = intake.record(
        officer, lapor(lapor_anonim=True, lapor_rahasia=True, identity="terbuka", phone="0812345678"), now=NOW
    )
    case = filed.pengaduan
    assert (case.channel, case.identity, case.lapor_number) == (Channel.LAPOR, Identity.ANONIM, "4291234")
    assert (case.reporter_name, case.reporter_email, case.reporter_phone) == (None, None, None)
    assert case.recorded_by_id == officer.id
    assert case.received_on == MONDAY_2_NOV
    assert case.received_at == NOW.replace(tzinfo=None)  # when it entered the system
    assert case.verify_by == date(2026, 11, 5)  # three working days after Monday 2 November
    assert case.settle_by == MONDAY_2_NOV + timedelta(days=60)
    states = {clock.name: clock for clock in clocks_of(case, TODAY)}
    assert states[VERIFY].state == ClockState.OVERDUE  # recorded late: the clock says so, it does not restart
    assert states[SETTLE].state == ClockState.RUNNING
    submitted = db.session.scalar(sa.select(PengaduanEvent).where(PengaduanEvent.pengaduan_id == case.id))
    assert submitted.actor_id == officer.id  # the history names who recorded it


@pytest.mark.parametrize(
    ("anonim", "rahasia", "identity"),
    [(False, False, Identity.TERBUKA), (False, True, Identity.RAHASIA), (True, False, Identity.ANONIM)],
)
def test_lapor_flags_decide_the_identity_whatever_the_identity_choice(db, officer, anonim, rahasia, identity):
    data = lapor(lapor_anonim=anonim, lapor_rahasia=rahasia, identity="anonim", name="Rina", email="", phone="")
    assert intake.record(officer, data, now=NOW).pengaduan.identity == identity


def test_a_box_complaint_with_a_past_date_is_audited_as_backdated_and_names_the_officer(db, officer):
    # A letter or a box form may give a name and nothing to reach the reporter by: it is still recorded.
    case = intake.record(officer, entry(identity="rahasia", email="", phone=""), now=NOW).pengaduan
    assert (case.channel, case.identity, case.reporter_name, case.lapor_number) == (
        Channel.BOX,
        Identity.RAHASIA,
        "Budi Santoso",
        None,
    )
    assert case.verify_by == date(2026, 11, 5)
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "pengaduan.create"))
    assert (audit.actor, audit.actor_id) == ("siti", officer.id)
    data = json.loads(audit.data)
    assert data["channel"] == "kotak"
    assert (data["received_on"], data["recorded_on"], data["backdated"]) == ("2026-11-02", "2026-11-27", True)


def test_a_complaint_received_today_is_not_marked_backdated(db, officer):
    case = intake.record(officer, entry(channel="telepon", received_on=TODAY), now=NOW).pengaduan
    assert case.received_on == TODAY and case.verify_by == date(2026, 12, 2)
    data = json.loads(db.session.scalar(sa.select(AuditEntry.data).where(AuditEntry.action == "pengaduan.create")))
    assert data["received_on"] == "2026-11-27" and "backdated" not in data and "recorded_on" not in data


def test_a_second_entry_of_a_lapor_number_is_refused_naming_the_first(db, officer):
    first = intake.record(officer, lapor("4291234"), now=NOW).pengaduan
    for typed in ("4291234", " #4291234 "):
        with pytest.raises(InvalidPengaduan) as refused:
            intake.record(officer, lapor(typed), now=NOW)
        assert refusal(refused, "lapor_number") == (
            f"Nomor SP4N-LAPOR! 4291234 sudah dicatat sebagai pengaduan {first.number}."
        )
    assert count(db) == 1


def test_the_database_decides_a_lapor_number_race(db, officer):
    """A concurrent request recorded the number after this one looked: the unique constraint refuses it."""
    first = intake.record(officer, lapor("LAP-77"), now=NOW).pengaduan
    with pytest.raises(DuplicateLaporNumber) as raced:  # filing itself, past intake's look-up
        file_pengaduan(
            pengaduan_input(),
            channel=Channel.LAPOR,
            recording=Recording(by=officer, received_on=TODAY, lapor_number="LAP-77"),
            now=NOW,
        )
    assert raced.value.existing.id == first.id
    assert count(db) == 1
    # The refused step was undone alone (a savepoint): the request goes on and may record another.
    assert intake.record(officer, lapor("LAP-78"), now=NOW).pengaduan.number.endswith("-000002")


def test_two_officers_recording_one_lapor_number_at_once_record_it_once(db, officer, app):
    officer_id = officer.id
    db.session.commit()
    start = threading.Barrier(2)
    outcomes: list[tuple[str, str]] = []

    def worker(key: str) -> None:
        with app.app_context():
            user = db.session.get(type(officer), officer_id)
            start.wait()
            try:
                filed = intake.record(user, lapor("RACE-1"), submission_key=key * 16, now=NOW)
                outcomes.append(("filed", filed.pengaduan.number))
            except InvalidPengaduan as exc:
                outcomes.append(("refused", words(exc.errors["lapor_number"])))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(key,)) for key in ("aa", "bb")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (filed, number), (refused, message) = sorted(outcomes)
    assert (filed, refused) == ("filed", "refused")
    assert message == f"Nomor SP4N-LAPOR! RACE-1 sudah dicatat sebagai pengaduan {number}."
    assert count(db) == 1


def test_a_double_click_with_a_lapor_number_is_the_same_complaint_not_a_refusal(db, officer):
    first = intake.record(officer, lapor(), submission_key="k" * 32, now=NOW).pengaduan
    with pytest.raises(DuplicateSubmission) as again:
        intake.record(officer, lapor(), submission_key="k" * 32, now=NOW)
    assert again.value.existing.id == first.id


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"channel": "lapor", "lapor_number": None}, "lapor_number", "Isi nomor pelacakan SP4N-LAPOR!."),
        ({"channel": "lapor", "lapor_number": "  # "}, "lapor_number", "Isi nomor pelacakan SP4N-LAPOR!."),
        ({"channel": "lapor", "lapor_number": "12 34"}, "lapor_number", "Nomor SP4N-LAPOR! berisi huruf"),
        ({"channel": "lapor", "lapor_number": "1" * 41}, "lapor_number", "Nomor SP4N-LAPOR! berisi huruf"),
        ({"channel": "lapor", "lapor_number": "12\x0034"}, "lapor_number", "Nomor SP4N-LAPOR! berisi huruf"),
        ({"channel": "surat", "lapor_number": "4291234"}, "lapor_number", "hanya diisi untuk kanal SP4N-LAPOR!"),
        ({"channel": "surat", "lapor_anonim": True}, "lapor_anonim", "hanya untuk kanal SP4N-LAPOR!"),
        ({"channel": "email", "lapor_rahasia": True}, "lapor_anonim", "hanya untuk kanal SP4N-LAPOR!"),
        # Forged channels: the reporter's own (web, kiosk, API) and nonsense.
        ({"channel": "web"}, "channel", "Pilih kanal dari daftar."),
        ({"channel": "kiosk"}, "channel", "Pilih kanal dari daftar."),
        ({"channel": "api"}, "channel", "Pilih kanal dari daftar."),
        ({"channel": "fax"}, "channel", "Pilih kanal dari daftar."),
        ({"channel": ""}, "channel", "Pilih kanal dari daftar."),
        ({"received_on": None}, "received_on", "Isi tanggal pengaduan diterima."),
        ({"received_on": date(2026, 11, 28)}, "received_on", "Tanggal diterima tidak boleh setelah hari ini."),
        ({"received_on": TODAY - timedelta(days=367)}, "received_on", "Tanggal diterima paling lama 366 hari"),
        ({"incident_date": date(2026, 11, 3)}, "incident_date", "tidak boleh setelah tanggal diterima"),
        ({"identity": "publik"}, "identity", "Pilih salah satu"),
        ({"identity": "terbuka", "name": ""}, "name", "Nama wajib diisi"),
        ({"email": "bukan-email"}, "email", "Alamat email tidak valid."),
    ],
)
def test_refusals_name_the_field_and_record_nothing(db, officer, overrides, field, message):
    with pytest.raises(InvalidPengaduan) as refused:
        intake.record(officer, entry(**overrides), now=NOW)
    assert message in refusal(refused, field)
    assert count(db) == 0


def test_the_oldest_day_received_allowed_is_accepted(db, officer):
    oldest = TODAY - timedelta(days=INTAKE_BACKDATE_DAYS)
    assert intake.record(officer, entry(received_on=oldest), now=NOW).pengaduan.received_on == oldest


def test_one_round_shows_every_refusal(db, officer):
    data = entry(channel="web", received_on=None, title="", category="nope")
    errors = intake.check(data, TODAY)
    assert {"channel", "received_on", "title", "category"} <= set(errors)


def test_the_reporters_mail_names_the_channel_and_the_number_never_the_code(db, officer):
    filed = intake.record(officer, lapor("LAP-9", lapor_rahasia=True), now=NOW)
    db.session.flush()
    mails = list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))
    receipt = next(m for m in mails if m.kind == "pengaduan.receipt")
    assert "budi@example.id" in receipt.recipients
    body = receipt.body
    assert filed.pengaduan.number in body and "Kanal    : SP4N-LAPOR!" in body
    assert "Diterima : Senin, 2 November 2026" in body and "LAP-9" in body
    assert "diberikan petugas kami saat pengaduan dicatat" in body
    code = filed.access_code
    for mail in mails:  # neither the reporter's receipt nor the team's notice
        assert code not in mail.body and code.replace("-", "") not in mail.body and code not in mail.subject


def test_no_mail_to_an_anonymous_or_unreachable_reporter(db, officer):
    intake.record(officer, entry(identity="terbuka", email="", phone=""), now=NOW)
    intake.record(officer, lapor(lapor_anonim=True), now=NOW)
    kinds = list(db.session.scalars(sa.select(OutboxMail.kind)))
    assert "pengaduan.receipt" not in kinds
