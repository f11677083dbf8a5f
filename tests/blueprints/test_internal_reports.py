"""The reports page: downloads for a chosen period, the monev text, roles and hostile periods."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.exports.reports import HOSTILE_TITLE, file_scenario, rows_of
from zi_public.exports import REPORT_ROLES, REPORTS
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def scenario(app):
    with app.app_context():
        return {key: case.number for key, case in file_scenario(db).items()}


def export_entries(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "report.export"))
        return [(e.actor, e.target_id, e.data) for e in entries]


@pytest.mark.parametrize("role", [Role.PENGADUAN, Role.PIMPINAN])
def test_the_team_and_pimpinan_download_the_monthly_report(app, client, login_as, scenario, role):
    login_as(role, username="pembaca")
    page = client.get("/internal/laporan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/internal/laporan"' in html  # the menu entry
    assert "/internal/laporan/pengaduan-bulanan.xlsx" in html and "/internal/laporan/pengaduan-monev.xlsx" in html
    assert "/internal/laporan/monev/2026-S" in html  # the team writes it, the pimpinan reads it

    response = client.get("/internal/laporan/pengaduan-bulanan.xlsx?period=2026-11")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == "attachment; filename=pengaduan-bulanan-2026-11.xlsx"
    assert "no-store" in response.headers["Cache-Control"]
    ws = load_workbook(io.BytesIO(response.data))["Pengaduan November 2026"]
    numbers = [row[1] for row in rows_of(ws)]
    # As of the end of November, or of today while November runs: D arrives late on 30 November.
    as_of = min(date(2026, 11, 30), today_jakarta())
    # H and F, received earlier and still open, are carried over into November's report.
    assert numbers == [scenario[k] for k in "HFAIBCD" if k != "D" or as_of == date(2026, 11, 30)]
    assert "'" + HOSTILE_TITLE in [c.value for c in ws["J"]]
    logged = {"period": "2026-11", "as_of": as_of.isoformat(), "lang": "id"}
    assert [(actor, target, json.loads(data)) for actor, target, data in export_entries(app)] == [
        ("pembaca", "pengaduan-bulanan", logged)
    ]


def test_a_report_exported_from_the_english_ui_is_in_english(client, login_as, scenario):
    login_as(Role.PIMPINAN)
    client.set_cookie(LANG_COOKIE, "en")
    response = client.get("/internal/laporan/pengaduan-bulanan.xlsx?period=2026-11")
    sheets = load_workbook(io.BytesIO(response.data)).sheetnames
    assert sheets == ["Complaints November 2026", "Follow-up November 2026", "Recap"]


@pytest.mark.parametrize("name", ["pengaduan-bulanan", "pengaduan-monev"])
def test_both_reports_cover_a_year(client, login_as, scenario, name):
    login_as(Role.PENGADUAN)
    assert f"/internal/laporan/{name}.xlsx?period=2026" in client.get("/internal/laporan").get_data(as_text=True)
    response = client.get(f"/internal/laporan/{name}.xlsx?period=2026")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}-2026.xlsx"


def test_the_monev_download_carries_the_semester(app, client, login_as, scenario):
    login_as(Role.PIMPINAN)
    response = client.get("/internal/laporan/pengaduan-monev.xlsx?period=2026-S2")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=pengaduan-monev-2026-S2.xlsx"
    assert "Evaluasi dan rekomendasi" in load_workbook(io.BytesIO(response.data)).sheetnames


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("pengaduan-bulanan", "2026-13"),
        ("pengaduan-bulanan", "2026-S2"),  # a semester for the monthly report
        ("pengaduan-monev", "2026-11"),  # a month for the semester report
        ("pengaduan-monev", "2026-S3"),
        ("pengaduan-bulanan", ""),
        ("pengaduan-bulanan", "<script>alert(1)</script>"),
        ("pengaduan-bulanan", "9" * 5000),
    ],
)
def test_a_bad_period_is_a_message_not_a_file(app, client, login_as, name, period):
    login_as(Role.PENGADUAN)
    response = client.get(f"/internal/laporan/{name}.xlsx", query_string={"period": period})
    assert response.status_code == 400 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Periode tidak valid" in html
    assert "<script>alert(1)</script>" not in html
    assert export_entries(app) == []


def test_a_missing_period_and_an_unknown_report(app, client, login_as):
    login_as(Role.PENGADUAN)
    assert client.get("/internal/laporan/pengaduan-bulanan.xlsx").status_code == 400
    # Control characters are refused before the view (security.input_guard): still a 400 page, no file.
    nul = client.get("/internal/laporan/pengaduan-bulanan.xlsx", query_string={"period": "2026-11\x00"})
    assert nul.status_code == 400 and nul.mimetype == "text/html"
    assert export_entries(app) == []
    assert client.get("/internal/laporan/pengaduan-harian.xlsx?period=2026-11").status_code == 404


@pytest.mark.parametrize("role", [Role.ADMIN, Role.WBS])
def test_other_roles_get_no_report(client, login_as, role):
    login_as(role)
    assert client.get("/internal/laporan").status_code == 403
    assert client.get("/internal/laporan/pengaduan-bulanan.xlsx?period=2026-11").status_code == 403
    assert client.get("/internal/laporan/monev/2026-S2").status_code == 403


def test_the_upg_gets_its_own_reports_only(client, login_as):
    login_as(Role.UPG)
    assert client.get("/internal/laporan").status_code == 200
    assert client.get("/internal/laporan/gratifikasi-rekap.xlsx?period=2026-11").status_code == 200
    # Another team's report is not there for the UPG (the same 404 the Tim SKM gets for pengaduan's).
    assert client.get("/internal/laporan/pengaduan-bulanan.xlsx?period=2026-11").status_code == 404
    assert client.get("/internal/laporan/skm-triwulan.xlsx?period=2026-Q3").status_code == 404
    assert client.get("/internal/laporan/monev/2026-S2").status_code == 403


#: Who reaches the reports page at all (the Tim WBS takes wbs-evaluasi from its own evaluation page).
REPORTS_PAGE_ROLES = frozenset({Role.PENGADUAN, Role.PIMPINAN, Role.SKM})


@pytest.mark.parametrize(
    ("name", "role"),
    [(name, role) for name in sorted(REPORTS) for role in sorted(REPORT_ROLES[name] & REPORTS_PAGE_ROLES)],
)
def test_every_report_answers_a_bad_or_missing_period_with_the_reports_page(app, client, login_as, name, role):
    """Each report a role may take from the reports page (skm-persepsi too: it had no message, so a bad period was
    a KeyError, a 500) answers a missing, malformed or wrong-kind period with the page, never a file, and the page
    has the report's form with the message beside it (the pimpinan's wbs-evaluasi had none: a 400, no message)."""
    login_as(role, username="pelapor")
    for period in ("", "2026-Q9", "2026-13", "１２", "x" * 500):
        response = client.get(f"/internal/laporan/{name}.xlsx", query_string={"period": period})
        assert response.status_code == 400 and response.mimetype == "text/html", (period, response.status_code)
        html = response.get_data(as_text=True)
        assert f'id="{name}"' in html and f'action="/internal/laporan/{name}.xlsx"' in html
        assert 'role="alert">Periode tidak valid' in html, (name, period)
    assert export_entries(app) == []


def test_the_perception_report_is_on_the_reports_page(client, login_as):
    login_as(Role.PIMPINAN)
    html = client.get("/internal/laporan").get_data(as_text=True)
    assert 'action="/internal/laporan/skm-persepsi.xlsx"' in html
    bad = client.get("/internal/laporan/skm-persepsi.xlsx", query_string={"period": "2026-11"})  # a month
    assert bad.status_code == 400 and 'id="period-persepsi-error"' in bad.get_data(as_text=True)


def test_the_english_reports_page_names_the_periods_in_english(client, login_as):
    """The monev semesters, the monev form and its flash showed Period.label_id on the English pages."""
    from zi_public.rules.periods import QUARTER, period_of

    quarter = period_of(QUARTER, today_jakarta())
    login_as(Role.PENGADUAN)
    client.set_cookie(LANG_COOKIE, "en")
    form = client.get("/internal/laporan/monev/2026-S2").get_data(as_text=True)
    assert "<h1>Complaints monev Semester II 2026</h1>" in form
    saved = client.post(
        "/internal/laporan/monev/2026-S2/teks", data={"text": "Baik.", "version": ""}, follow_redirects=True
    )
    assert "Evaluation Semester II 2026 saved." in saved.get_data(as_text=True)
    client.post("/auth/logout")
    login_as(Role.PIMPINAN)
    html = client.get("/internal/laporan").get_data(as_text=True)
    assert f"Quarter {('I', 'II', 'III', 'IV')[quarter.index - 1]} {quarter.year}</option>" in html
    assert "Triwulan" not in html
    client.set_cookie(LANG_COOKIE, "id")
    assert f"{quarter.label_id}</option>" in client.get("/internal/laporan").get_data(as_text=True)
