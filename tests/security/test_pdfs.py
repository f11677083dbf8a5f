"""Uploaded PDFs are parsed: anything that can act when opened, or is also a web page, is refused (issue 7.11)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from tests.factories import PDF
from zi_public.security.pdfs import PdfRefused, check_pdf


def build_pdf(
    *extra: bytes, catalog: bytes = b"", page: bytes = b"", after: bytes = b"", comment: bytes = b""
) -> bytes:
    """A well-formed one-page PDF (exact cross-reference) with extra catalog/page entries and objects 4, 5, ..."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b" >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n%" + (comment or b"\xe2\xe3\xcf\xd3") + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out) + after


def stream(body: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(body), entries, body)


def written_by_pypdf(change) -> bytes:  # noqa: ANN001
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


JS = b"<< /S /JavaScript /JS (app.alert(1)) >>"
HOSTILE = {
    "document JavaScript": (
        build_pdf(b"<< /Names [(x) 5 0 R] >>", JS, catalog=b"/Names << /JavaScript 4 0 R >>"), "active"
    ),
    "auto-run JavaScript": (build_pdf(JS, catalog=b"/OpenAction 4 0 R"), "active"),
    "auto-run JavaScript, names #-escaped": (
        build_pdf(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>", catalog=b"/OpenAction 4 0 R"), "active"
    ),
    "auto-run JavaScript written by pypdf": None,  # filled below (pypdf writes one)
    "launch action": (build_pdf(b"<< /S /Launch /F (cmd.exe) >>", catalog=b"/OpenAction 4 0 R"), "active"),
    "page-open action (/AA)": (build_pdf(b"<< /S /Named /N /Print >>", page=b"/AA << /O 4 0 R >>"), "active"),
    "embedded file": (written_by_pypdf(lambda w: w.add_attachment("a.exe", b"MZ")), "active"),
    "file attachment annotation": (
        build_pdf(b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] >>", page=b"/Annots [4 0 R]"), "active"
    ),
    "XFA form": (build_pdf(stream(b"<xdp/>"), catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>"), "active"),
    "javascript: link": (
        build_pdf(
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (javascript:alert(1)) >> >>",
            page=b"/Annots [4 0 R]",
        ),
        "active",
    ),
    "submit form": (build_pdf(b"<< /S /SubmitForm /F (http://x.example/) >>", catalog=b"/OpenAction 4 0 R"), "active"),
    "PDF/HTML polyglot (HTML after %%EOF)": (build_pdf(after=b"<html><script>alert(1)</script></html>"), "polyglot"),
    "PDF/HTML polyglot (HTML in the first bytes)": (
        build_pdf(comment=b"<html><body><script>alert(1)</script>"), "polyglot"
    ),
    "PDF/SVG": (build_pdf(comment=b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "polyglot"),
    "HTML in an object": (build_pdf(b"(<iframe src=x>)"), "polyglot"),
    "password protected": (written_by_pypdf(lambda w: w.encrypt("rahasia", "pemilik")), "encrypted"),
    "no cross-reference": (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "corrupt"
    ),
    "no pages": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "corrupt"),
    "cut short": (PDF[:-20], "corrupt"),
}


def _js_in_object_stream() -> bytes:
    def change(writer: PdfWriter) -> None:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)  # noqa: SLF001

    return written_by_pypdf(change)


HOSTILE["auto-run JavaScript written by pypdf"] = (_js_in_object_stream(), "active")


@pytest.mark.parametrize(("data", "reason"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_pdfs_are_refused(data, reason):
    with pytest.raises(PdfRefused) as info:
        check_pdf(data)
    assert info.value.reason == reason, info.value.detail


ACCEPTED = {
    "the factories' PDF (pypdf)": PDF,
    "a go-to-page open action": build_pdf(catalog=b"/OpenAction [3 0 R /Fit]"),
    "a web link": build_pdf(
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://magelangkota.go.id/) >> >>",
        page=b"/Annots [4 0 R]",
    ),
    "text about /JS inside a content stream": build_pdf(stream(b"BT (/JS is text) Tj ET"), page=b"/Contents 4 0 R"),
    "owner password only (opens without one)": written_by_pypdf(lambda w: w.encrypt("", "pemilik")),
    "blank lines after %%EOF": PDF + b"\r\n\n\x00",
}


@pytest.mark.parametrize("data", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_ordinary_pdfs_are_accepted(data):
    check_pdf(data)


def test_a_pdf_of_too_many_objects_is_refused_before_they_are_read():
    data = build_pdf(*[b"<< /N %d >>" % i for i in range(50)])
    check_pdf(data, max_objects=60)
    with pytest.raises(PdfRefused) as info:
        check_pdf(data, max_objects=40)
    assert info.value.reason == "too_complex"
