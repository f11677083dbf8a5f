"""Office documents (Word, Excel, PowerPoint as OOXML; OpenDocument text, sheet, presentation): recognised
by their structure, refused when they can act or reach out, and copied without who wrote them.

Both formats are ZIP archives. The check reads every member within caps (count, total and per-member size,
compression ratio: a ZIP bomb is refused before it is inflated), and refuses macros (vbaProject, ODF
Basic/Scripts), ActiveX and OLE objects, members outside the archive's root, encrypted members, and
relationships to anything outside the file other than plain hyperlinks (a remote template or frame is
fetched when the document is opened: it would tell an outsider when staff read the evidence).
Password-protected OOXML is not a ZIP at all (it is a compound file) and is not recognised.

`strip_office_metadata` makes the copy staff read by default: the document properties (author, company,
last modified by, revision times) replaced by empty ones, the names on comments and tracked changes
blanked, and every embedded photo re-encoded without its EXIF/GPS. The original stays as evidence.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

OOXML_TYPES = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = frozenset(
    {
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    }
)
CONTENT_TYPES = frozenset(OOXML_TYPES.values()) | ODF_TYPES

MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # inflated
MAX_RATIO = 200  # inflated / compressed, per member (text compresses ~10x, a bomb ~1000x)
_CHUNK = 64 * 1024

_MACRO_NAMES = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml|activex/|embeddings/oleobject|basic/|scripts/)")
_EXTERNAL_REL = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
# Either quote, any spacing and case: XML allows all of them, and a check fooled by one would let it in.
_EXTERNAL_MODE = re.compile(rb"""TargetMode\s*=\s*["']\s*External\s*["']""", re.IGNORECASE)
_HYPERLINK_TYPE = re.compile(rb"""\bType\s*=\s*["'][^"']*/hyperlink["']""", re.IGNORECASE)
_AUTHOR_ATTRIBUTES = re.compile(rb'\b(w:author|w:initials|author|initials|dc:creator)="[^"]*"')
_AUTHOR_ELEMENTS = re.compile(rb"<(dc:creator|meta:initial-creator|author|p:cmAuthor)\b([^>]*)>[^<]*</\1>")
_IMAGE_MEMBER = re.compile(r"\.(jpe?g|png|gif|webp)$", re.IGNORECASE)


class OfficeRefused(ValueError):
    """`reason`: corrupt, active (macros, ActiveX, OLE, external links), encrypted or too_complex."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def sniff_office(data: bytes) -> str | None:
    """The office content type of a ZIP that is an OOXML or ODF document, else None (never raises)."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                kind = archive.read(info).decode("ascii", "replace").strip()
                return kind if kind in ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for part, content_type in OOXML_TYPES.items():
                    if part in names:
                        return content_type
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def check_office(data: bytes) -> None:
    """Read every member within the caps and refuse what can act or reach out (OfficeRefused)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise OfficeRefused("too_complex", f"{len(members)} members")
            total = 0
            for info in members:
                _check_member(info)
                total += _inflate(archive, info, MAX_TOTAL_BYTES - total, _scan_member(info.filename))
    except OfficeRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError, NotImplementedError) as exc:
        raise OfficeRefused("corrupt", type(exc).__name__) from exc


def strip_office_metadata(data: bytes, strip_image: Callable[[bytes], bytes]) -> bytes:
    """A copy without document properties, comment and revision authors, or photo metadata.

    `strip_image` re-encodes one embedded image (zi_public.security.uploads.strip_image_metadata); an
    image it cannot read is left out of the copy rather than passed on with its metadata.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            name = info.filename
            body = source.read(info)
            lowered = name.lower()
            if lowered == "docprops/core.xml":
                body = _EMPTY_CORE
            elif lowered == "docprops/app.xml":
                body = _EMPTY_APP
            elif lowered == "docprops/custom.xml":
                body = _EMPTY_CUSTOM
            elif lowered == "meta.xml":
                body = _EMPTY_ODF_META
            elif lowered.endswith(".xml") or lowered.endswith(".rels"):
                body = _AUTHOR_ELEMENTS.sub(rb"<\1\2></\1>", _AUTHOR_ATTRIBUTES.sub(rb'\1=""', body))
            elif _IMAGE_MEMBER.search(name):
                try:
                    body = strip_image(body)
                except Exception:  # noqa: BLE001, S112 - an unreadable picture is left out, never passed on as is
                    continue
            # ODF wants its mimetype first and stored; everything else may be deflated.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            copy.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body, compress_type=method)
    return out.getvalue()


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    if name.startswith("/") or "\\" in name or any(part == ".." for part in name.split("/")):
        raise OfficeRefused("corrupt", "member outside the archive")
    if info.flag_bits & 0x1:
        raise OfficeRefused("encrypted", name)
    if _MACRO_NAMES.search(name.lower()):
        raise OfficeRefused("active", name)
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise OfficeRefused("too_complex", f"{name}: ratio")


def _scan_member(name: str) -> Callable[[bytes], None]:
    """What to look for in one member's bytes: macros named in the content types, external relationships."""
    lowered = name.lower()
    if lowered == "[content_types].xml":

        def scan(body: bytes) -> None:
            if b"macroenabled" in body.lower() or b"vbaproject" in body.lower():
                raise OfficeRefused("active", "macro content type")

        return scan
    if lowered.endswith(".rels"):

        def scan(body: bytes) -> None:
            for relationship in _EXTERNAL_REL.findall(body):
                if _EXTERNAL_MODE.search(relationship) and not _HYPERLINK_TYPE.search(relationship):
                    raise OfficeRefused("active", f"{name}: external relationship")

        return scan
    return lambda body: None


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, scan: Callable[[bytes], None]) -> int:
    """Inflate one member (checking its CRC) without trusting its declared size; returns the bytes read."""
    read = 0
    keep: bytearray | None = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > budget or read > max(info.compress_size, 1) * MAX_RATIO + _CHUNK:
                raise OfficeRefused("too_complex", f"{info.filename}: inflates too far")
            if keep is not None and len(keep) < 4 * 1024 * 1024:
                keep += chunk
    scan(bytes(keep or b""))
    return read


_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
)
_EMPTY_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2">'
    b"<office:meta/></office:document-meta>"
)
