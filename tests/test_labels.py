"""Shared label tables: every member of every enum has its words, in Indonesian and in English."""

from __future__ import annotations

import pytest

from zi_public.labels import CLOCK_ON_TIME_LABELS, CLOCK_STATE_LABELS, ROLE_LABELS, choices, label
from zi_public.models import Role
from zi_public.rules.clocks import ClockState

TABLES = {"role": (ROLE_LABELS, Role), "clock state": (CLOCK_STATE_LABELS, ClockState)}


@pytest.mark.parametrize(("table", "enum"), TABLES.values(), ids=TABLES.keys())
def test_every_member_has_a_label_in_both_languages(bare_app, table, enum):
    assert list(table) == list(enum)
    with bare_app.app_context():
        for member in enum:
            indonesian, english = label(table, member, "id"), label(table, member, "en")
            assert indonesian and english, member
            assert indonesian != english or enum is Role, member  # "Admin" and "UPG" read the same


def test_label_follows_the_current_language_unless_one_is_asked_for(bare_app):
    with bare_app.test_request_context("/", headers={"Cookie": "zi_lang=en"}):
        assert label(CLOCK_STATE_LABELS, ClockState.MET) == "Met"
        assert label(CLOCK_STATE_LABELS, ClockState.MET, "id") == "Terpenuhi"
        assert label(CLOCK_STATE_LABELS, ClockState.MET) == "Met"  # asking for one leaves the page's alone
    with bare_app.test_request_context("/"):
        assert label(ROLE_LABELS, Role.PENGADUAN) == "Tim Pengaduan"
        assert label(ROLE_LABELS, "pengaduan") == "Tim Pengaduan"  # the stored value finds its label too


def test_unknown_values_show_as_themselves_and_empty_labels_stay_empty(bare_app):
    with bare_app.app_context():
        assert label(ROLE_LABELS, "auditor", "id") == "auditor"
        assert label(ROLE_LABELS, None, "id") is None
        assert label(CLOCK_ON_TIME_LABELS, ClockState.NOT_APPLICABLE, "id") is None


def test_the_on_time_answer_covers_every_clock_state(bare_app):
    assert list(CLOCK_ON_TIME_LABELS) == list(ClockState)
    with bare_app.app_context():
        answers = {state: label(CLOCK_ON_TIME_LABELS, state, "id") for state in ClockState}
    assert answers == {
        ClockState.RUNNING: "Berjalan",
        ClockState.OVERDUE: "Tidak",  # past due and still running: already late
        ClockState.MET: "Ya",
        ClockState.MISSED: "Tidak",
        ClockState.NOT_APPLICABLE: None,
    }


def test_choices_are_the_stored_values_with_their_labels():
    assert [value for value, _text in choices(ROLE_LABELS)] == [role.value for role in Role]
