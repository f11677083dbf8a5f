"""Re-encrypt every encrypted column under the keyring's primary key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.security.keyring import EncryptedText, Keyring
from zi_public.services import attachments, audit


def encrypted_columns() -> Iterator[tuple[sa.Table, sa.Column, EncryptedText]]:
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                yield table, column, column.type


def rotate_keys(keyring: Keyring, batch_size: int = 500, upload_dir: Path | None = None) -> dict[str, int]:
    """Rewrite values (and, given `upload_dir`, the attachment files of every case kind) not under the primary key.

    Returns how many were rewritten per table.column (and per kind of file).
    """
    counts: dict[str, int] = {}
    for table, column, coltype in encrypted_columns():
        pk = list(table.primary_key.columns)
        if len(pk) != 1:
            raise RuntimeError(f"{table.name}: key rotation needs a single-column primary key")
        raw = sa.type_coerce(column, sa.Text)  # the stored token, not the decrypted value
        stmt = sa.select(pk[0], raw).where(column.is_not(None)).order_by(pk[0])
        rewritten = 0
        for row_id, token in db.session.execute(stmt).all():
            if not keyring.needs_rotation(token):
                continue
            plaintext = keyring.decrypt_text(token, coltype.context)
            db.session.execute(
                sa.update(table)
                .where(pk[0] == row_id)
                .values({column.name: sa.type_coerce(keyring.encrypt_text(plaintext, coltype.context), sa.Text)})
            )
            rewritten += 1
            if rewritten % batch_size == 0:
                db.session.flush()
        counts[f"{table.name}.{column.name}"] = rewritten
    if upload_dir is not None:
        counts.update(attachments.rotate_files(keyring, upload_dir, batch_size=batch_size))
    audit.record(None, "keys.rotate", target_type="keyring", target_id=keyring.primary, data=counts)
    db.session.flush()
    return counts
