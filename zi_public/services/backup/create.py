"""`backup create`: one consistent snapshot of every table, the attachment files as stored, the key ids."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.localtime import now_utc
from zi_public.models import Attachment, AuditEntry
from zi_public.security.keyring import EncryptedText, Keyring
from zi_public.security.uploads import UploadNotFound, checked_path
from zi_public.services import audit
from zi_public.services.backup.format import (
    BATCH,
    CHUNK,
    FORMAT,
    MANIFEST,
    VERSION,
    codec,
    hash_key_check,
    key_check,
    schema_revision,
    stored_table,
    tables,
    token_key_id,
)


@dataclass
class BackupSummary:
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)
    key_ids: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        rows = sum(self.tables.values())
        text = f"{rows} rows in {len(self.tables)} tables, {self.files} files, keys {', '.join(self.key_ids) or '-'}"
        if self.missing_files:
            text += f"; {len(self.missing_files)} attachment files missing from the upload folder"
        return text


def create_backup(output: Path, *, upload_dir: Path, keyring: Keyring) -> BackupSummary:
    """Write the database, the attachment files and the key ids to `output` (0600; replaced atomically).

    Reads one consistent snapshot of the database; records a `backup.create` audit entry afterwards.
    """
    summary = BackupSummary()
    key_ids: set[str] = set()
    partial_path = output.with_name(f".{output.name}.{os.getpid()}.partial")
    fd = os.open(partial_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            _begin_snapshot()
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": now_utc().isoformat(timespec="seconds"),
                "source_backend": db.session.get_bind().dialect.name,
                "schema_revision": schema_revision(),
                "tables": [],
                "files": [],
            }
            for table in tables():
                manifest["tables"].append(_write_table(zf, table, key_ids))
                summary.tables[table.name] = manifest["tables"][-1]["rows"]
            for stored_name, is_encrypted in db.session.execute(
                sa.select(Attachment.stored_name, Attachment.is_encrypted).order_by(Attachment.id)
            ):
                entry = _write_file(zf, upload_dir, stored_name, key_ids if is_encrypted else None)
                if entry is None:
                    summary.missing_files.append(stored_name)
                else:
                    manifest["files"].append(entry)
            head = db.session.execute(
                sa.select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
            ).one_or_none()
            manifest["audit_head"] = {"id": head[0], "hash": head[1]} if head else None
            manifest["keys"] = {
                "data": {kid: key_check(keyring.keys[kid]) if kid in keyring.keys else None for kid in sorted(key_ids)},
                "hash_key_check": hash_key_check(),
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        db.session.rollback()  # end the snapshot
        os.replace(partial_path, output)
    except BaseException:
        partial_path.unlink(missing_ok=True)
        raise
    summary.files = len(manifest["files"])
    summary.key_ids = sorted(key_ids)
    audit.record(
        "cli",
        "backup.create",
        target_type="backup",
        target_id=output.name[:64],
        data={
            "tables": summary.tables,
            "files": summary.files,
            "missing_files": len(summary.missing_files),
            "audit_head": manifest["audit_head"],
        },
    )
    return summary


def _begin_snapshot() -> None:
    """Every table read from one moment: REPEATABLE READ on PostgreSQL, one read transaction on SQLite."""
    db.session.rollback()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        db.session.connection().exec_driver_sql("BEGIN")


def _write_table(zf: zipfile.ZipFile, table: sa.Table, key_ids: set[str]) -> dict[str, Any]:
    stored = stored_table(table)
    codecs = [codec(c)[0] for c in table.columns]
    encrypted = [i for i, c in enumerate(table.columns) if isinstance(c.type, EncryptedText)]
    order = list(stored.primary_key.columns) or list(stored.columns)
    digest, rows = hashlib.sha256(), 0
    stmt = sa.select(*stored.columns).order_by(*order).execution_options(yield_per=BATCH)
    with zf.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as member:
        with db.session.execute(stmt) as result:
            for row in result:
                for i in encrypted:
                    if row[i] is not None and (kid := token_key_id(row[i])):
                        key_ids.add(kid)
                line = json.dumps([enc(v) for enc, v in zip(codecs, row, strict=True)], ensure_ascii=False) + "\n"
                data = line.encode("utf-8")
                digest.update(data)
                member.write(data)
                rows += 1
    return {"name": table.name, "columns": [c.name for c in table.columns], "rows": rows, "sha256": digest.hexdigest()}


def _write_file(zf: zipfile.ZipFile, upload_dir: Path, stored_name: str, key_ids: set[str] | None) -> dict | None:
    try:
        path = checked_path(upload_dir, stored_name)
        source = open(path, "rb")  # noqa: SIM115 - closed below
    except (UploadNotFound, FileNotFoundError):
        return None
    digest, size = hashlib.sha256(), 0
    with source, zf.open(f"uploads/{stored_name}", "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK):
            if size == 0 and key_ids is not None and (kid := token_key_id(chunk[:80])):
                key_ids.add(kid)
            digest.update(chunk)
            member.write(chunk)
            size += len(chunk)
    return {"name": stored_name, "size": size, "sha256": digest.hexdigest()}
