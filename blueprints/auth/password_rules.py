"""The password rules as the sign-in pages say them: this app's minimum length, the page's language.

Both pages that choose a password (changing one's own, and the one-time link of a new account or a reset) list
the rules beside the field (templates/auth/_password.html) and name the broken ones when a password is refused;
the words and the checks are security/passwords.py's, which `user create` says in English.
"""

from __future__ import annotations

from flask import current_app

from zi_public.security.passwords import broken_rules, password_rules


def current_password_rules() -> dict[str, str]:
    """Each rule, keyed by the problem it reports, with this app's minimum length."""
    return password_rules(min_length=current_app.config["PASSWORD_MIN_LENGTH"])


def broken_password_rules(password: str, *, username: str) -> list[str]:
    """The rules `password` breaks, as current_password_rules words them (empty when it is fine)."""
    return broken_rules(password, username=username, min_length=current_app.config["PASSWORD_MIN_LENGTH"])
