"""audit_entry refuses TRUNCATE on PostgreSQL, as it refuses UPDATE and DELETE.

The row trigger of the foundation migration does not fire for TRUNCATE, which emptied the log in one
statement. A statement trigger BEFORE TRUNCATE calls the same function and raises the same message.
SQLite has no TRUNCATE: nothing to do there.

Revision ID: b7e2c41d9a05
Revises: 8328d9644aae
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op

revision = 'b7e2c41d9a05'
down_revision = '8328d9644aae'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
