"""Finding a layanan by name, English name or code: no case, no accents, odd input matches nothing odd."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from zi_public.models import Layanan
from zi_public.services.skm.layanan_search import MAX_QUERY, fold, query_words, search_layanan

CATALOGUE_SIZE = 14  # zi_public/data/reference.json


def codes(result) -> list[str]:
    return [row.code for row in result.items]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Persetujuan Bangunan Gedung (PBG)", "persetujuan bangunan gedung pbg"),
        ("  Izin   Apótek\tdan\nToko ", "izin apotek dan toko"),
        ("ＰＢＧ", "pbg"),  # full-width letters
        ("ﬁtur", "fitur"),  # a ligature
        ("sip-nakes", "sip nakes"),
        ("perijinan", "perizinan"),
        ("50%_off", "50 off"),
        ("Straße", "strasse"),
        ("", ""),
        ("%_\\'\"", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_a_blank_query_lists_the_whole_catalogue_in_its_order(seeded, db):
    result = search_layanan("   ", size=100)
    assert result.total == CATALOGUE_SIZE and result.pages == 1 and result.query == ""
    assert codes(result)[:3] == ["nib-oss", "pbg", "slf"]
    assert search_layanan(None, size=100).total == CATALOGUE_SIZE


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pbg", ["pbg"]),
        ("PBG", ["pbg"]),
        ("bangunan GEDUNG", ["pbg"]),
        ("gedung bangunan", ["pbg"]),  # any order
        ("building approval", ["pbg"]),  # the English name
        ("sip-nakes", ["sip-nakes"]),  # the code
        ("SIP nakes", ["sip-nakes"]),
        ("apótek", ["izin-apotek"]),  # accents do not matter
        ("ijin apotek", ["izin-apotek"]),  # nor the everyday spelling of izin
        ("pendampingan", ["nib-oss", "lkpm"]),
        ("klinik apotek", []),  # every word must match
    ],
)
def test_queries(seeded, db, query, expected):
    assert codes(search_layanan(query, size=100)) == expected


@pytest.mark.parametrize("query", ["%", "_", "%%", "_%_", "'", "\\", "*", "?", ".", "\u200b", "🏗️", "' OR 1=1 --"])
def test_wildcards_and_symbols_are_not_patterns(seeded, db, query):
    result = search_layanan(query, size=100)
    assert result.items == [] and result.total == 0 and result.page == 1


def test_symbols_around_a_word_do_not_hide_it(seeded, db):
    assert codes(search_layanan("%pbg%", size=100)) == ["pbg"]
    assert codes(search_layanan("(slf)", size=100)) == ["slf"]


def test_a_very_long_query_is_cut_not_refused(seeded, db):
    result = search_layanan("pbg " + "x" * 100_000, size=100)
    assert len(result.query) == MAX_QUERY and result.items == []
    assert codes(search_layanan("pbg" + " " * 200, size=100)) == ["pbg"]
    assert query_words("a" * 1000) == ["a" * MAX_QUERY]


def test_unicode_from_other_scripts_is_fine(seeded, db):
    for query in ("ビル", "مبنى", "здание", "\U0001f600"):
        assert search_layanan(query, size=100).total == 0
    assert codes(search_layanan("Kli\u0301nik", size=100)) == ["izin-klinik"]  # a combining accent


def test_retired_layanan_are_not_found(seeded, db):
    db.session.execute(sa.update(Layanan).where(Layanan.code == "pbg").values(is_active=False))
    assert search_layanan("pbg").total == 0
    assert "pbg" not in codes(search_layanan("", size=100))


@pytest.mark.parametrize(
    ("page", "number", "first"),
    [
        (None, 1, "nib-oss"),
        ("2", 2, "sip-nakes"),
        (3, 3, "penelitian"),
        ("999", 3, "penelitian"),  # past the end: the last page
        ("0", 1, "nib-oss"),
        ("-1", 1, "nib-oss"),
        ("abc", 1, "nib-oss"),
        ("２", 1, "nib-oss"),  # a full-width digit is not a page number
        ("9" * 50, 1, "nib-oss"),
        (["2"], 1, "nib-oss"),
    ],
)
def test_paging(seeded, db, page, number, first):
    result = search_layanan("", page=page, size=5)
    assert (result.page, result.pages, result.total) == (number, 3, CATALOGUE_SIZE)
    assert result.items[0].code == first
    assert len(result.items) == (4 if number == 3 else 5)


def test_the_pager_keeps_the_query(seeded, db):
    result = search_layanan("izin", page="2", size=2)
    assert result.has_prev and result.prev_args == {"q": "izin"}  # page 1 has no page argument
    assert result.has_next == (result.pages > 2)
    assert result.args(3) == {"page": 3, "q": "izin"}
