"""The UPG's campaign page: the three texts reach the home page, the gratifikasi guide and the kiosk's start
screen, each passed by its own view (escaped, nothing when empty); activities with evidence files; the pimpinan
reads; other roles are refused; broken forms answer 400 and save nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PDF, TEST_PASSWORD, make_kiosk_device, make_user
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AuditEntry, Role, UpgCampaignActivity
from zi_public.services import kiosk as kiosk_service

BASE = "/internal/gratifikasi/kampanye"
HOSTILE = '<script>alert("pungli")</script>'


def kiosk_client(app):
    with app.app_context():
        _device, value = make_kiosk_device("Kiosk lobi")
        db.session.commit()
    client = app.test_client()
    client.set_cookie(kiosk_service.COOKIE_NAME, value, path="/kiosk/")
    return client


def signed_in(app, role: Role):
    with app.app_context():
        user = make_user(role)
        db.session.commit()
        username = user.username
    client = app.test_client()
    assert client.post("/auth/login", data={"username": username, "password": TEST_PASSWORD}).status_code == 302
    return client


def test_nothing_is_shown_while_the_texts_are_empty(app, seeded, client):
    assert "upg-campaign" not in client.get("/").get_data(as_text=True)
    assert "upg-campaign" not in client.get("/gratifikasi/").get_data(as_text=True)
    assert "kiosk-running" not in kiosk_client(app).get("/kiosk/").get_data(as_text=True)


def test_the_upg_saves_the_texts_and_the_public_sees_them_escaped(app, seeded, client, login_as):
    login_as("upg")
    assert client.get(BASE).status_code == 200
    response = client.post(
        f"{BASE}/teks",
        data={
            "home": f"No Calo, No Pungli!\nSemua layanan gratis. {HOSTILE}",
            "guide": "Tolak gratifikasi.",
            "kiosk": "Layanan tanpa calo",
        },
    )
    assert response.status_code == 302
    escaped = "&lt;script&gt;alert(&#34;pungli&#34;)&lt;/script&gt;"
    home = app.test_client().get("/").get_data(as_text=True)
    assert "No Calo, No Pungli!\nSemua layanan gratis." in home and escaped in home and HOSTILE not in home
    kiosk = kiosk_client(app).get("/kiosk/").get_data(as_text=True)
    assert 'class="kiosk-running-text">Layanan tanpa calo</p>' in kiosk
    assert "Tolak gratifikasi." in app.test_client().get("/gratifikasi/").get_data(as_text=True)
    with app.app_context():
        changes = list(db.session.scalars(sa.select(AuditEntry.data).where(AuditEntry.action == "setting.change")))
        assert len(changes) == 3
    # Emptied again: gone from the home page.
    assert client.post(f"{BASE}/teks", data={"home": "", "guide": "", "kiosk": ""}).status_code == 302
    assert "upg-campaign" not in app.test_client().get("/").get_data(as_text=True)


def test_the_public_pages_get_the_text_from_their_own_views(bare_app):
    # No template global registered by the UPG's staff blueprint: the home page, the guide and the kiosk pass
    # campaign.campaign_text(where) themselves, so none of them depends on another blueprint being registered.
    assert "upg_campaign_text" not in bare_app.jinja_env.globals


def test_the_home_page_links_the_gratifikasi_and_benturan_pages(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/gratifikasi/"' in home and 'href="/benturan-kepentingan/"' in home


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, None),
        ({"home": "x" * 2_001}, "Paling banyak 2000 karakter."),
        ({"kiosk": "dua\nbaris"}, "Tulis isian ini dalam satu baris."),
        ({"guide": "a\x00b"}, "karakter yang tidak dapat dibaca"),
    ],
)
def test_refused_texts_answer_400(app, client, login_as, data, message):
    login_as("upg")
    if not data:  # an empty form saves empty texts: nothing changes, nothing refused
        assert client.post(f"{BASE}/teks", data={}).status_code == 302
        return
    response = client.post(f"{BASE}/teks", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "setting.change")).first()


def test_an_activity_with_evidence_is_listed_and_downloadable(app, client, login_as):
    login_as("upg")
    held_on = today_jakarta() - timedelta(days=1)
    response = client.post(
        f"{BASE}/kegiatan",
        data={
            "held_on": held_on.isoformat(),
            "topic": "no_calo_no_pungli",
            "medium": "Running text",
            "audience": "Pengunjung ruang pelayanan",
            "summary": "Teks berjalan di layar antrean.",
            "files": (io.BytesIO(PDF), "bukti.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pengunjung ruang pelayanan" in page and "bukti.pdf" in page and "No Calo, No Pungli" in page
    with app.app_context():
        activity = db.session.scalars(sa.select(UpgCampaignActivity)).one()
        url = f"{BASE}/kegiatan/{activity.id}/bukti/{activity.attachments[0].id}"
    assert client.get(url).status_code == 200
    location = response.headers["Location"]
    pimpinan = signed_in(app, Role.PIMPINAN)
    assert pimpinan.get(url).status_code == 200
    assert "Pengunjung ruang pelayanan" in pimpinan.get(location).get_data(as_text=True)
    assert pimpinan.post(f"{BASE}/teks", data={"home": "x"}).status_code == 403
    assert signed_in(app, Role.WBS).get(url).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Isi tanggal kegiatan."),
        (
            {"held_on": "kemarin", "topic": "gratifikasi", "medium": "a", "audience": "b"},
            "Tulis tanggal seperti 2026-12-31.",
        ),
        (
            {"held_on": "2099-01-01", "topic": "gratifikasi", "medium": "a", "audience": "b"},
            "tidak boleh setelah hari ini",
        ),
        ({"held_on": "2026-11-02", "topic": "judi", "medium": "a", "audience": "b"}, "Pilih salah satu tema."),
        (
            {"held_on": "2026-11-02", "topic": "gratifikasi", "medium": "x" * 500, "audience": "b"},
            "Paling banyak 120 karakter.",
        ),
        ({"held_on": "2026-11-02", "topic": "gratifikasi", "medium": "a\x00", "audience": "b"}, "tidak dapat dibaca"),
        (
            {
                "held_on": "2026-11-02",
                "topic": "gratifikasi",
                "medium": "a",
                "audience": "b",
                "files": (b"MZ fake", "x.pdf", "application/pdf"),  # a stream per run: the test opens it
            },
            "error-summary",
        ),
    ],
)
def test_refused_activities_answer_400_and_save_nothing(app, client, login_as, data, message):
    login_as("upg")
    # A stream in the parameters would be read (and closed) by the first database's run.
    data = {k: (io.BytesIO(v[0]), *v[1:]) if isinstance(v, tuple) else v for k, v in data.items()}
    response = client.post(f"{BASE}/kegiatan", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UpgCampaignActivity)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


@pytest.mark.parametrize("role", ["admin", "pengaduan", "skm"])
def test_other_roles_are_refused(client, login_as, role):
    login_as(role)
    assert client.get(BASE).status_code == 403
    assert client.post(f"{BASE}/teks", data={"home": "x"}).status_code == 403
    assert client.post(f"{BASE}/kegiatan", data={}).status_code == 403


def test_the_pimpinan_reads_with_no_data_and_a_bad_quarter_is_a_404(client, login_as):
    login_as("pimpinan")
    page = client.get(BASE)
    assert page.status_code == 200 and "Belum ada kegiatan" in page.get_data(as_text=True)
    assert client.get(f"{BASE}?period=2026-Q9").status_code == 404
    assert client.get(f"{BASE}/kegiatan/999/bukti/1").status_code == 404
