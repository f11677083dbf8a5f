"""Write and verify the hash-chained audit log."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import GENESIS_HASH, AuditEntry, User
from zi_public.models.base import utcnow
from zi_public.rows import insert_row
from zi_public.security.keyring import keyed_hash
from zi_public.services import audit_anchor
from zi_public.unit_of_work import begin_writing

#: Actor label for entries made from the command line or by scheduled jobs.
SYSTEM_ACTOR = "system"
#: An arbitrary, fixed PostgreSQL advisory-lock id that serialises writers of the chain.
_CHAIN_LOCK_ID = 0x5A1A0D17


def canonical_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def compute_hash(
    prev_hash: str,
    created_at: datetime,
    actor_id: int | None,
    actor: str,
    action: str,
    target_type: str | None,
    target_id: str | None,
    data: str,
) -> str:
    """The hash of an entry covers every field that carries meaning, and its predecessor.

    It is keyed (HMAC with a key derived from ZI_HASH_KEY): someone with write access to the
    database but not to the application's secrets cannot rewrite the chain after a change.
    """
    payload = canonical_json(
        {
            "prev": prev_hash,
            "at": created_at.isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor": actor,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "data": data,
        }
    )
    return keyed_hash(payload, "audit-chain")


def record(
    actor: User | str | None,
    action: str,
    target: Any = None,
    *,
    target_type: str | None = None,
    target_id: Any = None,
    data: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry for `action` by `actor` on `target` (a model instance or type + id).

    `at` (naive UTC) dates the entry instead of now: only for events whose moment must not be kept, which
    are appended later with their day only (services/wbs/reporter_audit.py).
    """
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target_id if target_id is not None else getattr(target, "id", None)
    if isinstance(actor, User):
        actor_id, actor_label = actor.id, actor.username
    else:
        actor_id, actor_label = None, actor or SYSTEM_ACTOR
    prev_hash = _locked_head() or GENESIS_HASH
    created_at = at if at is not None else utcnow()
    data_json = canonical_json(dict(data or {}))
    target_id_text = None if target_id is None else str(target_id)
    entry = insert_row(
        AuditEntry,
        created_at=created_at,
        actor_id=actor_id,
        actor=actor_label,
        action=action,
        target_type=target_type,
        target_id=target_id_text,
        data=data_json,
        prev_hash=prev_hash,
        entry_hash=compute_hash(
            prev_hash, created_at, actor_id, actor_label, action, target_type, target_id_text, data_json
        ),
    )
    audit_anchor.wrote(db.session(), entry.id, entry.entry_hash)  # the commit appends it to the anchor file
    return entry


#: PostgreSQL: the chain's advisory lock, then the head, in one round trip (a function of migration
#: 5e1f0c2d7a93: each of its statements sees what was committed before the lock was granted).
_LOCKED_HEAD = sa.select(sa.func.audit_chain_head(sa.literal(_CHAIN_LOCK_ID, sa.BigInteger)))
#: Every entry is inserted at once (never left pending in the session), so the newest row is the head.
_HEAD = sa.select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)


def _locked_head() -> str | None:
    """The chain's newest hash, read once this transaction holds the chain until it ends.

    PostgreSQL: an advisory lock. SQLite: the database's write lock (BEGIN IMMEDIATE), taken now: Python's
    sqlite3 would begin the transaction only at the INSERT, after the head was read, and two requests
    could then chain onto the same head.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return connection.execute(_LOCKED_HEAD).scalar_one()
    begin_writing()
    return connection.execute(_HEAD).scalar_one_or_none()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    broken_id: int | None = None
    reason: str = ""
    head: str = field(default=GENESIS_HASH, compare=False)

    def __str__(self) -> str:
        if self.ok:
            # The head hash, kept outside the database (cron mail, ticket), reveals a later
            # deletion of the newest entries, which no chain can show by itself.
            noun = "entry" if self.entries == 1 else "entries"
            return f"OK, {self.entries} {noun}; head {self.head}"
        return f"BROKEN at entry {self.broken_id}: {self.reason} ({self.entries} entries checked before it)"


def verify_chain(batch_size: int = 1000) -> ChainReport:
    """Walk the log in order; report the first entry whose link or content does not check out."""
    prev_hash = GENESIS_HASH
    count = 0
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch_size)
    # `with`: an early return must close the server-side cursor that yield_per opens on PostgreSQL.
    with db.session.scalars(stmt) as entries:
        for entry in entries:
            if entry.prev_hash != prev_hash:
                return ChainReport(False, count, entry.id, "does not link to the entry before it")
            expected = compute_hash(
                entry.prev_hash,
                entry.created_at,
                entry.actor_id,
                entry.actor,
                entry.action,
                entry.target_type,
                entry.target_id,
                entry.data,
            )
            if entry.entry_hash != expected:
                return ChainReport(False, count, entry.id, "content does not match its hash")
            prev_hash = entry.entry_hash
            count += 1
    return ChainReport(True, count, head=prev_hash)
