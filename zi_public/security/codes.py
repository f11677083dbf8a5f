"""Access codes (pengaduan, gratifikasi) and WBS receipts: generated, normalised, stored hashed.

Both use one 31-character alphabet without 0, O, 1, I and L, so the classic misreadings
cannot occur on a printed slip; a typed O, 0, I, L or 1 is rejected with a message saying
so rather than guessed at. A receipt is the whistle-blower's only key, so it carries a check
character (a weighted sum modulo 31, which is prime): every single wrong character and every
swap of two neighbours is caught and reported as a typo instead of "not found".

Only keyed hashes are stored (`keyed_hash`, per purpose); comparison is constant-time.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata

from flask_babel import lazy_gettext as _l

from zi_public.security.keyring import hashes_match, keyed_hash

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

ACCESS_CODE_LENGTH = 10
ACCESS_CODE_GROUPS = (5, 5)  # "K7M2Q-9XRTW": two halves read like a phone number
RECEIPT_RANDOM_LENGTH = 17
RECEIPT_LENGTH = RECEIPT_RANDOM_LENGTH + 1  # plus the check character
RECEIPT_GROUPS = (6, 6, 6)

ACCESS_CODE_BITS = ACCESS_CODE_LENGTH * math.log2(len(ALPHABET))  # 49.5
RECEIPT_BITS = RECEIPT_RANDOM_LENGTH * math.log2(len(ALPHABET))  # 84.2

ACCESS_CODE_PURPOSE = "access-code"
RECEIPT_PURPOSE = "wbs-receipt"

# Dashes of every kind, dots and underscores people put between groups; spaces go too.
_SEPARATOR_CLASS = r"\s\-\u2010-\u2015\u2212._·"
_SEPARATORS = re.compile(f"[{_SEPARATOR_CLASS}]+")
_NEVER_USED = set("01OIL")
_MAX_INPUT = 100  # longer input is not a code; do not spend effort normalising it


class InvalidCode(ValueError):
    """The text cannot be a code; `message` says why in the reader's language."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def new_access_code() -> str:
    """A fresh access code for a pengaduan or gratifikasi, in display form (XXXXX-XXXXX)."""
    return format_code(_random_chars(ACCESS_CODE_LENGTH), ACCESS_CODE_GROUPS)


def new_receipt() -> str:
    """A fresh WBS receipt (≥ 80 random bits plus a check character), in display form."""
    body = _random_chars(RECEIPT_RANDOM_LENGTH)
    return format_code(body + _check_char(body), RECEIPT_GROUPS)


def format_code(normalized: str, groups: tuple[int, ...]) -> str:
    """Split a normalised code into dash-separated groups for display and printing."""
    parts, start = [], 0
    for size in groups:
        parts.append(normalized[start : start + size])
        start += size
    return "-".join(p for p in parts if p)


def normalize_code(text: str) -> str:
    """Upper-case `text` and drop spaces, dashes and dots; reject characters no code contains.

    Full-width and other compatibility forms (as typed on some phone keyboards) are folded
    to ASCII first.
    """
    if len(text) > _MAX_INPUT:
        raise InvalidCode(_l("Kode terlalu panjang; periksa kembali."))
    code = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if any(ch in _NEVER_USED for ch in code):
        raise InvalidCode(_l("Kode tidak pernah memuat huruf O, I, L atau angka 0 dan 1; periksa kembali."))
    if any(ch not in _VALUE for ch in code):
        raise InvalidCode(_l("Kode hanya terdiri atas huruf dan angka; periksa kembali."))
    return code


def parse_access_code(text: str) -> str:
    """The normalised access code in `text`, or InvalidCode."""
    code = normalize_code(text)
    if len(code) != ACCESS_CODE_LENGTH:
        raise InvalidCode(_l("Kode akses terdiri atas %(n)d huruf dan angka.", n=ACCESS_CODE_LENGTH))
    return code


def access_code_pattern() -> tuple[str, int]:
    """(regex, maximum length) of the text `parse_access_code` reads as a well-formed code, for documents.

    Upper or lower case, separators anywhere ("K7M2Q-9XRTW", "k7m2q 9xrtw"). The regex works in Python and
    ECMAScript; `parse_access_code` also folds compatibility forms (full-width letters) first.
    """
    letters = ALPHABET + ALPHABET.lower().translate(str.maketrans("", "", "0123456789"))
    return (
        f"^[{_SEPARATOR_CLASS}]*(?:[{letters}][{_SEPARATOR_CLASS}]*){{{ACCESS_CODE_LENGTH}}}$",
        _MAX_INPUT,
    )


def parse_receipt(text: str) -> str:
    """The normalised receipt in `text`, or InvalidCode (also for a typo the check catches)."""
    receipt = normalize_code(text)
    if len(receipt) != RECEIPT_LENGTH:
        raise InvalidCode(_l("Nomor tanda terima terdiri atas %(n)d huruf dan angka.", n=RECEIPT_LENGTH))
    if _check_char(receipt[:-1]) != receipt[-1]:
        raise InvalidCode(_l("Nomor tanda terima tidak valid; mungkin ada salah ketik. Periksa kembali."))
    return receipt


def hash_access_code(code: str) -> str:
    """The keyed hash stored for an access code (needs an app context for HASH_KEY)."""
    return keyed_hash(parse_access_code(code), ACCESS_CODE_PURPOSE)


def hash_receipt(receipt: str) -> str:
    """The keyed hash stored for (and used to look up) a WBS receipt."""
    return keyed_hash(parse_receipt(receipt), RECEIPT_PURPOSE)


def check_code(code: str, stored_hash: str) -> bool:
    """True when `code` is the access code whose hash is `stored_hash`; malformed input is False."""
    try:
        candidate = hash_access_code(code)
    except InvalidCode:
        return False
    return hashes_match(candidate, stored_hash)


def check_receipt(receipt: str, stored_hash: str) -> bool:
    """True when `receipt` hashes to `stored_hash`; malformed input is False."""
    try:
        candidate = hash_receipt(receipt)
    except InvalidCode:
        return False
    return hashes_match(candidate, stored_hash)


def _random_chars(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def _check_char(body: str) -> str:
    # Weights 1..n are distinct and non-zero modulo the prime 31, so a substitution changes
    # the sum and so does swapping two neighbours with different values.
    total = sum(i * _VALUE[ch] for i, ch in enumerate(body, start=1))
    return ALPHABET[total % len(ALPHABET)]
