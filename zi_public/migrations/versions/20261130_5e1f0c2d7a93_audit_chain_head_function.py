"""PostgreSQL: lock the audit chain and read its head in one round trip.

audit.record took the chain's advisory lock with one statement and read the newest entry's hash with a
second. The head must be read after the lock is granted: a single SELECT cannot do both (its snapshot is
taken before it waits), but each statement of a VOLATILE PL/pgSQL function takes a fresh one, so
audit_chain_head() waits for the lock, then reads the head another writer may just have committed.
SQLite serialises writers with its write lock and needs nothing here.

Revision ID: 5e1f0c2d7a93
Revises: 12a4f1bfccce
Create Date: 2026-11-30 14:00:00.000000

"""
from alembic import op

revision = '5e1f0c2d7a93'
down_revision = '12a4f1bfccce'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_chain_head(lock_id bigint) RETURNS varchar
            LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(lock_id);
                RETURN (SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1);
            END
            $$
            """
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_chain_head(bigint)")
