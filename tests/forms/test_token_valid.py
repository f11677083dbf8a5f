"""token_valid: the CSRF check a view exempt from the app-wide one runs itself, so a refused token comes back
as a message on the form (with what was typed) instead of an error page."""

from __future__ import annotations

import pytest
from flask import session
from flask_wtf.csrf import generate_csrf

from zi_public.forms import EmptyForm, token_valid


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True}


def _signed_token(app) -> tuple[str, str]:
    """A token as a page carries it, and the session's half of it."""
    with app.test_request_context("/"):
        return generate_csrf(), session["csrf_token"]


def test_the_token_of_the_session_passes(bare_app):
    token, raw = _signed_token(bare_app)
    with bare_app.test_request_context("/", method="POST", data={"csrf_token": token}):
        session["csrf_token"] = raw
        form = EmptyForm()
        assert token_valid(form) is True
        assert not form.csrf_token.errors


@pytest.mark.parametrize("sent", [None, "", "forged.token", "x" * 5000])
def test_a_missing_or_forged_token_marks_the_form_expired(bare_app, sent):
    _, raw = _signed_token(bare_app)
    data = {} if sent is None else {"csrf_token": sent}
    with bare_app.test_request_context("/", method="POST", data=data):
        session["csrf_token"] = raw
        form = EmptyForm()
        assert token_valid(form) is False
        assert form.csrf_token.errors == ["expired"]


def test_a_token_of_another_session_is_refused(bare_app):
    token, _ = _signed_token(bare_app)
    _, other_raw = _signed_token(bare_app)
    with bare_app.test_request_context("/", method="POST", data={"csrf_token": token}):
        session["csrf_token"] = other_raw
        assert token_valid(EmptyForm()) is False


def test_with_csrf_switched_off_every_form_passes(bare_app):
    bare_app.config["WTF_CSRF_ENABLED"] = False
    with bare_app.test_request_context("/", method="POST"):
        assert token_valid(EmptyForm()) is True
