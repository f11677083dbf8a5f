"""read_text: the one rule by which services read a typed text field (the SKM's standards, the benturan
mapping): line ends made "\n", ends trimmed, unreadable or broken lines refused with the shared words, a
required field needs something visible, and the limit counts the text as stored."""

from __future__ import annotations

import pytest

from zi_public.forms import TEXT_PROBLEM_MESSAGES, read_text
from zi_public.rules.text import TextProblem


def words(bare_app, value: object, **rule: object) -> tuple[str, str | None]:
    with bare_app.test_request_context("/"):
        text, problem = read_text(value, **{"limit": 10, "multiline": True, **rule})
        return text, None if problem is None else str(problem)


def test_line_ends_are_made_newlines_and_the_ends_trimmed(bare_app):
    assert words(bare_app, "  a\r\nb\rc \n") == ("a\nb\nc", None)
    assert words(bare_app, None, required=False) == ("", None)
    assert words(bare_app, "  ", required=False) == ("", None)


def test_the_limit_counts_the_stored_text(bare_app):
    assert words(bare_app, "  " + "x" * 10 + "\r\n") == ("x" * 10, None)
    assert words(bare_app, "x" * 11) == ("", "Paling banyak 10 karakter (sekarang 11).")
    assert words(bare_app, "x\r\n" * 5) == ("x\nx\nx\nx\nx", None)  # 15 characters typed, 9 stored


@pytest.mark.parametrize("value", ["", "   ", None, "\u200b\u200b"])
def test_a_required_field_needs_something_visible(bare_app, value):
    assert words(bare_app, value) == ("", "Wajib diisi.")


@pytest.mark.parametrize("value", [42, b"bytes", ["a"], {"a": 1}, 1.5, True])
def test_anything_but_text_is_refused(bare_app, value):
    assert words(bare_app, value) == ("", "Isi dengan teks.")


def test_unreadable_text_and_a_line_break_in_a_single_line_use_the_shared_words(bare_app):
    with bare_app.test_request_context("/"):
        unreadable = str(TEXT_PROBLEM_MESSAGES[TextProblem.UNREADABLE])
        line_break = str(TEXT_PROBLEM_MESSAGES[TextProblem.LINE_BREAK])
    assert words(bare_app, "a\x00b") == ("", unreadable)
    assert words(bare_app, "a\r\nb", multiline=False) == ("", line_break)
    assert words(bare_app, "a\r\nb", multiline=True) == ("a\nb", None)
