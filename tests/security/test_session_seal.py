"""A value's trip through the session cookie: encrypted, bound to its purpose, and never an exception when the
cookie holds something else."""

from __future__ import annotations

import base64

from zi_public.security.keyring import Keyring, current_keyring
from zi_public.security.session_seal import seal, seal_json, unseal, unseal_json


def test_a_sealed_code_comes_back_only_for_its_purpose_and_is_not_in_clear(app):
    with app.app_context():
        token = seal("ABCD-EFGH-JKLM", "pengaduan-receipt")
        assert "ABCD" not in token and "ABCDEFGHJKLM" not in token.replace("-", "")
        assert unseal(token, "pengaduan-receipt") == "ABCD-EFGH-JKLM"
        assert unseal(token, "gratifikasi-receipt") is None
        assert seal("same", "c") != seal("same", "c")


def test_whatever_else_the_cookie_holds_unseals_to_none(app):
    with app.app_context():
        for token in (None, 42, b"zk1.x.y", {"code": "x"}, "", "zk1", "zk1.a.b", "not a token"):
            assert unseal(token, "c") is None
            assert unseal_json(token, "c") is None


def test_a_tampered_token_or_one_of_another_key_unseals_to_none(app):
    with app.app_context():
        token = seal("rahasia", "c")
        middle = len(token) - 10  # inside the ciphertext, past the "zk1.<kid>." header
        altered = token[:middle] + ("B" if token[middle] != "B" else "C") + token[middle + 1 :]
        assert unseal(altered, "c") is None
        other_key = base64.b64encode(bytes(range(32))).decode()
        impostor = Keyring.parse(f"{current_keyring().primary}:{other_key}").encrypt_text("palsu", "c")
        assert unseal(impostor, "c") is None


def test_json_round_trip_and_sealed_text_that_is_not_json(app):
    with app.app_context():
        value = {"number": "PGD-2026-00001", "code": None, "answers": {"u1": 4}}
        assert unseal_json(seal_json(value, "kiosk-receipt"), "kiosk-receipt") == value
        assert unseal_json(seal_json(value, "kiosk-receipt"), "kiosk-skm") is None
        assert unseal_json(seal("{not json", "c"), "c") is None
