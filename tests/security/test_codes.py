"""Access codes and WBS receipts: unguessable, hard to mistype, stored only as keyed hashes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from flask import Flask

from zi_public.security import codes
from zi_public.security.codes import (
    ALPHABET,
    InvalidCode,
    check_code,
    check_receipt,
    hash_access_code,
    hash_receipt,
    new_access_code,
    new_receipt,
    normalize_code,
    parse_access_code,
    parse_receipt,
)
from zi_public.security.keyring import keyed_hash

DRAWS = 10_000


@pytest.fixture
def hash_key() -> Iterator[Flask]:
    """keyed_hash reads HASH_KEY from the current app; no database is needed here."""
    app = Flask(__name__)
    app.config["HASH_KEY"] = "codes-test-hash-key"
    with app.app_context():
        yield app


def test_alphabet_has_no_lookalikes():
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert not set(ALPHABET) & set("0O1IL")
    assert ALPHABET.isupper() and ALPHABET.isalnum() and ALPHABET.isascii()


def test_access_code_shape_and_strength():
    code = new_access_code()
    assert re.fullmatch(rf"[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}", code)
    assert codes.ACCESS_CODE_BITS >= 48


def test_receipt_shape_and_strength():
    receipt = new_receipt()
    assert re.fullmatch(rf"[{ALPHABET}]{{6}}-[{ALPHABET}]{{6}}-[{ALPHABET}]{{6}}", receipt)
    assert parse_receipt(receipt) == receipt.replace("-", "")  # its check character is right
    assert codes.RECEIPT_BITS >= 80


@pytest.mark.parametrize(("make", "random_length"), [
    (new_access_code, codes.ACCESS_CODE_LENGTH),
    (new_receipt, codes.RECEIPT_RANDOM_LENGTH),
])
def test_draws_are_unique_and_use_the_whole_alphabet_evenly(make, random_length):
    drawn = [make().replace("-", "") for _ in range(DRAWS)]
    assert len(set(drawn)) == DRAWS
    counts = Counter(ch for code in drawn for ch in code[:random_length])
    expected = DRAWS * random_length / len(ALPHABET)
    assert set(counts) == set(ALPHABET)
    # ±20% is more than ten standard deviations: only a biased generator fails this.
    assert all(0.8 * expected < n < 1.2 * expected for n in counts.values()), counts
    for position in range(random_length):
        assert len({code[position] for code in drawn}) == len(ALPHABET)


@pytest.mark.parametrize("typed", [
    "{code}",
    "{lower}",
    "  {lower}  ",
    "{spaced}",
    "{plain}",
    "{plain_lower}",
    "{dotted}",
    "{endash}",
    "{fullwidth}",
])
def test_normalize_accepts_the_ways_people_type_a_code(typed):
    code = new_receipt()
    plain = code.replace("-", "")
    text = typed.format(
        code=code,
        lower=code.lower(),
        spaced=code.replace("-", " "),
        plain=plain,
        plain_lower=plain.lower(),
        dotted=code.replace("-", "."),
        endash=code.replace("-", " \u2013 "),
        fullwidth="".join(chr(ord(ch) + 0xFEE0) for ch in plain),  # phone keyboards in CJK mode
    )
    assert normalize_code(text) == plain
    assert parse_receipt(text) == plain


@pytest.mark.parametrize("lookalike", ["0", "O", "o", "1", "I", "i", "L", "l"])
def test_lookalike_characters_are_refused_with_a_clear_message(lookalike):
    code = new_access_code()
    with pytest.raises(InvalidCode) as info:
        parse_access_code(lookalike + code[1:])
    assert "O, I, L" in str(info.value)


@pytest.mark.parametrize(
    "text", ["K7M2Q-9XRT!", "K7M2Q 9XRT#", "ÄBCDE-FGHJK", "<script>", "K7M2Q\x00XRTW"]
)
def test_foreign_characters_are_refused(text):
    with pytest.raises(InvalidCode):
        parse_access_code(text)


@pytest.mark.parametrize("text", ["", "-", "K7M2Q-9XRT", "K7M2Q-9XRTWA", "A" * 100])
def test_wrong_length_access_code_is_refused(text):
    with pytest.raises(InvalidCode) as info:
        parse_access_code(text)
    assert "10" in str(info.value) or "panjang" in str(info.value)


def test_huge_input_is_refused_without_work():
    with pytest.raises(InvalidCode, match="terlalu panjang"):
        normalize_code("A" * 1_000_000)


def test_every_single_typo_in_a_receipt_is_caught():
    plain = parse_receipt(new_receipt())
    for i, right in enumerate(plain):
        for wrong in ALPHABET:
            if wrong != right:
                typo = plain[:i] + wrong + plain[i + 1 :]
                with pytest.raises(InvalidCode, match="salah ketik"):
                    parse_receipt(typo)


def test_every_swap_of_neighbours_in_a_receipt_is_caught():
    for _ in range(50):
        plain = parse_receipt(new_receipt())
        for i in range(len(plain) - 1):
            if plain[i] != plain[i + 1]:
                swapped = plain[:i] + plain[i + 1] + plain[i] + plain[i + 2 :]
                with pytest.raises(InvalidCode):
                    parse_receipt(swapped)


def test_receipt_with_missing_or_extra_character_is_refused():
    plain = parse_receipt(new_receipt())
    for text in (plain[:-1], plain + "A", plain[1:]):
        with pytest.raises(InvalidCode):
            parse_receipt(text)


def test_stored_hash_never_equals_or_contains_the_code(hash_key):
    code, receipt = new_access_code(), new_receipt()
    for secret, digest in ((code, hash_access_code(code)), (receipt, hash_receipt(receipt))):
        plain = secret.replace("-", "")
        assert re.fullmatch(r"[0-9a-f]{64}", digest)
        assert plain not in digest.upper() and plain.lower() not in digest


def test_hash_is_the_same_however_the_code_is_typed(hash_key):
    code = new_access_code()
    assert hash_access_code(code) == hash_access_code(code.lower().replace("-", " "))
    receipt = new_receipt()
    assert hash_receipt(receipt) == hash_receipt(receipt.replace("-", "").lower())


def test_hash_depends_on_purpose_and_key(hash_key):
    code = new_access_code()
    plain = code.replace("-", "")
    digest = hash_access_code(code)
    assert digest == keyed_hash(plain, codes.ACCESS_CODE_PURPOSE)
    assert digest != keyed_hash(plain, codes.RECEIPT_PURPOSE)
    hash_key.config["HASH_KEY"] = "another-deployment"
    assert hash_access_code(code) != digest


def test_check_code(hash_key):
    code = new_access_code()
    stored = hash_access_code(code)
    assert check_code(code, stored)
    assert check_code(code.lower().replace("-", ""), stored)
    assert not check_code(new_access_code(), stored)
    assert not check_code("", stored)
    assert not check_code("O" * 10, stored)
    assert not check_code(code, "")
    assert not check_code(stored, stored)  # knowing the hash is not knowing the code


def test_check_receipt(hash_key):
    receipt = new_receipt()
    stored = hash_receipt(receipt)
    assert check_receipt(receipt.lower(), stored)
    assert not check_receipt(new_receipt(), stored)
    assert not check_receipt(receipt[:-1], stored)
    # An access code is not a receipt even if a hash of it were stored under that purpose.
    code = new_access_code()
    assert not check_receipt(code, keyed_hash(code.replace("-", ""), codes.RECEIPT_PURPOSE))
