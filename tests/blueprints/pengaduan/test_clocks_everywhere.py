"""One complaint, every reader: verified on day 1 and rejected on day 2, it reads "on time" on the team's
case page, the public status page, the API, the statistics page and both reports. A complaint rejected
without verification reads as a triage decision, with no follow-up clock."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.blueprints.pengaduan.test_statistik import table_rows
from tests.factories import advance, make_filed, make_user
from zi_public.exports import build_report
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Pengaduan, Role
from zi_public.rules.pengaduan import Action
from zi_public.rules.periods import MONTH_NAMES_ID, parse_period

LATE_WORDS = ("terlewati", "melewati", "Terlambat", "Terlewat", "Tidak tepat")


@pytest.fixture
def complaints(seeded):
    """Both complaints received 40 days ago; each step a day apart (well inside every clock)."""
    received = datetime.now(UTC) - timedelta(days=40)
    with seeded.app_context():
        team = make_user(role=Role.PENGADUAN)
        verified = make_filed(now=received, identity="anonim")
        advance(team, verified.pengaduan, Action.VERIFY, received + timedelta(days=1))
        advance(team, verified.pengaduan, Action.REJECT, received + timedelta(days=2), body="Kewenangan BPN")
        unverified = make_filed(now=received, identity="anonim")
        advance(team, unverified.pengaduan, Action.REJECT, received, body="Bukan pengaduan")
        db.session.commit()
        return {
            "verified": (verified.pengaduan.id, verified.pengaduan.number, verified.access_code),
            "unverified": (unverified.pengaduan.id, unverified.pengaduan.number, unverified.access_code),
            "received_on": verified.pengaduan.received_on,
        }


def clocks_section(html: str, opening: str) -> str:
    start = html.index(opening)
    return html[start : html.index("</ul>", start)]


def test_the_team_case_page(client, login_as, complaints):
    login_as(Role.PENGADUAN)
    html = client.get(f"/internal/pengaduan/{complaints['verified'][0]}").get_data(as_text=True)
    section = clocks_section(html, '<ul id="clocks">')
    assert section.count("Terpenuhi") == 3
    assert not any(word in section for word in LATE_WORDS)
    html = client.get(f"/internal/pengaduan/{complaints['unverified'][0]}").get_data(as_text=True)
    section = clocks_section(html, '<ul id="clocks">')
    assert section.count("Terpenuhi") == 2 and "Tidak berlaku" in section
    assert "diputuskan tanpa verifikasi" in section


def test_the_public_status_page(client, complaints):
    _, number, code = complaints["verified"]
    client.post("/pengaduan/status", data={"number": number, "access_code": code})
    section = clocks_section(client.get("/pengaduan/status").get_data(as_text=True), '<ul class="clocks">')
    sentences = re.findall(r"<li[^>]*>([^<]*)</li>", section)
    assert len(sentences) == 3 and all("tepat waktu" in s for s in sentences)
    assert sentences[0].startswith("Diverifikasi pada")
    assert sentences[1].startswith("Informasi tindak lanjut disampaikan kepada Anda pada")
    assert not any(word in section for word in LATE_WORDS)

    client.post("/pengaduan/status/selesai")
    _, number, code = complaints["unverified"]
    client.post("/pengaduan/status", data={"number": number, "access_code": code})
    section = clocks_section(client.get("/pengaduan/status").get_data(as_text=True), '<ul class="clocks">')
    sentences = re.findall(r"<li[^>]*>([^<]*)</li>", section)
    # The rejection was a triage decision, not a verification; no follow-up clock ever ran.
    assert len(sentences) == 2 and sentences[0].startswith("Ditelaah dan diputuskan pada")
    assert "Diverifikasi" not in section and "tindak lanjut" not in section
    assert all("tepat waktu" in s for s in sentences)


def test_the_api(client, complaints):
    _, number, code = complaints["verified"]
    body = client.get(f"/api/v1/pengaduan/{number}", headers={"X-Access-Code": code}).get_json()
    assert [(c["name"], c["state"]) for c in body["clocks"]] == [
        ("verify", "met"),
        ("follow_up", "met"),
        ("settle", "met"),
    ]
    assert body["clocks"][1]["done_on"] == body["history"][-1]["date"]  # stopped by the rejection notice
    _, number, code = complaints["unverified"]
    body = client.get(f"/api/v1/pengaduan/{number}", headers={"X-Access-Code": code}).get_json()
    assert [c["state"] for c in body["clocks"]] == ["met", "not_applicable", "met"]
    assert body["clocks"][1]["due"] is None


def test_the_statistics_page(client, complaints):
    received_on = complaints["received_on"]
    month = f"{MONTH_NAMES_ID[received_on.month - 1]} {received_on.year}"
    rows = table_rows(client.get(f"/pengaduan/statistik?year={received_on.year}").get_data(as_text=True))
    [row] = [r for r in rows if r[:2] == (month, "Semua kategori")]
    assert row[2:5] == ("2", "2", "2")  # received, finished, finished on time


def _sheet_rows(content: bytes, sheet: str, header_cell: str) -> list[dict[str, object]]:
    """The rows under the header row that contains `header_cell`, wherever the title block puts it."""
    ws = load_workbook(io.BytesIO(content))[sheet]
    rows = list(ws.iter_rows(values_only=True))
    position = next(i for i, row in enumerate(rows) if header_cell in row)
    header = rows[position]
    return [dict(zip(header, row, strict=False)) for row in rows[position + 1 :]]


def test_both_reports(seeded, complaints):
    received_on = complaints["received_on"]
    with seeded.app_context():
        today = today_jakarta()
        month = parse_period(f"{received_on:%Y-%m}")
        semester = parse_period(f"{received_on.year}-S{1 if received_on.month <= 6 else 2}")
        numbers = {key: complaints[key][1] for key in ("verified", "unverified")}
        monthly = build_report("pengaduan-bulanan", month, as_of=today).content
        rows = {
            row["Nomor pengaduan"]: row
            for row in _sheet_rows(monthly, f"Pengaduan {month.label_id}", "Nomor pengaduan")
        }
        on_time = ("Verifikasi tepat waktu", "Tindak lanjut tepat waktu", "Penyelesaian tepat waktu")
        assert tuple(rows[numbers["verified"]][c] for c in on_time) == ("Ya", "Ya", "Ya")
        assert tuple(rows[numbers["unverified"]][c] for c in on_time) == ("Ya", None, "Ya")

        monev = build_report("pengaduan-monev", semester, as_of=today).content
        volume = _sheet_rows(monev, "Volume per bulan", "Bulan diterima")
        [row] = [r for r in volume if r["Bulan diterima"] == month.label_id]
        assert (row["Diterima"], row["Selesai ditangani"], row["Selesai tepat waktu"]) == (2, 2, 2)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Pengaduan)) == 2
