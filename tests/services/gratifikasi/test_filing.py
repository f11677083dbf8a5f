"""Filing a gratifikasi report (services/gratifikasi/filing.py): the Pasal 12C facts fixed on arrival, personal
data encrypted at rest, the number and the hashed access code, the UPG's forwarding clock, double submission."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.factories import gratifikasi_input, make_gratifikasi
from zi_public.extensions import db
from zi_public.models import AuditEntry, GratifikasiReport
from zi_public.services.calendar import work_calendar
from zi_public.services.gratifikasi import filing
from zi_public.services.gratifikasi.lookup import find_for_reporter, status_for_reporter

#: Monday 30 November 2026, 10:00 WIB.
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def working_days_before(n: int) -> date:
    calendar = work_calendar()
    day = TODAY
    while calendar.count_working_days(day, TODAY) < n:
        day = date.fromordinal(day.toordinal() - 1)
    return day


def test_a_gift_received_35_working_days_ago_is_taken_and_marked_late(app):
    with app.app_context():
        filed = make_gratifikasi(now=NOW, received_on=working_days_before(35))
        report = filed.report
        assert report.number == "GRT-2026-000001"
        assert (report.working_days_since_received, report.is_late) == (35, True)
        assert report.report_due == work_calendar().add_working_days(report.received_on, 30)
        assert report.regulation_code == "perkpk-1-2026"


def test_a_gift_received_20_working_days_ago_is_on_time_with_both_deadlines(app):
    with app.app_context():
        report = make_gratifikasi(now=NOW, received_on=working_days_before(20)).report
        assert (report.working_days_since_received, report.is_late) == (20, False)
        calendar = work_calendar()
        assert report.office_due == calendar.add_working_days(report.received_on, app.config["GRATIFIKASI_OFFICE_DAYS"])
        assert report.forward_by == calendar.add_working_days(TODAY, app.config["GRATIFIKASI_FORWARD_DAYS"])


def test_a_refused_gift_has_no_deadline_and_is_never_late(app):
    with app.app_context():
        report = make_gratifikasi(now=NOW, kind="ditolak", received_on=date(2025, 6, 2), gift_location="").report
        assert report.is_late is False and report.report_due is None and report.office_due is None
        assert report.regulation_code == "perkpk-2-2019"


def test_personal_data_and_the_access_code_are_not_in_the_database_in_clear(app):
    with app.app_context():
        filed = make_gratifikasi(now=NOW, chronology="Rahasia kronologi unik")
        db.session.commit()
        raw = db.session.execute(sa.text("SELECT * FROM gratifikasi_report")).one()._mapping
        stored = " ".join(str(value) for value in raw.values())
        for secret in (
            "3371010101900001",
            "Budi Santoso",
            "081234567890",
            "Pahlawan",
            "Andi Wijaya",
            "Rahasia kronologi unik",
            filed.access_code,
            filed.access_code.replace("-", ""),
        ):
            assert secret not in stored, secret
        # ...but the team reads them back, and the reporter's code opens the report.
        db.session.expire_all()
        report = db.session.get(GratifikasiReport, filed.report.id)
        assert report.reporter_nik == "3371010101900001" and report.reporter_address.startswith("Jl. Pahlawan")
        assert find_for_reporter(report.number.lower(), filed.access_code.lower()) == report


def test_wrong_number_or_code_give_the_same_nothing(app):
    with app.app_context():
        filed = make_gratifikasi(now=NOW)
        assert status_for_reporter(filed.report.number, "AAAAA-AAAAA") is None
        assert status_for_reporter("GRT-2026-999999", filed.access_code) is None
        assert status_for_reporter("bukan nomor", filed.access_code) is None
        status = status_for_reporter(filed.report.number, filed.access_code, today=TODAY)
        assert status is not None and [event.action for event in status.history] == ["submit"]
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["gratifikasi.create", "gratifikasi.status_read"]  # failed look-ups leave no entry


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nik": "12345"}, "nik"),
        ({"kind": "dibeli"}, "kind"),
        ({"gift_type": "emas"}, "gift_type"),
        ({"value_idr": "1,5 juta"}, "value_idr"),
        ({"value_idr": ""}, "value_idr"),
        ({"received_on": None}, "received_on"),
        ({"received_on": date(2026, 12, 1)}, "received_on"),
        ({"gift_location": ""}, "gift_location"),
        ({"exemption_code": "bebas"}, "exemption_code"),
        ({"place": "a\nb"}, "place"),
        ({"chronology": "x" * 10_001}, "chronology"),
        ({"name": "Budi\x00"}, "name"),
        ({"email": "bukan-email"}, "email"),
        ({"giver_name": 12}, "giver_name"),
    ],
)
def test_a_broken_report_is_refused_by_field_and_nothing_is_saved(app, overrides, field):
    with app.app_context():
        with pytest.raises(filing.InvalidGratifikasi) as refused:
            filing.file_report(gratifikasi_input(**overrides), channel=filing.Channel.WEB, now=NOW)
        assert field in refused.value.errors
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GratifikasiReport)) == 0


def test_the_same_form_twice_files_one_report(app):
    with app.app_context():
        first = filing.file_report(gratifikasi_input(), channel=filing.Channel.WEB, submission_key="k" * 32, now=NOW)
        with pytest.raises(filing.DuplicateSubmission) as again:
            filing.file_report(gratifikasi_input(), channel=filing.Channel.WEB, submission_key="k" * 32, now=NOW)
        assert again.value.existing == first.report


def test_the_preview_tells_both_deadlines_as_of_today(app):
    with app.app_context():
        preview = filing.deadline_preview("diterima", working_days_before(5), today=TODAY)
        assert (preview.report.elapsed, preview.report.remaining) == (5, 25)
        assert preview.office.remaining == app.config["GRATIFIKASI_OFFICE_DAYS"] - 5
        assert filing.deadline_preview("ditolak", working_days_before(5), today=TODAY).report is None
