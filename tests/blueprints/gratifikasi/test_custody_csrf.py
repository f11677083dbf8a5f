"""With CSRF checks on: a custody or campaign POST without its token or with a forged one answers 400, keeps
what was typed and saves nothing; with the page's token it goes through."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import GratifikasiCustody, UpgCampaignActivity

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True}


def token(client, url: str) -> str:
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def test_missing_or_forged_tokens_are_refused_and_the_page_token_works(app, client, login_as):
    # login_as posts the login form: sign in with its token.
    from tests.factories import TEST_PASSWORD, make_user
    from zi_public.models import Role

    with app.app_context():
        make_user(Role.UPG, username="upgcsrf")
        db.session.commit()
    login_token = token(client, "/auth/login")
    data = {"username": "upgcsrf", "password": TEST_PASSWORD, "csrf_token": login_token}
    assert client.post("/auth/login", data=data).status_code == 302
    form = {"received_from": "Budi Tertulis", "received_on": today_jakarta().isoformat(), "description": "Jam"}
    for forged in (None, "forged-token"):
        body = dict(form, **({"csrf_token": forged} if forged else {}))
        response = client.post("/internal/gratifikasi/titipan/baru", data=body)
        assert response.status_code == 400 and "Budi Tertulis" in response.get_data(as_text=True)
        activity = {"held_on": "2026-11-02", "topic": "gratifikasi", "medium": "Apel", "audience": "Pegawai"}
        assert client.post("/internal/gratifikasi/kampanye/kegiatan", data=activity).status_code == 400
        assert client.post("/internal/gratifikasi/kampanye/teks", data={"home": "x"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GratifikasiCustody)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UpgCampaignActivity)) == 0
    good = dict(form, csrf_token=token(client, "/internal/gratifikasi/titipan/baru"))
    assert client.post("/internal/gratifikasi/titipan/baru", data=good).status_code == 302
