"""The UPG's dashboard figures for gratifikasi and the pimpinan's one-line summary."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.factories import make_gratifikasi
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models.gratifikasi import GratifikasiReport
from zi_public.rules.gratifikasi import Status
from zi_public.services.gratifikasi import inbox


def seed(app) -> None:
    with app.app_context():
        today = today_jakarta()
        make_gratifikasi()  # baru
        make_gratifikasi(received_on=today - timedelta(days=80))  # baru, late
        waiting = make_gratifikasi().report
        overdue = make_gratifikasi().report
        forwarded = make_gratifikasi().report
        refused = make_gratifikasi(kind="ditolak", gift_location="").report
        db.session.flush()
        values = {
            waiting.id: {"status": Status.DIVERIFIKASI},
            overdue.id: {"status": Status.DIVERIFIKASI, "forward_by": today - timedelta(days=1)},
            forwarded.id: {"status": Status.DITERUSKAN, "forwarded_on": today},
            refused.id: {"status": Status.DITERUSKAN, "forwarded_on": today},  # no KPK decision awaited
        }
        for report_id, columns in values.items():
            db.session.execute(sa.update(GratifikasiReport).where(GratifikasiReport.id == report_id).values(**columns))
        db.session.commit()


def test_counts(app):
    seed(app)
    with app.app_context():
        counts = inbox.dashboard_counts(today_jakarta())
    assert counts == inbox.UpgCounts(
        new=2,
        to_forward=2,
        to_forward_overdue=1,
        awaiting_completion=0,
        awaiting_decision=1,
        late_this_year=1,
        overdue=1,
    )


def test_upg_dashboard_links_the_inbox_filtered(app, client, login_as):
    seed(app)
    login_as("upg")
    html = client.get("/internal/").get_data(as_text=True)
    assert 'id="gratifikasi-counts"' in html
    assert "/internal/gratifikasi/?status=baru" in html and "/internal/gratifikasi/?overdue=y" in html
    assert "/internal/gratifikasi/?late=y" in html


def test_pimpinan_dashboard_has_the_summary_line(app, client, login_as):
    seed(app)
    login_as("pimpinan")
    html = client.get("/internal/").get_data(as_text=True)
    assert 'id="gratifikasi-summary"' in html and "2 laporan baru" in html
