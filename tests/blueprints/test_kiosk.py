"""The service-hall kiosk: registered devices only, nothing kept between people, its own rate limit."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.factories import make_kiosk_device, make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, KioskDevice, Pengaduan, Role
from zi_public.rules.pengaduan import Channel
from zi_public.services import kiosk as kiosk_service
from zi_public.services.pengaduan.lookup import find_for_reporter

KIOSK_PAGES = ["/kiosk/", "/kiosk/pengaduan"]
CODE = re.compile(r'class="receipt-code">([^<]+)<')
NUMBER = re.compile(r"PGD-\d{4}-\d{6}")


def valid_form(**overrides: str) -> dict[str, str]:
    data = {
        "identity": "terbuka",
        "name": "Siti Aminah",
        "email": "siti@example.id",
        "phone": "0812 3456 7890",
        "category": "waktu",
        "layanan": "pbg",
        "title": "Antrean tidak dipanggil",
        "description": "Saya menunggu tiga jam tanpa dipanggil.",
        "requested_resolution": "Perbaiki sistem antrean.",
        "location": "Ruang pelayanan",
        "incident_date": "",
    }
    data.update(overrides)
    return data


def new_device(app, name: str = "Kiosk 1") -> tuple[int, str]:
    """A registered device and its signed cookie value, committed."""
    with app.app_context():
        device, value = make_kiosk_device(name)
        db.session.commit()
        return device.id, value


@pytest.fixture
def device(app, seeded) -> tuple[int, str]:
    return new_device(app)


@pytest.fixture
def kiosk(app, device):
    """A browser activated as a kiosk."""
    client = app.test_client()
    client.set_cookie(kiosk_service.COOKIE_NAME, device[1], path="/kiosk/")
    return client


def count_complaints(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Pengaduan))


def html(response) -> str:
    return response.get_data(as_text=True)


# --- registration -------------------------------------------------------------------------------


def test_unregistered_browser_gets_an_explanation_and_the_web_form_link(app, seeded, client):
    for url in [*KIOSK_PAGES, "/kiosk/pengaduan/terkirim"]:
        response = client.get(url)
        assert response.status_code == 403
        assert "Kiosk belum diaktifkan" in html(response)
        assert 'href="/pengaduan/"' in html(response)
        assert response.headers["Cache-Control"] == "no-store"
    assert client.post("/kiosk/pengaduan", data=valid_form()).status_code == 403
    assert count_complaints(app) == 0


@pytest.mark.parametrize(
    "cookie",
    ["garbage", "", "a.b.c", "%ff%fe", "x" * 4000, "WyJub3BlIl0.Zz9Zzw.forged-signature"],
)
def test_garbage_cookies_are_treated_as_unregistered(app, device, cookie):
    client = app.test_client()
    client.set_cookie(kiosk_service.COOKIE_NAME, cookie, path="/kiosk/")
    response = client.get("/kiosk/")
    assert response.status_code == 403 and "Kiosk belum diaktifkan" in html(response)


def test_tampered_and_revoked_cookies_are_treated_as_unregistered(app, device):
    device_id, value = device
    tampered = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    client = app.test_client()
    client.set_cookie(kiosk_service.COOKIE_NAME, tampered, path="/kiosk/")
    assert client.get("/kiosk/").status_code == 403
    client.set_cookie(kiosk_service.COOKIE_NAME, value, path="/kiosk/")
    assert client.get("/kiosk/").status_code == 200
    with app.app_context():
        kiosk_service.revoke_device(make_user(role=Role.ADMIN), db.session.get(KioskDevice, device_id))
        db.session.commit()
    response = client.get("/kiosk/pengaduan")
    assert response.status_code == 403 and "Kiosk belum diaktifkan" in html(response)


def test_admin_registers_and_activates_a_kiosk_on_this_browser(app, client, login_as):
    login_as(Role.ADMIN)
    assert client.post("/internal/perangkat-kiosk", data={"name": "  ", "location": ""}).status_code == 200
    response = client.post("/internal/perangkat-kiosk", data={"name": "Kiosk lobi", "location": "Lantai 1"})
    assert response.status_code == 302
    detail = response.headers["Location"]
    assert "Kiosk lobi" in html(client.get("/internal/perangkat-kiosk"))
    assert "Aktifkan di browser ini" in html(client.get(detail))
    assert client.get("/kiosk/").status_code == 403  # registered is not yet activated here

    response = client.post(detail + "/aktifkan")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("zi_kiosk="))
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/kiosk/" in flags
    max_age = next(int(f.split("=")[1]) for f in flags if f.startswith("max-age="))
    assert max_age >= 365 * 24 * 3600
    # The browser now belongs to the public: the admin was signed out, the kiosk works.
    assert client.get("/internal/").status_code == 302
    page = client.get("/kiosk/")
    assert page.status_code == 200 and 'href="/kiosk/pengaduan"' in html(page)
    with app.app_context():
        device = db.session.scalar(sa.select(KioskDevice))
        assert device.name == "Kiosk lobi" and device.last_seen_at is not None
        audit = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_type == "kiosk_device")))
        assert audit == ["kiosk.register", "kiosk.activate"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(KioskDevice)) == 1


def test_admin_revokes_a_kiosk_and_its_browser_stops_working(app, client, login_as, kiosk, device):
    assert kiosk.get("/kiosk/").status_code == 200
    login_as(Role.ADMIN)
    assert client.post(f"/internal/perangkat-kiosk/{device[0]}/cabut").status_code == 302
    assert "sudah dicabut" in html(client.get(f"/internal/perangkat-kiosk/{device[0]}"))
    assert kiosk.get("/kiosk/").status_code == 403
    response = client.post(f"/internal/perangkat-kiosk/{device[0]}/aktifkan")  # a revoked one stays dead
    assert response.status_code == 302 and not any(
        c.startswith("zi_kiosk=") for c in response.headers.getlist("Set-Cookie")
    )


# --- the kiosk itself ---------------------------------------------------------------------------


def test_start_page_offers_pengaduan_explains_wbs_and_offers_no_wbs_form(app, kiosk):
    page = html(kiosk.get("/kiosk/"))
    assert "Pengaduan" in page and 'href="/kiosk/skm"' in page
    assert "CCTV" in page and '<svg viewBox="0 0' in page
    assert "http://localhost/wbs/" in page  # the QR code's target (ZI_BASE_URL), printed for those who cannot scan
    assert "<title>http://localhost/wbs/</title>" in page
    assert "pungutan liar" in page  # what WBS is for
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert not [h for h in hrefs if "wbs" in h.lower()]
    assert re.findall(r'<form[^>]*action="([^"]+)"', page) == ["/kiosk/mulai-ulang"]
    assert not [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("kiosk.") and "wbs" in r.rule]


def test_layout_is_csp_clean_and_carries_the_idle_timeout(kiosk):
    page = html(kiosk.get("/kiosk/pengaduan"))
    assert 'data-kiosk-idle="90"' in page and 'data-kiosk-warn="20"' in page and "paper-80" in page
    assert "Mulai ulang" in page
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert 'src="/static/js/kiosk.js"' in page and 'href="/static/css/kiosk.css"' in page


@pytest.mark.parametrize(
    "app_config", [{"KIOSK_IDLE_SECONDS": 30, "KIOSK_IDLE_WARNING_SECONDS": 8, "KIOSK_PAPER_MM": 58}]
)
def test_idle_timeout_and_paper_width_come_from_config(kiosk):
    page = html(kiosk.get("/kiosk/"))
    assert 'data-kiosk-idle="30"' in page and 'data-kiosk-warn="8"' in page and "paper-58" in page


@pytest.mark.parametrize(
    ("lang", "one", "many", "button"),
    [
        ("id", "Halaman kembali ke awal dalam 1 detik", "Halaman kembali ke awal dalam {n} detik", "Lanjutkan"),
        ("en", "The page returns to the start in 1 second", "The page returns to the start in {n} seconds", "Continue"),
    ],
)
def test_the_idle_warning_waits_hidden_with_its_countdown_words_and_a_real_button(kiosk, lang, one, many, button):
    # kiosk.js shows it for the last data-kiosk-warn seconds (tests/e2e/test_kiosk_idle.py runs it in Chromium).
    kiosk.set_cookie("zi_lang", lang)
    page = html(kiosk.get("/kiosk/pengaduan"))
    warning = re.search(r'<section class="kiosk-idle-warning"[^>]*>.*?</section>', page, re.S).group(0)
    assert " hidden>" in warning.split("\n")[0]  # nothing to see until the idle time is almost up
    assert f'data-one="{one}"' in warning and f'data-many="{many}"' in warning
    assert re.search(rf'<button type="button" class="[^"]*kiosk-idle-continue" id="[^"]+">{button}</button>', warning)
    # One polite live region, outside the hidden warning so that it is read out when the countdown starts.
    assert page.count("aria-live=") == 1
    assert re.search(r'<p class="kiosk-sr" id="kiosk-idle-announce" role="status" aria-live="polite"[^>]*></p>', page)


def test_form_is_touch_friendly_and_offers_no_attachments(kiosk):
    page = html(kiosk.get("/kiosk/pengaduan"))
    assert 'type="file"' not in page and "Lampiran" in page and "dipakai bersama" in page
    assert 'inputmode="email"' in page and 'inputmode="tel"' in page and 'inputmode="numeric"' in page
    # No autofill on a shared machine: every text field says so.
    for tag in re.findall(r"<(?:input|textarea)[^>]*>", page):
        if 'type="hidden"' in tag or 'type="submit"' in tag or 'type="radio"' in tag:
            continue
        assert 'autocomplete="off"' in tag, tag


def test_filing_on_the_kiosk_shows_the_receipt_once_then_forgets_everything(app, kiosk, device):
    kiosk.set_cookie("zi_lang", "en")
    response = kiosk.post(
        "/kiosk/pengaduan",
        data={**valid_form(), "attachments": (io.BytesIO(b"%PDF-1.4 secret"), "ktp.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/pengaduan/terkirim")
    with app.app_context():
        case = db.session.scalar(sa.select(Pengaduan))
        assert case.channel == Channel.KIOSK and case.kiosk_id == device[0]
        assert case.attachments == []  # a file smuggled in is not taken
        number = case.number

    receipt = kiosk.get("/kiosk/pengaduan/terkirim")
    page = html(receipt)
    assert receipt.status_code == 200 and number in page
    assert '<dd class="receipt-category">Completion time</dd>' in page  # in the language this person chose
    code = CODE.search(page).group(1)
    with app.app_context():
        assert find_for_reporter(number, code) is not None
    assert f"/pengaduan/status?nomor={number}" in page and '<svg viewBox="0 0' in page
    assert '<html lang="en">' in page  # still in the language this person chose
    assert "data-kiosk-print" in page and "data-kiosk-after-print" in page
    assert receipt.headers["Cache-Control"] == "no-store"
    with kiosk.session_transaction() as session:
        assert dict(session) == {}
    assert kiosk.get_cookie("zi_lang") is None  # the next person starts in Indonesian

    again = kiosk.get("/kiosk/pengaduan/terkirim")
    assert again.status_code == 302 and again.headers["Location"].endswith("/kiosk/")
    assert number not in html(again) and code not in html(again)
    assert number not in html(kiosk.get("/kiosk/", follow_redirects=True))


def test_a_double_tap_files_one_complaint_and_never_repeats_the_code(app, kiosk):
    data = valid_form(submission_key="same-form-submitted-twice")
    assert kiosk.post("/kiosk/pengaduan", data=data).status_code == 302
    first = html(kiosk.get("/kiosk/pengaduan/terkirim"))
    assert kiosk.post("/kiosk/pengaduan", data=data).status_code == 302
    second = html(kiosk.get("/kiosk/pengaduan/terkirim"))
    assert count_complaints(app) == 1
    assert CODE.search(first) and not CODE.search(second)
    assert NUMBER.search(first).group(0) == NUMBER.search(second).group(0)
    assert '<dd class="receipt-category">Waktu penyelesaian</dd>' in second and "receipt-received" in second


@pytest.mark.parametrize(
    ("lang", "received", "category"),
    [
        ("id", "1 Desember 2026, 00.05 WIB", "Sarana dan prasarana"),
        ("en", "1 December 2026, 00.05 WIB", "Facilities and infrastructure"),
    ],
)
def test_the_receipt_says_when_in_jakarta_time_and_its_category_on_paper(app, kiosk, lang, received, category):
    kiosk.set_cookie("zi_lang", lang)
    assert kiosk.post("/kiosk/pengaduan", data=valid_form(category="sarana")).status_code == 302
    with app.app_context():  # 17.05 UTC on 30 November: five past midnight the next day in Jakarta
        db.session.scalar(sa.select(Pengaduan)).received_at = datetime(2026, 11, 30, 17, 5)
        db.session.commit()
    page = html(kiosk.get("/kiosk/pengaduan/terkirim"))
    facts = re.search(r'<dl class="receipt-facts">(.*?)</dl>', page, re.S).group(1)
    # Number, code, when, category: all in the one list the print layout keeps (no screen-only class).
    classes = re.findall(r'<dd class="([^"]+)">', facts)
    assert classes == ["receipt-number", "receipt-code", "receipt-received", "receipt-category"]
    assert f'<dd class="receipt-received">{received}</dd>' in facts
    assert f'<dd class="receipt-category">{category}</dd>' in facts


def test_hostile_input_is_refused_with_values_kept_and_nothing_saved(app, kiosk):
    data = valid_form(
        title="<script>alert(1)</script>",
        category="'; DROP TABLE pengaduan; --",
        identity="bukan-pilihan",
        email="bukan email",
        description="x" * 20_000,
        incident_date="2026-13-45",
        location="Jl. \u202eKebalik",
    )
    response = kiosk.post("/kiosk/pengaduan", data=data)
    page = html(response)
    assert response.status_code == 200 and "error-summary" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Siti Aminah" in page and "Ruang pelayanan" not in page  # the location was replaced above
    assert "Jl. \u202eKebalik" in page
    assert response.headers["Cache-Control"] == "no-store"
    nul = kiosk.post("/kiosk/pengaduan", data=valid_form(title="a\x00b"))
    assert nul.status_code == 200 and "tidak dapat dibaca" in html(nul) and "Siti Aminah" in html(nul)
    assert count_complaints(app) == 0


def test_anonymous_kiosk_complaint_keeps_no_identity(app, kiosk):
    assert kiosk.post("/kiosk/pengaduan", data=valid_form(identity="anonim")).status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(Pengaduan))
        assert case.reporter_name is None and case.reporter_email is None and case.reporter_phone is None


def test_start_over_clears_the_session_and_the_language(kiosk):
    kiosk.set_cookie("zi_lang", "en")
    with kiosk.session_transaction() as session:
        session["left_behind"] = "data of the previous person"
    response = kiosk.post("/kiosk/mulai-ulang")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/")
    assert response.headers["Cache-Control"] == "no-store"
    with kiosk.session_transaction() as session:
        assert dict(session) == {}
    assert kiosk.get_cookie("zi_lang") is None
    assert kiosk.get("/kiosk/mulai-ulang").status_code == 405  # a state change is a POST


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_with_csrf_on_start_over_still_works_and_an_expired_form_keeps_its_values(app, kiosk):
    assert kiosk.post("/kiosk/mulai-ulang").status_code == 302  # idle reset after the token expired
    response = kiosk.post("/kiosk/pengaduan", data=valid_form(csrf_token="expired"))
    assert response.status_code == 400
    assert "kedaluwarsa" in html(response) and "Antrean tidak dipanggil" in html(response)
    assert count_complaints(app) == 0
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html(response)).group(1)
    assert kiosk.post("/kiosk/pengaduan", data=valid_form(csrf_token=token)).status_code == 302
    assert count_complaints(app) == 1


# --- rate limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_KIOSK": "3 per hour"}])
def test_each_kiosk_has_its_own_limit_and_the_web_is_not_affected(app, kiosk):
    hall = {"REMOTE_ADDR": "10.1.1.1"}  # one address for the whole service hall
    for _ in range(4):  # refused forms (a citizen still typing) do not use up the kiosk's allowance
        assert kiosk.post("/kiosk/pengaduan", data=valid_form(title=""), environ_base=hall).status_code == 200
    for n in range(3):
        response = kiosk.post("/kiosk/pengaduan", data=valid_form(title=f"Keluhan {n}"), environ_base=hall)
        assert response.status_code == 302, n
    blocked = kiosk.post("/kiosk/pengaduan", data=valid_form(title="Keluhan keempat"), environ_base=hall)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Keluhan keempat" in html(blocked) and "coba kirim lagi nanti" in html(blocked)
    assert count_complaints(app) == 3
    assert kiosk.get("/kiosk/pengaduan", environ_base=hall).status_code == 200  # only filing is limited

    # A second kiosk in the same hall counts on its own.
    _, other_value = new_device(app, "Kiosk 2")
    other = app.test_client()
    other.set_cookie(kiosk_service.COOKIE_NAME, other_value, path="/kiosk/")
    assert other.post("/kiosk/pengaduan", data=valid_form(), environ_base=hall).status_code == 302
    # A citizen's own browser at that address is not held back by the kiosks' count.
    web = app.test_client()
    assert web.get("/pengaduan/", environ_base=hall).status_code == 200
    lookup = web.post("/pengaduan/status", data={"number": "PGD-2026-000001", "code": "x"}, environ_base=hall)
    assert lookup.status_code != 429
    assert count_complaints(app) == 4
