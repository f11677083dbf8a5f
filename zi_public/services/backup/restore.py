"""`backup restore`: check the file, the database and the keys, load every table and file, start an anchor epoch."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.security.keyring import Keyring
from zi_public.security.uploads import checked_path, delete_upload, write_atomically
from zi_public.services import audit, audit_anchor
from zi_public.services.backup.format import (
    BATCH,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    codec,
    hash_key_check,
    key_check,
    schema_revision,
    stored_table,
    tables,
)
from zi_public.unit_of_work import begin_writing, on_rollback

#: A row's reference to a row of its own table, set after the whole table is in: (table, column, row, value).
_Link = tuple[sa.Table, str, dict[str, Any], Any]


@dataclass
class RestoreSummary:
    tables: dict[str, int]
    files: int
    source_backend: str
    created_at: str
    epoch: str

    def __str__(self) -> str:
        return (
            f"restored {sum(self.tables.values())} rows in {len(self.tables)} tables and {self.files} files "
            f"from a {self.source_backend} backup of {self.created_at}; new anchor epoch {self.epoch}"
        )


def restore_backup(source: Path, *, upload_dir: Path, keyring: Keyring) -> RestoreSummary:
    """Load `source` into this empty, migrated database and `upload_dir`; the caller commits.

    BackupError, with nothing kept (the caller rolls back; files written are removed on rollback), when
    the file is damaged or not a backup, the database is not empty or at another schema revision, or a
    key the data needs is missing from this configuration.
    """
    try:
        with zipfile.ZipFile(source) as zf:
            manifest = _read_manifest(zf, source)
            db.session.rollback()
            begin_writing()  # SQLite: hold the write lock for the whole restore
            _check_target(manifest)
            _check_keys(manifest, keyring)
            links: list[_Link] = []
            counts = {table.name: _load_table(zf, table, manifest, links) for table in tables()}
            _link_self_references(links)
            _reset_sequences()
            for entry in manifest["files"]:
                _restore_file(zf, upload_dir, entry)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        KeyError,
        TypeError,
    ) as exc:
        raise BackupError(
            f"{source} is damaged or not a ZI Public backup ({type(exc).__name__}: {exc}); nothing was restored"
        ) from exc
    except sa.exc.DBAPIError as exc:
        raise BackupError(f"the database refused the backup's rows ({exc.orig}); nothing was restored") from exc
    epoch = audit_anchor.start_epoch_at_commit("backup restore")
    audit.record(
        "cli",
        "backup.restore",
        target_type="audit_anchor",
        target_id=epoch,
        data={
            "file": source.name,
            "created_at": manifest["created_at"],
            "source_backend": manifest["source_backend"],
            "source_audit_head": manifest["audit_head"],
            "rows": sum(counts.values()),
            "files": len(manifest["files"]),
        },
    )
    return RestoreSummary(counts, len(manifest["files"]), manifest["source_backend"], manifest["created_at"], epoch)


def _read_manifest(zf: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError as exc:
        raise BackupError(f"{source} is not a ZI Public backup (no {MANIFEST}); nothing was restored") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a ZI Public backup; nothing was restored")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{source} is a backup of format version {manifest.get('version')}; this release reads {VERSION}"
        )
    return manifest


def _check_target(manifest: dict[str, Any]) -> None:
    revision = schema_revision()
    if revision is None:
        raise BackupError("this database has no schema: run `flask --app wsgi db upgrade` on it first, then restore")
    if revision != manifest["schema_revision"]:
        raise BackupError(
            f"the backup is of schema revision {manifest['schema_revision']}, this database is at {revision}: restore "
            "with the release that made the backup (its `db upgrade`), then upgrade"
        )
    used = [t.name for t in tables() if db.session.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()]
    if used:
        raise BackupError(
            f"this database is not empty (rows in {', '.join(used)}): a backup is restored only into a new, empty, "
            "migrated database; nothing was restored"
        )
    expected = {t.name: [c.name for c in t.columns] for t in tables()}
    stored = {t["name"]: t["columns"] for t in manifest["tables"]}
    if stored != expected:
        raise BackupError("the backup's tables do not match this release's; nothing was restored")


def _check_keys(manifest: dict[str, Any], keyring: Keyring) -> None:
    keys = manifest["keys"]
    if keys["hash_key_check"] != hash_key_check():
        raise BackupError(
            "ZI_HASH_KEY is not the one this backup was made with: access codes, receipts and the audit chain "
            "depend on it. Set the same ZI_HASH_KEY, then restore; nothing was restored"
        )
    missing = sorted(kid for kid in keys["data"] if kid not in keyring.keys)
    if missing:
        raise BackupError(
            f"ZI_DATA_KEYS lacks the key(s) {', '.join(missing)} that the backup's data is encrypted with: add them "
            "(from where the keys are kept), then restore; nothing was restored"
        )
    wrong = sorted(kid for kid, check in keys["data"].items() if check and check != key_check(keyring.keys[kid]))
    if wrong:
        raise BackupError(
            f"the key(s) {', '.join(wrong)} in ZI_DATA_KEYS are not the keys of those ids that the backup's data is "
            "encrypted with; nothing was restored"
        )


def _load_table(zf: zipfile.ZipFile, table: sa.Table, manifest: dict[str, Any], links: list[_Link]) -> int:
    (entry,) = [t for t in manifest["tables"] if t["name"] == table.name]
    stored = stored_table(table)
    names = [c.name for c in table.columns]
    decoders = [codec(c)[1] for c in table.columns]
    deferred = _self_references(table)
    read: dict[str, set[object]] = {target: set() for target in deferred.values()}  # values of rows read so far
    insert = sa.insert(stored)
    digest, rows, batch = hashlib.sha256(), 0, []
    with zf.open(f"tables/{table.name}.jsonl") as member:
        for line in member:
            digest.update(line)
            values = dict(zip(names, (dec(v) for dec, v in zip(decoders, json.loads(line), strict=True)), strict=True))
            for column, target in deferred.items():
                # A row naming an earlier one goes in as it is (a CHECK may require the reference, e.g. a
                # stripped attachment copy names its original); one naming a later row (or itself) is
                # linked once every row of the table is in.
                if values[column] is not None and values[column] not in read[target]:
                    links.append((table, column, values, values[column]))
                    values[column] = None
            for target, seen in read.items():
                seen.add(values[target])
            batch.append(values)
            rows += 1
            if len(batch) == BATCH:
                db.session.execute(insert, batch)
                batch = []
    if batch:
        db.session.execute(insert, batch)
    if (rows, digest.hexdigest()) != (entry["rows"], entry["sha256"]):
        raise ValueError(f"table {table.name} does not match its checksum")
    return rows


def _self_references(table: sa.Table) -> dict[str, str]:
    """Nullable columns referring to the same table: {referring column: referred column}."""
    return {
        fk.parent.name: fk.column.name for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable
    }


def _link_self_references(links: list[_Link]) -> None:
    for table, column, values, target in links:
        stored = stored_table(table)
        key = list(stored.primary_key.columns)
        db.session.execute(sa.update(stored).where(*(c == values[c.name] for c in key)).values({column: target}))


def _reset_sequences() -> None:
    """PostgreSQL: each serial column's sequence continues after the restored ids (SQLite needs nothing)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        for column in table.primary_key.columns:
            sequence = connection.execute(
                sa.select(sa.func.pg_get_serial_sequence(table.name, column.name))
            ).scalar_one()
            if sequence:
                restart = sa.func.coalesce(sa.select(sa.func.max(column)).scalar_subquery(), 0) + 1
                connection.execute(sa.select(sa.func.setval(sequence, restart, False)))


def _restore_file(zf: zipfile.ZipFile, upload_dir: Path, entry: dict[str, Any]) -> None:
    path = checked_path(upload_dir, entry["name"])
    if path.exists():
        raise BackupError(f"{path} exists already: restore into an empty upload folder; nothing was restored")
    payload = zf.read(f"uploads/{entry['name']}")
    if hashlib.sha256(payload).hexdigest() != entry["sha256"]:
        raise ValueError(f"file {entry['name']} does not match its checksum")
    write_atomically(path, payload)
    on_rollback(partial(delete_upload, entry["name"], upload_dir=upload_dir))
