"""Uploaded PDFs are parsed, not sniffed: a PDF that can act when opened, or is also a web page, is refused.

A reporter's PDF is opened by staff on office PCs, so anything a viewer would *run* is refused rather
than defused: JavaScript (``/JS``, ``/JavaScript``), launch, import, submit and remote go-to actions,
automatic actions (``/AA``, an ``/OpenAction`` that is not a plain go-to), embedded and attached files,
XFA forms, rich media and 3D, and links to anything but http, https and mailto. The document is read
with pypdf, every object the cross-reference names is visited (object streams included), and the bytes
outside streams are scanned as well, for objects a viewer finds by rebuilding a broken cross-reference.

A PDF is also refused when a browser could take it for something else: HTML or SVG markup anywhere
outside the compressed streams, or anything but blank space after the last ``%%EOF`` (where
PDF/HTML and PDF/ZIP polyglots put their second file). Downloads are sent as attachments with
``nosniff`` anyway; this keeps such files out of the evidence altogether.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, TextStringObject

#: Keys whose mere presence means the document can act or carries another file.
_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/XFA", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/RichMediaSettings"}
)
#: Action types (``/S``) a viewer would carry out beyond moving within the document or opening a web link.
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/GoToE",
        "/GoToR",
        "/RichMediaExecute",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/GoTo3DView",
    }
)
#: Object types and annotation subtypes that embed files, media or programs.
_ACTIVE_TYPES = frozenset({"/EmbeddedFile"})
_ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/3D", "/Movie", "/Sound", "/Screen"})
_SAFE_URI = re.compile(r"\s*(https?:|mailto:)", re.IGNORECASE)
#: The raw scan looks for the same names (written plainly or with #xx escapes) outside the streams.
_RAW_NAMES = frozenset(name[1:] for name in _ACTIVE_KEYS | _ACTIVE_ACTIONS | _ACTIVE_TYPES) - {"EF"}

_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /%()<>\[\]{}]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: Markup a browser would act on, anywhere outside the streams.
_MARKUP = re.compile(rb"<\s*(?:script|html|svg|iframe|object|embed|body|!doctype|\?xml-stylesheet)\b", re.I)
#: WHATWG MIME sniffing reads the first 1445 bytes for these HTML openings (each followed by space or >).
_SNIFF_WINDOW = 1445
_SNIFFED_HTML = re.compile(
    rb"<(?:!--|!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p)[ >]", re.I
)
_LAST_EOF = b"%%EOF"


class PdfRefused(ValueError):
    """The PDF cannot be accepted; `reason` is one of active, polyglot, encrypted, too_complex, corrupt."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail  # for logs and tests: what was found (never shown to the reporter)


def check_pdf(data: bytes, *, max_objects: int = 100_000) -> None:
    """Raise PdfRefused unless `data` is a readable PDF with pages and nothing that can act or disguise itself."""
    _check_raw(data)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise PdfRefused("encrypted")
        numbers = _object_numbers(reader)
        if len(numbers) > max_objects:
            raise PdfRefused("too_complex", f"{len(numbers)} objects")
        for number, generation in numbers:
            _check_object(reader.get_object(IndirectObject(number, generation, reader)))
        _check_object(reader.trailer)
        if len(reader.pages) < 1:
            raise PdfRefused("corrupt", "no pages")
    except PdfRefused:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, but also ValueError, KeyError, RecursionError...
        raise PdfRefused("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc


def _check_raw(data: bytes) -> None:
    end = data.rfind(_LAST_EOF)
    if end < 0 or end < len(data) - 1024:
        raise PdfRefused("corrupt", "no %%EOF at the end")  # cut short in transit or by the sender
    if data[end + len(_LAST_EOF) :].strip(b"\x00\t\n\x0c\r "):
        raise PdfRefused("polyglot", "data after %%EOF")
    if _SNIFFED_HTML.search(data[:_SNIFF_WINDOW]):
        raise PdfRefused("polyglot", "HTML in the first bytes")
    outside_streams = _STREAM_BODY.sub(b"stream\nendstream", data)
    if match := _MARKUP.search(outside_streams):
        raise PdfRefused("polyglot", f"markup {match.group()[:20]!r}")
    for match in _NAME.finditer(outside_streams):
        name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name.decode("latin-1") in _RAW_NAMES:
            raise PdfRefused("active", f"name /{name.decode('latin-1')}")


def _object_numbers(reader: PdfReader) -> list[tuple[int, int]]:
    """Every (number, generation) the cross-reference names, those in object streams included."""
    numbers = {(number, generation) for generation, table in reader.xref.items() for number in table}
    numbers.update((number, 0) for number in reader.xref_objStm)
    return sorted(numbers)


def _check_object(root: PdfObject | None) -> None:
    """Walk one object's direct contents (references are visited as objects of their own)."""
    for node in _walk(root):
        if isinstance(node, DictionaryObject):
            _check_dictionary(node)


def _walk(root: PdfObject | None) -> Iterator[PdfObject]:
    stack: list[PdfObject | None] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject) or node is None:
            continue
        yield node
        if isinstance(node, DictionaryObject):
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _check_dictionary(node: DictionaryObject) -> None:
    found = _ACTIVE_KEYS.intersection(node.keys())
    if found:
        raise PdfRefused("active", f"key {sorted(found)[0]}")
    action = node.get("/S")
    if isinstance(action, NameObject):
        if action in _ACTIVE_ACTIONS:
            raise PdfRefused("active", f"action {action}")
        if action == "/URI" and not _SAFE_URI.match(_text(node.get("/URI"))):
            raise PdfRefused("active", "link with a non-web scheme")
    if node.get("/Type") in _ACTIVE_TYPES or node.get("/Subtype") in _ACTIVE_SUBTYPES:
        raise PdfRefused("active", f"type {node.get('/Type') or node.get('/Subtype')}")
    opening = node.get("/OpenAction")
    if isinstance(opening, IndirectObject):
        opening = opening.get_object()
    if isinstance(opening, DictionaryObject) and opening.get("/S") != "/GoTo":
        raise PdfRefused("active", f"open action {opening.get('/S')}")


def _text(value: object) -> str:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value) if isinstance(value, TextStringObject | str) else ""
