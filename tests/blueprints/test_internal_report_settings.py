"""The admin's report settings page: unit, place of signing and the signing officers of every report."""

from __future__ import annotations

import sqlalchemy as sa

from blueprints.internal.report_settings import ReportSettingsForm
from tests.test_csrf import sign_in, token_from
from zi_public.extensions import db
from zi_public.models import AuditEntry, Role
from zi_public.services.settings import REPORT_SIGNERS, report_settings

URL = "/internal/pengaturan/laporan"


def form_data(**changes: str) -> dict[str, str]:
    data = {"unit": "Dinas Penanaman Modal dan PTSP Kota Magelang", "place": "Magelang"}
    for key, position in REPORT_SIGNERS.items():
        data |= {f"{key}-position": position, f"{key}-name": "", f"{key}-nip": ""}
    return data | changes


def test_the_form_has_one_part_per_signer():
    assert [name for name in REPORT_SIGNERS if name in ReportSettingsForm.__dict__] == list(REPORT_SIGNERS)


def test_the_admin_sets_the_unit_and_the_signing_officers(app, client, login_as):
    login_as(Role.ADMIN, username="admin1")
    page = client.get(URL).get_data(as_text=True)
    assert 'href="/internal/pengaturan/laporan"' in page  # the menu entry
    assert REPORT_SIGNERS["pimpinan"] in page and app.config["SITE_OWNER"] in page
    response = client.post(
        URL,
        data=form_data(**{"pimpinan-name": "Drs. Kepala, M.Si.", "pimpinan-nip": "19700101 199001 1 001"}),
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    with app.app_context():
        settings = report_settings()
        assert settings.unit == "Dinas Penanaman Modal dan PTSP Kota Magelang"
        assert (settings.signers["pimpinan"].name, settings.signers["pimpinan"].nip) == (
            "Drs. Kepala, M.Si.",
            "19700101 199001 1 001",
        )
        changed = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "setting.change")).all()
        assert sorted(e.target_id for e in changed) == ["report_signers", "report_unit"]
        assert {e.actor for e in changed} == {"admin1"}
    assert "Drs. Kepala, M.Si." in client.get(URL).get_data(as_text=True)


def test_a_bad_value_keeps_what_was_typed_and_saves_nothing(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post(URL, data=form_data(**{"pengaduan-name": "Siti Aminah", "pengaduan-nip": "NIP-123"}))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "NIP hanya berisi angka dan spasi." in html and "Siti Aminah" in html
    empty = client.post(URL, data=form_data(unit="", **{"pimpinan-position": ""}))
    assert empty.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "setting.change")) is None


def test_saving_needs_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in(app, client, "admin2", Role.ADMIN)
    assert client.post(URL, data=form_data(place="Tanpa token")).status_code in (200, 400)
    with app.app_context():
        assert report_settings().place == "Magelang"
    token = token_from(client.get(URL).get_data(as_text=True))
    assert client.post(URL, data=form_data(place="Kota Magelang", csrf_token=token)).status_code == 302
    with app.app_context():
        assert report_settings().place == "Kota Magelang"


def test_oversized_or_unreadable_values_are_refused_and_nothing_is_saved(app, client, login_as):
    login_as(Role.ADMIN)
    for changes, message in (
        ({"unit": "U" * 201}, "Paling banyak 200 karakter."),
        ({"place": "Magelang\nJawa Tengah"}, "Tulis dalam satu baris, tanpa ganti baris."),
        ({"pimpinan-name": "Drs. Kepala\x07"}, "Teks berisi karakter yang tidak dapat dibaca"),
        ({"pimpinan-nip": "19700101\n"}, "Tulis dalam satu baris, tanpa ganti baris."),
        ({"pengaduan-position": "Ketua\x1bTim"}, "Teks berisi karakter yang tidak dapat dibaca"),
    ):
        response = client.post(URL, data=form_data(**changes))
        assert response.status_code == 200, changes
        assert message in response.get_data(as_text=True), changes
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "setting.change")) is None
    # A position may wrap over two lines on the signature block.
    assert client.post(URL, data=form_data(**{"pengaduan-position": "Ketua\nTim Pengaduan"})).status_code == 302
    with app.app_context():
        assert report_settings().signers["pengaduan"].position == "Ketua\nTim Pengaduan"
