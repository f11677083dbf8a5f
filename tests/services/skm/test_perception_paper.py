"""Paper perception forms: the template, and the all-or-nothing import by column heading, on both backends."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from tests.factories import PDF, make_perception_questionnaire, make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, Layanan, PerceptionAnswer, PerceptionImport, PerceptionResponse, Role
from zi_public.rules import perception as rules
from zi_public.rules.periods import parse_period
from zi_public.rules.skm import Channel
from zi_public.services.skm import perception_paper, perception_results
from zi_public.services.skm.perception_paper import PaperImportRefused, import_file

TODAY = date(2026, 11, 30)
HEADER = ["P3 Imbalan", "tanggal", "P1", "Layanan", "P5", "p2", "P4."]  # any order, codes in any case


@pytest.fixture
def paper(seeded, db):
    with seeded.test_request_context():
        yield make_perception_questionnaire(), make_user(role=Role.SKM)


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (PerceptionImport, PerceptionResponse, PerceptionAnswer)
    )


GOOD = [
    HEADER,
    [3, date(2026, 11, 2), 6, "pbg", 5, 4, 6],
    [6.0, "30/11/2026", "5", "Persetujuan Bangunan Gedung (PBG)", 6, 6, 6],
    [None, None, None, None, None, None, None],  # an empty row is skipped
    [1, datetime(2026, 10, 1, 9, 30), 1, None, 2, 1, 1],
    [4, "2026-07-01", 4, "", 4, 4, 4],
]


def test_the_template_heads_one_column_per_item_by_its_code(paper):
    spak, _actor = paper
    workbook = openpyxl.load_workbook(io.BytesIO(perception_paper.template(spak)), read_only=True)
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert header[:2] == ("tanggal", "layanan")
    assert [str(h).split()[0] for h in header[2:]] == ["P1", "P2", "P3", "P4", "P5"]
    guide = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert ("P1", spak.definition.items[0].text.id) in [tuple(r) for r in guide]
    # The template itself, filled in, imports.
    filled = openpyxl.load_workbook(io.BytesIO(perception_paper.template(spak)))
    filled.worksheets[0].append([date(2026, 11, 3), "pbg", 6, 6, 5, 5, 4])
    buffer = io.BytesIO()
    filled.save(buffer)
    outcome = import_file(_actor, spak, buffer.getvalue(), "templat.xlsx", today=TODAY)
    assert outcome.rows == 1


def test_every_row_is_imported_with_channel_paper_the_day_on_the_form_and_its_row(paper):
    spak, actor = paper
    outcome = import_file(actor, spak, xlsx(GOOD), "kertas.xlsx", today=TODAY)
    assert (outcome.rows, outcome.already) == (4, False)
    assert counts() == (1, 4, 20)
    rows = db.session.execute(
        sa.select(PerceptionResponse.import_row, PerceptionResponse.submitted_on, PerceptionResponse.channel,
                  PerceptionResponse.layanan_id.is_not(None))
        .order_by(PerceptionResponse.import_row)
    ).all()  # fmt: skip
    assert rows == [
        (2, date(2026, 11, 2), Channel.PAPER, True),
        (3, date(2026, 11, 30), Channel.PAPER, True),
        (5, date(2026, 10, 1), Channel.PAPER, False),
        (6, date(2026, 7, 1), Channel.PAPER, False),
    ]
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "perception.import")).one()
    assert '"rows":4' in entry.data and "kertas.xlsx" in entry.data
    # The answers went to the right items: the Q4 result is the rules' arithmetic over rows 2, 3 and 5.
    q4 = perception_results.result(spak, parse_period("2026-Q4")).result
    expected = rules.result_from_answers(
        spak.definition,
        [
            {"P1": 6, "P2": 4, "P3": 3, "P4": 6, "P5": 5},
            {"P1": 5, "P2": 6, "P3": 6, "P4": 6, "P5": 6},
            {"P1": 1, "P2": 1, "P3": 1, "P4": 1, "P5": 2},
        ],
    )
    assert q4 == expected


def test_the_same_file_twice_imports_nothing_twice(paper):
    spak, actor = paper
    data = xlsx(GOOD)
    import_file(actor, spak, data, "a.xlsx", today=TODAY)
    again = import_file(actor, spak, data, "b.xlsx", today=TODAY)
    assert (again.rows, again.already) == (4, True) and counts() == (1, 4, 20)


def test_one_bad_row_imports_nothing_and_each_problem_names_its_row_and_column(paper):
    spak, actor = paper
    bad = [
        *GOOD,
        [7, "31/02/2026", 1, "pbg", 1, 1, 1],  # answer off the scale, a day that does not exist
        ["tiga", date(2026, 12, 1), 1, "loket 9", 1, None, 2.5],  # text, future, unknown layanan, blank, fraction
        [1, "kemarin", 1, "", 1, 1, 1],
        [1, 45000, 1, "", 1, 1, 1],  # a number where a date belongs
        [1, date(1999, 12, 31), 1, "", 1, 1, 1],
    ]
    with pytest.raises(PaperImportRefused) as refused:
        import_file(actor, spak, xlsx(bad), "kertas.xlsx", today=TODAY)
    found = {(e.row, e.column) for e in refused.value.errors}
    assert found == {
        (7, "P3 Imbalan"),
        (7, "tanggal"),
        (8, "P3 Imbalan"),
        (8, "tanggal"),
        (8, "Layanan"),
        (8, "p2"),
        (8, "P4."),
        (9, "tanggal"),
        (10, "tanggal"),
        (11, "tanggal"),
    }
    assert all(str(e.message) for e in refused.value.errors)
    assert counts() == (0, 0, 0)


def test_a_layanan_name_two_layanan_share_is_refused_asking_for_the_code(paper):
    spak, actor = paper
    db.session.add(Layanan(code="pbg-lama", name="Persetujuan Bangunan Gedung (PBG)", is_active=False))
    db.session.flush()
    rows = [HEADER, [3, date(2026, 11, 2), 6, "Persetujuan Bangunan Gedung (PBG)", 5, 4, 6]]
    with pytest.raises(PaperImportRefused) as refused:
        import_file(actor, spak, xlsx(rows), "kertas.xlsx", today=TODAY)
    [error] = refused.value.errors
    assert (error.row, error.column) == (2, "Layanan") and "kode" in str(error.message)
    rows[1][3] = "pbg-lama"  # a retired layanan by its code: the form may be older than its retirement
    assert import_file(actor, spak, xlsx(rows), "kertas.xlsx", today=TODAY).rows == 1


def test_a_heading_row_without_the_date_or_an_item_column_is_refused_naming_what_is_missing(paper):
    spak, actor = paper
    with pytest.raises(PaperImportRefused) as refused:
        import_file(actor, spak, xlsx([["P1", "P2", "P3", "P4"], [1, 1, 1, 1]]), "x.xlsx", today=TODAY)
    [error] = refused.value.errors
    assert error.row == 1 and "tanggal" in str(error.message) and "P5" in str(error.message)
    with pytest.raises(PaperImportRefused) as only_header:
        import_file(actor, spak, xlsx([HEADER]), "x.xlsx", today=TODAY)
    assert only_header.value.errors[0].row == 0
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    "data",
    [b"", b"tanggal;P1\n2026-11-01;5\n", PDF, b"PK\x03\x04broken", b"x" * (perception_paper.MAX_IMPORT_BYTES + 1)],
)
def test_a_file_that_is_no_xlsx_is_refused_as_a_whole(paper, data):
    spak, actor = paper
    with pytest.raises(PaperImportRefused) as refused:
        import_file(actor, spak, data, "x.xlsx", today=TODAY)
    assert [e.row for e in refused.value.errors] == [0]
    assert counts() == (0, 0, 0)


def test_too_many_rows_refuse_the_file_as_a_whole(paper, monkeypatch):
    spak, actor = paper
    monkeypatch.setattr(perception_paper, "MAX_IMPORT_ROWS", 3)
    with pytest.raises(PaperImportRefused) as refused:
        import_file(actor, spak, xlsx(GOOD), "x.xlsx", today=TODAY)
    [error] = refused.value.errors
    assert error.row == 0 and "lebih dari 3 baris" in str(error.message)
    assert counts() == (0, 0, 0)


def test_a_formula_gives_the_value_excel_saved_with_it(paper):
    spak, actor = paper
    heading = "".join(
        f'<c r="{column}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for column, text in zip("ABCDEF", ["tanggal", "P1", "P2", "P3", "P4", "P5"], strict=True)
    )
    answers = "".join(f'<c r="{column}2"><v>4</v></c>' for column in "CDEF")
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{heading}</row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>02/11/2026</t></is></c>'
        f'<c r="B2"><f>2+3</f><v>5</v></c>{answers}</row>'
        "</sheetData></worksheet>"
    ).encode()
    source, out = zipfile.ZipFile(io.BytesIO(xlsx([["x"]]))), io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            copy.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info))
    assert import_file(actor, spak, out.getvalue(), "rumus.xlsx", today=TODAY).rows == 1
    values = db.session.scalars(sa.select(PerceptionAnswer.value).order_by(PerceptionAnswer.item_id)).all()
    assert values == [5, 4, 4, 4, 4]
