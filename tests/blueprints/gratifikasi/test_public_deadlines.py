"""GET /gratifikasi/tenggat: the live deadline panel's JSON (Pasal 12C's and the office's deadlines, the
regulation in force on the day received, the exempt category's assessment), and a 400 JSON, never a 500, for
anything that cannot be used."""

from __future__ import annotations

from datetime import date

import pytest

from tests.blueprints.gratifikasi.test_public_form import working_days_back

URL = "/gratifikasi/tenggat"


def ask(client, **params: str):
    return client.get(URL, query_string={"kind": "diterima", **params})


def test_a_gift_received_35_working_days_ago_is_late_with_the_count_and_the_regulations_note(app, client):
    received = working_days_back(app, 35)
    response = ask(client, received_on=received.isoformat())
    body = response.get_json()
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert body["is_late"] is True and body["working_days_since_received"] == 35
    assert body["report"] == {**body["report"], "length": 30, "elapsed": 35, "remaining": 0, "is_late": True}
    assert body["office"]["length"] == app.config["GRATIFIKASI_OFFICE_DAYS"] and body["office"]["is_late"] is True
    assert body["late_note"] and "Pasal 12C" in body["late_note"]
    texts = " ".join(line["text"] for line in body["lines"])
    assert "35 hari kerja sejak diterima, 5 hari kerja melewati batas" in texts and "tetap diterima" in texts
    assert body["late_note"] in texts
    assert any(line["tone"] == "late" for line in body["lines"])


def test_a_gift_received_20_working_days_ago_is_on_time_with_the_days_left(app, client):
    body = ask(client, received_on=working_days_back(app, 20).isoformat()).get_json()
    assert body["is_late"] is False and body["late_note"] is None
    assert body["report"]["elapsed"] == 20 and body["report"]["remaining"] == 10
    assert "sisa 10 hari kerja" in " ".join(line["text"] for line in body["lines"])


def test_a_refused_gift_has_no_deadline(app, client):
    body = ask(client, kind="ditolak", received_on=working_days_back(app, 90).isoformat()).get_json()
    assert body["report"] is None and body["office"] is None and body["is_late"] is False
    assert "tidak pernah terlambat" in body["lines"][0]["text"]


def test_the_regulation_and_its_categories_follow_the_day_received(client):
    before = ask(client, received_on="2026-01-19", exemption="pisah_sambut", gift_type="barang", value="250.000")
    body = before.get_json()
    assert body["regulation"]["short"] == "PerKPK 2/2019"
    assert body["exemption"]["applies"] is True and body["exemption"]["removed"] is False
    after = ask(client, received_on="2026-01-20", exemption="pisah_sambut", gift_type="barang").get_json()
    assert after["regulation"]["short"] == "PerKPK 1/2026"
    assert after["exemption"] == {**after["exemption"], "removed": True, "successor": "rekan_kerja", "applies": False}
    texts = " ".join(line["text"] for line in after["lines"])
    assert "dihapus oleh PerKPK 1/2026" in texts and "Pemberian sesama rekan kerja" in texts
    over = ask(client, received_on="2026-03-02", exemption="pernikahan_adat", gift_type="barang", value="Rp2.000.000")
    assert over.get_json()["exemption"]["over_limit"] is True
    over_texts = " ".join(line["text"] for line in over.get_json()["lines"])
    assert "Rp1.500.000" in over_texts and "Nilai yang terbaca: Rp2.000.000." in over_texts
    cash = ask(client, received_on="2026-03-02", exemption="rekan_kerja", gift_type="uang", value="100000")
    assert cash.get_json()["exemption"]["cash_not_covered"] is True


def test_the_panel_speaks_the_pages_language(client):
    client.set_cookie("zi_lang", "en")
    body = ask(client, received_on="2025-03-03").get_json()
    assert body["regulation"]["short"] == "KPK Regulation 2/2019"
    assert body["late_note"].startswith("Law 20/2001")
    assert body["lines"][0]["text"].startswith("Late:")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "received_on"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"received_on": "30/01/2026"}, "received_on"),
        ({"received_on": "20260130"}, "received_on"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"received_on": "0001-01-01"}, "received_on"),
        ({"received_on": "1" * 5000}, "received_on"),
        ({"received_on": "2026-01-05", "kind": "dicuri"}, "kind"),
        ({"received_on": "2026-01-05", "kind": ""}, "kind"),
        ({"received_on": "2026-01-05", "gift_type": "berlian"}, "gift_type"),
        ({"received_on": "2026-01-05", "value": "1,5 juta"}, "value"),
        ({"received_on": "2026-01-05", "value": "-100"}, "value"),
        ({"received_on": "2026-01-05", "value": "9" * 30}, "value"),
        ({"received_on": "2026-01-05", "exemption": "bebas"}, "exemption"),
        ({"received_on": "2026-01-05", "exemption": "x' OR 1=1 --"}, "exemption"),
    ],
)
def test_garbage_gets_a_400_json_naming_the_field(client, params, field):
    response = client.get(URL, query_string={"kind": "diterima", **params})
    assert response.status_code == 400 and response.is_json
    error = response.get_json()["error"]
    assert error["field"] == field and error["message"]


def test_a_nul_byte_or_repeated_parameters_never_errors(client):
    assert client.get(URL + "?kind=diterima&received_on=2026-01-05%00").status_code == 400
    repeated = client.get(URL + "?kind=diterima&kind=ditolak&received_on=2026-01-05&received_on=x")
    assert repeated.status_code == 200  # the first of each counts
    assert date.fromisoformat(repeated.get_json()["received_on"]) == date(2026, 1, 5)
