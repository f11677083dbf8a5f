"""The readable-text rule: what a single-line and a multi-line field accept, character by character."""

from __future__ import annotations

import pytest

from zi_public.rules.text import TextProblem, has_visible_content, is_invisible, is_readable, text_problem

READABLE_EVERYWHERE = [
    "",
    "Budi Santoso",
    "Jl. Pemuda No. 1, RT 02/RW 05",
    "PBG belum terbit\tsejak Agustus",  # a pasted tab
    "Kecamatan Magelang Tengah — 50 % selesai; “kutipan” ‘tunggal’",
    "Çağrı Ñandú Øre ß ǅ",  # Latin with diacritics, precomposed
    "Cafe\u0301",  # a combining accent: stored as typed, not normalised
    "漢字 テスト 한국어 العربية עברית हिन्दी",
    "🙂 👩‍👩‍👧 🇮🇩",  # emoji with zero-width joiners and flags
    "Jl. \u202eKebalik",  # a bidi override is format (Cf), not control: readable
    "\u00a0non-breaking\u2009thin",
    "\ue000",  # private use
]
LINE_BREAKS = ["baris\nbaru", "baris\r\nbaru", "baris\rbaru", "baris\u2028baru", "paragraf\u2029baru", "akhir\n"]
UNREADABLE = [
    "ada\x00nul",
    "bel\x07",
    "Budi\x1b[31m",  # a terminal escape
    "\x0bvertical tab",
    "form\x0cfeed",
    "\x1f",
    "del\x7f",
    "c1\x80",
    "next line\x85",  # NEL is a C1 control, not a line break we accept
    "\x9f",
    "rusak \ufffd",  # what undecodable bytes become
    "\ud800",  # a lone high surrogate (JSON can carry it)
    "x\udfffy",  # a lone low surrogate
]


@pytest.mark.parametrize("value", READABLE_EVERYWHERE)
@pytest.mark.parametrize("multiline", [False, True])
def test_what_people_type_is_readable(value, multiline):
    assert text_problem(value, multiline=multiline) is None
    assert is_readable(value, multiline=multiline)


@pytest.mark.parametrize("value", LINE_BREAKS)
def test_line_breaks_belong_in_multi_line_fields_only(value):
    assert text_problem(value, multiline=True) is None
    assert text_problem(value, multiline=False) == TextProblem.LINE_BREAK


@pytest.mark.parametrize("value", UNREADABLE)
@pytest.mark.parametrize("multiline", [False, True])
def test_control_characters_replacement_and_lone_surrogates_are_unreadable(value, multiline):
    assert text_problem(value, multiline=multiline) == TextProblem.UNREADABLE
    assert not is_readable(value, multiline=multiline)


def test_unreadable_wins_over_a_line_break():
    assert text_problem("a\nb\x00", multiline=False) == TextProblem.UNREADABLE


def test_every_control_character_but_tab_and_line_breaks_is_refused():
    allowed = {"\t", "\n", "\r"}
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]:
        char = chr(code)
        expected = None if char in allowed else TextProblem.UNREADABLE
        assert text_problem(f"a{char}b", multiline=True) == expected, hex(code)
    for code in range(0x20, 0x7F):
        assert text_problem(chr(code), multiline=False) is None, hex(code)


@pytest.mark.parametrize(
    "value",
    ["", " \t\n", "\u200b\u200b", "\u200c\u200d\u200e\u200f", "\u2060\ufeff\u00ad", "\u202e\u2066\u2069",
     "\u3164\u115f\u1160\uffa0", "\u2800", "\ufe0f\u034f", "\U000e0041\U000e007f", "\u3000\u00a0\u200b"],
)
def test_invisible_characters_alone_are_no_content(value):
    assert not has_visible_content(value)


@pytest.mark.parametrize(
    "value", ["a", " 1 ", "\u200bx\u200b", "🙂", "👩\u200d👩\u200d👧", "Cafe\u0301", "ض", "。", "\u0301"]
)
def test_one_visible_character_is_content(value):
    assert has_visible_content(value)


def test_every_format_character_is_invisible():
    import unicodedata

    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cf" or char.isspace():
            assert is_invisible(char), hex(code)
