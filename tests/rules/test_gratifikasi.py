"""The reporting deadlines of UU 20/2001 Pasal 12C and the report flow (rules/gratifikasi.py), counted on the
real work calendar: national holidays and cuti bersama (the Nyepi and Idul Fitri days of March 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from zi_public.rules import gratifikasi as rules
from zi_public.rules.gratifikasi import Action, Kind, Status
from zi_public.rules.working_days import WorkCalendar

NATIONAL = WorkCalendar()
PLAIN = WorkCalendar(holidays={})


def test_thirty_working_days_skip_weekends_holidays_and_cuti_bersama():
    # 13 March 2026 (Friday): 18-24 March hold Nyepi, its cuti bersama, Idul Fitri and its cuti bersama; 3 April
    # is Good Friday. Thirty working days later is 5 May, where a plain weekday count gives 24 April.
    assert rules.report_due(date(2026, 3, 13), NATIONAL) == date(2026, 5, 5)
    assert rules.report_due(date(2026, 3, 13), PLAIN) == date(2026, 4, 24)


@pytest.mark.parametrize(("reported_on", "late"), [(date(2026, 5, 5), False), (date(2026, 5, 6), True)])
def test_a_received_gift_is_late_the_working_day_after_the_thirtieth(reported_on, late):
    received = date(2026, 3, 13)
    assert rules.is_late(Kind.DITERIMA, received, reported_on, NATIONAL) is late
    assert rules.working_days_since_received(received, reported_on, NATIONAL) == (31 if late else 30)


def test_a_refused_gift_is_never_late():
    assert rules.is_late(Kind.DITOLAK, date(2025, 1, 2), date(2026, 11, 30), NATIONAL) is False


def test_the_day_received_does_not_count_and_a_weekend_report_counts_nothing_more():
    friday = date(2026, 11, 27)
    assert rules.working_days_since_received(friday, friday, NATIONAL) == 0
    assert rules.working_days_since_received(friday, date(2026, 11, 29), NATIONAL) == 0  # Sunday
    assert rules.working_days_since_received(friday, date(2026, 11, 30), NATIONAL) == 1  # Monday


def test_deadline_counts_down_and_stays_at_zero_when_late():
    received = date(2026, 11, 2)
    on_day = rules.deadline(received, date(2026, 11, 9), 7, NATIONAL)
    assert (on_day.elapsed, on_day.remaining, on_day.is_late, on_day.due) == (5, 2, False, date(2026, 11, 11))
    late = rules.deadline(received, date(2026, 11, 30), 7, NATIONAL)
    assert late.remaining == 0 and late.is_late and late.elapsed == 20


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.500.000", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("Rp 1.500.000,00", 1_500_000),
        ("rp. 750.000,-", 750_000),
        ("1500000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("0", 0),
        (250_000, 250_000),
    ],
)
def test_rupiah_as_people_write_it(text, amount):
    assert rules.parse_rupiah(text) == amount


@pytest.mark.parametrize(
    "text", ["", "  ", "-100", "1,5 juta", "1.500.000,50", "satu juta", "１２３", "1e6", True, 1.5, None, -1, 10**16]
)
def test_what_is_not_an_amount_in_rupiah(text):
    assert rules.parse_rupiah(text) is None


def test_the_flow_follows_a_received_gift_to_kpk_and_its_decision():
    received = Kind.DITERIMA
    assert rules.actions_for(Status.BARU, received) == [Action.REQUEST_COMPLETION, Action.VERIFY, Action.NOTE]
    assert rules.actions_for(Status.DIVERIFIKASI, received) == [Action.FORWARD, Action.NOTE]
    assert rules.actions_for(Status.DITERUSKAN, received) == [Action.DECIDE, Action.NOTE]  # waits for KPK
    assert rules.actions_for(Status.DITETAPKAN, received) == [Action.FINISH, Action.NOTE]
    assert rules.actions_for(Status.SELESAI, received) == [Action.NOTE]


def test_a_refused_gift_is_forwarded_then_finished_without_a_decision():
    assert rules.actions_for(Status.DITERUSKAN, Kind.DITOLAK) == [Action.FINISH, Action.NOTE]
    assert not rules.can(Action.DECIDE, Status.DITERUSKAN, Kind.DITOLAK)


def test_an_incomplete_report_is_completed_or_closed():
    assert rules.actions_for(Status.PERLU_KELENGKAPAN, Kind.DITERIMA) == [
        Action.COMPLETE,
        Action.CLOSE_INCOMPLETE,
        Action.NOTE,
    ]
    assert not rules.can(Action.FORWARD, Status.PERLU_KELENGKAPAN, Kind.DITERIMA)
    assert not rules.can(Action.SUBMIT, Status.BARU, Kind.DITERIMA)  # not a UPG step
