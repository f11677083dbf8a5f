"""Attachments: checked by content, size-capped, stored under random names, optionally encrypted.

A file is accepted only when its first bytes are a JPEG, PNG, GIF, WebP or PDF signature (the
client's file name and content type are never trusted) and its whole structure checks out: an image
is decoded by Pillow within a pixel cap per file and a pixel budget per submission (the dimensions
are read from the header first, so a tiny file announcing a huge picture costs nothing); a PDF is
parsed by zi_public.security.pdfs, which refuses anything that can act when opened.

It is written to ``upload_dir/<2 hex>/<32 hex>`` through a temporary file
and a rename, so a crash never leaves half a file under a real name. With a keyring the bytes are
stored as a ``zk1.`` token whose associated data is ``context:stored_name``: a file copied over
another attachment's name does not decrypt.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import secrets
import tempfile
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps
from werkzeug.datastructures import FileStorage

from zi_public.i18n import format_size
from zi_public.security import office
from zi_public.security.files import private_dir
from zi_public.security.keyring import Keyring, KeyringError

log = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
#: Defaults of the configuration keys UPLOAD_MAX_PIXELS and UPLOAD_PIXEL_BUDGET (see zi_public.config).
MAX_IMAGE_PIXELS = 52_000_000
PIXEL_BUDGET = 24_000_000
#: A JPEG is checked decoded at 1/8 of its width and height (Pillow's draft mode): 1/64 of its pixels.
JPEG_DRAFT_SCALE = 8
#: What a decoded pixel costs against the budget, by format: Pillow's WebP decoder holds RGBA plus a
#: converted copy, about 15 bytes a pixel where PNG needs 4 and GIF 1 (measured by tests/bench/uploads.py).
DECODE_WEIGHT = {"WEBP": 4}
ORIGINAL_NAME_MAX = 200

#: The _TYPES marker of an office document (neither a Pillow format nor None, which means PDF).
OFFICE = "OFFICE"
# content type -> (Pillow format, None for PDF or OFFICE, canonical extension, accepted extensions)
_TYPES: dict[str, tuple[str | None, str, tuple[str, ...]]] = {
    "image/jpeg": ("JPEG", ".jpg", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "image/png": ("PNG", ".png", (".png",)),
    "image/gif": ("GIF", ".gif", (".gif",)),
    "image/webp": ("WEBP", ".webp", (".webp",)),
    "application/pdf": (None, ".pdf", (".pdf",)),
    # Office documents (zi_public.security.office): checked as ZIP archives, never by Pillow.
    office.OOXML_TYPES["word/document.xml"]: (OFFICE, ".docx", (".docx",)),
    office.OOXML_TYPES["xl/workbook.xml"]: (OFFICE, ".xlsx", (".xlsx",)),
    office.OOXML_TYPES["ppt/presentation.xml"]: (OFFICE, ".pptx", (".pptx",)),
    "application/vnd.oasis.opendocument.text": (OFFICE, ".odt", (".odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": (OFFICE, ".ods", (".ods",)),
    "application/vnd.oasis.opendocument.presentation": (OFFICE, ".odp", (".odp",)),
}
KINDS: dict[str, frozenset[str]] = {
    "image": frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
    "pdf": frozenset({"application/pdf"}),
    "office": office.CONTENT_TYPES,
}
_TYPE_MESSAGES = {
    frozenset({"image"}): _l("Jenis berkas tidak diterima. Unggah gambar JPEG, PNG, GIF atau WebP."),
    frozenset({"pdf"}): _l("Jenis berkas tidak diterima. Unggah dokumen PDF."),
    frozenset({"image", "pdf"}): _l(
        "Jenis berkas tidak diterima. Unggah gambar (JPEG, PNG, GIF, WebP) atau dokumen PDF."
    ),
    frozenset({"image", "pdf", "office"}): _l(
        "Jenis berkas tidak diterima. Unggah gambar (JPEG, PNG, GIF, WebP), PDF, atau dokumen Word, Excel, "
        "PowerPoint atau OpenDocument (tanpa makro)."
    ),
}
_STORED_NAME = re.compile(r"[0-9a-f]{32}")
_NAME_BREAKS = re.compile(r"[\\/]")
_NAME_RESERVED = re.compile(r'[<>:"|?*]')  # not allowed in file names on the staff's Windows PCs


class UploadRejected(ValueError):
    """The file cannot be accepted; `code` is one of empty, too_large, type, corrupt, unsafe, encrypted."""

    def __init__(self, code: str, message: object, filename: str = "") -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message  # a lazy string: rendered in the reader's language
        self.filename = filename

    def __str__(self) -> str:
        return str(self.message)


class PixelBudget:
    """The pixels one submission may make us decode, spent file by file (a JPEG at its draft scale,
    a WebP at DECODE_WEIGHT).

    One budget per request, so five files just under the per-file cap cannot add up to five times
    the memory and time of one.
    """

    def __init__(self, limit: int = PIXEL_BUDGET) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self, pixels: int, filename: str) -> None:
        if self.spent + pixels > self.limit:
            message = _l(
                "Gambar-gambar dalam satu pengiriman terlalu besar untuk diperiksa (paling banyak "
                "%(limit)s megapiksel bersama-sama). Perkecil gambar atau kirim dalam format JPEG, lalu unggah lagi.",
                limit=_megapixels(self.limit),
            )
            raise UploadRejected("too_large", message, filename)
        self.spent += pixels


class UploadNotFound(LookupError):
    """No stored file by that name (or the name is not one this module could have made)."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str  # sanitised; for display and the download name only, never a path
    content_type: str  # from the file's own bytes
    size: int
    sha256: str  # of the plaintext
    encrypted: bool


def store_upload(
    file: FileStorage,
    *,
    upload_dir: Path,
    allowed: set[str] | frozenset[str],
    max_bytes: int,
    keyring: Keyring | None = None,
    context: str = "upload",
    max_pixels: int = MAX_IMAGE_PIXELS,
    budget: PixelBudget | None = None,
) -> StoredFile:
    """Check one uploaded file and store it; raise UploadRejected with a message for the form.

    `max_pixels` caps one image's width × height; `budget` (shared by the files of one submission)
    caps the pixels decoded in all. Nothing is written unless the file is accepted.
    """
    unknown = set(allowed) - KINDS.keys()
    if not allowed or unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown) or 'none given'}")
    filename = file.filename or ""
    data = read_capped(file.stream, max_bytes, filename)
    content_type = sniff_content_type(data)
    if content_type is None or not any(content_type in KINDS[k] for k in allowed):
        raise UploadRejected("type", _TYPE_MESSAGES[frozenset(allowed)], filename)
    _check_content(data, content_type, filename, max_pixels, budget or PixelBudget(max_pixels))
    return store_bytes(
        data,
        content_type=content_type,
        original_name=sanitize_filename(filename, content_type),
        upload_dir=upload_dir,
        keyring=keyring,
        context=context,
    )


def store_bytes(
    data: bytes,
    *,
    content_type: str,
    original_name: str,
    upload_dir: Path,
    keyring: Keyring | None = None,
    context: str = "upload",
) -> StoredFile:
    """Store bytes this application made itself (a metadata-free copy): no checks, same storage."""
    stored_name = secrets.token_hex(16)
    payload = data
    if keyring is not None:
        payload = keyring.encrypt(data, _aad(context, stored_name)).encode("ascii")
    write_atomically(_path_for(upload_dir, stored_name), payload)
    return StoredFile(
        stored_name=stored_name,
        original_name=original_name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        encrypted=keyring is not None,
    )


def read_upload(
    stored_name: str, *, upload_dir: Path, keyring: Keyring | None = None, context: str = "upload"
) -> bytes:
    """The plaintext bytes of a stored file; UploadNotFound for a bad or unknown name."""
    path = checked_path(upload_dir, stored_name)
    try:
        payload = path.read_bytes()
    except FileNotFoundError as exc:
        raise UploadNotFound(stored_name) from exc
    if keyring is None:
        return payload
    try:
        token = payload.decode("ascii")
    except UnicodeDecodeError as exc:
        raise KeyringError("stored file is not encrypted") from exc
    return keyring.decrypt(token, _aad(context, stored_name))


def reencrypt_upload(stored_name: str, *, upload_dir: Path, keyring: Keyring, context: str = "upload") -> bool:
    """Rewrite an encrypted file under the keyring's primary key (for `keys rotate`).

    Returns False when it already is; the swap is atomic like the first write.
    """
    path = checked_path(upload_dir, stored_name)
    try:
        token = path.read_bytes().decode("ascii")
    except FileNotFoundError as exc:
        raise UploadNotFound(stored_name) from exc
    except UnicodeDecodeError as exc:
        raise KeyringError("stored file is not encrypted") from exc
    if not keyring.needs_rotation(token):
        return False
    aad = _aad(context, stored_name)
    write_atomically(path, keyring.encrypt(keyring.decrypt(token, aad), aad).encode("ascii"))
    return True


def delete_upload(stored_name: str, *, upload_dir: Path) -> bool:
    """Remove a stored file (rollback of a failed submission); False when it was not there."""
    path = checked_path(upload_dir, stored_name)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


@contextlib.contextmanager
def removed_on_error(upload_dir: Path) -> Iterator[list[StoredFile]]:
    """Collect StoredFiles in the yielded list; if the block raises, delete them all.

    Wrap "store the files, call the service, commit" in it so that a failed submission leaves
    no orphan attachment behind.
    """
    stored: list[StoredFile] = []
    try:
        yield stored
    except BaseException:
        for item in stored:
            delete_upload(item.stored_name, upload_dir=upload_dir)
        raise


def read_capped(source: bytes | BinaryIO, max_bytes: int, filename: str = "") -> bytes:
    """An upload's bytes, or a stream of them read in chunks and abandoned as soon as it passes `max_bytes`
    (an oversized upload is never buffered in full); UploadRejected too_large or empty."""
    if isinstance(source, bytes):
        data = source
    else:
        buffer = bytearray()
        while len(buffer) <= max_bytes and (chunk := source.read(CHUNK_SIZE)):
            buffer += chunk
        data = bytes(buffer)
    if len(data) > max_bytes:
        message = _l("Berkas terlalu besar; ukuran maksimal %(limit)s.", limit=format_size(max_bytes))
        raise UploadRejected("too_large", message, filename)
    if not data:
        raise UploadRejected("empty", _l("Berkas kosong; pilih berkas yang berisi."), filename)
    return data


def checked_path(upload_dir: Path, stored_name: str) -> Path:
    """Where a stored file lives; UploadNotFound for a name this module could not have made (no "..", no
    separators, no absolute paths, no temporary files)."""
    if not isinstance(stored_name, str) or not _STORED_NAME.fullmatch(stored_name):
        raise UploadNotFound(repr(stored_name)[:80])
    return _path_for(upload_dir, stored_name)


def write_atomically(path: Path, payload: bytes) -> None:
    """Write a stored file through a private temporary file and a rename: a crash never leaves half a file
    under a real name; the folders are made private first."""
    private_dir(path.parent.parent)
    private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # created 0o600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def sniff_content_type(data: bytes) -> str | None:
    """The content type named by the file's signature, or None when it is not one we accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if re.match(rb"%PDF-\d", data):
        return "application/pdf"
    return office.sniff_office(data)  # a ZIP that is a Word/Excel/PowerPoint or OpenDocument file


def extension_for(content_type: str) -> str:
    """The extension a download of this content type should carry (".jpg", ".pdf", ...)."""
    return _TYPES[content_type][1]


def sanitize_filename(name: str, content_type: str) -> str:
    """The client's file name made safe to display and offer as a download name.

    Directories, control and bidirectional-override characters go (a U+202E makes a name
    that ends in ".exe" display as if it ended in ".jpg"), and the name is made to end in an
    extension matching the content: a real PDF named "laporan.exe" downloads as "laporan.exe.pdf".
    """
    name = unicodedata.normalize("NFC", _NAME_BREAKS.split(name)[-1])
    name = "".join(_clean_char(ch) for ch in name)
    name = " ".join(name.split()).strip(" .")
    _, canonical, accepted = _TYPES[content_type]
    stem, ext = os.path.splitext(name)
    if ext.lower() not in accepted:
        stem, ext = name, canonical
    stem = stem or str(_l("lampiran"))
    return stem[: ORIGINAL_NAME_MAX - len(ext)] + ext


def strip_image_metadata(data: bytes, *, max_pixels: int = MAX_IMAGE_PIXELS) -> bytes:
    """Re-encode a JPEG, PNG, WebP or GIF from its pixels alone: no EXIF, GPS, XMP, ICC or comments.

    The EXIF orientation is applied first so the copy still shows upright. An animated image
    keeps only its first frame: this is the copy staff look at; the original stays as evidence.
    A JPEG keeps its own quantisation tables, so the copy is no blurrier than what was sent.
    Memory: the decoded picture once (twice while it is turned upright), never a third copy.
    """
    with _bomb_guard():
        try:
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP", "GIF"]) as image:
                fmt = image.format or "PNG"
                _check_pixels(image.size, "", max_pixels)
                image.load()
                ImageOps.exif_transpose(image, in_place=True)
                # The savers read comments, ICC profiles and the like from `info` too: keep only what
                # the pixels need. EXIF and XMP are written only when passed to save(), as they are not.
                image.info = {k: v for k, v in image.info.items() if k in ("transparency", "background")}
                options: dict[str, object] = {}
                if fmt == "JPEG":
                    options.update(quality="keep", subsampling="keep")
                elif fmt == "WEBP":
                    options.update(quality=90)
                out = io.BytesIO()
                image.save(out, format=fmt, **options)
        except UploadRejected:
            raise
        except Exception as exc:
            raise _decode_failure(exc, "") from exc
    return out.getvalue()


# -- internals -----------------------------------------------------------------------------


def _check_content(data: bytes, content_type: str, filename: str, max_pixels: int, budget: PixelBudget) -> None:
    pillow_format = _TYPES[content_type][0]
    if pillow_format == OFFICE:
        try:
            office.check_office(data)
        except office.OfficeRefused as refused:
            log.info("office document %r refused: %s %s", filename[:100], refused.reason, refused.detail)
            code, message = _OFFICE_REFUSALS[refused.reason]
            raise UploadRejected(code, message, filename) from refused
        return
    if pillow_format is None:
        from zi_public.security import pdfs  # pypdf (about 6 MB) is loaded by the first PDF, not by every process

        try:
            pdfs.check_pdf(data)
        except pdfs.PdfRefused as refused:
            log.info("PDF %r refused: %s %s", filename[:100], refused.reason, refused.detail)
            code, message = _PDF_REFUSALS[refused.reason]
            raise UploadRejected(code, message, filename) from refused
        return
    with _bomb_guard():
        try:
            # Opening reads the header only: the dimensions are checked before a pixel is decoded.
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                _check_pixels(image.size, filename, max_pixels)
                image.verify()  # structure and checksums (PNG chunk CRCs, ...)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                if pillow_format == "JPEG":
                    # Decoding at 1/8 scale still reads every scan, at a fraction of the memory.
                    scale = JPEG_DRAFT_SCALE
                    image.draft("RGB", (max(1, image.width // scale), max(1, image.height // scale)))
                # What load() will decode, weighted by what the format's decoder holds per pixel.
                budget.spend(image.width * image.height * DECODE_WEIGHT.get(pillow_format, 1), filename)
                image.load()  # verify() does not decode pixels; a truncated JPEG fails only here
        except UploadRejected:
            raise
        except Exception as exc:
            raise _decode_failure(exc, filename) from exc


@contextlib.contextmanager
def _bomb_guard() -> Iterator[None]:
    """Make Pillow's decompression-bomb warning an exception inside the block.

    Warning filters are process-wide and not thread-safe, so _check_pixels repeats the size
    check with a lower limit: a filter lost to a concurrent request cannot let a bomb through.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _decode_failure(exc: Exception, filename: str) -> UploadRejected:
    """The rejection for an exception raised while Pillow opened or decoded an image."""
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return UploadRejected("too_large", _pixels_message(), filename)
    # Decoders raise OSError, SyntaxError, ValueError, struct.error, EOFError...: all mean the
    # bytes are not a readable image.
    return UploadRejected("corrupt", _corrupt_message(), filename)


def _check_pixels(size: tuple[int, int], filename: str, max_pixels: int) -> None:
    limit = max_pixels
    if Image.MAX_IMAGE_PIXELS:
        limit = min(limit, Image.MAX_IMAGE_PIXELS)
    if size[0] * size[1] > limit:
        raise UploadRejected("too_large", _pixels_message(limit), filename)


def _pixels_message(limit: int | None = None) -> object:
    if limit is None:
        return _l("Dimensi gambar terlalu besar; perkecil gambar lalu unggah lagi.")
    return _l(
        "Dimensi gambar terlalu besar (paling banyak %(limit)s megapiksel); perkecil gambar lalu unggah lagi.",
        limit=_megapixels(limit),
    )


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _corrupt_message() -> object:
    return _l("Berkas rusak atau tidak lengkap sehingga tidak dapat dibuka; unggah ulang.")


_PDF_REFUSALS: dict[str, tuple[str, object]] = {
    "active": (
        "unsafe",
        _l(
            "PDF ini berisi skrip, tindakan otomatis atau berkas tersemat yang tidak kami terima demi keamanan. "
            "Simpan ulang sebagai PDF biasa (misalnya dengan “Cetak ke PDF”), lalu unggah lagi."
        ),
    ),
    "polyglot": (
        "unsafe",
        _l(
            "Berkas ini bukan PDF murni: di dalamnya ada kode halaman web. "
            "Simpan ulang sebagai PDF biasa (misalnya dengan “Cetak ke PDF”), lalu unggah lagi."
        ),
    ),
    "encrypted": (
        "encrypted",
        _l("PDF ini dilindungi kata sandi sehingga tidak dapat kami periksa. Unggah PDF tanpa kata sandi."),
    ),
    "too_complex": (
        "too_large",
        _l("PDF ini terlalu rumit untuk diperiksa. Simpan ulang dengan “Cetak ke PDF”, lalu unggah lagi."),
    ),
    "corrupt": ("corrupt", _corrupt_message()),
}


_OFFICE_REFUSALS: dict[str, tuple[str, object]] = {
    "active": (
        "unsafe",
        _l(
            "Dokumen ini berisi makro, objek tersemat atau tautan ke berkas di luar dokumen yang tidak kami terima "
            "demi keamanan. Simpan ulang sebagai dokumen biasa (tanpa makro) atau sebagai PDF, lalu unggah lagi."
        ),
    ),
    "encrypted": (
        "encrypted",
        _l("Dokumen ini dilindungi kata sandi sehingga tidak dapat kami periksa. Unggah dokumen tanpa kata sandi."),
    ),
    "too_complex": (
        "too_large",
        _l("Dokumen ini terlalu besar atau terlalu rumit untuk diperiksa. Simpan ulang sebagai PDF, lalu unggah lagi."),
    ),
    "corrupt": ("corrupt", _corrupt_message()),
}


def strip_metadata(data: bytes, content_type: str, *, max_pixels: int = MAX_IMAGE_PIXELS) -> bytes:
    """The copy of an image or office document without what identifies who made it (see the two below)."""
    if _TYPES[content_type][0] == OFFICE:
        try:
            return office.strip_office_metadata(data, lambda image: strip_image_metadata(image, max_pixels=max_pixels))
        except Exception as exc:  # a document that passed the check but cannot be rewritten: no copy
            raise UploadRejected("corrupt", _corrupt_message()) from exc
    return strip_image_metadata(data, max_pixels=max_pixels)


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if ch.isspace() or category[0] == "Z":
        return " "
    if category[0] == "C":  # control, format (bidi overrides, zero-width), unassigned
        return ""
    return "_" if _NAME_RESERVED.match(ch) else ch


def _aad(context: str, stored_name: str) -> str:
    return f"{context}:{stored_name}"


def _path_for(upload_dir: Path, stored_name: str) -> Path:
    return Path(upload_dir) / stored_name[:2] / stored_name
