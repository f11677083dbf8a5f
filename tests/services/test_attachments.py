"""Attachments of every case kind: stored, read back with their checks, re-encrypted by rotation."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from tests.factories import PDF, make_attachment, make_pengaduan, make_user, store_file
from zi_public.config import PROJECT_ROOT
from zi_public.models import Attachment, AttachmentVariant, AuditEntry, Pengaduan
from zi_public.security.keyring import Keyring, current_keyring
from zi_public.security.uploads import read_upload, store_upload
from zi_public.services import attachments
from zi_public.services.attachments import AttachmentNotFound, AttachmentUnreadable

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def complaint(db, seeded) -> Pengaduan:
    case = make_pengaduan(identity="anonim")
    db.session.commit()
    return case


def upload_dir(app) -> Path:
    return Path(app.config["UPLOAD_DIR"])


def stored_path(app, row: Attachment) -> Path:
    return upload_dir(app) / row.stored_name[:2] / row.stored_name


def test_each_kind_has_its_context_and_pengaduan_keeps_the_bytes_of_its_stored_files():
    assert attachments.context_for("pengaduan") == "pengaduan-attachment"
    assert attachments.context_for("wbs") == "wbs-attachment"
    with pytest.raises(ValueError, match="unknown case kind"):
        attachments.context_for("surat")


def test_stored_file_is_attached_encrypted_and_reads_back(app, db, complaint):
    row = make_attachment(complaint, PDF, "bukti bayar.pdf")
    db.session.commit()

    assert (row.case_kind, row.case_id, row.variant, row.derived_from_id) == (
        "pengaduan",
        complaint.id,
        "original",
        None,
    )
    assert (row.original_name, row.content_type, row.size) == ("bukti bayar.pdf", "application/pdf", len(PDF))
    assert row.is_encrypted
    assert stored_path(app, row).read_bytes().startswith(b"zk1.")
    assert [a.id for a in complaint.attachments] == [row.id]
    assert attachments.read("pengaduan", complaint.id, row.id).data == PDF
    # The bytes on disk are what the public form wrote before this service existed.
    assert (
        read_upload(
            row.stored_name, upload_dir=upload_dir(app), keyring=current_keyring(), context="pengaduan-attachment"
        )
        == PDF
    )


def test_a_file_stored_the_old_way_is_still_read(app, db, complaint):
    stored = store_upload(
        FileStorage(io.BytesIO(PDF), filename="lama.pdf"),
        upload_dir=upload_dir(app),
        allowed={"pdf"},
        max_bytes=10_000,
        keyring=current_keyring(),
        context="pengaduan-attachment",
    )
    (row,) = attachments.attach(complaint, [stored])
    db.session.commit()
    assert attachments.read("pengaduan", complaint.id, row.id).data == PDF


def test_attachments_of_a_new_case_get_its_kind_and_id_on_flush(db, seeded):
    stored = store_file(PDF, "b.pdf")
    case = make_pengaduan(identity="anonim", attachments=[stored])
    row = db.session.scalar(sa.select(Attachment))
    assert (row.case_kind, row.case_id, row.stored_name) == ("pengaduan", case.id, stored.stored_name)


def test_a_stored_file_goes_away_with_a_rolled_back_transaction_and_stays_with_a_commit(app, db, complaint):
    kept = make_attachment(complaint)
    db.session.commit()
    dropped = make_attachment(complaint)
    path = stored_path(app, dropped)
    assert path.exists()
    db.session.rollback()
    assert not path.exists()
    assert stored_path(app, kept).exists()
    assert [a.id for a in complaint.attachments] == [kept.id]


def test_a_file_that_no_longer_matches_its_checksum_is_refused(app, db, complaint):
    row = make_attachment(complaint)
    db.session.commit()
    # A valid ciphertext of other bytes under the same name: it decrypts, but it is not what was sent.
    other = current_keyring().encrypt(PDF.replace(b"1 0 obj", b"2 0 obj"), f"pengaduan-attachment:{row.stored_name}")
    stored_path(app, row).write_bytes(other.encode())
    with pytest.raises(AttachmentUnreadable):
        attachments.read("pengaduan", complaint.id, row.id)


def test_an_altered_or_missing_file_is_refused(app, db, complaint):
    row = make_attachment(complaint)
    db.session.commit()
    path = stored_path(app, row)
    path.write_bytes(b"zk1.t1.tampered")
    with pytest.raises(AttachmentUnreadable):
        attachments.read("pengaduan", complaint.id, row.id)
    path.unlink()
    with pytest.raises(AttachmentUnreadable):
        attachments.read("pengaduan", complaint.id, row.id)


def test_an_attachment_is_read_only_through_its_own_kind_and_case(db, complaint, seeded):
    row = make_attachment(complaint)
    other = make_pengaduan(identity="anonim")
    db.session.commit()
    for kind, case_id, attachment_id in [
        ("wbs", complaint.id, row.id),  # the same ids under another kind
        ("gratifikasi", complaint.id, row.id),
        ("pengaduan", other.id, row.id),  # another complaint's id in the URL
        ("pengaduan", complaint.id, row.id + 1000),
    ]:
        with pytest.raises(AttachmentNotFound) as refused:
            attachments.read(kind, case_id, attachment_id)
        assert type(refused.value) is AttachmentNotFound  # nothing tells a wrong kind from an unknown id


def test_download_records_who_took_which_file(db, complaint):
    row = make_attachment(complaint)
    user = make_user()
    db.session.commit()
    result = attachments.download(user, complaint, row.id)
    assert (result.attachment.id, result.data) == (row.id, PDF)
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id, entry.target_type, entry.target_id) == (
        "pengaduan.attachment_download",
        user.id,
        "pengaduan",
        str(complaint.id),
    )
    assert f'"attachment":{row.id}' in entry.data and complaint.number in entry.data


def test_a_derived_copy_names_its_original(db, complaint):
    original = make_attachment(complaint, PNG_1PX, "foto.png")
    (derived,) = attachments.attach(complaint, [store_file(PNG_1PX, "foto.png")])
    derived.variant, derived.derived_from = AttachmentVariant.STRIPPED, original
    db.session.commit()
    assert derived.derived_from_id == original.id
    assert [a.variant for a in complaint.attachments] == ["original", "stripped"]

    orphan = Attachment(
        case_kind="wbs",
        case_id=1,
        stored_name="f" * 32,
        original_name="x.png",
        content_type="image/png",
        size=1,
        sha256="0" * 64,
        variant=AttachmentVariant.STRIPPED,
    )
    db.session.add(orphan)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_rotation_reencrypts_the_files_of_every_kind(app, db, complaint):
    pengaduan_row = make_attachment(complaint)
    # Rows of kinds whose models do not exist yet: rotation works from the table alone.
    others = []
    for kind, data, name in (("wbs", PNG_1PX, "foto.png"), ("gratifikasi", PDF, "kuitansi.pdf")):
        stored = store_file(data, name, kind)
        row = Attachment(
            case_kind=kind,
            case_id=complaint.id,
            stored_name=stored.stored_name,
            original_name=name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=attachments.row_checksum(kind, stored.sha256),  # keyed for WBS kinds
        )
        db.session.add(row)
        others.append((row, data))
    gone = make_attachment(complaint)
    db.session.commit()
    stored_path(app, gone).unlink()

    old = current_keyring()
    new = Keyring(keys={"t2": os.urandom(32), **old.keys}, primary="t2")
    counts = attachments.rotate_files(new, upload_dir(app))

    assert counts["pengaduan_attachment files"] == 1
    assert counts["pengaduan_attachment files missing"] == 1
    assert counts["wbs_attachment files"] == 1
    assert counts["gratifikasi_attachment files"] == 1
    only_new = Keyring(keys={"t2": new.keys["t2"]}, primary="t2")
    for row, data in [(pengaduan_row, PDF), *others]:
        assert stored_path(app, row).read_bytes().startswith(b"zk1.t2.")
        assert attachments.read(row.case_kind, row.case_id, row.id, keyring=only_new).data == data
    # Already under the primary key: a second run rewrites nothing.
    again = attachments.rotate_files(new, upload_dir(app))
    assert again["pengaduan_attachment files"] == again["wbs_attachment files"] == 0


def test_a_second_case_model_gets_its_own_attachments_without_warnings(tmp_path):
    """What the next case kind will do (as WBS and gratifikasi did): register a case model with HasAttachments
    beside the others'."""
    script = """
import sys
import warnings
warnings.simplefilter("error")
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from zi_public import create_app
from zi_public.extensions import db
from zi_public.models import Attachment, HasAttachments, Pengaduan
from zi_public.security.permissions import CASE_READERS, register_case_model

CASE_READERS["stand_in"] = frozenset()

@register_case_model("stand_in")
class CaseStandIn(HasAttachments, db.Model):
    __tablename__ = "case_stand_in"
    id: Mapped[int] = mapped_column(primary_key=True)

def row(name):
    return Attachment(stored_name=name * 32, original_name="x", content_type="image/png", size=1, sha256="0" * 64)

app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "x",
                  "DATA_KEYS": "t1:" + "A" * 43, "HASH_KEY": "h"})
with app.app_context():
    db.create_all()
    report = CaseStandIn(attachments=[row("a")])
    report.attachments.append(row("b"))
    db.session.add(report)
    db.session.flush()
    print(sorted({(a.case_kind, a.case_id) for a in db.session.scalars(sa.select(Attachment))}))
    print(len(db.session.get(CaseStandIn, report.id).attachments))
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "instance")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[('stand_in', 1)]", "2"]
