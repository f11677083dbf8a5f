"""At-rest encryption: keyring parsing, AES-GCM tokens, rotation end to end, keyed hashes."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import base_config
from tests.factories import make_user
from zi_public import create_app
from zi_public.extensions import db as _db
from zi_public.models import AuditEntry, User
from zi_public.security.keyring import Keyring, KeyringError, keyed_hash

KEY_A = base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
RING_A = Keyring.parse(f"a:{KEY_A}")
RING_BA = Keyring.parse(f"b:{KEY_B},a:{KEY_A}")
RING_B = Keyring.parse(f"b:{KEY_B}")


# -- parsing -------------------------------------------------------------------------------


def test_parse_first_key_is_primary_and_all_keys_are_kept():
    ring = Keyring.parse(f" b:{KEY_B} , a:{KEY_A},")
    assert ring.primary == "b"
    assert ring.keys == {"b": bytes(range(100, 132)), "a": bytes(range(32))}


@pytest.mark.parametrize(
    "encoded",
    [
        base64.b64encode(bytes(range(200, 232))).decode(),  # standard alphabet, with + and /
        base64.urlsafe_b64encode(bytes(range(200, 232))).decode().rstrip("="),  # unpadded
    ],
)
def test_parse_accepts_both_base64_alphabets(encoded):
    assert Keyring.parse(f"k-1_x:{encoded}").keys["k-1_x"] == bytes(range(200, 232))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "is empty"),
        (" , ,", "is empty"),
        (KEY_A, "entry 1 has no key id"),
        (f"a:{KEY_A},{KEY_B}", "entry 2 has no key id"),
        (f":{KEY_A}", "key id must be"),
        (f"a b:{KEY_A}", "key id must be"),
        (f"{'k' * 33}:{KEY_A}", "key id must be"),
        ("a:", "key 'a' is not base64"),
        ("a:not*base64*at*all", "key 'a' is not base64"),
        (f"a:{KEY_A}!", "key 'a' is not base64"),
        ("a:A", "key 'a' is not base64"),
        ("a:" + base64.b64encode(bytes(16)).decode(), "must be 32 bytes, not 16"),
        ("a:" + base64.b64encode(bytes(33)).decode(), "must be 32 bytes, not 33"),
        (f"a:{KEY_A},a:{KEY_B}", "key id 'a' appears twice"),
    ],
)
def test_parse_rejects_bad_specs_clearly(spec, message):
    with pytest.raises(KeyringError) as info:
        Keyring.parse(spec)
    assert message in str(info.value)
    assert str(info.value).startswith("ZI_DATA_KEYS")
    # An error message ends up in logs: it must never contain key material.
    for key in (KEY_A, KEY_B):
        assert key not in str(info.value)


# -- encryption ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "budi@magelang.go.id",
        "Jl. Pemuda № 5 — RT 01/RW 02 ✓ 日本語 😀",
        "x" * (1024 * 1024),
    ],
)
def test_text_round_trip(text):
    token = RING_A.encrypt_text(text, "user_account.email")
    assert token.startswith("zk1.a.")
    assert text[:20] not in token or text == ""
    assert RING_A.decrypt_text(token, "user_account.email") == text


def test_binary_round_trip_of_one_megabyte():
    data = os.urandom(1024 * 1024)
    assert RING_A.decrypt(RING_A.encrypt(data, "upload"), "upload") == data


def test_same_plaintext_encrypts_differently_each_time():
    assert RING_A.encrypt_text("sama", "c") != RING_A.encrypt_text("sama", "c")


def test_wrong_context_fails():
    token = RING_A.encrypt_text("3201012345678901", "gratifikasi.nik")
    with pytest.raises(KeyringError, match="another field"):
        RING_A.decrypt_text(token, "gratifikasi.phone")


def _flip_bit(token: str, index: int) -> str:
    prefix, kid, body = token.split(".", 2)
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[index] ^= 0x01
    return f"{prefix}.{kid}.{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"


@pytest.mark.parametrize(
    "index",
    [0, 11, 12, 20, -17, -1],
    ids=[
        "nonce start",
        "nonce end",
        "ciphertext start",
        "ciphertext",
        "tag start",
        "tag end",
    ],
)
def test_tampered_token_fails(index):
    token = RING_A.encrypt_text("rahasia pelapor", "wbs.what")
    with pytest.raises(KeyringError):
        RING_A.decrypt_text(_flip_bit(token, index), "wbs.what")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-5],
        lambda t: "zk1.a.",
        lambda t: "zk1.a.AAAA",
        lambda t: "zk1.a.!!!!",
        lambda t: "zk1.a." + "A",
        lambda t: t.replace("zk1.", "zk2.", 1),
        lambda t: "budi@magelang.go.id",
    ],
    ids=[
        "cut",
        "empty body",
        "short body",
        "not base64",
        "bad padding",
        "other version",
        "plaintext",
    ],
)
def test_malformed_token_is_a_keyring_error_not_a_crash(mangle):
    token = RING_A.encrypt_text("rahasia", "c")
    with pytest.raises(KeyringError):
        RING_A.decrypt_text(mangle(token), "c")


def test_token_from_another_keyring_fails():
    impostor = Keyring.parse("a:" + base64.urlsafe_b64encode(b"\x07" * 32).decode())
    token = impostor.encrypt_text("palsu", "c")
    with pytest.raises(KeyringError):
        RING_A.decrypt_text(token, "c")
    with pytest.raises(KeyringError, match="no key 'x'"):
        RING_A.decrypt_text(Keyring.parse(f"x:{KEY_A}").encrypt_text("t", "c"), "c")


def test_rotation_keeps_old_values_readable():
    old = RING_A.encrypt_text("0812-3456-7890", "phone")
    assert not RING_A.needs_rotation(old)
    assert RING_BA.decrypt_text(old, "phone") == "0812-3456-7890"
    assert RING_BA.needs_rotation(old)
    new = RING_BA.encrypt_text("0812-3456-7890", "phone")
    assert new.startswith("zk1.b.") and not RING_BA.needs_rotation(new)
    assert RING_B.decrypt_text(new, "phone") == "0812-3456-7890"
    with pytest.raises(KeyringError, match="no key 'a'"):
        RING_B.decrypt_text(old, "phone")


# -- keyed hashes --------------------------------------------------------------------------


def test_keyed_hash_is_stable_across_releases():
    # Stored access-code and receipt hashes must keep matching after an upgrade: pin one value.
    assert keyed_hash("K7M2Q9XRTW", "access-code", key="fixed-test-key") == (
        "8e8bbcc63965b1f69ea8503b063995dcd0508cb547763560aacdaea933dd2c33"
    )


def test_keyed_hash_separates_purposes_keys_and_values():
    digest = keyed_hash("ABC", "access-code", key="k1")
    assert digest == keyed_hash("ABC", "access-code", key="k1")
    assert digest != keyed_hash("ABC", "wbs-receipt", key="k1")
    assert digest != keyed_hash("ABC", "access-code", key="k2")
    assert digest != keyed_hash("ABD", "access-code", key="k1")
    assert len(digest) == 64 and "ABC" not in digest


def test_keyed_hash_uses_the_configured_hash_key():
    app = Flask(__name__)
    app.config["HASH_KEY"] = "configured"
    with app.app_context():
        assert keyed_hash("ABC", "p") == keyed_hash("ABC", "p", key="configured")


# -- encrypted columns ---------------------------------------------------------------------


def _raw_secrets(user_id: int) -> tuple[str | None, str | None]:
    row = _db.session.execute(
        sa.text("SELECT email, totp_secret FROM user_account WHERE id = :id"), {"id": user_id}
    ).one()
    return row.email, row.totp_secret


def test_encrypted_columns_hold_no_plaintext(db):
    user = make_user(email="budi.santoso@magelang.go.id", totp_secret="JBSWY3DPEHPK3PXP")
    without = make_user(email=None)
    db.session.commit()

    email, totp = _raw_secrets(user.id)
    assert email.startswith("zk1.t1.") and totp.startswith("zk1.t1.")
    assert "budi" not in email and "magelang" not in email and "JBSWY3DP" not in totp
    assert _raw_secrets(without.id) == (None, None)
    db.session.expire_all()
    loaded = db.session.get(User, user.id)
    assert (loaded.email, loaded.totp_secret) == ("budi.santoso@magelang.go.id", "JBSWY3DPEHPK3PXP")


def test_ciphertext_copied_to_another_column_does_not_decrypt(db):
    user = make_user(email="budi@magelang.go.id")
    db.session.commit()
    db.session.execute(sa.text("UPDATE user_account SET totp_secret = email WHERE id = :id"), {"id": user.id})
    db.session.expire_all()
    with pytest.raises(KeyringError):
        db.session.execute(sa.select(User.totp_secret).where(User.id == user.id)).scalar_one()


# -- `flask keys rotate` ---------------------------------------------------------------------


@pytest.fixture
def app_with_keys(database_url: str, tmp_path: Path) -> Iterator[Callable[[str], Flask]]:
    """Build apps on one database with different ZI_DATA_KEYS, as an operator rotating would."""
    apps: list[Flask] = []

    def build(data_keys: str) -> Flask:
        app = create_app(base_config(tmp_path, database_url, DATA_KEYS=data_keys))
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


def _raw_emails() -> dict[int, str]:
    rows = _db.session.execute(sa.text("SELECT id, email FROM user_account WHERE email IS NOT NULL"))
    return dict(rows.tuples().all())


def test_keys_rotate_end_to_end(app_with_keys):
    emails = [f"pegawai{i}@magelang.go.id" for i in range(3)]
    app_a = app_with_keys(f"a:{KEY_A}")
    with app_a.app_context():
        ids = [make_user(email=e).id for e in emails]
        make_user(email=None)
        _db.session.get(User, ids[0]).totp_secret = "JBSWY3DPEHPK3PXP"
        _db.session.commit()
        assert all(v.startswith("zk1.a.") for v in _raw_emails().values())

    app_ba = app_with_keys(f"b:{KEY_B},a:{KEY_A}")
    result = app_ba.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "user_account.email: 3 re-encrypted" in result.output
    assert "user_account.totp_secret: 1 re-encrypted" in result.output
    with app_ba.app_context():
        raw = _raw_emails()
        assert sorted(raw) == sorted(ids)
        assert all(v.startswith("zk1.b.") for v in raw.values())
        readable = [RING_B.decrypt_text(raw[i], "user_account.email") for i in ids]
        assert readable == emails

    again = app_ba.test_cli_runner().invoke(args=["keys", "rotate"])
    assert again.exit_code == 0, again.output
    assert "user_account.email: 0 re-encrypted" in again.output
    assert "user_account.totp_secret: 0 re-encrypted" in again.output

    app_b = app_with_keys(f"b:{KEY_B}")  # the old key is gone from the configuration
    with app_b.app_context():
        assert [_db.session.get(User, i).email for i in ids] == emails
        assert _db.session.get(User, ids[0]).totp_secret == "JBSWY3DPEHPK3PXP"
        entries = (
            _db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "keys.rotate").order_by(AuditEntry.id))
            .scalars()
            .all()
        )
        assert [json.loads(e.data)["user_account.email"] for e in entries] == [3, 0]
        assert entries[0].target_id == "b"
    assert app_b.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_keys_rotate_without_the_old_key_changes_nothing(app_with_keys):
    app_a = app_with_keys(f"a:{KEY_A}")
    with app_a.app_context():
        user_ids = [make_user(email=f"p{i}@magelang.go.id").id for i in range(2)]
        _db.session.commit()
        before = _raw_emails()

    # An operator who dropped key "a" too early: the command must fail, not half-rotate.
    result = app_with_keys(f"b:{KEY_B}").test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 1
    assert "nothing was rotated: no key 'a'" in result.output

    with app_a.app_context():
        assert _raw_emails() == before
        emails = [_db.session.get(User, i).email for i in user_ids]
        assert emails == ["p0@magelang.go.id", "p1@magelang.go.id"]


def test_keys_rotate_reencrypts_complaint_attachments(app_with_keys, tmp_path):
    """Attachment files follow the key rotation, so the old key can really be retired."""
    from tests.factories import PDF, make_pengaduan, store_file
    from zi_public.security.keyring import current_keyring
    from zi_public.security.uploads import read_upload
    from zi_public.services.pengaduan.filing import ATTACHMENT_CONTEXT
    from zi_public.services.reference import seed_reference_data

    upload_dir = tmp_path / "uploads"  # the UPLOAD_DIR of every app built by app_with_keys
    app_a = app_with_keys(f"a:{KEY_A}")
    with app_a.app_context():
        seed_reference_data()
        stored = store_file(PDF, "bukti.pdf")
        make_pengaduan(identity="anonim", attachments=[stored])
        _db.session.commit()
    path = next(upload_dir.rglob(stored.stored_name))
    assert path.read_text().startswith("zk1.a.")

    app_ba = app_with_keys(f"b:{KEY_B},a:{KEY_A}")
    result = app_ba.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "pengaduan_attachment files: 1 re-encrypted" in result.output
    assert path.read_text().startswith("zk1.b.")
    with app_with_keys(f"b:{KEY_B}").app_context():
        assert (
            read_upload(
                stored.stored_name, upload_dir=upload_dir, keyring=current_keyring(), context=ATTACHMENT_CONTEXT
            )
            == PDF
        )
