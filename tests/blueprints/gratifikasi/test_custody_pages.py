"""The custody register's pages: the UPG adds, edits and records the exit of an item with photos; the pimpinan
reads and downloads the photos; every other role is refused; broken forms answer 400 and save nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.factories import make_gratifikasi, make_user
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AuditEntry, GratifikasiCustody, Role

BASE = "/internal/gratifikasi/titipan"


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def form(**overrides) -> dict:
    data = {
        "received_from": "Budi Santoso",
        "received_on": (today_jakarta() - timedelta(days=2)).isoformat(),
        "description": "Parsel makanan",
        "condition": "Baik",
        "storage_location": "Lemari UPG",
        "value": "750.000",
        "report_number": "",
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_upg_adds_edits_and_records_the_exit_with_a_photo(app, client, login_as):
    with app.app_context():
        number = make_gratifikasi().report.number
        db.session.commit()
    login_as("upg")
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}/baru").status_code == 200
    data = form(report_number=number, photos=(io.BytesIO(jpeg_bytes()), "parsel.jpg", "image/jpeg"))
    response = client.post(f"{BASE}/baru", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    item_url = response.headers["Location"]
    page = client.get(item_url).get_data(as_text=True)
    assert number in page and "Parsel makanan" in page and "Rp750.000" in page
    with app.app_context():
        item = db.session.scalars(sa.select(GratifikasiCustody)).one()
        item_id, photo_id = item.id, item.attachments[0].id
        from zi_public.services.gratifikasi.custody import item_version

        version = item_version(item)
    photo = client.get(f"{BASE}/{item_id}/foto/{photo_id}")
    assert photo.status_code == 200 and photo.data[:3] == b"\xff\xd8\xff"
    assert photo.headers["Content-Disposition"].startswith("attachment")
    response = client.post(
        f"{BASE}/{item_id}/ubah",
        data={
            "description": "Parsel makanan (dibuka)",
            "condition": "Segel rusak",
            "storage_location": "Brankas",
            "version": version,
        },
    )
    assert response.status_code == 302
    left_on = today_jakarta().isoformat()
    response = client.post(
        f"{BASE}/{item_id}/keluar", data={"left_on": left_on, "left_how": "diserahkan_kpk", "left_note": "BA-1"}
    )
    assert response.status_code == 302
    # It left: it leaves no second time, and is no longer edited.
    again = client.post(f"{BASE}/{item_id}/keluar", data={"left_on": left_on, "left_how": "dikembalikan"})
    assert again.status_code == 409
    edit = client.post(f"{BASE}/{item_id}/ubah", data={"description": "x", "version": version})
    assert edit.status_code == 409
    listed = client.get(f"{BASE}?state=left").get_data(as_text=True)
    assert "Parsel makanan (dibuka)" in listed
    assert "Parsel makanan (dibuka)" not in client.get(BASE).get_data(as_text=True)
    with app.app_context():
        item = db.session.get(GratifikasiCustody, item_id)
        assert item.left_how.value == "diserahkan_kpk" and item.description == "Parsel makanan (dibuka)"
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
        assert {
            "gratifikasi.custody_add",
            "gratifikasi.custody_read",
            "gratifikasi.custody_update",
            "gratifikasi.custody_exit",
            "gratifikasi_custody.attachment_download",
        } <= actions


@pytest.fixture
def stored_item(app):
    with app.app_context():
        from werkzeug.datastructures import FileStorage

        from zi_public.services.gratifikasi import custody

        upg = make_user(Role.UPG, username="upgsaksi")
        photo = FileStorage(io.BytesIO(jpeg_bytes()), filename="foto.jpg", content_type="image/jpeg")
        item = custody.add_item(
            upg, custody.ItemInput("Budi", today_jakarta(), "Jam tangan"), [photo], today=today_jakarta()
        )
        db.session.commit()
        return item.id, item.attachments[0].id


def test_the_pimpinan_reads_and_downloads_but_changes_nothing(app, client, login_as, stored_item):
    item_id, photo_id = stored_item
    login_as("pimpinan")
    assert "Jam tangan" in client.get(BASE).get_data(as_text=True)
    page = client.get(f"{BASE}/{item_id}").get_data(as_text=True)
    assert "Jam tangan" in page and "/ubah" not in page
    assert client.get(f"{BASE}/{item_id}/foto/{photo_id}").status_code == 200
    assert client.get(f"{BASE}/baru").status_code == 200
    assert client.post(f"{BASE}/{item_id}/keluar", data={"left_how": "dikembalikan"}).status_code == 403
    assert client.get(f"{BASE}/999999").status_code == 404


@pytest.mark.parametrize("role", ["admin", "pengaduan", "wbs", "skm"])
def test_other_roles_are_refused(app, client, login_as, stored_item, role):
    item_id, photo_id = stored_item
    login_as(role)
    for url in (BASE, f"{BASE}/{item_id}", f"{BASE}/{item_id}/foto/{photo_id}", f"{BASE}/baru"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}/baru", data=form()).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Wajib diisi."),  # replaced below by an empty form
        ({"received_from": "x" * 5000}, "Paling banyak 200 karakter."),
        ({"description": "a\x00b"}, "karakter yang tidak dapat dibaca"),
        ({"received_on": "30-11-2026"}, "Tulis tanggal seperti 2026-12-31."),
        ({"received_on": "2099-01-01"}, "Tanggal tidak boleh setelah hari ini."),
        ({"value": "banyak"}, "Tulis nilai dalam Rupiah"),
        ({"report_number": "GRT-2026-999999"}, "Nomor laporan gratifikasi tidak ditemukan."),
        ({"photos": (b"GIF89a not really", "foto.jpg", "image/jpeg")}, "error-summary"),  # the test opens it
    ],
)
def test_broken_forms_answer_400_and_save_nothing(app, client, login_as, overrides, message):
    login_as("upg")
    # A stream in the parameters would be read (and closed) by the first database's run.
    overrides = {k: (io.BytesIO(v[0]), *v[1:]) if isinstance(v, tuple) else v for k, v in overrides.items()}
    data = form(**overrides) if overrides else {}
    response = client.post(f"{BASE}/baru", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    if overrides.get("received_from"):
        assert "x" * 5000 in html  # what was typed comes back
    with app.app_context():
        assert count(GratifikasiCustody) == 0 and count(Attachment) == 0


def test_empty_posts_to_an_item_answer_400(app, client, login_as, stored_item):
    item_id, _ = stored_item
    login_as("upg")
    assert client.post(f"{BASE}/{item_id}/ubah", data={}).status_code == 400
    response = client.post(f"{BASE}/{item_id}/keluar", data={})
    assert response.status_code == 400 and "Isi tanggal keluar." in response.get_data(as_text=True)
    bad = client.post(f"{BASE}/{item_id}/keluar", data={"left_on": "2026-02-30", "left_how": "dibakar"})
    assert bad.status_code == 400
    assert client.post(f"{BASE}/999999/keluar", data={}).status_code == 404
    with app.app_context():
        assert db.session.get(GratifikasiCustody, item_id).left_on is None
