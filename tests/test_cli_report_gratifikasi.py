"""`flask --app wsgi report gratifikasi-rekap --period P [--as-of D] [--lang en] -o FILE`: the recap's workbook."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.exports.gratifikasi_scenario import SECRETS, file_scenario
from tests.exports.reports import rows_of
from zi_public.extensions import db
from zi_public.models import AuditEntry

#: The scenario's November as of its last day (already past whatever day the suite runs on).
AS_OF = "2026-11-30"


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def runner(app):
    with app.app_context():
        file_scenario()
    return app.test_cli_runner()


def report(runner, *args: str):
    return runner.invoke(args=["report", "gratifikasi-rekap", *args])


def test_the_cli_writes_the_recap(app, runner, out):
    target = out / "gratifikasi-rekap-2026-11.xlsx"
    result = report(runner, "--period", "2026-11", "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {target} (5 rows)"
    book = load_workbook(target)
    assert book.sheetnames == ["Rekap", "Daftar laporan", "Barang titipan", "Kampanye"]
    recap = {(row[0], row[1]): row[2] for row in rows_of(book["Rekap"])}
    assert recap[("Jenis gratifikasi", "Barang")] == 2 and recap[("Penetapan status oleh KPK", "Milik negara")] == 1
    assert len(rows_of(book["Daftar laporan"])) == 5
    text = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert not any(secret in text for secret in SECRETS.values())
    assert "Keadaan per: 30 November 2026" in [c.value for c in book["Rekap"]["A"]]
    assert [p.name for p in out.iterdir()] == [target.name]
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report.export"))
        assert (entry.actor, entry.target_id) == ("cli", "gratifikasi-rekap")
        assert json.loads(entry.data) == {"period": "2026-11", "as_of": AS_OF, "lang": "id"}


@pytest.mark.parametrize(("period", "rows"), [("2026-Q4", 6), ("2026-S2", 6), ("2026", 6)])
def test_quarter_semester_and_year(runner, out, period, rows):
    target = out / "rekap.xlsx"
    result = report(runner, "--period", period, "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"({rows} rows)" in result.output  # October's report E too


def test_english_on_request(runner, out):
    target = out / "en.xlsx"
    result = report(runner, "--period", "2026-11", "--as-of", AS_OF, "--lang", "en", "-o", str(target))
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert book.sheetnames == ["Recap", "List of reports", "Entrusted gifts", "Campaign"]
    assert "As of: 30 November 2026" in [c.value for c in book["Recap"]["A"]]


def test_an_as_of_before_the_period_writes_nothing(runner, out):
    target = out / "rekap.xlsx"
    result = report(runner, "--period", "2026-11", "--as-of", "2026-10-31", "-o", str(target))
    assert result.exit_code == 2 and "--as-of" in result.output
    assert list(out.iterdir()) == []
