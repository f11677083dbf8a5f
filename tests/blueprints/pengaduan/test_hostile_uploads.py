"""Hostile uploads through the public form, and what staff download (issue 7.3, 7.8, 7.11)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image

from tests.blueprints.pengaduan.test_public_form import assert_refused_and_kept, post_form
from tests.blueprints.pengaduan.test_staff import INBOX, attachment_of, audit_entries, file_case
from tests.security.test_pdfs import HOSTILE
from zi_public.extensions import db
from zi_public.models import Attachment, AttachmentVariant, Role


def webp(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="WEBP", quality=10)
    return out.getvalue()


@pytest.mark.parametrize(
    ("side", "message"),
    [
        (7300, "bom.webp: Dimensi gambar terlalu besar (paling banyak 52 megapiksel)"),  # over the per-file cap
        (7000, "bom.webp: Gambar-gambar dalam satu pengiriman terlalu besar"),  # the issue's: over the budget
    ],
)
def test_an_image_bomb_is_refused_before_decoding_and_the_text_is_kept(app, client, seeded, side, message):
    bomb = webp(side, side)
    assert len(bomb) < 200_000
    response = post_form(client, files=[(bomb, "bom.webp")])
    assert_refused_and_kept(app, response, message, ['value="PBG belum terbit"'])


class TestPixelBudget:
    @pytest.fixture
    def app_config(self):
        return {"UPLOAD_MAX_PIXELS": 1_000_000, "UPLOAD_PIXEL_BUDGET": 600_000}

    def test_the_caps_are_configuration(self, app, client, seeded):
        response = post_form(client, files=[(webp(1001, 1000), "besar.webp")])
        assert_refused_and_kept(app, response, "paling banyak 1 megapiksel", ['value="PBG belum terbit"'])

    def test_files_that_each_fit_are_refused_together(self, app, client, seeded):
        png = io.BytesIO()
        Image.new("RGB", (500, 500)).save(png, format="PNG")  # 0.25 MP each: two fit, the third does not
        files = [(png.getvalue(), f"foto{i}.png") for i in range(3)]
        response = post_form(client, files=files)
        assert_refused_and_kept(app, response, "foto2.png: Gambar-gambar dalam satu pengiriman", [])


@pytest.mark.parametrize(
    "name", ["auto-run JavaScript", "embedded file", "PDF/HTML polyglot (HTML after %%EOF)", "PDF/SVG", "launch action"]
)
def test_hostile_pdfs_are_refused_on_the_form_and_nothing_is_stored(app, client, seeded, name):
    data, _reason = HOSTILE[name]
    response = post_form(client, files=[(data, "surat.pdf")])
    assert_refused_and_kept(app, response, "surat.pdf: ", ['value="PBG belum terbit"'])
    page = response.get_data(as_text=True)
    assert "PDF biasa" in page


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Model] = "Model-X1"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (7.0, 28.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (110.0, 13.0, 1.0),
    }
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG", exif=exif.tobytes(), comment=b"rumah-budi")
    return out.getvalue()


def test_staff_get_a_photo_without_its_location_and_the_original_only_on_request(app, seeded, client, login_as):
    photo = gps_jpeg()
    case_id = file_case(app, attach=photo)
    original_id = attachment_of(app, case_id)
    login_as(Role.PENGADUAN)

    page = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    assert "salinan tanpa metadata" in page and "Unduh berkas asli" in page

    for _ in range(2):  # the copy is made once, then reused
        response = client.get(f"{INBOX}/{case_id}/lampiran/{original_id}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert b"SpyCam" not in response.data and b"rumah-budi" not in response.data
        with Image.open(io.BytesIO(response.data)) as image:
            assert len(image.getexif()) == 0 and image.size == (64, 48)
            assert image.getpixel((5, 5))[0] > 150
    with app.app_context():
        copies = db.session.scalars(sa.select(Attachment).where(Attachment.derived_from_id == original_id)).all()
        assert [c.variant for c in copies] == [AttachmentVariant.STRIPPED]
        assert copies[0].is_encrypted and copies[0].case_id == case_id

    evidence = client.get(f"{INBOX}/{case_id}/lampiran/{original_id}/asli")
    assert evidence.status_code == 200 and evidence.data == photo
    with Image.open(io.BytesIO(evidence.data)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    downloads = [(a, d["variant"]) for a, _actor, d in audit_entries(app) if "attachment_download" in a]
    assert downloads == [
        ("pengaduan.attachment_download", "stripped"),
        ("pengaduan.attachment_download", "stripped"),
        ("pengaduan.attachment_download_original", "original"),
    ]
    # the copy is no attachment of its own: the page lists the reporter's file once, and its id is not served
    page = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    assert page.count("bukti transfer") == 1
    assert client.get(f"{INBOX}/{case_id}/lampiran/{copies[0].id}").status_code == 404


def test_a_pdf_is_given_as_sent_and_the_page_says_so(app, seeded, client, login_as):
    from tests.factories import PDF

    case_id = file_case(app, attach=PDF)
    login_as(Role.PENGADUAN)
    page = client.get(f"{INBOX}/{case_id}").get_data(as_text=True)
    assert "berkas asli seperti yang dikirim pelapor" in page and "Unduh berkas asli" not in page
    assert client.get(f"{INBOX}/{case_id}/lampiran/{attachment_of(app, case_id)}").data == PDF


def test_pimpinan_cannot_take_the_original_either(app, seeded, client, login_as):
    case_id = file_case(app, attach=gps_jpeg())
    login_as(Role.PIMPINAN)
    assert client.get(f"{INBOX}/{case_id}/lampiran/{attachment_of(app, case_id)}/asli").status_code == 403
