"""How a reporter's contact details are written: phone number, NIK and e-mail address, for every service.

Each rule is a regular expression that both Python's `re` and ECMAScript understand, so the OpenAPI
document can state it as the field's `pattern` and a client can check a value before sending it. A value
is tested whole (`fullmatch`) and as sent: surrounding spaces are not part of any of these formats.

- PHONE: an optional leading +, then 8 to 30 digits, spaces and hyphens, starting with a digit and not
  ending with a space ("0812 3456 7890", "+62-293-123456").
- NIK: the 16 digits of the Nomor Induk Kependudukan.
- EMAIL: a plain ASCII address as people type it ("nama.saya@dpmptsp.magelangkota.go.id"): dot-separated
  words before the @; after it, dot-separated labels of letters and digits with single inner hyphens, ending
  in a top-level domain of letters. It is stricter than RFC 5322 on purpose: every address it accepts is
  also accepted by `email_validator` without a DNS look-up (local part of at most 64 characters, labels of
  at most 63, no special-use domain such as .test, .local or .invalid), so the pattern alone decides.
"""

from __future__ import annotations

import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES

PHONE_PATTERN = r"\+?[0-9][0-9 \-]{5,27}[0-9\-]"
NIK_PATTERN = r"[0-9]{16}"

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]"
_LABEL = r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,31}"  # 1-63 characters, no leading, trailing or double hyphen
_SPECIAL_USE = "|".join(
    "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else re.escape(ch) for ch in name)
    for name in SPECIAL_USE_DOMAIN_NAMES
)
EMAIL_PATTERN = (
    rf"(?![^@]{{65}}){_ATEXT}+(?:\.{_ATEXT}+)*"  # a negative lookahead: generators can draw around it
    rf"@(?:{_LABEL}\.)+(?!(?:{_SPECIAL_USE})(?![A-Za-z]))[A-Za-z]{{2,63}}"
)

_PHONE = re.compile(PHONE_PATTERN)
_NIK = re.compile(NIK_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)


def is_phone(value: str) -> bool:
    """Whether `value` is written as a phone number (PHONE_PATTERN)."""
    return _PHONE.fullmatch(value) is not None


def is_nik(value: str) -> bool:
    """Whether `value` is a NIK: 16 digits."""
    return _NIK.fullmatch(value) is not None


def is_email(value: str) -> bool:
    """Whether `value` is an e-mail address as EMAIL_PATTERN describes it."""
    return _EMAIL.fullmatch(value) is not None
