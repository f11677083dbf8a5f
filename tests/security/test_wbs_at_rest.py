"""A stolen database, upload folder or backup tells nothing of a WBS report (issue 8, point 10).

A report is filed through the real service with distinctive words, an identity holding an e-mail address
and files that carry the words in their metadata; the reporter opens it with the receipt and answers with
another file; a team member downloads the photo (which makes its metadata-free copy). Then the raw SQLite
file (and its WAL), every stored row read without decryption (both backends), every file of the upload
folder and every member of a backup are searched for the words, the receipt in any grouping, and the address.
`keys rotate` then moves every WBS value and file to a new key.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from werkzeug.datastructures import FileStorage

from tests.conftest import TEST_SECRETS, base_config
from tests.factories import make_user
from zi_public import create_app
from zi_public.extensions import db
from zi_public.models import Attachment, Role, WbsCategory, WbsMessage, WbsReport
from zi_public.security.keyring import EncryptedText
from zi_public.services import attachments
from zi_public.services.reference import seed_reference_data
from zi_public.services.wbs import filing, reporter

#: Words no Indonesian text holds by chance: one per 4W1H field, one in the reply, one in the files.
WORDS = {
    "what": "Kelabangmerah",
    "who_name": "Wiryosuwarno",
    "who_position": "Bendaharaloket",
    "who_unit": "Seksipelikan",
    "when": "Rabusorekelabu",
    "where": "Gudangtimurlaut",
    "how": "Amplopcoklatganda",
    "how_known": "Sepupusaksiku",
    "reply": "Kwitansipalsuan",
    "file": "Metadatarahasia",
}
EMAIL = "saksi.kelabang@example.org"
IDENTITY = f"Nama saya Wening Pratiwi, hubungi {EMAIL} atau 0812-7777-3131."


def png_with_text(word: str) -> bytes:
    """A photo carrying `word` in its metadata, as a phone's comment or location name would be."""
    info = PngInfo()
    info.add_text("Comment", f"{word} lokasi rumah pelapor")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "olive").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=filename)


def receipt_forms(receipt: str) -> list[str]:
    """The receipt as shown, without separators, with spaces, in lower case, and each of its groups."""
    groups = receipt.split("-")
    compact = "".join(groups)
    forms = [receipt, compact, " ".join(groups), receipt.lower(), compact.lower(), *groups]
    return sorted(set(forms))


def needles(receipt: str) -> dict[str, bytes]:
    found = {f"word {k}": v.encode() for k, v in WORDS.items()}
    found |= {f"receipt {form!r}": form.encode() for form in receipt_forms(receipt)}
    found |= {"email": EMAIL.encode(), "email local part": EMAIL.split("@")[0].encode(), "name": b"Wening Pratiwi"}
    return found


def assert_absent(where: str, blob: bytes, receipt: str) -> None:
    lowered = blob.lower()
    for label, needle in needles(receipt).items():
        # Words and the address in any case; the receipt's groups exactly (six letters can occur by chance).
        exact = label.startswith("receipt") and "-" not in needle.decode() and len(needle) <= 6
        hit = needle in blob if exact else needle.lower() in lowered
        assert not hit, f"{label} found in {where}"


def file_and_converse(app: Flask) -> str:
    """File the report with two files, open it with the receipt, reply with a file, let staff open the photo."""
    with app.app_context():
        seed_reference_data()
        category = db.session.scalar(sa.select(WbsCategory.code).order_by(WbsCategory.id).limit(1))
        data = filing.WbsInput(
            category=category,
            what=f"Petugas {WORDS['what']} meminta uang pelicin.",
            who_name=WORDS["who_name"],
            who_position=WORDS["who_position"],
            who_unit=WORDS["who_unit"],
            when=WORDS["when"],
            where=WORDS["where"],
            how=f"Dengan {WORDS['how']}.",
            how_known=WORDS["how_known"],
            identity=IDENTITY,
        )
        files = [
            upload(png_with_text(WORDS["file"]), f"IMG_20261123_101502_{WORDS['file']}.png"),
            upload(png_with_text(WORDS["file"]), f"{WORDS['who_name']}.png"),
        ]
        filed = filing.file_with_uploads(data, files)
        db.session.commit()
        token = reporter.open_session(filed.receipt)
        report = reporter.report_for(token)
        assert report is not None
        reporter.reply(
            report, f"Tambahan: {WORDS['reply']}.", [upload(png_with_text(WORDS["file"]), f"{WORDS['reply']}.png")]
        )
        db.session.commit()
        staff = make_user(Role.WBS)
        report = db.session.get(WbsReport, filed.report.id)
        photo = attachments.originals(report)[0]
        attachments.download(staff, report, photo.id)  # stores the metadata-free copy, encrypted too
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # SQLite: the WAL is checkpointed into the file
        return filed.receipt


@pytest.fixture
def filed(app: Flask) -> Iterator[str]:
    yield file_and_converse(app)


def stored_rows(app: Flask) -> Iterator[tuple[str, bytes]]:
    """Every row of every table as the database holds it (encrypted columns not decrypted)."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            raw = [sa.type_coerce(c, sa.Text) if isinstance(c.type, EncryptedText) else c for c in table.columns]
            for row in db.session.execute(sa.select(*raw)):
                yield table.name, repr(tuple(row)).encode()


def test_the_database_holds_none_of_it(app, filed, database_url):
    receipt = filed
    rows = 0
    for table, blob in stored_rows(app):
        assert_absent(f"a row of {table}", blob, receipt)
        rows += 1
    assert rows > 20
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")):
            if candidate.exists():
                assert_absent(candidate.name, candidate.read_bytes(), receipt)
        assert b"Benturan kepentingan" in path.read_bytes()  # the search does see plain text in the file


def test_the_upload_folder_holds_none_of_it(app, filed):
    receipt = filed
    files = [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]
    with app.app_context():
        expected = db.session.scalar(sa.select(sa.func.count()).select_from(Attachment))
    assert len(files) == expected == 4  # two with the report, one with the reply, the photo's clean copy
    for path in files:
        assert path.read_bytes().startswith(b"zk1.")
        assert_absent(f"upload {path.name}", path.read_bytes(), receipt)
        assert not any(word.lower() in path.name.lower() for word in WORDS.values())


def test_the_stored_file_names_and_checksums_say_nothing(app, filed):
    """A phone names a photo by the moment it was taken; a checksum lets whoever holds the file confirm it."""
    import hashlib

    with app.app_context():
        rows = db.session.execute(sa.select(Attachment.original_name, Attachment.sha256)).all()
    assert {name for name, _ in rows} == {"lampiran.png"}
    sent = hashlib.sha256(png_with_text(WORDS["file"])).hexdigest()
    assert sent not in {checksum for _, checksum in rows}


def test_a_backup_holds_none_of_it(app, filed, tmp_path):
    receipt = filed
    output = tmp_path / "backup.zip"
    result = app.test_cli_runner().invoke(args=["backup", "create", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert_absent("the backup file", output.read_bytes(), receipt)
    with zipfile.ZipFile(output) as zf:
        members = zf.namelist()
        assert any(m.startswith("uploads/") for m in members)
        assert "tables/wbs_report.jsonl" in members
        for member in members:
            assert_absent(f"backup member {member}", zf.read(member), receipt)
        assert b"Benturan kepentingan" in zf.read("tables/wbs_category.jsonl")  # members are read decompressed


def test_the_plaintext_is_there_for_the_team(app, filed):
    """The searches above would pass on an empty database: the same words do come back decrypted."""
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        assert WORDS["what"] in report.what and report.identity == IDENTITY
        assert WORDS["reply"] in db.session.scalar(sa.select(WbsMessage.body))
        photo = attachments.originals(report)[0]
        original = attachments.read("wbs", report.id, photo.id).data
        assert WORDS["file"].encode() in original  # the evidence as sent, metadata included


# --- keys rotate -------------------------------------------------------------------------------------------


NEW_KEY = "t2:" + "B" * 43


def _app_with_keys(tmp_path: Path, database_url: str, keys: str) -> Flask:
    return create_app(base_config(tmp_path, database_url, DATA_KEYS=keys))


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


WBS_COLUMNS = [
    "wbs_report.what",
    "wbs_report.who_name",
    "wbs_report.who_position",
    "wbs_report.who_unit",
    "wbs_report.when_text",
    "wbs_report.where_text",
    "wbs_report.how",
    "wbs_report.how_known",
    "wbs_report.identity",
    "wbs_message.body",
]


def test_keys_rotate_moves_every_wbs_value_and_file_to_the_new_key(app, filed, tmp_path, database_url):
    rotating = _app_with_keys(tmp_path, database_url, f"{NEW_KEY},{TEST_SECRETS['DATA_KEYS']}")
    try:
        result = rotating.test_cli_runner().invoke(args=["keys", "rotate"])
    finally:
        _dispose(rotating)
    assert result.exit_code == 0, result.output
    counts = dict(re.findall(r"^(\S+(?: files)?): (\d+) re-encrypted$", result.output, re.M))
    for column in WBS_COLUMNS:
        assert int(counts[column]) == 1, (column, result.output)
    assert int(counts["wbs_attachment files"]) == 3  # two originals and the clean copy
    assert int(counts["wbs_message_attachment files"]) == 1

    only_new = _app_with_keys(tmp_path, database_url, NEW_KEY)  # the old key is gone
    try:
        with only_new.app_context():
            for table, blob in stored_rows(only_new):
                assert b"zk1.t1." not in blob, f"{table} still holds a value under the old key"
            report = db.session.scalar(sa.select(WbsReport))
            assert WORDS["how"] in report.how and report.identity == IDENTITY
            assert WORDS["reply"] in db.session.scalar(sa.select(WbsMessage.body))
            for row in db.session.scalars(sa.select(Attachment)):
                assert attachments.read(row.case_kind, row.case_id, row.id).data.startswith(b"\x89PNG")
        for path in Path(only_new.config["UPLOAD_DIR"]).rglob("*"):
            if path.is_file():
                assert path.read_bytes().startswith(b"zk1.t2.")
    finally:
        _dispose(only_new)
