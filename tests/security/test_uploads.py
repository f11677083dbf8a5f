"""Uploads: accepted only by content, capped while reading, stored privately under random names."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage

from tests.factories import PDF
from zi_public.security import uploads
from zi_public.security.keyring import Keyring, KeyringError
from zi_public.security.uploads import (
    UploadNotFound,
    UploadRejected,
    delete_upload,
    read_upload,
    reencrypt_upload,
    removed_on_error,
    store_upload,
    strip_image_metadata,
)

KEYRING = Keyring.parse("u1:" + "B" * 43)
MINIMAL_PDF = PDF


def image_bytes(fmt: str, size: tuple[int, int] = (48, 32), **options: object) -> bytes:
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    image = Image.new(mode, size, 5 if mode == "P" else (200, 30, 30))
    image.save(out, format=fmt, **options)
    return out.getvalue()


def noisy_jpeg(size: tuple[int, int] = (300, 200)) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "JPEG", quality=90)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header announces width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def upload(data: bytes, filename: str = "bukti.jpg", content_type: str = "image/jpeg"):
    return FileStorage(io.BytesIO(data), filename=filename, content_type=content_type)


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def store(upload_dir: Path):
    def store(data: bytes, filename: str = "bukti.jpg", content_type: str = "image/jpeg", **kw):
        kw.setdefault("allowed", {"image", "pdf"})
        kw.setdefault("max_bytes", 1024 * 1024)
        return store_upload(upload(data, filename, content_type), upload_dir=upload_dir, **kw)

    return store


def stored_files(upload_dir: Path) -> list[Path]:
    return sorted(p for p in upload_dir.rglob("*") if p.is_file()) if upload_dir.exists() else []


ACCEPTED = [
    ("JPEG", "image/jpeg", "foto.jpg"),
    ("PNG", "image/png", "denah.png"),
    ("GIF", "image/gif", "animasi.gif"),
    ("WEBP", "image/webp", "foto.webp"),
    ("PDF", "application/pdf", "surat.pdf"),
]


@pytest.mark.parametrize(("fmt", "content_type", "filename"), ACCEPTED)
def test_accepted_file_is_stored_privately_under_a_random_name(
    store, upload_dir, fmt, content_type, filename
):
    data = MINIMAL_PDF if fmt == "PDF" else image_bytes(fmt)
    stored = store(data, filename, "application/octet-stream")

    assert re.fullmatch(r"[0-9a-f]{32}", stored.stored_name)
    assert stored.content_type == content_type
    assert stored.original_name == filename
    assert (stored.size, stored.encrypted) == (len(data), False)
    path = upload_dir / stored.stored_name[:2] / stored.stored_name
    assert stored_files(upload_dir) == [path]  # no temporary file left behind
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(upload_dir.stat().st_mode) == 0o700
    assert read_upload(stored.stored_name, upload_dir=upload_dir) == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_same_file_twice_gets_two_names(store):
    data = image_bytes("PNG")
    assert store(data).stored_name != store(data).stored_name


def test_encrypted_upload_holds_no_plaintext_and_reads_back(store, upload_dir):
    data = image_bytes("PNG", size=(64, 64))
    stored = store(data, keyring=KEYRING, context="wbs.attachment")

    raw = (upload_dir / stored.stored_name[:2] / stored.stored_name).read_bytes()
    assert stored.encrypted
    assert raw.startswith(b"zk1.u1.")
    assert data[:16] not in raw and b"IHDR" not in raw
    assert read_upload(stored.stored_name, upload_dir=upload_dir, keyring=KEYRING,
                       context="wbs.attachment") == data
    with pytest.raises(KeyringError):  # another purpose's key material does not open it
        read_upload(stored.stored_name, upload_dir=upload_dir, keyring=KEYRING, context="upload")


def test_encrypted_file_copied_over_another_name_does_not_decrypt(store, upload_dir):
    first = store(image_bytes("PNG"), keyring=KEYRING)
    second = store(MINIMAL_PDF, keyring=KEYRING)
    path = lambda s: upload_dir / s.stored_name[:2] / s.stored_name  # noqa: E731
    path(second).write_bytes(path(first).read_bytes())
    with pytest.raises(KeyringError):
        read_upload(second.stored_name, upload_dir=upload_dir, keyring=KEYRING)


def test_reencrypt_moves_a_file_to_the_new_primary_key(store, upload_dir):
    data = image_bytes("PNG")
    stored = store(data, keyring=KEYRING, context="wbs.attachment")
    rotated = Keyring.parse("u2:" + "C" * 43 + ",u1:" + "B" * 43)
    kw = {"upload_dir": upload_dir, "keyring": rotated, "context": "wbs.attachment"}

    assert reencrypt_upload(stored.stored_name, **kw) is True
    assert reencrypt_upload(stored.stored_name, **kw) is False
    only_new = Keyring.parse("u2:" + "C" * 43)
    assert read_upload(stored.stored_name, **{**kw, "keyring": only_new}) == data
    assert len(stored_files(upload_dir)) == 1
    with pytest.raises(KeyringError):  # a plain file is not silently "rotated" into ciphertext
        reencrypt_upload(store(data).stored_name, **kw)


def test_plain_file_read_with_a_keyring_is_an_error_not_garbage(store, upload_dir):
    stored = store(image_bytes("JPEG"))
    with pytest.raises(KeyringError):
        read_upload(stored.stored_name, upload_dir=upload_dir, keyring=KEYRING)


def test_size_limit_is_exact(store, upload_dir):
    data = image_bytes("PNG")
    assert store(data, max_bytes=len(data)).size == len(data)
    with pytest.raises(UploadRejected) as info:
        store(data, max_bytes=len(data) - 1)
    assert info.value.code == "too_large"
    assert "maksimal" in str(info.value)
    assert len(stored_files(upload_dir)) == 1


class EndlessStream(io.RawIOBase):
    """A client that keeps sending: the reader must stop, not buffer it all."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        buffer[:] = b"\xff" * len(buffer)
        self.served += len(buffer)
        return len(buffer)


def test_oversized_stream_is_abandoned_early(upload_dir):
    stream = EndlessStream()
    file = FileStorage(stream, filename="besar.jpg")
    with pytest.raises(UploadRejected) as info:
        store_upload(file, upload_dir=upload_dir, allowed={"image"}, max_bytes=100_000)
    assert info.value.code == "too_large"
    assert stream.served <= 100_000 + uploads.CHUNK_SIZE
    assert "97 KB" in str(info.value)


def test_empty_file_is_rejected(store, upload_dir):
    with pytest.raises(UploadRejected) as info:
        store(b"", "kosong.pdf")
    assert info.value.code == "empty"
    assert info.value.filename == "kosong.pdf"
    assert stored_files(upload_dir) == []


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100
HOSTILE = {
    "html renamed jpg": (b"<!doctype html><script>alert(1)</script>", "foto.jpg", "image/jpeg"),
    "svg": (SVG, "logo.svg", "image/svg+xml"),
    "svg renamed png": (b'<?xml version="1.0"?>' + SVG, "a.png", "image/png"),
    "exe renamed jpg": (EXE, "foto.jpg", "image/jpeg"),
    "text renamed pdf": (b"Ini bukan PDF, hanya teks.\n%%EOF", "surat.pdf", "application/pdf"),
    "pdf marker late": (b"\n\n%PDF-1.4\n%%EOF", "surat.pdf", "application/pdf"),
    "zip": (b"PK\x03\x04" + b"\x00" * 60, "bukti.zip", "application/zip"),
    "bmp": (image_bytes("BMP"), "foto.bmp", "image/bmp"),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_content_that_is_not_an_accepted_type_is_rejected(store, upload_dir, case):
    data, filename, declared = case
    with pytest.raises(UploadRejected) as info:
        store(data, filename, declared)
    assert info.value.code == "type"
    assert "Jenis berkas tidak diterima" in str(info.value)
    assert stored_files(upload_dir) == []


def test_kind_not_allowed_for_this_form_is_rejected(store):
    with pytest.raises(UploadRejected) as info:
        store(MINIMAL_PDF, "surat.pdf", allowed={"image"})
    assert info.value.code == "type"
    assert "gambar JPEG, PNG, GIF atau WebP" in str(info.value)
    with pytest.raises(UploadRejected) as info:
        store(image_bytes("PNG"), allowed={"pdf"})
    assert "PDF" in str(info.value)


def test_unknown_kind_is_a_programming_error(store):
    with pytest.raises(ValueError, match="unknown upload kinds"):
        store(image_bytes("PNG"), allowed={"video"})


def test_client_declared_type_and_name_are_ignored(store):
    stored = store(image_bytes("PNG"), "setup.exe", "application/x-msdownload")
    assert stored.content_type == "image/png"
    assert stored.original_name == "setup.exe.png"


CORRUPT = {
    "truncated png": image_bytes("PNG", size=(300, 200))[:-60],
    "jpeg cut in its header": noisy_jpeg()[:400],
    "jpeg cut in its pixel data": noisy_jpeg()[:30_000],
    "jpeg magic then junk": b"\xff\xd8\xff\xe0" + b"junk" * 50,
    "png magic then junk": b"\x89PNG\r\n\x1a\n" + b"junk" * 50,
    "gif magic then junk": b"GIF89a" + b"\x00" * 3,
    "webp magic then junk": b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
    "pdf cut short": MINIMAL_PDF[:-20],
}


@pytest.mark.parametrize("data", CORRUPT.values(), ids=CORRUPT.keys())
def test_corrupt_files_are_rejected(store, upload_dir, data):
    with pytest.raises(UploadRejected) as info:
        store(data)
    assert info.value.code == "corrupt"
    assert "rusak" in str(info.value)
    assert stored_files(upload_dir) == []


@pytest.mark.parametrize(
    "size",
    [(100_000, 100_000), (10_000, 10_000), (8_000, 8_000)],
    ids=["beyond Pillow error limit", "Pillow warning range", "above our own cap"],
)
def test_decompression_bomb_is_rejected_without_leaking_a_warning(store, upload_dir, size):
    data = png_claiming(*size)
    assert len(data) < 200
    # Production does not turn warnings into errors; the guard must not rely on it, and
    # no DecompressionBombWarning may reach the log.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(UploadRejected) as info:
            store(data, "bom.png")
    assert caught == []
    assert info.value.code == "too_large"
    assert "Dimensi gambar" in str(info.value)
    assert stored_files(upload_dir) == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\budi\\Desktop\\foto.png", "foto.png"),
        ("foto\u202egnp.exe", "fotognp.exe.png"),  # right-to-left override made it look harmless
        ("  laporan\x00\n akhir .png", "laporan akhir .png"),
        ('bukti<1>:"a"|b?*.png', "bukti_1___a__b__.png"),
        ("", "lampiran.png"),
        ("....", "lampiran.png"),
        ("Gambar.PNG", "Gambar.PNG"),
        ("a" * 500 + ".png", "a" * 196 + ".png"),
    ],
)
def test_original_name_is_sanitised_for_display(store, given, expected):
    assert store(image_bytes("PNG"), given, "image/png").original_name == expected


BAD_NAMES = [
    "../etc/passwd", "/etc/passwd", "..", ".", "", "0" * 31, "0" * 33, "A" * 32,
    "0" * 30 + "/x", "../" + "0" * 32, "0" * 32 + "\x00", ".tmp-abcdef", "0" * 32 + "\n",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_names_not_made_by_this_module_are_refused(upload_dir, tmp_path, name):
    (tmp_path / "secret.txt").write_text("rahasia")
    with pytest.raises(UploadNotFound):
        read_upload(name, upload_dir=upload_dir)
    with pytest.raises(UploadNotFound):
        delete_upload(name, upload_dir=upload_dir)
    assert (tmp_path / "secret.txt").exists()


def test_unknown_valid_name_is_not_found(upload_dir):
    with pytest.raises(UploadNotFound):
        read_upload("ab" * 16, upload_dir=upload_dir)


def test_delete_removes_the_file_once(store, upload_dir):
    stored = store(image_bytes("PNG"))
    assert delete_upload(stored.stored_name, upload_dir=upload_dir) is True
    assert delete_upload(stored.stored_name, upload_dir=upload_dir) is False
    assert stored_files(upload_dir) == []


def test_failed_submission_removes_the_files_it_stored(store, upload_dir):
    with pytest.raises(RuntimeError), removed_on_error(upload_dir) as batch:
        batch.append(store(image_bytes("PNG")))
        batch.append(store(MINIMAL_PDF))
        raise RuntimeError("the database refused the case")
    assert stored_files(upload_dir) == []

    with removed_on_error(upload_dir) as batch:
        batch.append(store(image_bytes("PNG")))
    assert len(stored_files(upload_dir)) == 1


def exif_with_gps(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (7.0, 28.0, 12.0),
    }
    return exif.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_strip_image_metadata_removes_exif_and_gps(fmt):
    original = image_bytes(fmt, size=(40, 20), exif=exif_with_gps())
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test image really has GPS

    stripped = strip_image_metadata(original)

    assert b"SpyCam" not in stripped and b"Exif" not in stripped
    with Image.open(io.BytesIO(stripped)) as after:
        assert after.format == fmt
        assert len(after.getexif()) == 0
        after.load()
        assert after.size == (40, 20)
        assert after.getpixel((10, 10))[0] > 150  # still the red picture


def test_strip_image_metadata_keeps_the_photo_upright():
    rotated = image_bytes("JPEG", size=(40, 20), exif=exif_with_gps(orientation=6))
    with Image.open(io.BytesIO(strip_image_metadata(rotated))) as after:
        assert after.size == (20, 40)


def test_strip_image_metadata_drops_gif_comments():
    original = image_bytes("GIF", comment=b"dibuat-oleh-budi")
    stripped = strip_image_metadata(original)
    assert b"dibuat-oleh-budi" in original and b"dibuat-oleh-budi" not in stripped
    with Image.open(io.BytesIO(original)) as a, Image.open(io.BytesIO(stripped)) as b:
        assert a.convert("RGB").tobytes() == b.convert("RGB").tobytes()


@pytest.mark.parametrize("data", [MINIMAL_PDF, b"", png_claiming(100_000, 100_000)])
def test_strip_image_metadata_rejects_what_it_cannot_safely_decode(data):
    with pytest.raises(UploadRejected):
        strip_image_metadata(data)
