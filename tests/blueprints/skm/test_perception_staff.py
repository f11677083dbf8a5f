"""The Tim SKM's perception-survey pages: load, switch on, publish (audited), results per period, the paper
template and import (one response per row, channel paper), the skm-persepsi export; the pimpinan reads."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_perception_questionnaire, make_user
from tests.rules.test_perception import definition
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, PerceptionQuestionnaire, PerceptionResponse, Role
from zi_public.rules.periods import QUARTER, period_of
from zi_public.rules.skm import Channel

BASE = "/internal/skm/persepsi"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def actions(app) -> list[str]:
    with app.app_context():
        stmt = sa.select(AuditEntry.action).where(AuditEntry.action.like("perception.%")).order_by(AuditEntry.id)
        return list(db.session.scalars(stmt))


def questionnaire(app, code: str = "spak") -> tuple[bool, bool] | None:
    with app.app_context():
        row = db.session.scalar(sa.select(PerceptionQuestionnaire).where(PerceptionQuestionnaire.code == code))
        return None if row is None else (row.is_active, row.is_published)


def test_the_tim_skm_loads_switches_on_and_publishes_the_shipped_questionnaire(app, seeded, client, login_as):
    login_as(Role.SKM)
    listed = client.get(BASE)
    assert listed.status_code == 200 and "Survei Persepsi Anti Korupsi (SPAK)" in listed.get_data(as_text=True)
    loaded = client.post(BASE + "/muat", data={"code": "spak"})
    assert loaded.status_code == 302 and loaded.headers["Location"].endswith(BASE + "/spak")
    assert questionnaire(app) == (False, False)
    assert client.post(BASE + "/muat", data={"code": "spak"}).status_code == 400  # loaded already
    for action, state in (("activate", (True, False)), ("publish", (True, True)), ("deactivate", (False, True))):
        assert client.post(BASE + "/spak/status", data={"action": action}).status_code == 302
        assert questionnaire(app) == state
    assert client.post(BASE + "/spak/status", data={"action": "delete"}).status_code == 400
    assert client.post(BASE + "/tidak-ada/status", data={"action": "activate"}).status_code == 404
    assert actions(app) == [
        "perception.questionnaire_load",
        "perception.questionnaire_active",
        "perception.questionnaire_publish",
        "perception.questionnaire_active",
    ]
    detail = client.get(BASE + "/spak").get_data(as_text=True)
    assert "Nomor 90 Tahun 2021" in detail and "belum terverifikasi" in detail


def test_json_is_checked_against_the_schema_and_every_problem_listed(app, seeded, client, login_as):
    login_as(Role.SKM)
    bad = definition(title="", scale={"min": 1, "max": 4, "labels": ["a"]})
    refused = client.post(BASE + "/unggah", data={"definition": json.dumps(bad)})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "scale.labels" in html and "Harus berisi 4 sampai 4 isian." in html and "title" in html
    assert client.post(BASE + "/unggah", data={"definition": "{"}).status_code == 400
    assert client.post(BASE + "/unggah", data={"definition": "  "}).status_code == 400
    assert client.post(BASE + "/unggah", data={"definition": "\x00{}"}).status_code == 400
    assert questionnaire(app, "uji") is None
    pasted = client.post(BASE + "/unggah", data={"definition": json.dumps(definition())})
    assert pasted.status_code == 302 and questionnaire(app, "uji") == (False, False)
    upload = {"definition": "", "file": (io.BytesIO(json.dumps(definition(code="uji-2")).encode()), "uji.json")}
    assert client.post(BASE + "/unggah", data=upload, content_type="multipart/form-data").status_code == 302
    assert questionnaire(app, "uji-2") == (False, False)


def test_results_per_period_and_the_export(app, seeded, client, login_as):
    with app.app_context():
        spak = make_perception_questionnaire()
        from tests.factories import make_perception_response

        make_perception_response(spak, {"P1": 6, "P2": 5, "P3": 4, "P4": 3, "P5": 1})
        db.session.commit()
    login_as(Role.PIMPINAN)
    quarter = period_of(QUARTER, today_jakarta())
    detail = client.get(BASE + "/spak")
    html = detail.get_data(as_text=True)
    assert detail.status_code == 200 and "3,80" in html and quarter.label_id in html  # 19 / 5
    assert "Buka untuk responden" not in html  # the pimpinan reads only
    assert client.get(BASE + "/spak", query_string={"periode": "bukan"}).status_code == 404
    assert client.get(BASE + "/spak", query_string={"periode": str(quarter.year)}).status_code == 200
    export = client.get(f"{BASE}/ekspor/{quarter.code}.xlsx")
    assert export.status_code == 200 and export.headers["Cache-Control"] == "no-store"
    assert export.headers["Content-Disposition"].endswith(f"skm-persepsi-{quarter.code}.xlsx")
    assert "spak" in openpyxl.load_workbook(io.BytesIO(export.data)).sheetnames
    assert client.get(f"{BASE}/ekspor/2099-Q1.xlsx").status_code == 404
    assert client.get(f"{BASE}/ekspor/2026-07.xlsx").status_code == 404
    assert "report.export" in [a for a in _all_actions(app)]
    assert client.post(BASE + "/spak/status", data={"action": "deactivate"}).status_code == 403


def _all_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action)))


def test_paper_forms_are_imported_all_or_nothing(app, seeded, client, login_as):
    with app.app_context():
        make_perception_questionnaire()
        db.session.commit()
    login_as(Role.SKM)
    template = client.get(BASE + "/spak/templat.xlsx")
    assert template.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(template.data))
    workbook.worksheets[0].append([date(2026, 11, 2), "pbg", 6, 6, 5, 5, 4])
    workbook.worksheets[0].append(["02/11/2026", "", 1, 2, 3, 4, 9])
    bad = io.BytesIO()
    workbook.save(bad)
    refused = client.post(
        BASE + "/spak/impor",
        data={"file": (io.BytesIO(bad.getvalue()), "kertas.xlsx")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400 and "Tidak ada yang diimpor" in refused.get_data(as_text=True)
    workbook.worksheets[0].delete_rows(3)
    good = io.BytesIO()
    workbook.save(good)
    imported = client.post(
        BASE + "/spak/impor",
        data={"file": (io.BytesIO(good.getvalue()), "kertas.xlsx")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    again = client.post(
        BASE + "/spak/impor",
        data={"file": (io.BytesIO(good.getvalue()), "lagi.xlsx")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 302
    with app.app_context():
        assert list(db.session.scalars(sa.select(PerceptionResponse.channel))) == [Channel.PAPER]
    assert actions(app).count("perception.import") == 1
    assert client.post(BASE + "/spak/impor", data={}).status_code == 400  # no file chosen
    not_xlsx = {"file": (io.BytesIO(b"%PDF-1.4 not a sheet"), "x.xlsx")}
    assert client.post(BASE + "/spak/impor", data=not_xlsx, content_type="multipart/form-data").status_code == 400


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_staff_writes_need_the_csrf_token(app, seeded, client):
    with app.app_context():
        make_user(role=Role.SKM, username="tim-skm")
        db.session.commit()
    login = TOKEN.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    signed_in = client.post("/auth/login", data={"username": "tim-skm", "password": TEST_PASSWORD, "csrf_token": login})
    assert signed_in.status_code == 302
    for sent in ({}, {"csrf_token": "forged"}):
        assert client.post(BASE + "/muat", data={"code": "spak", **sent}).status_code == 400
        assert client.post(BASE + "/unggah", data={"definition": json.dumps(definition()), **sent}).status_code == 400
    assert questionnaire(app) is None and questionnaire(app, "uji") is None
    token = TOKEN.search(client.get(BASE).get_data(as_text=True)).group(1)
    assert client.post(BASE + "/muat", data={"code": "spak", "csrf_token": token}).status_code == 302
    assert questionnaire(app) == (False, False)


@pytest.mark.parametrize(
    ("language", "flash"),
    [
        ("id", "Kuesioner “Survei Persepsi Anti Korupsi (SPAK)” dimuat"),
        ("en", "Questionnaire “Anti-Corruption Perception Survey (SPAK)” loaded"),
    ],
)
def test_the_load_flash_names_the_questionnaire_by_its_title(app, seeded, client, login_as, language, flash):
    """The flash showed the raw code ('Kuesioner spak dimuat'); the title is what the team knows."""
    login_as(Role.SKM)
    client.set_cookie("zi_lang", language)
    shipped = client.post(BASE + "/muat", data={"code": "spak"}, follow_redirects=True).get_data(as_text=True)
    assert flash in shipped and "Kuesioner spak" not in shipped
    pasted = client.post(BASE + "/unggah", data={"definition": json.dumps(definition())}, follow_redirects=True)
    assert ("“Survei uji”" if language == "id" else "“Test survey”") in pasted.get_data(as_text=True)
