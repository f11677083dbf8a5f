"""Finding a layanan by what a visitor types: its name, its English name or its code.

The catalogue is the office's own list of services (tens of rows, read in one query), so the match runs
over the active rows in Python: the same on SQLite and PostgreSQL, with no LIKE wildcards to escape and no
`unaccent` extension to require. Both sides are folded the same way:
- Unicode compatibility forms and accents go (NFKD without combining marks: "é" → "e", "ﬁ" → "fi");
- case goes (casefold);
- everything that is not a letter or a digit is a space ("sip-nakes", "(PBG)", "%", "_");
- the common spelling "ijin" is read as the standard "izin" (KBBI), so "perijinan" finds "Perizinan".
Every word typed must occur somewhere in the layanan's name, English name or code (in any order).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from zi_public.models import Layanan
from zi_public.services import reference

#: Characters of the query that are read; a longer query is cut (nobody names a service in more).
MAX_QUERY = 100
_NOT_WORD = re.compile(r"[^\w]+|_+")
_VARIANTS = (("ijin", "izin"),)


def fold(text: str) -> str:
    """`text` as the search compares it: no accents, no case, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    for variant, standard in _VARIANTS:
        bare = bare.replace(variant, standard)
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def query_words(query: str | None) -> list[str]:
    """The words of a query, folded (an empty list: nothing searchable was typed)."""
    return fold((query or "")[:MAX_QUERY]).split()


@dataclass(frozen=True)
class SearchResult:
    """One page of the layanan matching a query."""

    items: list[Layanan]
    total: int
    page: int
    pages: int
    query: str  # what was searched (cut to MAX_QUERY)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def args(self, page: int) -> dict[str, object]:
        """The query string of another page of the same search."""
        args: dict[str, object] = {"page": page} if page > 1 else {}
        if self.query:
            args["q"] = self.query
        return args

    @property
    def prev_args(self) -> dict[str, object]:
        return self.args(self.page - 1)

    @property
    def next_args(self) -> dict[str, object]:
        return self.args(self.page + 1)


def search_layanan(query: str | None, *, page: object = 1, size: int = 25) -> SearchResult:
    """The active layanan matching every word of `query` (all of them for a blank query), in the catalogue's
    order, one page of `size`. A query with nothing searchable in it ("%", "!!") matches nothing. `page` is
    read leniently (a page the visitor typed): anything but a whole number within range is the nearest page."""
    text = (query or "").strip()[:MAX_QUERY]
    words = query_words(text)
    rows = reference.active(Layanan)
    if text:
        rows = [row for row in rows if _matches(row, words)] if words else []
    pages = max(1, math.ceil(len(rows) / size))
    number = min(max(_page_number(page), 1), pages)
    start = (number - 1) * size
    return SearchResult(items=rows[start : start + size], total=len(rows), page=number, pages=pages, query=text)


def _matches(row: Layanan, words: list[str]) -> bool:
    haystack = fold(" ".join((row.name, row.name_en or "", row.code)))
    return all(word in haystack for word in words)


def _page_number(value: object) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
        return int(value)
    return 1
