"""`flask --app wsgi report NAME --period P -o FILE`: writes an openable workbook, or nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.exports.test_pengaduan_reports import HOSTILE_TITLE, file_scenario
from zi_public.extensions import db
from zi_public.models import AuditEntry


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


def test_report_writes_an_openable_workbook(app, runner, out):
    target = out / "pengaduan-bulanan-2026-11.xlsx"
    result = runner.invoke(args=["report", "pengaduan-bulanan", "--period", "2026-11", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {target} (5 rows)"
    ws = load_workbook(target)["Pengaduan November 2026"]
    assert ws.max_row == 6 and "'" + HOSTILE_TITLE in [c.value for c in ws["H"]]
    assert [p.name for p in out.iterdir()] == [target.name]  # no partial file left behind
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report.export"))
        assert (entry.actor, entry.target_id, entry.data) == ("cli", "pengaduan-bulanan", '{"period":"2026-11"}')


def test_monev_report_for_a_semester(runner, out):
    target = out / "monev.xlsx"
    result = runner.invoke(args=["report", "pengaduan-monev", "--period", "2026-s2", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "(9 rows)" in result.output
    assert "Evaluasi dan rekomendasi" in load_workbook(target).sheetnames


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pengaduan-harian", "--period", "2026-11"], "unknown report 'pengaduan-harian'"),
        (["pengaduan-bulanan", "--period", "2026-13"], "outside 1-12"),
        (["pengaduan-bulanan", "--period", "2026-S2"], "covers a month, not a semester"),
        (["pengaduan-monev", "--period", "2026-11"], "covers a semester, not a month"),
        (["pengaduan-bulanan", "--period", "x" * 5000], "too long"),
        (["pengaduan-bulanan", "--period", ""], "empty"),
    ],
)
def test_bad_requests_fail_clearly_and_write_nothing(app, runner, out, args, message):
    target = out / "out.xlsx"
    result = runner.invoke(args=["report", *args, "-o", str(target)])
    assert result.exit_code == 2
    assert message in result.output
    assert list(out.iterdir()) == []
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report.export")) is None


def test_missing_options_are_usage_errors(runner, out):
    assert runner.invoke(args=["report", "pengaduan-bulanan", "-o", str(out / "x.xlsx")]).exit_code == 2
    assert runner.invoke(args=["report", "pengaduan-bulanan", "--period", "2026-11"]).exit_code == 2


def test_an_unwritable_target_is_an_error_without_leftovers(runner, out):
    target = out / "missing-dir" / "out.xlsx"
    result = runner.invoke(args=["report", "pengaduan-bulanan", "--period", "2026-11", "-o", str(target)])
    assert result.exit_code == 1 and "cannot write" in result.output
    assert list(out.iterdir()) == []
