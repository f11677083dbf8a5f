"""The evaluation's POSTs with CSRF checking on: without the page's token, or with a forged one, nothing is
saved (400); with it, the save goes through."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import PeriodEvaluation
from zi_public.rules.periods import QUARTER, period_of

PAGE = "/internal/gratifikasi/benturan/evaluasi"


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True}


def sign_in(client, login_as) -> None:
    # login_as posts the login form without a token: sign in with CSRF off, then check it on the pages.
    client.application.config["WTF_CSRF_ENABLED"] = False
    login_as("upg")
    client.application.config["WTF_CSRF_ENABLED"] = True


def test_the_text_needs_the_pages_token(seeded, client, login_as):
    sign_in(client, login_as)
    quarter = period_of(QUARTER, today_jakarta())
    html = client.get(PAGE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    url = f"{PAGE}/teks?period={quarter.code}"
    for forged in ({}, {"csrf_token": "forged"}, {"csrf_token": token[:-2] + "xx"}):
        assert client.post(url, data={"text": "Teks.", "version": "", **forged}).status_code == 400
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PeriodEvaluation)) == 0
    assert client.post(url, data={"text": "Teks.", "version": "", "csrf_token": token}).status_code == 302


def test_marking_final_and_a_new_version_need_the_pages_token(seeded, client, login_as):
    sign_in(client, login_as)
    quarter = period_of(QUARTER, today_jakarta())
    html = client.get(PAGE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    text = client.post(f"{PAGE}/teks?period={quarter.code}", data={"text": "Teks.", "version": "", "csrf_token": token})
    assert text.status_code == 302
    version = re.search(r'name="version" type="hidden" value="([^"]*)"', client.get(PAGE).get_data(as_text=True))[1]
    final = f"{PAGE}/final?period={quarter.code}"
    for forged in ({}, {"csrf_token": "forged"}):
        assert client.post(final, data={"confirm": "y", "version": version, **forged}).status_code == 400
    with seeded.app_context():
        assert not db.session.get(PeriodEvaluation, ("benturan", quarter.code)).is_final
    assert client.post(final, data={"confirm": "y", "version": version, "csrf_token": token}).status_code == 302
    opened = f"{PAGE}/versi-baru?period={quarter.code}"
    version = re.search(r'name="version" type="hidden" value="([^"]*)"', client.get(PAGE).get_data(as_text=True))[1]
    assert client.post(opened, data={"version": version}).status_code == 400
    with seeded.app_context():
        assert db.session.get(PeriodEvaluation, ("benturan", quarter.code)).version_no == 1
    assert client.post(opened, data={"version": version, "csrf_token": token}).status_code == 302
