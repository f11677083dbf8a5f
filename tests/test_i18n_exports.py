"""A report downloaded from the English screen is English throughout (issue 11, point 12): the SKM, WBS, gratifikasi
and benturan exports carry no untranslated label and name every catalogue row (layanan, bidang, WBS category) by
its English name, sheet titles included. (The pengaduan reports have their own tests.)"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import make_gratifikasi, make_skm_responses, make_user, make_wbs
from tests.test_i18n import UNTRANSLATED
from zi_public.exports import build_report
from zi_public.models import Bidang, Layanan, Role, WbsCategory
from zi_public.rules.periods import parse_period
from zi_public.services.gratifikasi import benturan_mapping
from zi_public.services.gratifikasi.benturan_mapping import MappingInput
from zi_public.services.skm import paper_template, population_import

NOW = datetime(2027, 1, 15, 3, 0, tzinfo=UTC)
REPORTS = [
    ("skm-triwulan", "2026-Q3"),
    ("skm-persepsi", "2026-Q3"),
    ("wbs-evaluasi", "2026-Q3"),
    ("gratifikasi-rekap", "2026-09"),
    ("benturan-pemetaan", "2026"),
    ("benturan-evaluasi", "2026-Q3"),
]


def texts_of(content: bytes) -> list[str]:
    """Every sheet title and every text cell of a workbook."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    found = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        found += [value for row in sheet.iter_rows(values_only=True) for value in row if isinstance(value, str)]
    return found


@pytest.fixture
def recorded(seeded, db):
    """A little of everything the reports name from the catalogues, in the third quarter of 2026: the catalogue
    rows named, by (table, code), as (Indonesian name, English name)."""
    upg = make_user(role=Role.UPG)
    values = {"task": "Task A", "conflict_type": "keluarga", "description": "D", "risk": "tinggi", "control": "C"}
    for layanan, bidang, day in (("pbg", "perizinan-b", date(2026, 1, 12)), ("", "sekretariat", date(2026, 8, 3))):
        benturan_mapping.add_row(upg, 2026, MappingInput(layanan=layanan, bidang=bidang, **values), today=day)
    make_skm_responses([[3] * 9, [4, 2, 3, 1, 4, 4, 4, 4, 2]], layanan="pbg", on=date(2026, 8, 10))
    make_wbs(today=date(2026, 8, 4), category="korupsi")
    make_gratifikasi(now=datetime(2026, 9, 3, 3, 0, tzinfo=UTC), received_on=date(2026, 9, 1))
    db.session.flush()
    rows = ((Layanan, "pbg"), (Bidang, "perizinan-b"), (Bidang, "sekretariat"), (WbsCategory, "korupsi"))
    return {
        (model.__tablename__, code): tuple(
            db.session.execute(sa.select(model.name, model.name_en).where(model.code == code)).one()
        )
        for model, code in rows
    }


#: Where each catalogue row of `recorded` must appear.
NAMED_IN = {
    ("layanan", "pbg"): ("skm-triwulan", "benturan-pemetaan"),
    ("bidang", "perizinan-b"): ("benturan-pemetaan",),
    ("bidang", "sekretariat"): ("benturan-pemetaan", "benturan-evaluasi"),
    ("wbs_category", "korupsi"): ("wbs-evaluasi",),
}


def test_english_exports_are_english_throughout(recorded) -> None:
    by_report = {
        name: texts_of(build_report(name, parse_period(period), lang="en", now=NOW).content) for name, period in REPORTS
    }
    for name, found in by_report.items():
        leftovers = sorted({text for text in found if text in UNTRANSLATED})
        assert not leftovers, f"untranslated in the English {name}: {leftovers}"
        for indonesian, _english in recorded.values():
            assert not any(indonesian in text for text in found), f"{name} names {indonesian!r} in Indonesian"
    for row, names in NAMED_IN.items():
        english = recorded[row][1]
        for name in names:
            assert any(english in text for text in by_report[name]), f"{name} lacks {english!r}"


def test_an_indonesian_export_keeps_the_indonesian_names(recorded) -> None:
    found = texts_of(build_report("benturan-pemetaan", parse_period("2026"), lang="id", now=NOW).content)
    for row in (("layanan", "pbg"), ("bidang", "perizinan-b")):
        indonesian, english = recorded[row]
        assert any(indonesian in text for text in found) and not any(english in text for text in found)


def test_the_skm_templates_from_the_english_screen_name_the_layanan_in_english(seeded, db) -> None:
    """The population template and the paper-form template list the layanan in English when taken from the English
    screen; a template filled in with those names (no code) imports as well."""
    pbg = db.session.execute(sa.select(Layanan).where(Layanan.code == "pbg")).scalar_one()
    with force_locale("en"):
        population = population_import.template_xlsx(2026, 3)
        paper = paper_template.build_template([pbg], max_rows=10, max_size="1 MB")
    assert pbg.name_en in texts_of(paper) and pbg.name not in texts_of(paper)
    book = openpyxl.load_workbook(io.BytesIO(population))
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "pbg")
    assert row[1].value == pbg.name_en
    row[0].value, row[2].value = None, 42  # named in English only
    filled = io.BytesIO()
    book.save(filled)
    found, problems = population_import.check_file(filled.getvalue())
    assert not problems and found == {pbg: 42}
