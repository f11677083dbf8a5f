"""The Tim SKM's forms with CSRF checked: a missing, forged or foreign token saves nothing, and the forms with
typed numbers or texts come back with what was typed."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, Role, SkmFollowUpItem, SkmPopulation
from zi_public.rules.periods import QUARTER, period_of
from zi_public.services.skm.settings import legacy_weighting

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True}


def token(client, url: str) -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


@pytest.fixture
def member_client(seeded, client):
    with seeded.app_context():
        make_user(role=Role.SKM, username="tim-skm")
        db.session.commit()
    login = token(client, "/auth/login")
    response = client.post("/auth/login", data={"username": "tim-skm", "password": TEST_PASSWORD, "csrf_token": login})
    assert response.status_code == 302
    return client


def forged_tokens(seeded) -> list[str]:
    stranger = seeded.test_client()
    foreign = token(stranger, "/auth/login")
    return ["", "forged", foreign]


def test_population_form_with_a_bad_token_keeps_the_numbers(seeded, member_client):
    quarter = period_of(QUARTER, today_jakarta())
    with seeded.app_context():
        pbg = db.session.scalar(sa.select(Layanan.id).where(Layanan.code == "pbg"))
    for bad in forged_tokens(seeded):
        response = member_client.post(
            f"/internal/skm/populasi/{quarter.code}", data={"csrf_token": bad, f"n{pbg}": "4321"}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert 'value="4321"' in page and "kedaluwarsa" in page
    good = token(member_client, f"/internal/skm/populasi?period={quarter.code}")
    response = member_client.post(
        f"/internal/skm/populasi/{quarter.code}", data={"csrf_token": good, f"n{pbg}": "4321"}
    )
    assert response.status_code == 302
    with seeded.app_context():
        assert db.session.scalar(sa.select(SkmPopulation.served)) == 4321


def test_follow_up_form_with_a_bad_token_keeps_the_texts(seeded, member_client):
    quarter = period_of(QUARTER, today_jakarta())
    form = {"unsur": "U3", "action": "Rencana yang panjang sekali", "owner": "Kabid"}
    for bad in forged_tokens(seeded):
        response = member_client.post(f"/internal/skm/tindak-lanjut/{quarter.code}", data={**form, "csrf_token": bad})
        assert response.status_code == 400
        assert "Rencana yang panjang sekali" in response.get_data(as_text=True)
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmFollowUpItem)) == 0


def test_switch_and_import_without_a_valid_token_are_refused(seeded, member_client):
    quarter = period_of(QUARTER, today_jakarta())
    for bad in forged_tokens(seeded):
        assert (
            member_client.post("/internal/skm/pembobotan", data={"csrf_token": bad, "weighting": "legacy"}).status_code
            == 400
        )
        upload = {"csrf_token": bad, "file": (io.BytesIO(b"kode,jumlah\npbg,5\n"), "q.csv")}
        response = member_client.post(
            f"/internal/skm/populasi/{quarter.code}/impor", data=upload, content_type="multipart/form-data"
        )
        assert response.status_code == 400
    with seeded.app_context():
        assert legacy_weighting() is False
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmPopulation)) == 0
