"""Attachments of every case kind: store a file, attach it to a case, read it back, re-encrypt it.

Every service (pengaduan, WBS, gratifikasi, ...) stores its files through here, so a download and
`keys rotate` handle them all the same way. The files themselves are checked, written and encrypted
by zi_public.security.uploads; this module adds what a case kind means: the encryption context its
files are bound to, the Attachment rows, and the checks on the way out (the attachment belongs to
this case of this kind, and its bytes still match the checksum taken when it arrived).

Staff get an image as a copy without metadata (EXIF, GPS position, camera, comments): a photo can
reveal where a reporter lives or which phone took it. The copy is made at the first download and
kept as a row of its own (variant "stripped", derived_from the original), not at filing: decoding
every photo at full size would double what each public submission costs, while staff open them one
at a time. The original stays encrypted as evidence and is given only when asked for explicitly,
under an audit action of its own.

WBS files (kinds in DAY_ONLY_KINDS) keep no time finer than the day (DESIGN: WBS anonymity): their rows are
dated the start of the day (Asia/Jakarta) they were stored, and so are the files' modification times. Their
rows keep no name the reporter's device gave the file either (a phone names a photo by the moment it was
taken, people name files after whom they concern): "lampiran.<ext>"; and their checksum is keyed, so that
someone holding a copy of a document cannot confirm from the database that it was reported.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.localtime import JAKARTA, start_of_day_utc, today_jakarta
from zi_public.models import Attachment, AttachmentVariant, User
from zi_public.security import office
from zi_public.security.keyring import Keyring, KeyringError, current_keyring, keyed_hash
from zi_public.security.permissions import CASE_MODELS, CASE_READERS, case_kind_of
from zi_public.security.uploads import (
    PixelBudget,
    StoredFile,
    UploadNotFound,
    UploadRejected,
    checked_path,
    delete_upload,
    extension_for,
    read_upload,
    reencrypt_upload,
    store_bytes,
    store_upload,
    strip_metadata,
)
from zi_public.services import audit
from zi_public.unit_of_work import on_rollback

log = logging.getLogger(__name__)


class AttachmentNotFound(LookupError):
    """No such attachment on this case (of this kind): the same answer as an unknown id."""


class AttachmentUnreadable(AttachmentNotFound):
    """The row exists but its file is missing, does not decrypt or does not match its checksum."""


class CleanCopyFailed(Exception):
    """The metadata-free copy of an image could not be made; only the original (on explicit request) remains."""


#: Case kinds whose attachments keep the day only: a reporter's upload must not tell when it was sent.
DAY_ONLY_KINDS = frozenset({"wbs", "wbs_message"})

#: Content types whose metadata is stripped from the copy staff get by default.
STRIPPED_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}) | office.CONTENT_TYPES


@dataclass(frozen=True)
class Download:
    attachment: Attachment
    data: bytes  # the plaintext, checked against attachment.sha256 (see _checksum)


def context_for(kind: str) -> str:
    """The encryption context of a case kind's files (part of each file's associated data).

    Pengaduan's files were written as "pengaduan-attachment" before this module existed: the
    pattern keeps those bytes, so every stored file stays readable.
    """
    if kind not in CASE_READERS:
        raise ValueError(f"unknown case kind {kind!r}")
    return f"{kind}-attachment"


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def store_file(
    kind: str,
    file: FileStorage,
    *,
    allowed: Iterable[str],
    max_bytes: int | None = None,
    keyring: Keyring | None = None,
    directory: Path | None = None,
    budget: PixelBudget | None = None,
) -> StoredFile:
    """Check one uploaded file and store it encrypted for a case of `kind` (UploadRejected if refused).

    The file has no row yet: pass the result to `attach` once the case exists. If the transaction
    ends without a commit, the file is deleted again: a failed submission leaves no file behind.
    Pass the files of one submission the same `budget` (pixel_budget()): it caps what they cost together.
    """
    directory = directory or upload_dir()
    stored = store_upload(
        file,
        upload_dir=directory,
        allowed=frozenset(allowed),
        max_bytes=max_bytes if max_bytes is not None else int(current_app.config["UPLOAD_MAX_BYTES"]),
        keyring=keyring or current_keyring(),
        context=context_for(kind),
        max_pixels=int(current_app.config["UPLOAD_MAX_PIXELS"]),
        budget=budget or pixel_budget(),
    )
    on_rollback(partial(delete_upload, stored.stored_name, upload_dir=directory))
    if kind in DAY_ONLY_KINDS:
        _date_file_to_day(directory, stored.stored_name)
        stored = replace(stored, original_name=f"lampiran{extension_for(stored.content_type)}")
    return stored


def _dated(kind: str) -> dict[str, datetime]:
    """The created_at of a new row of `kind`: the start of today for DAY_ONLY_KINDS, else the column default."""
    return {"created_at": start_of_day_utc(today_jakarta())} if kind in DAY_ONLY_KINDS else {}


def row_checksum(kind: str, sha256: str) -> str:
    """What a row of `kind` keeps of its plaintext's SHA-256: the digest, or for DAY_ONLY_KINDS a keyed hash of it."""
    return keyed_hash(sha256, "wbs-attachment-checksum") if kind in DAY_ONLY_KINDS else sha256


def _date_file_to_day(directory: Path, stored_name: str) -> None:
    """Set the stored file's (and its folder's) access and modification times to the start of today (Jakarta):
    a copied upload folder (rsync -a, tar) would otherwise keep the moment a reporter sent the file.
    The inode's change time cannot be set; it stays on the live volume only."""
    path = checked_path(directory, stored_name)
    moment = datetime.combine(today_jakarta(), time.min, tzinfo=JAKARTA).timestamp()
    for target in (path, path.parent):
        os.utime(target, (moment, moment))


def pixel_budget() -> PixelBudget:
    """A fresh budget of decoded pixels for the files of one submission (UPLOAD_PIXEL_BUDGET)."""
    return PixelBudget(int(current_app.config["UPLOAD_PIXEL_BUDGET"]))


def attach(case: Any, stored: Sequence[StoredFile]) -> list[Attachment]:
    """Record stored files as the case's attachments (the case may not be flushed yet)."""
    kind = case_kind_of(case)
    dated = _dated(kind)
    rows = [
        Attachment(
            stored_name=f.stored_name,
            original_name=f.original_name,
            content_type=f.content_type,
            size=f.size,
            sha256=row_checksum(kind, f.sha256),
            is_encrypted=f.encrypted,
            **dated,
        )
        for f in stored
    ]
    case.attachments.extend(rows)  # HasAttachments sets each row's case kind; the flush its case id
    return rows


def read(
    kind: str,
    case_id: int,
    attachment_id: int,
    *,
    keyring: Keyring | None = None,
    directory: Path | None = None,
) -> Download:
    """The plaintext of one attachment of case `kind`:`case_id`.

    AttachmentNotFound when the id is unknown or belongs to another case or kind;
    AttachmentUnreadable (logged) when the file is missing, altered or undecryptable.
    """
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_kind != kind or attachment.case_id != case_id:
        raise AttachmentNotFound(attachment_id)
    try:
        data = read_upload(
            attachment.stored_name,
            upload_dir=directory or upload_dir(),
            keyring=(keyring or current_keyring()) if attachment.is_encrypted else None,
            context=context_for(kind),
        )
    except (UploadNotFound, KeyringError, ValueError) as exc:
        log.exception("%s attachment %s cannot be read", kind, attachment.id)
        raise AttachmentUnreadable(attachment_id) from exc
    if row_checksum(kind, hashlib.sha256(data).hexdigest()) != attachment.sha256:
        log.error("%s attachment %s does not match its checksum", kind, attachment.id)
        raise AttachmentUnreadable(attachment_id)
    return Download(attachment, data)


def originals(case: Any) -> list[Attachment]:
    """The files the reporter sent, oldest first (without the copies made of them)."""
    return [a for a in case.attachments if a.variant == AttachmentVariant.ORIGINAL]


def is_stripped_for_staff(attachment: Attachment) -> bool:
    """Whether staff get this file as a metadata-free copy by default (images, office documents) or as sent (PDFs)."""
    return attachment.content_type in STRIPPED_TYPES


def download(actor: User, case: Any, attachment_id: int, *, original: bool = False) -> Download:
    """One attachment of `case` for a staff member, audit-logged: an image's metadata-free copy by default.

    `attachment_id` names the file as sent (a copy's own id is not addressable). `original=True` gives
    the evidence as it arrived, logged as `<kind>.attachment_download_original`. The caller has already
    checked that `actor` may open the case (get_case_or_404). CleanCopyFailed when no copy can be made.
    """
    kind = case_kind_of(case)
    result = read(kind, case.id, attachment_id)
    if result.attachment.variant != AttachmentVariant.ORIGINAL:
        raise AttachmentNotFound(attachment_id)
    if not original and is_stripped_for_staff(result.attachment):
        result = _clean_copy(kind, case, result)
    data: dict[str, object] = {"attachment": attachment_id, "variant": result.attachment.variant.value}
    if getattr(case, "number", None):
        data = {"number": case.number, **data}
    action = f"{kind}.attachment_download_original" if original else f"{kind}.attachment_download"
    audit.record(actor, action, case, data=data)
    return result


def _clean_copy(kind: str, case: Any, original: Download) -> Download:
    """The stripped copy of an original image: the stored one, or made now and stored like any attachment.

    Two first downloads at once may each make one; both are clean, and the older is used from then on.
    """
    source = original.attachment
    copy_id = db.session.scalar(
        sa.select(Attachment.id)
        .where(Attachment.derived_from_id == source.id, Attachment.variant == AttachmentVariant.STRIPPED)
        .order_by(Attachment.id)
        .limit(1)
    )
    if copy_id is not None:
        return read(kind, case.id, copy_id)
    try:
        clean = strip_metadata(
            original.data, source.content_type, max_pixels=int(current_app.config["UPLOAD_MAX_PIXELS"])
        )
    except UploadRejected as exc:
        log.warning("%s attachment %s: no clean copy (%s)", kind, source.id, exc.code)
        raise CleanCopyFailed(source.id) from exc
    directory = upload_dir()
    stored = store_bytes(
        clean,
        content_type=source.content_type,
        original_name=source.original_name,
        upload_dir=directory,
        keyring=current_keyring(),
        context=context_for(kind),
    )
    on_rollback(partial(delete_upload, stored.stored_name, upload_dir=directory))
    if kind in DAY_ONLY_KINDS:
        _date_file_to_day(directory, stored.stored_name)
    row = Attachment(
        case_kind=kind,
        case_id=case.id,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=row_checksum(kind, stored.sha256),
        is_encrypted=stored.encrypted,
        variant=AttachmentVariant.STRIPPED,
        derived_from_id=source.id,
        **_dated(kind),
    )
    db.session.add(row)
    db.session.flush()
    return Download(row, clean)


def rotate_files(keyring: Keyring, directory: Path, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted attachment file of every kind under the keyring's primary key.

    Returns per kind "<kind>_attachment files" (rewritten) and "... files missing" (a missing file
    is counted, not fatal). A file that does not decrypt raises KeyringError: rotation stops.
    """
    counts: dict[str, int] = {}
    for kind in sorted(CASE_MODELS):
        counts[f"{kind}_attachment files"] = counts[f"{kind}_attachment files missing"] = 0
    stmt = (
        sa.select(Attachment.case_kind, Attachment.stored_name)
        .where(Attachment.is_encrypted.is_(True))
        .order_by(Attachment.id)
        .execution_options(yield_per=batch_size)
    )
    for kind, stored_name in db.session.execute(stmt):
        key = f"{kind}_attachment files"
        counts.setdefault(key, 0)
        counts.setdefault(f"{key} missing", 0)
        try:
            counts[key] += reencrypt_upload(
                stored_name, upload_dir=directory, keyring=keyring, context=context_for(kind)
            )
        except UploadNotFound:
            counts[f"{key} missing"] += 1
    return counts
