"""/internal/gratifikasi with CSRF checking on: a signed-in role that may not write there gets 403 for every
POST, with no token, a forged one or a real one (the role guard answers before the CSRF check); the UPG still
gets no write without the page's token; nothing is saved either way."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.blueprints.test_internal_access import UPG_PREFIX, build_url, internal_rules
from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, Role

CSRF = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True}


def staff_posts(app) -> list[str]:  # noqa: ANN001
    rules = [r for r in internal_rules(app) if r.endpoint.startswith(UPG_PREFIX) and "POST" in r.methods]
    return [build_url(app, rule, 1) for rule in rules]


def signed_in(app, role: Role):  # noqa: ANN001, ANN201
    """A client signed in through the login form with its token."""
    with app.app_context():
        make_user(role=role, username=f"u-{role.value}")
        db.session.commit()
    client = app.test_client()
    token = CSRF.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    data = {"username": f"u-{role.value}", "password": TEST_PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=data).status_code == 302
    return client


def audit_count(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("role", [role for role in Role if role != Role.UPG])
def test_a_role_that_may_not_write_gets_403_whatever_the_token(app, role):
    client = signed_in(app, role)
    real_token = CSRF.search(client.get("/internal/").get_data(as_text=True)).group(1)  # the sign-out form's
    before = audit_count(app)
    urls = staff_posts(app)
    assert len(urls) > 10
    for url in urls:
        for token in ({}, {"csrf_token": "forged"}, {"csrf_token": real_token}):
            response = client.post(url, data={"text": "Teks.", **token})
            assert response.status_code == 403, f"{role} got {response.status_code} at POST {url} with {token}"
    assert audit_count(app) == before


def test_the_upg_still_needs_the_pages_token(app):
    client = signed_in(app, Role.UPG)
    before = audit_count(app)
    for url in staff_posts(app):
        for token in ({}, {"csrf_token": "forged"}):
            status = client.post(url, data={"text": "Teks.", **token}).status_code
            # 400: the CSRF check, or a form that checks its token itself; 404: such a form's missing record.
            assert status in (400, 404), f"UPG got {status} at POST {url} with {token}"
    assert audit_count(app) == before


def test_nobody_signed_in_is_refused_as_before(app):
    """No role to judge: the CSRF check answers first (400), or for a form that checks its token itself the
    internal area's guard sends the visitor to the login page."""
    client = app.test_client()
    for url in staff_posts(app):
        response = client.post(url, data={"text": "Teks."})
        assert response.status_code in (302, 400), f"{response.status_code} at POST {url}"
        if response.status_code == 302:
            assert "/auth/login" in response.headers["Location"]
