"""The admin's working-day page: who gets in, what it shows, adding and removing overrides."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, Role, WorkdayOverride
from zi_public.services import calendar as calendar_service

PAGE = "/internal/hari-kerja"
ADD = "/internal/hari-kerja/tambah"
VALID = {"day": "2026-04-06", "kind": "libur", "reason": "Hari Jadi Kota Magelang"}


def overrides(app) -> list[tuple[date, bool, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(WorkdayOverride.day, WorkdayOverride.is_working_day, WorkdayOverride.reason)
        ).all()
        return [tuple(row) for row in rows]


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("calendar.%"))))


def create_override(app, day: date = date(2026, 12, 24), working: bool = True) -> int:
    with app.app_context():
        override = calendar_service.add_override("test", day, working, "SKB cuti bersama diubah")
        db.session.commit()
        return override.id


def this_year_in_jakarta() -> int:
    return datetime.now(ZoneInfo("Asia/Jakarta")).year


# --- access


def test_anonymous_is_sent_to_login(client, app):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert client.post(ADD, data=VALID).status_code == 302
    assert overrides(app) == []


@pytest.mark.parametrize("role", [Role.PENGADUAN, Role.WBS, Role.UPG, Role.SKM, Role.PIMPINAN])
def test_other_roles_are_forbidden(client, login_as, app, role):
    override_id = create_override(app)
    login_as(role)
    assert client.get(PAGE).status_code == 403
    assert client.post(ADD, data=VALID).status_code == 403
    assert client.post(f"{PAGE}/{override_id}/hapus").status_code == 403
    assert len(overrides(app)) == 1


def test_admin_sees_holidays_cuti_bersama_and_overrides_of_the_year(client, login_as, app):
    create_override(app, date(2026, 12, 24), True)
    create_override(app, date(2027, 3, 1), False)
    login_as(Role.ADMIN)
    response = client.get(PAGE, query_string={"year": "2026"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hari kerja 2026" in body
    assert "Jumat, 25 Desember 2026" in body and "Hari Raya Natal" in body
    assert "Kamis, 24 Desember 2026" in body and "Cuti Bersama Hari Raya Natal" in body
    assert "Rabu, 18 Maret 2026" in body and "Cuti Bersama Hari Suci Nyepi" in body
    assert "SKB cuti bersama diubah" in body  # the 2026 override
    assert "1 Maret 2027" not in body  # the 2027 one belongs to next year's page
    assert 'href="/internal/hari-kerja?year=2025"' in body
    assert 'href="/internal/hari-kerja?year=2027"' in body


def test_default_year_is_this_year_in_jakarta(client, login_as):
    login_as(Role.ADMIN)
    year = this_year_in_jakarta()
    body = client.get(PAGE).get_data(as_text=True)
    assert f"Hari kerja {year}" in body
    assert "Tahun tidak valid" not in body


BAD_YEARS = ["abc", "1999", "2101", "-1", "99999999999999", "2026.0", "٢٠٢٦", "9" * 5000]


def test_a_bad_year_falls_back_to_this_year_with_a_notice(client, login_as):
    login_as(Role.ADMIN)
    for year in BAD_YEARS:
        response = client.get(PAGE, query_string={"year": year})
        body = response.get_data(as_text=True)
        assert response.status_code == 200, year
        assert "Tahun tidak valid" in body, year
        assert f"Hari kerja {this_year_in_jakarta()}" in body, year


def test_year_navigation_stops_at_the_supported_range(client, login_as):
    login_as(Role.ADMIN)
    first = client.get(PAGE, query_string={"year": "2000"}).get_data(as_text=True)
    last = client.get(PAGE, query_string={"year": "2100"}).get_data(as_text=True)
    assert "year=1999" not in first and "year=2001" in first
    assert "year=2101" not in last and "year=2099" in last
    assert "Tahun tidak valid" not in first + last


# --- adding


def test_admin_adds_an_override_through_the_page(client, login_as, app):
    login_as(Role.ADMIN, username="admin1")
    response = client.post(ADD, data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/internal/hari-kerja?year=2026")
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pengecualian hari kerja disimpan." in body
    assert "Senin, 6 April 2026" in body and "Hari Jadi Kota Magelang" in body
    assert overrides(app) == [(date(2026, 4, 6), False, "Hari Jadi Kota Magelang")]
    assert audit_actions(app) == ["calendar.override_add"]
    with app.app_context():
        assert not calendar_service.work_calendar().is_working_day(date(2026, 4, 6))


def test_admin_cancels_a_cuti_bersama_through_the_page(client, login_as, app):
    login_as(Role.ADMIN)
    data = {"day": " 2026-12-24 ", "kind": "kerja", "reason": "  SKB diubah  "}
    assert client.post(ADD, data=data).status_code == 302
    assert overrides(app) == [(date(2026, 12, 24), True, "SKB diubah")]
    with app.app_context():
        assert calendar_service.work_calendar().add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "abc"}, "Tanggal tidak valid"),
        ({"day": "2026-02-30"}, "Tanggal tidak valid"),
        ({"day": "06/04/2026"}, "Tanggal tidak valid"),
        ({"day": ""}, "Isi tanggal."),
        ({"day": "1999-12-31"}, "Tahun harus antara 2000 dan 2100."),
        ({"day": "2101-01-01"}, "Tahun harus antara 2000 dan 2100."),
        ({"kind": "mungkin"}, "Pilih hari libur atau hari kerja."),
        ({"kind": None}, "Pilih hari libur atau hari kerja."),
        ({"reason": ""}, "Isi alasannya"),
        ({"reason": "   "}, "Isi alasannya"),
        ({"reason": "x" * 201}, "Alasan paling banyak 200 karakter."),
        ({"reason": "x" * 10_240}, "Alasan paling banyak 200 karakter."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, login_as, app, changes, message):
    login_as(Role.ADMIN)
    data = {key: value for key, value in {**VALID, **changes}.items() if value is not None}
    response = client.post(ADD, query_string={"year": "2026"}, data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert "Periksa kembali isian berikut" in body
    if data["reason"].strip():
        assert f'value="{data["reason"]}"' in body  # what the admin typed is kept, even too long
    assert f'value="{data["day"]}"' in body or not data["day"].strip()
    assert overrides(app) == []
    assert audit_actions(app) == []


def test_a_second_override_for_the_same_day_is_refused_on_the_page(client, login_as, app):
    create_override(app, date(2026, 4, 6), False)
    login_as(Role.ADMIN)
    # posted while looking at another year: the page turns to 2026, where the existing one is listed
    response = client.post(ADD, query_string={"year": "2030"}, data={**VALID, "kind": "kerja", "reason": "coba lagi"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tanggal ini sudah punya pengecualian" in body
    assert "Hari kerja 2026" in body and "SKB cuti bersama diubah" in body
    assert 'value="coba lagi"' in body
    assert overrides(app) == [(date(2026, 4, 6), False, "SKB cuti bersama diubah")]
    assert audit_actions(app) == ["calendar.override_add"]  # only the first one


# --- removing


def test_admin_removes_an_override_through_the_page(client, login_as, app):
    override_id = create_override(app)
    login_as(Role.ADMIN)
    assert f'action="/internal/hari-kerja/{override_id}/hapus"' in client.get(
        PAGE, query_string={"year": "2026"}
    ).get_data(as_text=True)
    response = client.post(f"{PAGE}/{override_id}/hapus")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/internal/hari-kerja?year=2026")
    assert "Pengecualian hari kerja dihapus." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert overrides(app) == []
    assert audit_actions(app) == ["calendar.override_add", "calendar.override_remove"]


def test_removing_an_unknown_override_is_404(client, login_as, app):
    create_override(app)
    login_as(Role.ADMIN)
    assert client.post(f"{PAGE}/999999/hapus").status_code == 404
    assert client.get(f"{PAGE}/1/hapus").status_code == 405  # removal is never a GET
    assert len(overrides(app)) == 1


# --- CSRF


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(body: str) -> str:
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body)
        assert match, body[:500]
        return match.group(1)

    def login_admin(self, app, client) -> str:
        with app.app_context():
            make_user(role=Role.ADMIN, username="admin1")
            db.session.commit()
        token = self.token(client.get("/auth/login").get_data(as_text=True))
        response = client.post(
            "/auth/login",
            data={"username": "admin1", "password": TEST_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        return self.token(client.get(PAGE).get_data(as_text=True))

    def test_posts_without_a_token_fail(self, app, client):
        override_id = create_override(app)
        self.login_admin(app, client)
        assert client.post(ADD, data={**VALID}).status_code == 400
        assert client.post(f"{PAGE}/{override_id}/hapus").status_code == 400
        assert len(overrides(app)) == 1

    def test_posts_with_the_page_token_work(self, app, client):
        override_id = create_override(app)
        token = self.login_admin(app, client)
        assert client.post(ADD, data={**VALID, "csrf_token": token}).status_code == 302
        assert client.post(f"{PAGE}/{override_id}/hapus", data={"csrf_token": token}).status_code == 302
        assert overrides(app) == [(date(2026, 4, 6), False, "Hari Jadi Kota Magelang")]
