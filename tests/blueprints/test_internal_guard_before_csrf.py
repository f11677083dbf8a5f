"""/internal (outside the UPG's area, which has its own guard) with CSRF checking on: a signed-in role that may
not use a POST endpoint gets 403, with no token, a forged one or a real one (the role check answers before the
CSRF check's 400); the role that may still gets no write without the page's token; nobody signed in is refused
as before; nothing is saved either way."""

from __future__ import annotations

import pytest

from tests.blueprints.gratifikasi.test_guard_before_csrf import CSRF, audit_count, signed_in
from tests.blueprints.test_internal_access import UPG_PREFIX, allowed, build_url, internal_rules
from zi_public.models import Role


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True}


def posts(app) -> list[tuple[str, str]]:  # noqa: ANN001
    """(endpoint, url) of every internal POST endpoint outside the UPG's area."""
    rules = [r for r in internal_rules(app) if "POST" in r.methods and not r.endpoint.startswith(UPG_PREFIX)]
    return [(rule.endpoint, build_url(app, rule, 1)) for rule in rules]


@pytest.mark.parametrize("role", list(Role))
def test_a_role_that_may_not_post_gets_403_whatever_the_token(app, role):
    client = signed_in(app, role)
    real_token = CSRF.search(client.get("/internal/").get_data(as_text=True)).group(1)  # the sign-out form's
    before = audit_count(app)
    refused = [(endpoint, url) for endpoint, url in posts(app) if role not in allowed(endpoint, "POST")]
    assert len(refused) > 10
    for _endpoint, url in refused:
        for token in ({}, {"csrf_token": "forged"}, {"csrf_token": real_token}):
            response = client.post(url, data={"text": "Teks.", **token})
            assert response.status_code == 403, f"{role} got {response.status_code} at POST {url} with {token}"
    assert audit_count(app) == before


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PENGADUAN, Role.WBS, Role.SKM])
def test_the_role_that_may_still_needs_the_pages_token(app, role):
    client = signed_in(app, role)
    before = audit_count(app)
    mine = [url for endpoint, url in posts(app) if role in allowed(endpoint, "POST")]
    assert mine
    for url in mine:
        for token in ({}, {"csrf_token": "forged"}):
            status = client.post(url, data={"text": "Teks.", **token}).status_code
            # 400: the CSRF check, or a form that checks its token itself; 404: such a form's missing record.
            assert status in (400, 404), f"{role} got {status} at POST {url} with {token}"
    assert audit_count(app) == before


def test_nobody_signed_in_is_refused_as_before(app):
    client = app.test_client()
    for _endpoint, url in posts(app):
        response = client.post(url, data={"text": "Teks."})
        assert response.status_code in (302, 400), f"{response.status_code} at POST {url}"
        if response.status_code == 302:
            assert "/auth/login" in response.headers["Location"]
