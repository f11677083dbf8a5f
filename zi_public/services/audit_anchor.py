"""The audit chain's anchor outside the database: an append-only file of the newest entry after each commit.

A hash chain shows a changed or removed entry in its middle, but not the newest entries removed (or the
whole table emptied): what is left is still a valid chain. So after every commit that added entries, the
newest entry's id and hash are appended to the file named by ZI_AUDIT_ANCHOR (one JSON line), and
`audit verify` fails when the database lacks an entry the file recorded or holds it with another hash.
Keep the file where someone who can write to the database cannot rewrite it (another host's mount, an
append-only volume, a log shipper).

Several workers and hosts may share one file: each append takes an exclusive `flock` on it. Lines may
land out of commit order (each worker appends after its own commit), so the check compares every record,
never only the last line. A record that was never written (the process died between the commit and the
append) weakens the check for that moment only; it never makes it fail.

An *epoch* starts when the database is deliberately replaced (`backup restore`, or `audit anchor` after an
upgrade or a lost file): its first line carries `"epoch"` and the reason, and only the records since the
newest epoch line are held against the database. The restore (or re-anchoring) is itself an audit entry,
and it is the epoch line's record.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from zi_public.extensions import db
from zi_public.localtime import now_utc
from zi_public.models import AuditEntry

log = logging.getLogger(__name__)

#: session.info keys: the newest entry this transaction recorded; a savepoint rolled back since (that entry
#: may be undone); an epoch the commit starts.
_HEAD = "zi_public.audit_head"
_UNSURE = "zi_public.audit_head_unsure"
_EPOCH = "zi_public.audit_epoch"

_NEWEST = sa.select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)


def anchor_path() -> Path:
    return Path(current_app.config["AUDIT_ANCHOR"])


def wrote(session: Session, entry_id: int, entry_hash: str) -> None:
    """Called by audit.record with the entry it inserted: the newest of this transaction (the chain lock
    serialises writers), appended to the anchor once the transaction commits."""
    session.info[_HEAD] = (entry_id, entry_hash)


def start_epoch_at_commit(reason: str) -> str:
    """Make the next commit start a new epoch (after a restore); returns the epoch's id for the audit entry."""
    epoch = uuid.uuid4().hex
    db.session().info[_EPOCH] = {"epoch": epoch, "reason": reason}
    return epoch


@event.listens_for(Session, "after_rollback")
def _savepoint_undone(session: Session) -> None:
    if _HEAD in session.info:  # a savepoint (or everything) rolled back: the remembered head may be gone
        session.info[_UNSURE] = True


@event.listens_for(Session, "before_commit")
def _confirm_head(session: Session) -> None:
    # Only after a rolled-back savepoint is the head read again, inside the transaction and still under the
    # chain lock (after the commit the session cannot query); otherwise the commit costs no query.
    if session.in_nested_transaction() or not session.info.pop(_UNSURE, False) or _HEAD not in session.info:
        return
    session.flush()
    head = session.connection().execute(_NEWEST).one_or_none()
    session.info[_HEAD] = (head.id, head.entry_hash) if head is not None else None


@event.listens_for(Session, "after_commit")
def _append_head(session: Session) -> None:
    if session.in_nested_transaction():
        return
    head = session.info.pop(_HEAD, None)
    epoch = session.info.pop(_EPOCH, None)
    if head is None:
        return
    record = {"id": head[0], "hash": head[1]}
    if epoch is not None:
        record = {**epoch, "at": now_utc().isoformat(timespec="seconds"), **record}
    try:
        append(anchor_path(), record)
    except OSError:
        # The entries are committed; failing the request now would report an error for saved work. The
        # anchor lags behind until the next commit, which `audit verify` tolerates (it never fails on it).
        log.exception("audit anchor %s not written (entry %s)", anchor_path(), head[0])


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: object) -> None:
    if getattr(transaction, "parent", None) is None:  # the whole transaction ended: nothing is pending
        for key in (_HEAD, _UNSURE, _EPOCH):
            session.info.pop(key, None)


def append(path: Path, record: dict[str, object]) -> None:
    """Append one JSON line under an exclusive lock (O_APPEND alone is not atomic on NFS), on disk before returning.

    The database made its commit durable before this runs; a line left in the page cache would be lost by a power
    cut while the entries stay, and the next line would no longer prove they were there. So the line is fsynced,
    and a file just created is fsynced into its folder (a new name is not durable until its directory is).
    """
    line = (json.dumps(record, separators=(",", ":"), sort_keys=True) + "\n").encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        created: list[Path] = []
    except FileNotFoundError:
        created = _create(path)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        fcntl.flock(fd, fcntl.LOCK_UN)  # the line is in place: other writers need not wait for the disk
        os.fsync(fd)
    finally:
        os.close(fd)
    for new in created:
        _fsync_directory(new.parent)


def _create(path: Path) -> list[Path]:
    """Create the file (and its missing folders, private); the paths created, outermost first."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()][::-1]
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # another worker created it first: its creator makes the name durable
        return missing
    return [*missing, path]


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AnchorUnreadable(ValueError):
    """The anchor file holds a line that is not a record: it was damaged or edited."""


@dataclass
class Epoch:
    """The records since the newest epoch line (all records when there is none)."""

    records: dict[int, set[str]] = field(default_factory=dict)
    reason: str = ""
    started_at: str = ""
    epochs: int = 0  # epoch lines seen in the file
    lines: int = 0  # records in this epoch


def read_epoch(path: Path) -> Epoch:
    """The current epoch's records; an unterminated last line (a crash mid-write) is skipped."""
    current = Epoch()
    for number, record in _records(path):
        if not isinstance(record.get("id"), int) or not isinstance(record.get("hash"), str):
            raise AnchorUnreadable(f"{path}: line {number} is not an anchor record")
        if "epoch" in record:
            current = Epoch(
                reason=str(record.get("reason", "")), started_at=str(record.get("at", "")), epochs=current.epochs + 1
            )
        current.records.setdefault(record["id"], set()).add(record["hash"])
        current.lines += 1
    return current


def _records(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        with open(path, "rb") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_SH)  # no half-appended line is read
            content = fh.read()
    except FileNotFoundError:
        return
    lines = content.split(b"\n")
    for number, raw in enumerate(lines[:-1], start=1):  # lines[-1] is "" or an unterminated tail
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError as exc:
            raise AnchorUnreadable(f"{path}: line {number} is not JSON") from exc
        if not isinstance(record, dict):
            raise AnchorUnreadable(f"{path}: line {number} is not an anchor record")
        yield number, record


@dataclass(frozen=True)
class AnchorReport:
    ok: bool
    message: str
    checked: int = 0

    def __str__(self) -> str:
        return self.message


def check_anchor(batch_size: int = 5000) -> AnchorReport:
    """Hold the database against the anchor: every entry the current epoch recorded must be there, unchanged.

    Run it after audit.verify_chain: with the chain intact up to an anchored entry, the entries before
    it are intact too.
    """
    path = anchor_path()
    try:
        epoch = read_epoch(path)
    except (AnchorUnreadable, OSError) as exc:
        return AnchorReport(False, f"ANCHOR UNREADABLE: {exc}")
    expected = epoch.records
    if not expected:
        count = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) or 0
        if count:
            return AnchorReport(
                False,
                f"ANCHOR EMPTY: {path} records no entry but the log holds {count}: the anchor file was lost or "
                "replaced, or this database was filled before anchoring began. If you know why, start a new "
                "epoch at the current head with `flask --app wsgi audit anchor`.",
            )
        return AnchorReport(True, f"anchor {path}: nothing recorded yet")
    stmt = (
        sa.select(AuditEntry.id, AuditEntry.entry_hash)
        .where(AuditEntry.id >= min(expected))
        .order_by(AuditEntry.id)
        .execution_options(yield_per=batch_size)
    )
    present: set[int] = set()
    with db.session.execute(stmt) as rows:
        for entry_id, entry_hash in rows:
            hashes = expected.get(entry_id)
            if hashes is None:
                continue
            if hashes != {entry_hash}:
                other = next(iter(hashes - {entry_hash}))
                return AnchorReport(
                    False,
                    f"ANCHOR MISMATCH at entry {entry_id}: the anchor recorded hash {other[:16]}…, the database "
                    f"holds {entry_hash[:16]}…: the log was replaced or rewritten after it was anchored",
                )
            present.add(entry_id)
    missing = sorted(set(expected) - present)
    if missing:
        count = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) or 0
        noun = "entry" if count == 1 else "entries"
        return AnchorReport(
            False,
            f"ANCHOR MISMATCH: the database lacks entry {missing[0]}, which the anchor recorded ({len(missing)} "
            f"anchored entries missing, up to {missing[-1]}; the log holds {count} {noun}): entries were "
            "deleted after they were anchored",
        )
    since = f" since {epoch.started_at} ({epoch.reason})" if epoch.epochs else ""
    return AnchorReport(True, f"anchor: {len(present)} anchored entries present{since}", checked=len(present))
