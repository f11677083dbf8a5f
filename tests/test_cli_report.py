"""`flask --app wsgi report NAME --period P [--as-of DATE] [--lang en] -o FILE`: an openable workbook, or nothing."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.exports.reports import HOSTILE_TITLE, file_scenario
from zi_public.exports import REPORTS, build_report
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry
from zi_public.rules.periods import KINDS, parse_period

#: The scenario runs to 1 December 2026; the CLI's "today" is the real one, so the tests ask for a day
#: already past (the suite may run on any later day): 20 November, when A, I, B and C had been received.
AS_OF = "2026-11-20"


@pytest.fixture
def out(tmp_path):
    """An empty folder of its own (tmp_path also holds the test database)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def runner(app):
    with app.app_context():
        file_scenario(db)
    return app.test_cli_runner()


def report(runner, *args: str):
    return runner.invoke(args=["report", *args])


def built(app, name: str, period: str, lang: str = "id"):
    """The report as the registry builds it in-process: what the command must have written (the builders'
    own layout is their tests' business; these tests stay true when a report's sheets change)."""
    with app.app_context():
        return build_report(name, parse_period(period), as_of=date.fromisoformat(AS_OF), lang=lang)


def cells(workbook) -> list[object]:
    return [cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]


def test_report_writes_an_openable_workbook(app, runner, out):
    target = out / "pengaduan-bulanan-2026-11.xlsx"
    result = report(runner, "pengaduan-bulanan", "--period", "2026-11", "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 0, result.output
    expected = built(app, "pengaduan-bulanan", "2026-11")
    assert expected.rows > 0 and result.output.strip() == f"wrote {target} ({expected.rows} rows)"
    wb = load_workbook(target)
    assert wb.sheetnames == load_workbook(BytesIO(expected.content)).sheetnames
    assert HOSTILE_TITLE not in [cell.value for cell in cells(wb)]  # neutralised, never a live formula
    assert not [cell.coordinate for cell in cells(wb) if cell.data_type == "f"]
    ws = wb.worksheets[0]
    assert "Keadaan per: 20 November 2026" in [c.value for c in ws["A"]]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert [p.name for p in out.iterdir()] == [target.name]  # no partial file left behind
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report.export"))
        assert (entry.actor, entry.target_id) == ("cli", "pengaduan-bulanan")
        assert json.loads(entry.data) == {"period": "2026-11", "as_of": AS_OF, "lang": "id"}


@pytest.mark.parametrize(
    ("name", "period"),
    [("pengaduan-monev", "2026-s2"), ("pengaduan-monev", "2026"), ("pengaduan-bulanan", "2026")],
)
def test_semester_and_year_reports(app, runner, out, name, period):
    target = out / "report.xlsx"
    result = report(runner, name, "--period", period, "--as-of", AS_OF, "--output", str(target))
    assert result.exit_code == 0, result.output
    expected = built(app, name, period)
    assert f"({expected.rows} rows)" in result.output
    assert load_workbook(target).sheetnames == load_workbook(BytesIO(expected.content)).sheetnames


def test_english_on_request(app, runner, out):
    target = out / "en.xlsx"
    result = report(
        runner, "pengaduan-bulanan", "--period", "2026-11", "--as-of", AS_OF, "--lang", "en", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(target)
    english = load_workbook(BytesIO(built(app, "pengaduan-bulanan", "2026-11", lang="en").content)).sheetnames
    indonesian = load_workbook(BytesIO(built(app, "pengaduan-bulanan", "2026-11").content)).sheetnames
    assert wb.sheetnames == english != indonesian
    assert "As of: 20 November 2026" in [c.value for c in wb.worksheets[0]["A"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pengaduan-harian", "--period", "2026-11"], "unknown report 'pengaduan-harian'"),
        (["pengaduan-bulanan", "--period", "2026-13"], "outside 1-12"),
        (["pengaduan-bulanan", "--period", "2026-S2"], "covers a month (2026-07) or a year (2026), not a semester"),
        (["pengaduan-monev", "--period", "2026-11"], "covers a semester (2026-S2) or a year (2026), not a month"),
        (["pengaduan-monev", "--period", "2026-Q4"], "covers a semester (2026-S2) or a year (2026), not a quarter"),
        (["benturan-pemetaan", "--period", "2026-Q1"], "covers a year (2026), not a quarter"),
        (["pengaduan-bulanan", "--period", "x" * 5000], "too long"),
        (["pengaduan-bulanan", "--period", ""], "empty"),
        (["pengaduan-bulanan", "--period", "2026-11", "--as-of", "2099-01-01"], "has not been recorded yet"),
        (["pengaduan-bulanan", "--period", "2026-11", "--as-of", "2026-10-31"], "before the period starts"),
        (["pengaduan-bulanan", "--period", "2026-11", "--as-of", "30/11/2026"], "'30/11/2026' does not match"),
        (["pengaduan-bulanan", "--period", "2026-11", "--lang", "fr"], "'fr' is not one of 'id', 'en'"),
    ],
)
def test_bad_requests_fail_clearly_and_write_nothing(app, runner, out, args, message):
    target = out / "out.xlsx"
    result = report(runner, *args, "-o", str(target))
    assert result.exit_code == 2
    assert message in result.output
    assert list(out.iterdir()) == []
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report.export")) is None


def test_missing_options_are_usage_errors(runner, out):
    assert report(runner, "pengaduan-bulanan", "-o", str(out / "x.xlsx")).exit_code == 2
    assert report(runner, "pengaduan-bulanan", "--period", "2026-11").exit_code == 2


def test_an_unwritable_target_is_an_error_without_leftovers(app, runner, out):
    target = out / "missing-dir" / "out.xlsx"
    result = report(runner, "pengaduan-bulanan", "--period", "2026-11", "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 1 and "cannot write" in result.output
    assert list(out.iterdir()) == []
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report.export")) is None


def test_the_help_lists_every_report_with_its_own_periods(app):
    """From the registry: pengaduan-bulanan offers months and years, never the quarters it refuses."""
    result = app.test_cli_runner().invoke(args=["report", "--help"])
    assert result.exit_code == 0
    entries: dict[str, str] = {}
    last = ""
    for line in result.output.split("Reports (NAME) and the periods each covers:\n")[1].splitlines():
        if line.startswith("   "):  # a wrapped entry goes on
            entries[last] += " " + line.strip()
        elif line.strip():
            last, text = line.split(maxsplit=1)
            entries[last] = text
    assert set(entries) == set(REPORTS), result.output
    for name, (_builder, kinds) in REPORTS.items():
        offered = {kind for kind in KINDS if f"a {kind} (" in entries[name]}
        assert offered == kinds, (name, entries[name])
    today = today_jakarta()
    assert entries["pengaduan-bulanan"] == f"a month ({today:%Y-%m}) or a year ({today.year})"


@pytest.mark.parametrize("name", sorted(name for name, (_builder, kinds) in REPORTS.items() if set(KINDS) - kinds))
def test_a_refused_period_names_the_reports_own_kinds(app, out, name):
    kinds = REPORTS[name][1]
    refused = next(kind for kind in KINDS if kind not in kinds)
    period = {"month": "2026-11", "quarter": "2026-Q4", "semester": "2026-S2"}[refused]
    result = app.test_cli_runner().invoke(args=["report", name, "--period", period, "-o", str(out / "x.xlsx")])
    assert result.exit_code == 2 and list(out.iterdir()) == []
    error = " ".join(result.output.split("Error: ")[1].split())
    assert error.startswith(f"Invalid value for --period: {name} covers a ") and error.endswith(f"not a {refused}")
    assert {kind for kind in KINDS if f"a {kind} (" in error} == kinds
