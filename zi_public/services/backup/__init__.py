"""Backup and restore: one zip file any backend can load (SQLite ⇄ PostgreSQL).

The file holds `manifest.json`, every table as JSON lines (`tables/<name>.jsonl`, one array per row, in
dependency order) and the attachment files exactly as stored (`uploads/<stored name>`, still encrypted).
Values are copied as the database stores them: encrypted columns stay ciphertext (a restore needs the same
keys, never in the file: the manifest names the key ids in use with a check value of each, and one of
ZI_HASH_KEY), enums as their text, datetimes as ISO text (naive UTC stays naive), dates, booleans,
integers and text as JSON. The manifest holds each member's row count and SHA-256, checked on restore.

A restore loads the file into an empty database migrated to the same schema revision, resets the
PostgreSQL sequences, writes the files into ZI_UPLOAD_DIR, records a `backup.restore` audit entry and
starts a new anchor epoch with it (services/audit_anchor.py): the restored log verifies, and the anchor
of the database it came from does not apply to this one.
"""

from zi_public.services.backup.create import BackupSummary, create_backup
from zi_public.services.backup.format import BackupError
from zi_public.services.backup.restore import RestoreSummary, restore_backup

__all__ = ["BackupError", "BackupSummary", "RestoreSummary", "create_backup", "restore_backup"]
