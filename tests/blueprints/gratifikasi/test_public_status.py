"""The reporter's status page: a POST of number and access code (never in a URL), the same neutral answer for
either mistake, what the reporter sees (status, dates, late or on time, the UPG's clocks, KPK's decision,
the public history), nothing kept in the session, and hostile input answered with a message, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.blueprints.gratifikasi.test_public_form import file_report, working_days_back
from zi_public.extensions import db
from zi_public.models.audit import AuditEntry
from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.rules.gratifikasi import Decision, Status

STATUS = "/gratifikasi/status"
NEUTRAL = "Nomor laporan atau kode akses tidak cocok."


def look_up(client, number: str, code: str):
    return client.post(STATUS, data={"number": number, "access_code": code})


def test_the_reporter_sees_the_status_late_count_and_a_fresh_form(app, client):
    number, code = file_report(client, received_on=working_days_back(app, 35).isoformat())
    response = look_up(client, number.lower(), code.lower())
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert f"Laporan gratifikasi Anda: {number}" in page
    assert "Diterima, menunggu verifikasi oleh UPG." in page
    assert "Terlambat: dilaporkan 35 hari kerja sejak diterima" in page
    assert "UPG meneruskan laporan ke KPK paling lambat" in page
    assert "Laporan gratifikasi diterima" in page  # the public history
    assert code not in page and f'value="{number}"' not in page  # the next look-up starts empty
    assert "Lihat laporan lain" in page
    with client.session_transaction() as session:
        assert not any("gratifikasi" in key and key != "gratifikasi_receipt" for key in session)
    assert client.get(STATUS).get_data(as_text=True).count(number) == 0  # nothing kept for a reload
    with app.app_context():
        read = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "gratifikasi.status_read")).all()
        assert len(read) == 1


def test_kpks_decision_is_shown_once_recorded(app, client):
    number, code = file_report(client, received_on=working_days_back(app, 3).isoformat())
    with app.app_context():
        report = db.session.scalar(sa.select(GratifikasiReport).where(GratifikasiReport.number == number))
        report.status = Status.DITETAPKAN
        report.forwarded_on = date(2026, 11, 10)
        report.decision = Decision.MILIK_NEGARA
        report.decision_date = date(2026, 11, 20)
        db.session.commit()
    page = look_up(client, number, code).get_data(as_text=True)
    assert "Milik negara" in page and "20 November 2026" in page and "Tepat waktu" in page


def test_wrong_number_and_wrong_code_get_the_same_answer(app, client):
    number, code = file_report(client)
    other_code = "ABCDE-FGHJK" if code != "ABCDE-FGHJK" else "BCDEF-GHJKM"
    wrong_code = look_up(client, number, other_code)
    wrong_number = look_up(client, "GRT-2026-999999", code)
    for response in (wrong_code, wrong_number):
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and NEUTRAL in page and "Laporan gratifikasi Anda" not in page
    assert "GRT-2026-999999" in wrong_number.get_data(as_text=True)  # what was typed stays in the form


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "", "access_code": ""}, "Isi nomor laporan."),
        ({"number": "PGD-2026-000001", "access_code": "ABCDE-FGHJK"}, "GRT-tahun-6 angka"),
        ({"number": "GRT-2026-000001" * 10, "access_code": "ABCDE-FGHJK"}, "Nomor terlalu panjang."),
        ({"number": "GRT-2026-\x00000001", "access_code": "ABCDE-FGHJK"}, "tidak dapat dibaca"),
        ({"number": "GRT-2026-000001", "access_code": "x" * 5000}, "Kode akses"),
        ({"number": "GRT-2026-000001", "access_code": "AB\x00CD"}, "tidak dapat dibaca"),
    ],
)
def test_hostile_look_ups_get_a_message_never_a_500(client, data, message):
    response = client.post(STATUS, data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_an_expired_token_keeps_the_number_typed(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = look_up(client, "GRT-2026-000042", "ABCDE-FGHJK")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Formulir kedaluwarsa" in page and 'value="GRT-2026-000042"' in page
    assert response.headers["Cache-Control"] == "no-store"


def test_the_code_never_travels_in_a_url(client):
    page = client.get(STATUS).get_data(as_text=True)
    assert 'method="post"' in page
    assert client.get(STATUS + "?number=GRT-2026-000001&access_code=ABCDE-FGHJK").status_code == 200


class TestLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_GRATIFIKASI_STATUS": "2 per minute"}

    def test_the_status_limit_keeps_what_was_typed(self, client):
        for _ in range(2):
            look_up(client, "GRT-2026-000001", "ABCDE-FGHJK")
        refused = look_up(client, "GRT-2026-000002", "ABCDE-FGHJK")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 429 and "Coba lagi dalam" in page and 'value="GRT-2026-000002"' in page
        assert refused.headers["Cache-Control"] == "no-store"


class TestFormLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_GRATIFIKASI_FORM": "1 per hour"}

    def test_only_filed_reports_count_and_the_429_keeps_the_text(self, app, client):
        from tests.blueprints.gratifikasi.test_public_form import post_form, report_count

        for _ in range(3):  # corrections are not abuse
            assert post_form(client, place="").status_code == 200
        assert post_form(client, received_on=working_days_back(app, 1).isoformat(), preview="1").status_code == 200
        assert post_form(client, submission_key="a" * 32).status_code == 302
        refused = post_form(client, submission_key="b" * 32, chronology="Kronologi panjang yang saya ketik.")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 429 and "Kronologi panjang yang saya ketik." in page and "Coba lagi dalam" in page
        assert refused.headers["Cache-Control"] == "no-store"
        assert report_count(app) == 1
        # The limit is per address: another address is not blocked.
        other = app.test_client().post("/gratifikasi/lapor", data={}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert other.status_code == 200
