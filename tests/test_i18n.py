"""The English catalogue is complete, keeps its placeholders and is served; dates and money read right."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_babel import force_locale, get_locale, gettext

from zi_public.i18n import (
    LANG_COOKIE,
    format_local_datetime,
    format_long_date,
    format_long_datetime,
    format_rupiah,
    format_size,
)

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "zi_public" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The same keywords `make messages` passes to pybabel extract.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[a-z]")


def load_catalogue() -> Catalog:
    with PO_FILE.open("rb") as fh:
        return read_po(fh, locale="en")


def texts(value: str | tuple[str, ...] | list[str]) -> list[str]:
    """A message id or string as a list: plural messages carry several."""
    return [value] if isinstance(value, str) else list(value)


def label(message: Message) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    return f"{texts(message.id)[0]!r} ({where})"


CATALOGUE = load_catalogue()
MESSAGES = [m for m in CATALOGUE if m.id]
#: Indonesian source strings whose English differs: none of them may show on an English page.
INDONESIAN_ONLY = {texts(m.id)[0] for m in MESSAGES if texts(m.string)[0] and texts(m.string)[0] != texts(m.id)[0]}
#: Of those, the ones that are not also the English of another message ("No" is Indonesian for a number and
#: English for "Tidak"): text that, on an English page or in an English export, can only be untranslated.
UNTRANSLATED = INDONESIAN_ONLY - {text for m in MESSAGES for text in texts(m.string)}


def test_catalogue_header_declares_english_with_plural_forms() -> None:
    assert str(CATALOGUE.locale) == "en"
    assert CATALOGUE.num_plurals == 2 and "n != 1" in CATALOGUE.plural_expr
    assert not CATALOGUE.fuzzy
    assert len(MESSAGES) > 100  # the real catalogue, not an empty template


def test_every_message_has_a_reviewed_english_translation() -> None:
    untranslated = [label(m) for m in MESSAGES if not all(s.strip() for s in texts(m.string))]
    fuzzy = [label(m) for m in MESSAGES if m.fuzzy]
    assert not untranslated and not fuzzy, (
        "translate these in messages.po:\n"
        + "\n".join(untranslated)
        + "\nreview these and remove the fuzzy flag:\n"
        + "\n".join(fuzzy)
    )


def test_every_string_in_the_code_is_in_the_catalogue() -> None:
    """A new `_()` that nobody merged with `make messages` would reach English visitors in Indonesian."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    catalogued = {texts(m.id)[0] for m in MESSAGES}
    missing = sorted(
        f"{texts(msgid)[0]!r} ({path}:{line})"
        for path, line, msgid, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS
        )
        if texts(msgid)[0] not in catalogued
    )
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders_of_the_source() -> None:
    """A dropped or renamed %(name)s raises KeyError at render time or silently loses the value."""
    wrong = [
        label(m)
        for m in MESSAGES
        for translated in texts(m.string)
        if Counter(PLACEHOLDER.findall(translated)) != Counter(PLACEHOLDER.findall(texts(m.id)[0]))
    ]
    assert not wrong, "placeholders differ from the source:\n" + "\n".join(wrong)


def test_placeholder_pattern_tells_renamed_and_positional_placeholders_apart() -> None:
    assert PLACEHOLDER.findall("At most %(n)d characters, %s left") == ["%(n)d", "%s"]
    assert PLACEHOLDER.findall("Complaint %(nomor)s") != PLACEHOLDER.findall("Pengaduan %(number)s")


class VisibleText(HTMLParser):
    """Every piece of text a visitor reads or hears: text nodes and the labelling attributes."""

    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "value")

    def __init__(self, html: str) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.headings: list[str] = []
        self.lang: str | None = None
        self._heading_depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if tag in ("h1", "h2", "h3"):
            self._heading_depth += 1
            self.headings.append("")
        if tag == "input" and found.get("type") not in ("submit", "button"):
            found.pop("value", None)  # what a visitor typed is not interface text
        self.pieces += [found[a].strip() for a in self.ATTRIBUTES if found.get(a)]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3"):
            self._heading_depth -= 1

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.pieces.append(data.strip())
        if self._heading_depth:
            self.headings[-1] = (self.headings[-1] + " " + data.strip()).strip()


@pytest.fixture
def english(client: FlaskClient) -> FlaskClient:
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        pytest.fail(f"{MO_FILE.relative_to(ROOT)} is missing or older than the .po: run `make translations`")
    client.set_cookie(LANG_COOKIE, "en")
    return client


ENGLISH_PAGES = {
    "/": ("Zona Integritas Services", "Choose a service", "Our commitment", "Staff sign-in"),
    "/auth/login": ("Staff sign-in", "Username", "Password", "Sign in"),
    "/pengaduan/": ("File a complaint", "Complaint title", "Submit complaint"),
    "/pengaduan/status": ("Complaint status", "Access code", "View status"),
    "/pengaduan/statistik": ("Complaint statistics", "How to read these figures"),
}


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_english_visitors_read_english_pages(english: FlaskClient, url: str) -> None:
    response = english.get(url)
    assert response.status_code == 200
    page = VisibleText(response.get_data(as_text=True))
    assert page.lang == "en"
    for sentence in ENGLISH_PAGES[url]:
        assert any(sentence in piece for piece in page.pieces), sentence
    assert page.headings and not INDONESIAN_ONLY.intersection(page.headings)
    leftovers = sorted(INDONESIAN_ONLY.intersection(page.pieces))
    assert not leftovers, f"Indonesian text on the English {url}: {leftovers}"


def test_indonesian_stays_the_default_language(client: FlaskClient) -> None:
    page = VisibleText(client.get("/").get_data(as_text=True))
    assert page.lang == "id"
    assert "Pilih layanan" in page.headings and "Choose a service" not in page.headings


@pytest.fixture
def request_in(bare_app: Flask) -> Iterator[Callable[[str], AbstractContextManager[object]]]:
    """A request context in a given language; the formatters touch no database."""

    def context(language: str) -> AbstractContextManager[object]:
        return bare_app.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}={language}"})

    yield context


def test_the_language_outside_a_request_is_the_forced_one_else_indonesian(bare_app: Flask) -> None:
    """A command or a job (an app context, no visitor) writes in Indonesian unless a language is forced."""
    with bare_app.app_context():
        assert str(get_locale()) == "id" and gettext("Batal") == "Batal"
        with force_locale("en"):
            assert str(get_locale()) == "en" and gettext("Batal") == "Cancel"
    with bare_app.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}=en"}):
        assert str(get_locale()) == "en"


@pytest.mark.parametrize("language", ["id", "en"])
def test_rupiah_uses_indonesian_grouping_in_every_language(request_in, language: str) -> None:
    with request_in(language):
        assert format_rupiah(1500000) == "Rp1.500.000"
        assert format_rupiah(Decimal("500000")) == "Rp500.000"
        assert format_rupiah(0) == "Rp0"
        assert format_rupiah(None) == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "Rabu, 2 Desember 2026"), ("en", "Wednesday, 2 December 2026")],
)
def test_long_date_is_written_in_the_visitor_language(request_in, language: str, expected: str) -> None:
    with request_in(language):
        assert format_long_date(date(2026, 12, 2)) == expected
        assert format_long_date(None) == ""


@pytest.mark.parametrize("language", ["id", "en"])
def test_stored_utc_time_is_shown_in_jakarta_time(request_in, language: str) -> None:
    """18.00 UTC is already the next day in Jakarta (UTC+7)."""
    with request_in(language):
        assert format_local_datetime(datetime(2026, 11, 27, 18, 0)) == "28 Nov 2026 01.00 WIB"
        assert format_local_datetime(None) == ""


@pytest.mark.parametrize(
    ("language", "utc", "expected"),
    [
        ("id", datetime(2026, 11, 30, 7, 5), "30 November 2026, 14.05 WIB"),
        ("en", datetime(2026, 11, 30, 7, 5), "30 November 2026, 14.05 WIB"),
        # 17.05 UTC on 30 November is five past midnight on 1 December in Jakarta: the day and month turn.
        ("id", datetime(2026, 11, 30, 17, 5), "1 Desember 2026, 00.05 WIB"),
        ("en", datetime(2026, 11, 30, 17, 5), "1 December 2026, 00.05 WIB"),
        # ... and on New Year's Eve the year; an aware UTC time reads the same as the naive UTC a column holds.
        ("id", datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "1 Januari 2027, 00.30 WIB"),
        ("en", datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "1 January 2027, 00.30 WIB"),
        ("id", datetime(2026, 8, 17, 2, 0), "17 Agustus 2026, 09.00 WIB"),
        ("en", datetime(2026, 8, 17, 2, 0), "17 August 2026, 09.00 WIB"),
    ],
)
def test_long_date_and_time_is_jakarta_time_in_words(request_in, language: str, utc: datetime, expected: str) -> None:
    """One format for receipts and the intake slip: the datetime_long filter."""
    with request_in(language):
        assert format_long_datetime(utc) == expected
        assert render_template_string("{{ when|datetime_long }}", when=utc) == expected
        assert render_template_string("{{ none|datetime_long }}", none=None) == ""


def test_sizes_as_people_read_them() -> None:
    """One formatter for every limit shown: upload labels and refusals, the spreadsheet imports' limits."""
    sizes = (512, 4096, 100_000, 500 * 1024, 1024 * 1024, 1536 * 1024, 10 * 1024 * 1024)
    assert [format_size(n) for n in sizes] == ["512 byte", "4 KB", "97 KB", "500 KB", "1 MB", "1.5 MB", "10 MB"]
