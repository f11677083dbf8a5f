"""A value's trip through the session cookie, encrypted: Flask's cookie is signed, not encrypted, so an access
code, a receipt or a kiosk respondent's answers in clear would sit in the browser's cookie store of a shared
computer until the page that uses them is shown.

Each purpose seals under its own context ("pengaduan-receipt", "wbs-receipt-display", ...): a token sealed for
one purpose never opens for another. Unsealing never raises: whatever cannot be read (nothing there, a
tampered or foreign token, a rotated-out key) is None, and the page treats it as nothing sealed.
"""

from __future__ import annotations

import json

from zi_public.security.keyring import current_keyring


def seal(text: str, context: str) -> str:
    """`text` encrypted for its trip through the session cookie, for the purpose `context`."""
    return current_keyring().encrypt_text(text, context)


def unseal(token: object, context: str) -> str | None:
    """The text from `seal` with the same context, or None when there is none (or it cannot be read)."""
    if not isinstance(token, str):
        return None
    try:
        return current_keyring().decrypt_text(token, context)
    except ValueError:  # KeyringError, or bytes that are not UTF-8
        return None


def seal_json(value: object, context: str) -> str:
    """`value` as JSON, sealed."""
    return seal(json.dumps(value), context)


def unseal_json(token: object, context: str) -> object | None:
    """The value from `seal_json` with the same context, or None when there is none (or it cannot be read)."""
    text = unseal(token, context)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
