"""At-rest encryption (AES-256-GCM) with a rotating keyring, and keyed hashes.

ZI_DATA_KEYS holds "kid:base64key[,kid:base64key...]". The first key encrypts; every key
decrypts, so data written under an old key stays readable until `keys rotate` rewrites it.
A token is "zk1.<kid>.<base64url(nonce || ciphertext+tag)>"; the associated data binds it to
its column, so a ciphertext copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app

TOKEN_PREFIX = "zk1"  # noqa: S105 - a format marker, not a secret
_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")  # standard or URL-safe alphabet


class KeyringError(ValueError):
    """The keyring configuration or a ciphertext is unusable."""


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]
    primary: str

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        """Read the ZI_DATA_KEYS format; reject anything malformed with a clear message."""
        keys: dict[str, bytes] = {}
        primary = ""
        for n, part in enumerate((p.strip() for p in spec.split(",")), start=1):
            if not part:
                continue
            kid, sep, b64 = part.partition(":")
            if not sep:
                # Never echo the entry: without a colon it is probably a bare key.
                raise KeyringError(f"ZI_DATA_KEYS: entry {n} has no key id (write kid:base64key)")
            if not _KID.match(kid):
                raise KeyringError(f"ZI_DATA_KEYS: entry {n}: key id must be 1-32 letters, digits, '-' or '_'")
            b64 = b64.strip()
            try:
                if not _BASE64.fullmatch(b64):
                    raise ValueError(b64)
                key = _b64decode(b64)
            except (binascii.Error, ValueError) as exc:
                raise KeyringError(f"ZI_DATA_KEYS: key '{kid}' is not base64") from exc
            if len(key) != 32:
                raise KeyringError(f"ZI_DATA_KEYS: key '{kid}' must be 32 bytes, not {len(key)}")
            if kid in keys:
                raise KeyringError(f"ZI_DATA_KEYS: key id '{kid}' appears twice")
            keys[kid] = key
            primary = primary or kid
        if not keys:
            raise KeyringError("ZI_DATA_KEYS is empty")
        return cls(keys=keys, primary=primary)

    def encrypt(self, plaintext: bytes, context: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.primary]).encrypt(nonce, plaintext, context.encode())
        return f"{TOKEN_PREFIX}.{self.primary}.{_b64encode(nonce + sealed)}"

    def decrypt(self, token: str, context: str) -> bytes:
        kid = self.key_id_of(token)
        if kid not in self.keys:
            raise KeyringError(f"no key '{kid}' in ZI_DATA_KEYS to decrypt this value")
        try:
            raw = _b64decode(token.split(".", 2)[2])
            if len(raw) < 12 + 16:  # nonce + tag: anything shorter was cut
                raise InvalidTag
            return AESGCM(self.keys[kid]).decrypt(raw[:12], raw[12:], context.encode())
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise KeyringError("ciphertext was altered or belongs to another field") from exc

    def encrypt_text(self, text: str, context: str) -> str:
        return self.encrypt(text.encode("utf-8"), context)

    def decrypt_text(self, token: str, context: str) -> str:
        return self.decrypt(token, context).decode("utf-8")

    @staticmethod
    def key_id_of(token: str) -> str:
        parts = token.split(".", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            raise KeyringError("not an encrypted value")
        return parts[1]

    def needs_rotation(self, token: str) -> bool:
        return self.key_id_of(token) != self.primary


def init_keyring(app: Flask) -> None:
    app.extensions["zi_keyring"] = Keyring.parse(app.config["DATA_KEYS"])


def current_keyring() -> Keyring:
    return current_app.extensions["zi_keyring"]


def keyed_hash(value: str, purpose: str, key: str | None = None) -> str:
    """HMAC-SHA256 of `value` for one purpose (access codes, receipts): hex, constant length."""
    secret = (key or current_app.config["HASH_KEY"]).encode()
    purpose_key = hmac.new(secret, purpose.encode(), hashlib.sha256).digest()
    return hmac.new(purpose_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def hashes_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class EncryptedText(sa.types.TypeDecorator):
    """A text column stored encrypted with the app's keyring, bound to `context`."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None:
            return None
        return current_keyring().encrypt_text(value, self.context)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None:
            return None
        return current_keyring().decrypt_text(value, self.context)
