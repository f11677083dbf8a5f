"""Pengaduan's label tables: one per enum and purpose, complete, translated, shared by pages, reports, mail."""

from __future__ import annotations

import pytest

from zi_public.labels import label
from zi_public.rules.pengaduan import Action, Channel, Identity, Status
from zi_public.services.pengaduan.labels import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    EVENT_SENTENCES,
    IDENTITY_LABELS,
    RATING_LABELS,
    STATUS_LABELS,
    STATUS_SENTENCES,
)

COMPLETE = {
    "status": (STATUS_LABELS, list(Status)),
    "channel": (CHANNEL_LABELS, list(Channel)),
    "identity": (IDENTITY_LABELS, list(Identity)),
    "action": (ACTION_LABELS, list(Action)),
    "rating": (RATING_LABELS, [1, 2, 3, 4]),
    "status sentence": (STATUS_SENTENCES, list(Status)),
}
#: Actions the reporter never sees in their history: internal steps and their own rating.
INTERNAL_ACTIONS = {Action.DISPOSE, Action.FOLLOW_UP, Action.RATE}


@pytest.mark.parametrize(("table", "members"), COMPLETE.values(), ids=COMPLETE.keys())
def test_every_member_has_words_in_indonesian_and_english(bare_app, table, members):
    assert list(table) == members
    with bare_app.app_context():
        for member in members:
            indonesian, english = label(table, member, "id"), label(table, member, "en")
            assert indonesian and english, member


def test_the_reporter_has_a_sentence_for_every_public_event():
    assert set(EVENT_SENTENCES) == set(Action) - INTERNAL_ACTIONS


@pytest.mark.parametrize(
    ("table", "value", "indonesian", "english"),
    [
        (STATUS_LABELS, Status.DITOLAK, "Ditolak", "Rejected"),
        (CHANNEL_LABELS, Channel.KIOSK, "Kios", "Kiosk"),
        (IDENTITY_LABELS, Identity.RAHASIA, "Rahasia", "Confidential"),
        (RATING_LABELS, 1, "Tidak puas", "Dissatisfied"),
    ],
)
def test_a_report_or_mail_gets_the_language_it_asks_for(bare_app, table, value, indonesian, english):
    with bare_app.test_request_context("/", headers={"Cookie": "zi_lang=en"}):
        assert label(table, value, "id") == indonesian
        assert label(table, value, "en") == english
        assert label(table, value) == english  # a page: the visitor's language
