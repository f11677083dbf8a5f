"""The `skm-persepsi` report: a data sheet per questionnaire, one row a respondent, the figures under them equal
to the rules' computation; semester and year pooled; cut off at its as-of day; both languages."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from tests.exports.reports import header_of, header_row
from tests.factories import make_perception_questionnaire, make_perception_response
from tests.rules.test_perception import definition
from zi_public.exports import REPORT_ROLES, REPORTS, WrongPeriodKind, build_report
from zi_public.models import Role
from zi_public.rules import perception as rules
from zi_public.rules.periods import parse_period
from zi_public.rules.skm import Channel

NOW = datetime(2027, 1, 15, 2, tzinfo=UTC)
Q3 = parse_period("2026-Q3")
GIVEN = [
    ({"P1": 6, "P2": 5, "P3": 6, "P4": 4, "P5": 6}, Channel.WEB, date(2026, 7, 5)),
    ({"P1": 1, "P2": 2, "P3": 3, "P4": 4, "P5": 5}, Channel.KIOSK, date(2026, 8, 10)),
    ({"P1": 6, "P2": 6, "P3": 6, "P4": 6, "P5": 5}, Channel.PAPER, date(2026, 9, 30)),
    ({"P1": 2, "P2": 2, "P3": 2, "P4": 2, "P5": 3}, Channel.API, date(2026, 10, 1)),
]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, tzinfo=UTC)


@pytest.fixture
def spak(seeded, db):
    with seeded.test_request_context():
        questionnaire = make_perception_questionnaire()
        for answers, channel, day in GIVEN:
            make_perception_response(questionnaire, answers, channel=channel, now=at(day), layanan="pbg")
        yield questionnaire


def book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def data_sheet(ws) -> tuple[list[object], list[tuple], dict[str, tuple]]:
    """(headers, respondent rows, the figure rows under them by label)."""
    headers = header_of(ws)
    rows = list(ws.iter_rows(min_row=header_row(ws) + 1, max_col=len(headers) + 1, values_only=True))
    respondents = []
    for row in rows:
        if not isinstance(row[0], int):
            break
        respondents.append(row)
    figures: dict[str, tuple] = {}
    for row in rows[len(respondents) + 1 :]:
        if not isinstance(row[0], str):
            break
        figures[row[0]] = row
    return headers, respondents, figures


def test_the_report_is_registered_for_the_tim_skm_and_the_pimpinan():
    assert REPORT_ROLES["skm-persepsi"] == frozenset({Role.SKM, Role.PIMPINAN})
    assert {"quarter", "semester", "year"} == set(REPORTS["skm-persepsi"][1])


def test_the_data_sheet_has_a_row_per_respondent_and_the_rules_figures_under_it(spak):
    export = build_report("skm-persepsi", Q3, now=NOW)
    assert export.rows == 3
    headers, respondents, figures = data_sheet(book(export.content)["spak"])
    assert headers == ["No.", "Tanggal", "Kanal", "Layanan", "P1", "P2", "P3", "P4", "P5"]
    assert [row[0] for row in respondents] == [1, 2, 3]
    assert [row[1].date() for row in respondents] == [day for _a, _c, day in GIVEN[:3]]
    assert [row[2] for row in respondents] == ["Web", "Kios", "Formulir kertas"]
    assert {row[3] for row in respondents} == {"Persetujuan Bangunan Gedung (PBG)"}
    assert [list(row[4:9]) for row in respondents] == [list(a.values()) for a, _c, _d in GIVEN[:3]]
    expected = rules.result_from_answers(spak.definition, [a for a, _c, _d in GIVEN[:3]])
    sums = figures["Jumlah skor"][4:9]
    means = figures["Rata-rata skor"][4:9]
    assert list(sums) == [expected.item(code).score_sum for code in ("P1", "P2", "P3", "P4", "P5")]
    assert [Decimal(str(m)) for m in means] == [
        expected.item(c).mean_rounded(3) for c in ("P1", "P2", "P3", "P4", "P5")
    ]
    assert figures["Responden"][4] == 3
    assert Decimal(str(figures["Indeks"][4])) == expected.index == Decimal("4.73")  # 71 / 15


def test_the_summary_gives_the_index_of_each_questionnaire_with_its_source(spak):
    summary = book(build_report("skm-persepsi", Q3, now=NOW).content)["Ringkasan"]
    rows = list(summary.iter_rows(min_row=header_row(summary) + 1, values_only=True))
    first = rows[0]
    assert first[0] == "spak" and first[2] == 3 and Decimal(str(first[3])) == Decimal("4.73")
    assert "Nomor 90 Tahun 2021" in first[6]
    assert [row[0] for row in rows[1:6]] == ["P1", "P2", "P3", "P4", "P5"]


def test_a_semester_and_a_year_pool_every_response(spak):
    everything = rules.result_from_answers(spak.definition, [a for a, _c, _d in GIVEN])
    for code in ("2026-S2", "2026"):
        export = build_report("skm-persepsi", parse_period(code), now=NOW)
        _headers, respondents, figures = data_sheet(book(export.content)["spak"])
        assert len(respondents) == 4 and Decimal(str(figures["Indeks"][4])) == everything.index


def test_the_report_stops_at_its_as_of_day(spak):
    export = build_report("skm-persepsi", Q3, as_of=date(2026, 8, 31), now=NOW)
    _headers, respondents, figures = data_sheet(book(export.content)["spak"])
    assert len(respondents) == 2 and figures["Responden"][4] == 2


def test_a_reverse_scored_item_shows_the_answers_as_given_and_counts_them_reversed(seeded, db):
    with seeded.test_request_context():
        other = make_perception_questionnaire(definition())
        make_perception_response(other, {"A1": 4, "A2": 1}, now=at(date(2026, 7, 1)))
        make_perception_response(other, {"A1": 3, "A2": 2}, now=at(date(2026, 7, 2)))
        headers, respondents, figures = data_sheet(book(build_report("skm-persepsi", Q3, now=NOW).content)["uji"])
    assert headers[4:] == ["A1", "A2 (skor dibalik)"]
    assert [row[5] for row in respondents] == [1, 2]
    assert figures["Jumlah skor"][5] == 4 + 3 and Decimal(str(figures["Indeks"][4])) == Decimal("3.50")


def test_an_open_questionnaire_without_answers_says_so_and_no_questionnaire_is_an_empty_summary(seeded, db):
    with seeded.test_request_context():
        empty = book(build_report("skm-persepsi", Q3, now=NOW).content)
        assert empty.sheetnames == ["Ringkasan"]
        make_perception_questionnaire()
        opened = book(build_report("skm-persepsi", Q3, now=NOW).content)
    _headers, respondents, figures = data_sheet(opened["spak"])
    assert respondents == [] and "Belum ada jawaban pada periode ini." in figures


def test_the_english_export_has_english_labels(spak):
    workbook = book(build_report("skm-persepsi", Q3, lang="en", now=NOW).content)
    headers, respondents, figures = data_sheet(workbook["spak"])
    assert headers[:4] == ["No.", "Date", "Channel", "Service"]
    assert {"Score sum", "Mean score", "Respondents", "Index"} <= set(figures)
    assert respondents[0][2] == "Web" and respondents[1][2] == "Kiosk"
    assert "Summary" in workbook.sheetnames


def test_a_month_is_not_a_period_of_this_report(spak):
    with pytest.raises(WrongPeriodKind):
        build_report("skm-persepsi", parse_period("2026-07"), now=NOW)
