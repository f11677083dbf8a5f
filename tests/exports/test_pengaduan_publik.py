"""The public monthly and semester figures (exports/pengaduan_publik.py) and the CSV writer they use: the recap by
channel, category and layanan, as an xlsx document and a CSV table a spreadsheet opens, aggregates only."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.exports.publik_scenario import HOSTILE_NAME, OCTOBER_END, SECRET_TEXT, SECRET_TITLE, file_scenario
from tests.exports.reports import header_of, header_row, rows_of, workbook
from tests.factories import advance
from zi_public.exports import pengaduan_publik as publik
from zi_public.exports.csv_writer import write_csv
from zi_public.rules.pengaduan import Action
from zi_public.rules.periods import parse_period

OCTOBER, SEMESTER = parse_period("2025-10"), parse_period("2025-S2")
LATER = date(2026, 3, 1)  # any day after both periods
NOW = datetime(2026, 3, 1, 3, tzinfo=UTC)


def counts(row) -> tuple[int, ...]:
    return row.carried, row.received, row.finished, row.remaining, row.followed_up, row.followed_up_on_time


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads the names right
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline=""), delimiter=";"))


@pytest.fixture
def scenario(db):
    return file_scenario()


# --- which periods ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["2025-10", "2025-S2", " 2025-s1 ", "2026-01"])
def test_a_month_or_semester_begun_by_today_is_public(code):
    period = publik.public_period(code, date(2026, 1, 15))
    assert period.kind in ("month", "semester")


@pytest.mark.parametrize(
    "code",
    ["2025", "2025-Q4", "2025-13", "2025-00", "2025-S3", "2025-S0", "../2025-10", "2025-10\x00", "x" * 10_000, "",
     "２０２５-１０", "2025-10;DROP", None, 202510, ["2025-10"]],
)  # fmt: skip
def test_anything_else_is_refused_as_unknown(code):
    with pytest.raises(publik.PeriodRefused) as refused:
        publik.public_period(code, date(2026, 1, 15))
    assert refused.value.future is False


@pytest.mark.parametrize("code", ["2026-02", "2026-S2", "2100-12"])
def test_a_period_not_yet_begun_is_refused_as_future(code):
    with pytest.raises(publik.PeriodRefused) as refused:
        publik.public_period(code, date(2026, 1, 31))
    assert refused.value.future is True


def test_the_page_opens_on_the_last_month_that_ended():
    assert publik.latest_month(date(2026, 1, 1)).code == "2025-12"
    assert publik.latest_month(date(2026, 3, 31)).code == "2026-02"


def test_the_page_offers_the_semesters_and_two_years_of_months_newest_first():
    offered = [p.code for p in publik.offered_periods(date(2026, 3, 10))]
    assert offered[:5] == ["2026-S1", "2025-S2", "2025-S1", "2024-S2", "2024-S1"]
    months = offered[5:]
    assert months[0] == "2026-03" and months[-1] == "2024-04" and len(months) == 24


def test_the_offered_periods_stop_at_the_first_year_a_period_can_have():
    assert [p.code for p in publik.offered_periods(date(2000, 3, 10))] == ["2000-S1", "2000-03", "2000-02", "2000-01"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 10), [("2026-02", False), ("2026-S1", True), ("2025-S2", False)]),
        # The first day of a semester: the one before ended yesterday, the new one has begun.
        (date(2026, 7, 1), [("2026-06", False), ("2026-S2", True), ("2026-S1", False)]),
        # The last day of a semester: it is still running (its figures are as of today).
        (date(2026, 12, 31), [("2026-11", False), ("2026-S2", True), ("2026-S1", False)]),
    ],
)
def test_the_transparency_page_offers_the_last_month_and_two_semesters(today, expected):
    assert [(p.code, running) for p, running in publik.featured_downloads(today)] == expected


# --- the figures ------------------------------------------------------------------------------------------


def test_the_figures_are_the_recap_by_channel_category_and_layanan(db, scenario):
    figures = publik.public_figures(OCTOBER, LATER, "id")
    assert figures.as_of == OCTOBER_END and figures.is_final
    assert [t.dimension for t in figures.tables] == ["channel", "category", "layanan"]
    assert counts(figures.total) == (1, 3, 2, 2, 2, 1) and figures.total.on_time_share == 0.5
    channels = {row.key: counts(row) for row in figures.tables[0].rows}
    assert len(channels) == 11  # every channel, the team's too
    assert channels["kotak"] == (1, 0, 1, 0, 1, 1)
    assert channels["lapor"] == (0, 1, 0, 1, 1, 0)
    assert channels["whatsapp"] == (0, 1, 0, 1, 0, 0)
    assert channels["web"] == (0, 1, 1, 0, 0, 0)
    layanan = {row.label: row for row in figures.tables[2].rows}
    assert counts(layanan[HOSTILE_NAME]) == (0, 0, 0, 0, 0, 0)


def test_the_figures_are_one_aggregate_statement(db, scenario):
    """The three tables come from one GROUP BY (recap.recap_by) and the total is added up from the channels: a
    visitor's page or download costs one pass over the period's complaints, not four."""
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        figures = publik.public_figures(OCTOBER, LATER, "id")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert len([s for s in statements if "GROUP BY" in s.upper()]) == 1
    assert counts(figures.total) == tuple(map(sum, zip(*map(counts, figures.tables[0].rows), strict=True)))


def test_a_semester_adds_up_its_months(db, scenario):
    figures = publik.public_figures(SEMESTER, LATER, "id")
    assert figures.as_of == date(2025, 12, 31)
    assert counts(figures.total) == (0, 6, 3, 3, 3, 2)


def test_the_running_period_is_as_of_today(db, scenario):
    figures = publik.public_figures(parse_period("2025-11"), date(2025, 11, 10), "id")
    assert figures.as_of == date(2025, 11, 10) and not figures.is_final
    assert counts(figures.total) == (2, 1, 0, 3, 0, 0)  # C and D carried; C's follow-up was missed in October


# --- the xlsx document ----------------------------------------------------------------------------------


def test_the_workbook_is_a_document_with_a_sheet_per_dimension(db, scenario):
    wb = workbook(publik.workbook(publik.public_figures(OCTOBER, LATER, "id"), NOW))
    assert wb.sheetnames == ["Kanal", "Kategori", "Layanan"]
    ws = wb["Kanal"]
    title_block = [ws.cell(row=r, column=1).value for r in range(1, 7)]
    assert title_block[1] == "Rekapitulasi Pengaduan Masyarakat"
    assert "Periode: Oktober 2025 (1 Oktober 2025 s.d. 31 Oktober 2025)" in title_block
    assert "Keadaan per: 31 Oktober 2025" in title_block
    assert header_of(ws) == [
        "Kanal", "Sisa bulan lalu", "Pengaduan masuk", "Selesai", "Sisa", "Tindak lanjut dipenuhi atau terlewat",
        "Tindak lanjut tepat waktu", "Persentase tepat waktu",
    ]  # fmt: skip
    rows = rows_of(ws)
    assert rows[0] == ("Web", 0, 1, 1, 0, 0, 0, None)
    assert ("SP4N-LAPOR!", 0, 1, 0, 1, 1, 0, 0) in rows
    assert rows[-1] == ("Jumlah", 1, 3, 2, 2, 2, 1, 0.5)
    assert ws.cell(row=ws.max_row, column=1).value != "Mengetahui,"  # nobody signs a visitor's download
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.cell(row=header_row(ws) + len(rows), column=8).number_format == "0.0%"  # the total's 50 %


def test_the_workbook_speaks_the_page_language(db, scenario):
    wb = workbook(publik.workbook(publik.public_figures(SEMESTER, LATER, "en"), NOW))
    assert wb.sheetnames == ["Channel", "Category", "Service"]
    ws = wb["Channel"]
    title_block = [ws.cell(row=r, column=1).value for r in range(1, 7)]
    assert "As of: 31 December 2025" in title_block
    assert header_of(ws)[1] == "Carried over from last semester"
    assert ("Complaint box", 0, 1, 1, 0, 1, 1, 1) in rows_of(ws)
    assert rows_of(ws)[-1][0] == "Total"


def test_a_formula_in_a_catalogue_name_stays_text(db, scenario):
    content = publik.workbook(publik.public_figures(OCTOBER, LATER, "id"), NOW)
    names = [row[0] for row in rows_of(workbook(content)["Layanan"])]
    assert "'" + HOSTILE_NAME in names
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist())


# --- the CSV table -----------------------------------------------------------------------------------------


def test_the_csv_is_one_table_that_excel_opens_in_indonesian(db, scenario):
    rows = csv_rows(publik.csv_file(publik.public_figures(OCTOBER, LATER, "id")))
    assert rows[0] == [
        "Periode", "Keadaan per", "Rincian", "Nama", "Sisa bulan lalu", "Pengaduan masuk", "Selesai", "Sisa",
        "Tindak lanjut dipenuhi atau terlewat", "Tindak lanjut tepat waktu", "Persentase tepat waktu (%)",
    ]  # fmt: skip
    period = ["Oktober 2025", "31 Oktober 2025"]
    assert [*period, "Kanal", "Kotak pengaduan", "1", "0", "1", "0", "1", "1", "100,0"] in rows
    assert [*period, "Kanal", "Web", "0", "1", "1", "0", "0", "0", ""] in rows
    assert rows[-1] == [*period, "Jumlah", "Jumlah", "1", "3", "2", "2", "2", "1", "50,0"]
    assert {row[2] for row in rows[1:]} == {"Kanal", "Kategori", "Layanan", "Jumlah"}
    assert [*period, "Layanan", "'" + HOSTILE_NAME, "0", "0", "0", "0", "0", "0", ""] in rows


def test_the_english_csv_uses_english_words_and_a_decimal_point(db, scenario):
    rows = csv_rows(publik.csv_file(publik.public_figures(OCTOBER, LATER, "en")))
    assert rows[0][:4] == ["Period", "As of", "Breakdown", "Name"]
    assert rows[-1] == ["October 2025", "31 October 2025", "Total", "Total", "1", "3", "2", "2", "2", "1", "50.0"]


def test_no_title_or_text_of_any_complaint_in_either_file(db, scenario):
    for period in (OCTOBER, SEMESTER):
        for lang in ("id", "en"):
            figures = publik.public_figures(period, LATER, lang)
            content = publik.workbook(figures, NOW)
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unzipped = b"".join(archive.read(name) for name in archive.namelist())
            for data in (unzipped, publik.csv_file(figures)):
                for secret in (SECRET_TITLE, SECRET_TEXT, "PBG belum terbit", "Budi Santoso", "PGD-"):
                    assert secret.encode() not in data


def test_a_past_period_is_the_same_file_whenever_it_is_made(db, scenario):
    before = publik.csv_file(publik.public_figures(OCTOBER, date(2025, 11, 5), "id"))
    advance("tim", scenario["C"], Action.ANSWER, datetime(2025, 11, 6, 3, tzinfo=UTC))  # recorded in November
    advance("tim", scenario["D"], Action.REJECT, datetime(2025, 11, 6, 4, tzinfo=UTC))
    db.session.commit()
    assert publik.csv_file(publik.public_figures(OCTOBER, LATER, "id")) == before


# --- the CSV writer --------------------------------------------------------------------------------------


def test_the_csv_writer_neutralises_formulas_and_quotes_what_it_must():
    content = write_csv(
        ["Nama", "Jumlah"],
        [["=1+1", 3], ["+62 812", -4], ["@SUM(A1)", 0], ["-x", None], ["a;b", True], ['kata "kutip"', 5],
         ["baris\nbaru", 1], ["\uff1dSUM(A1)", 2], ["\tTAB", 1], ["Biasa – ü", 7]],
    )  # fmt: skip
    text = content.decode("utf-8")
    assert text.startswith("\ufeffNama;Jumlah\r\n")
    rows = csv_rows(content)
    assert rows[1:] == [
        ["'=1+1", "3"], ["'+62 812", "-4"], ["'@SUM(A1)", "0"], ["'-x", ""], ["a;b", "1"], ['kata "kutip"', "5"],
        ["baris\nbaru", "1"], ["'\uff1dSUM(A1)", "2"], ["'\tTAB", "1"], ["Biasa – ü", "7"],
    ]  # fmt: skip
    assert '"a;b"' in text and '"kata ""kutip"""' in text


def test_the_csv_writer_refuses_a_fraction_it_would_write_in_the_wrong_locale():
    """In id-ID Excel "0.5" is not a number; a share must come formatted ("50,0%") from the caller."""
    assert csv_rows(write_csv(["n"], [[Decimal("12.00")], [Decimal(7)]]))[1:] == [["12"], ["7"]]
    for fraction in (0.5, Decimal("0.5"), float("nan"), Decimal("NaN")):
        with pytest.raises(TypeError, match="fraction"):
            write_csv(["n"], [[fraction]])
