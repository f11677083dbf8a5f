"""Every state change is a POST that carries a CSRF token; without one it is refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.models import Role, User


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True}


def token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "page carries a CSRF token"
    return match.group(1)


def sign_in(app, client, username: str, role: Role) -> None:
    with app.app_context():
        make_user(role=role, username=username)
        db.session.commit()
    token = token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"username": username, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_login_without_token_is_refused(app, client):
    with app.app_context():
        make_user(role=Role.SKM, username="siti")
        db.session.commit()
    response = client.post("/auth/login", data={"username": "siti", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "kedaluwarsa" in response.get_data(as_text=True)
    assert client.get("/internal/").status_code == 302


def test_forged_or_foreign_tokens_are_refused(app, client):
    sign_in(app, client, "adm", Role.ADMIN)
    stranger = app.test_client()
    foreign = token_from(stranger.get("/auth/login").get_data(as_text=True))
    with app.app_context():
        target_id = make_user(role=Role.SKM, username="rina").id
        db.session.commit()
    for token in ["", "forged", foreign, foreign[:-2] + "xx"]:
        response = client.post(f"/internal/akun/{target_id}/nonaktifkan", data={"csrf_token": token})
        assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(User.is_active).where(User.username == "rina"))


def test_state_changes_work_with_the_page_token(app, client):
    sign_in(app, client, "adm", Role.ADMIN)
    with app.app_context():
        target_id = make_user(role=Role.SKM, username="rina").id
        db.session.commit()
    page = client.get(f"/internal/akun/{target_id}").get_data(as_text=True)
    response = client.post(f"/internal/akun/{target_id}/nonaktifkan", data={"csrf_token": token_from(page)})
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.scalar(sa.select(User.is_active).where(User.username == "rina"))


def test_logout_needs_the_token(app, client):
    sign_in(app, client, "siti", Role.PENGADUAN)
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/internal/").status_code == 200
    token = token_from(client.get("/internal/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/internal/").status_code == 302
