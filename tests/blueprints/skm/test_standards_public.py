"""The public standar pelayanan pages: the list with its search, one layanan's standard in force, the maklumat."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_maklumat, make_standard
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan
from zi_public.services.skm.standards import COMPONENT_LABELS, COMPONENTS


def html(response) -> str:
    return response.get_data(as_text=True)


def detail_links(body: str) -> list[str]:
    return re.findall(r'href="/layanan/([^"?#]+)"', body)


@pytest.fixture
def published(app, seeded):
    """pbg: an old version, the one in force (hostile and multi-line text) and a scheduled one."""
    today = today_jakarta()
    with app.app_context():
        make_standard("pbg", today - timedelta(days=400), persyaratan="Versi lama")
        make_standard(
            "pbg",
            today - timedelta(days=10),
            persyaratan="1. KTP\n2. NIB\n3. <script>alert(1)</script>",
            biaya='Gratis "tanpa pungutan" & tanpa calo',
        )
        make_standard("pbg", today + timedelta(days=20), persyaratan="Versi mendatang")
        db.session.commit()
    return today


# --- one layanan ----------------------------------------------------------------------------------------


def test_the_standard_in_force_today_component_by_component(client, published):
    response = client.get("/layanan/pbg")
    body = html(response)
    assert response.status_code == 200
    assert "<h1>Persetujuan Bangunan Gedung (PBG)</h1>" in body
    for name in COMPONENTS:
        assert f">{COMPONENT_LABELS[name]}</h2>" in body, name
    # Line breaks kept (shown by CSS pre-line), markup never rendered.
    assert '<p class="pre-line">1. KTP\n2. NIB\n3. &lt;script&gt;alert(1)&lt;/script&gt;</p>' in body
    assert "<script>alert" not in body
    assert "Gratis &#34;tanpa pungutan&#34; &amp; tanpa calo" in body
    assert "Versi lama" not in body and "Versi mendatang" not in body  # neither the past nor the future
    assert "berlaku sejak" in body
    assert "akan berlaku mulai" in body  # the scheduled version is announced by its date
    assert 'href="/maklumat"' in body


def test_a_layanan_without_a_standard_says_so_politely(client, seeded):
    response = client.get("/layanan/slf")
    assert response.status_code == 200
    assert "sedang kami siapkan" in html(response)


def test_a_version_scheduled_for_tomorrow_is_not_shown_today(app, client, seeded):
    with app.app_context():
        make_standard("slf", today_jakarta() + timedelta(days=1), persyaratan="Besok")
        db.session.commit()
    body = html(client.get("/layanan/slf"))
    assert "sedang kami siapkan" in body and "Besok" not in body and "akan berlaku mulai" in body


@pytest.mark.parametrize("code", ["tidak-ada", "PBG", "x" * 41, "pbg%20", "%C3%A9", "..", "%25", "%E0%A4"])
def test_an_unknown_code_is_a_404_page(client, seeded, code):
    response = client.get(f"/layanan/{code}")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html(response)


def test_a_nul_in_the_code_is_refused(client, seeded):
    assert client.get("/layanan/pbg%00").status_code == 400


def test_a_retired_layanan_is_a_404(app, client, published):
    with app.app_context():
        db.session.execute(sa.update(Layanan).where(Layanan.code == "pbg").values(is_active=False))
        db.session.commit()
    assert client.get("/layanan/pbg").status_code == 404
    assert "pbg" not in detail_links(html(client.get("/layanan")))


def test_english_names_and_labels_in_the_english_ui(client, published):
    client.set_cookie(LANG_COOKIE, "en")
    body = html(client.get("/layanan/pbg"))
    assert "<h1>Building Approval (PBG)</h1>" in body
    assert "published in Indonesian" in body
    assert "Requirements" in body
    assert "Building Approval (PBG)" in html(client.get("/layanan"))


# --- the list --------------------------------------------------------------------------------------------------


def test_the_list_links_every_active_layanan_and_says_which_are_published(client, published):
    body = html(client.get("/layanan"))
    assert len(detail_links(body)) == 14 and detail_links(body)[1] == "pbg"
    assert body.count("Standar pelayanan belum diterbitkan") == 13
    assert "Standar pelayanan berlaku sejak" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pbg", ["pbg"]),
        ("GEDUNG bangunan", ["pbg"]),
        ("apótek", ["izin-apotek"]),
        ("building approval", ["pbg"]),
        ("%", []),
        ("_", []),
        ("%_%", []),
        ("<script>", []),
        ("x" * 5000, []),
        ("ビル", []),
    ],
)
def test_search(client, seeded, query, expected):
    response = client.get("/layanan", query_string={"q": query})
    body = html(response)
    assert response.status_code == 200
    assert detail_links(body) == expected
    if not expected:
        assert "Tidak ada layanan yang cocok" in body
    assert "<script>" not in body


def test_the_search_box_keeps_the_query_escaped(client, seeded):
    body = html(client.get("/layanan", query_string={"q": '"><b>pbg'}))
    assert 'value="&#34;&gt;&lt;b&gt;pbg"' in body and "<b>pbg" not in body


def test_a_nul_in_the_query_is_refused_cleanly(client, seeded):
    assert client.get("/layanan?q=%00").status_code == 400


class TestPaging:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"PAGE_SIZE": 5}

    def test_pages_keep_the_query_and_odd_page_numbers_fall_back(self, client, seeded):
        first = html(client.get("/layanan"))
        assert len(detail_links(first)) == 5 and 'href="/layanan?page=2"' in first
        last = html(client.get("/layanan?page=3"))
        assert len(detail_links(last)) == 4 and 'rel="prev" href="/layanan?page=2"' in last
        assert detail_links(html(client.get("/layanan?page=999"))) == detail_links(last)
        for odd in ("abc", "-1", "0", "1e3", "%EF%BC%92", "9" * 40):
            assert detail_links(html(client.get(f"/layanan?page={odd}"))) == detail_links(first), odd
        izin = html(client.get("/layanan?q=izin"))
        assert 'href="/layanan?page=2&amp;q=izin"' in izin


# --- the maklumat and the links to both ----------------------------------------------------------------------


def test_the_maklumat_in_force(app, client, seeded):
    assert "sedang kami siapkan" in html(client.get("/maklumat"))
    with app.app_context():
        make_maklumat(
            today_jakarta() - timedelta(days=3),
            text="Kami sanggup.\nApabila ingkar, kami siap disanksi <sesuai aturan>.",
            signer_name="Dra. Sri Wahyuni",
            signer_position="Kepala Dinas",
        )
        make_maklumat(today_jakarta() + timedelta(days=3), text="Maklumat baru")
        db.session.commit()
    body = html(client.get("/maklumat"))
    assert "Kami sanggup.\nApabila ingkar, kami siap disanksi &lt;sesuai aturan&gt;." in body
    assert "Dra. Sri Wahyuni" in body and "Kepala Dinas" in body and "Berlaku sejak" in body
    assert "Maklumat baru" not in body and "akan berlaku mulai" in body


def test_home_and_every_public_page_link_to_the_standards_and_the_maklumat(client, seeded):
    for url in ("/", "/layanan", "/layanan/pbg", "/maklumat"):
        body = html(client.get(url))
        assert 'href="/layanan"' in body and 'href="/maklumat"' in body, url
