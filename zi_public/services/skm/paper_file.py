"""The paper-form file as a file: read within a size cap, and an xlsx by its content, safe to open (no ZIP
bomb, no macros, no external links: zi_public/security/office.py), or refused with what to do instead."""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from zi_public.security import office

XLSX = office.OOXML_TYPES["xl/workbook.xml"]
#: Default of the configuration key SKM_IMPORT_MAX_BYTES.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: The shared-strings part (every text cell's text) is held in memory by openpyxl: cap what it may inflate to.
MAX_SHARED_STRINGS = 32 * 1024 * 1024
_READ_CHUNK = 64 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an xlsx protected by a password


class ImportRefused(ValueError):
    """The file as a whole cannot be imported (`code`: too_large, empty, type, unsafe, corrupt, header, no_rows,
    too_many_rows, conflict); `problems`: what to fix, one message each. Nothing was imported."""

    def __init__(self, code: str, *problems: object) -> None:
        super().__init__(code, *problems)
        self.code = code
        self.problems = list(problems)


def read_capped(stream: BinaryIO, max_bytes: int) -> bytes:
    """The uploaded bytes, read in chunks and refused as soon as they pass `max_bytes`."""
    buffer = bytearray()
    while chunk := stream.read(_READ_CHUNK):
        buffer += chunk
        if len(buffer) > max_bytes:
            raise ImportRefused(
                "too_large",
                _l(
                    "Berkas terlalu besar; paling besar %(limit)s. Bagi barisnya ke beberapa berkas, lalu unggah "
                    "satu per satu.",
                    limit=megabytes(max_bytes),
                ),
            )
    if not buffer:
        raise ImportRefused("empty", _l("Berkas kosong. Pilih berkas xlsx yang berisi data."))
    return bytes(buffer)


def check_xlsx(data: bytes) -> None:
    """An xlsx by its content (the name and the browser's content type are not trusted), safe to open."""
    kind = office.sniff_office(data)
    if kind is None and data.startswith(b"PK\x03\x04"):  # a ZIP, but cut short or not an office file
        raise ImportRefused(*_OFFICE_REFUSALS["corrupt"])
    if kind != XLSX:
        raise ImportRefused("type", _not_xlsx(data, kind))
    try:
        office.check_office(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            strings = sum(i.file_size for i in archive.infolist() if i.filename.lower() == "xl/sharedstrings.xml")
    except office.OfficeRefused as refused:
        raise ImportRefused(*_OFFICE_REFUSALS.get(refused.reason, _OFFICE_REFUSALS["corrupt"])) from refused
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(*_OFFICE_REFUSALS["corrupt"]) from exc
    if strings > MAX_SHARED_STRINGS:
        raise ImportRefused(*_OFFICE_REFUSALS["too_complex"])


def _not_xlsx(data: bytes, kind: str | None) -> object:
    if kind == "application/vnd.oasis.opendocument.spreadsheet":
        return _l(
            "Berkas ini lembar kerja OpenDocument (.ods). Simpan sebagai Excel Workbook (.xlsx), lalu unggah lagi."
        )
    if kind is not None:
        return _l("Berkas ini dokumen kantor, tetapi bukan lembar kerja Excel. Unggah templat xlsx yang sudah diisi.")
    if data.startswith(_OLE_MAGIC):
        return _l(
            "Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi. Simpan sebagai Excel Workbook "
            "(.xlsx) tanpa kata sandi, lalu unggah lagi."
        )
    if _looks_like_text(data) and not data.startswith(b"%PDF"):
        return _l(
            "Berkas ini teks (misalnya CSV), bukan xlsx, walaupun namanya mungkin berakhiran .xlsx. Buka di Excel, "
            "simpan sebagai Excel Workbook (.xlsx), lalu unggah lagi."
        )
    return _l("Berkas ini bukan berkas Excel (.xlsx). Unggah templat yang sudah diisi dan disimpan sebagai .xlsx.")


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("cp1252", "replace")
    return "\x00" not in text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * len(text)


_OFFICE_REFUSALS: dict[str, tuple[str, object]] = {
    "active": (
        "unsafe",
        _l(
            "Berkas ini berisi makro, objek tersemat atau tautan ke berkas lain. Simpan sebagai Excel Workbook "
            "(.xlsx) biasa, lalu unggah lagi."
        ),
    ),
    "encrypted": ("unsafe", _l("Berkas ini dilindungi kata sandi. Simpan tanpa kata sandi, lalu unggah lagi.")),
    "too_complex": (
        "too_large",
        _l(
            "Isi berkas ini terlalu besar setelah dibuka (mungkin bukan berkas Excel biasa). Bagi barisnya ke "
            "beberapa berkas, atau simpan ulang sebagai Excel Workbook (.xlsx)."
        ),
    ),
    "corrupt": (
        "corrupt",
        _l(
            "Berkas ini rusak, tidak lengkap, atau bukan lembar kerja Excel, sehingga tidak dapat dibaca. Simpan "
            "ulang sebagai Excel Workbook (.xlsx), lalu unggah lagi."
        ),
    ),
}


def corrupt() -> ImportRefused:
    """The refusal of a file that breaks while it is read."""
    return ImportRefused(*_OFFICE_REFUSALS["corrupt"])


def megabytes(n: int) -> str:
    """A size cap as people read it: "10 MB", "1.5 MB", "500 KB"."""
    if n < 1024 * 1024:
        return f"{n // 1024} KB"
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
