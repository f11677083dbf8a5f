"""The guide at /gratifikasi/: what counts, the deadlines, the exempt categories and limits of the regulation in
force on the date asked (with the categories PerKPK 1/2026 removed), and the English page without Indonesian
leftovers on every reporter page."""

from __future__ import annotations

import re

import pytest

from tests.test_i18n import INDONESIAN_ONLY, VisibleText

GUIDE = "/gratifikasi/"


def test_the_guide_after_20_january_2026_shows_the_new_limits_and_the_removed_category(client):
    response = client.get(GUIDE, query_string={"tanggal": "2026-03-02"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Peraturan Komisi Pemberantasan Korupsi Nomor 1 Tahun 2026" in page
    assert "Rp1.500.000 per pemberi" in page and "Rp500.000 per pemberi" in page
    assert 'id="kategori-pisah_sambut"' not in page
    assert re.search(r"dihapus oleh PerKPK 1/2026 sejak [^<]*20 Januari 2026", page)
    assert "Pemberian sesama rekan kerja" in page
    for word in ("Pasal 12C", "30 hari kerja", "Pinjaman tanpa bunga", "Pengobatan cuma-cuma", "menolak"):
        assert word in page
    assert "7 hari kerja" in page  # the office's own deadline (GRATIFIKASI_OFFICE_DAYS)
    assert 'href="/gratifikasi/lapor"' in page and 'href="/gratifikasi/status"' in page
    assert 'href="/benturan-kepentingan/"' in page


def test_the_guide_before_20_january_2026_shows_the_old_limits_and_the_coming_change(client):
    page = client.get(GUIDE, query_string={"tanggal": "2025-12-01"}).get_data(as_text=True)
    assert "Nomor 2 Tahun 2019" in page and "Rp1.000.000 per pemberi" in page
    assert 'id="kategori-pisah_sambut"' in page and "Rp300.000 per pemberi" in page
    assert re.search(r"PerKPK 1/2026 mengubah kategori dan batas nilai mulai [^<]*20 Januari 2026", page)
    assert "Kategori yang sudah dihapus" not in page


@pytest.mark.parametrize("tanggal", ["2026-02-30", "kemarin", "9999-01-01", "1" * 300])
def test_a_wrong_date_shows_a_message_and_todays_rules(client, tanggal):
    response = client.get(GUIDE, query_string={"tanggal": tanggal})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="error"' in page and "Pemberian yang tidak wajib dilaporkan" in page


@pytest.fixture
def english(client):
    client.set_cookie("zi_lang", "en")
    return client


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("/gratifikasi/?tanggal=2026-03-02", "Gifts that need not be reported"),
        ("/gratifikasi/?tanggal=2025-03-03", "changes the categories and value limits"),
        ("/gratifikasi/lapor", "Report a gift"),
        ("/gratifikasi/status", "Gift report status"),
    ],
)
def test_english_reporter_pages_have_no_indonesian_leftovers(english, url, sentence):
    response = english.get(url)
    page = VisibleText(response.get_data(as_text=True))
    assert response.status_code == 200 and page.lang == "en"
    assert any(sentence in piece for piece in page.pieces), sentence
    leftovers = sorted(INDONESIAN_ONLY.intersection(page.pieces))
    assert not leftovers, f"Indonesian text on the English {url}: {leftovers}"


def test_english_form_refused_and_previewed_in_english(english):
    from tests.blueprints.gratifikasi.test_public_form import post_form

    response = english.post(
        "/gratifikasi/lapor",
        data={"received_on": "2025-03-03", "preview": "1", "kind": "diterima"},
    )
    page = VisibleText(response.get_data(as_text=True))
    assert any(piece.startswith("Late:") for piece in page.pieces)
    assert not sorted(INDONESIAN_ONLY.intersection(page.pieces))
    refused = VisibleText(post_form(english, place="").get_data(as_text=True))
    assert not sorted(INDONESIAN_ONLY.intersection(refused.pieces))


def test_english_receipt_and_status_have_no_indonesian_leftovers(app, english):
    from tests.blueprints.gratifikasi.test_public_form import post_form, working_days_back

    assert post_form(english, received_on=working_days_back(app, 35).isoformat()).status_code == 302
    html = english.get("/gratifikasi/tanda-terima").get_data(as_text=True)
    receipt = VisibleText(html)
    assert any(piece.startswith("Late: reported 35 working days") for piece in receipt.pieces)
    assert not sorted(INDONESIAN_ONLY.intersection(receipt.pieces))
    number = re.search(r'receipt-number">([^<]+)<', html).group(1)
    code = re.search(r'receipt-code">([^<]+)<', html).group(1)
    shown = english.post("/gratifikasi/status", data={"number": number, "access_code": code})
    status = VisibleText(shown.get_data(as_text=True))
    assert any(piece.startswith("Your gift report") for piece in status.headings)
    assert not sorted(INDONESIAN_ONLY.intersection(status.pieces))
