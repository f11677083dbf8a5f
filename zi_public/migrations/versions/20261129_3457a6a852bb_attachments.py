"""Attachments: one table for the files of every case kind, replacing pengaduan_attachment.

A row names its case by kind and id (case_kind 'pengaduan', later 'wbs', 'gratifikasi', ...). A derived
copy (WBS: the metadata-stripped image) is a row of its own whose derived_from_id names the original.
Existing complaint attachments move over with their ids, so audit entries that name an attachment id
still point at the same file; the files themselves and their encryption context do not change.

Downgrade moves the pengaduan rows back; it refuses while the table holds attachments of any other
kind or derived copies, which pengaduan_attachment cannot hold (downgrade those services first).

Revision ID: 3457a6a852bb
Revises: c6c8e39fd0a7
Create Date: 2026-11-29 17:58:33.317944

"""
from alembic import op
import sqlalchemy as sa


revision = '3457a6a852bb'
down_revision = 'c6c8e39fd0a7'
branch_labels = None
depends_on = None

COPIED = ['id', 'stored_name', 'original_name', 'content_type', 'size', 'sha256', 'is_encrypted', 'created_at']


def upgrade():
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_kind', sa.String(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('is_encrypted', sa.Boolean(), nullable=False),
    sa.Column('variant', sa.Enum('original', 'stripped', name='attachmentvariant', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('derived_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(variant = 'original' AND derived_from_id IS NULL) OR (variant <> 'original' AND derived_from_id IS NOT NULL)", name=op.f('ck_attachment_derived_copy_names_its_original')),
    sa.ForeignKeyConstraint(['derived_from_id'], ['attachment.id'], name=op.f('fk_attachment_derived_from_id_attachment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachment_stored_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_case_kind_case_id', ['case_kind', 'case_id'], unique=False)

    columns = ', '.join(COPIED)
    op.execute(
        f"INSERT INTO attachment ({columns}, case_kind, case_id, variant) "
        f"SELECT {columns}, 'pengaduan', pengaduan_id, 'original' FROM pengaduan_attachment"
    )
    _restart_id_sequence('attachment')

    with op.batch_alter_table('pengaduan_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pengaduan_attachment_pengaduan_id'))

    op.drop_table('pengaduan_attachment')


def downgrade():
    others = op.get_bind().scalar(
        sa.text("SELECT COUNT(*) FROM attachment WHERE case_kind <> 'pengaduan' OR variant <> 'original'")
    )
    if others:
        raise RuntimeError(
            f'attachment holds {others} rows that are not original pengaduan attachments; '
            'pengaduan_attachment cannot keep them: downgrade the services that own them first'
        )
    op.create_table('pengaduan_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pengaduan_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('is_encrypted', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pengaduan_id'], ['pengaduan.id'], name=op.f('fk_pengaduan_attachment_pengaduan_id_pengaduan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pengaduan_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_pengaduan_attachment_stored_name'))
    )
    with op.batch_alter_table('pengaduan_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pengaduan_attachment_pengaduan_id'), ['pengaduan_id'], unique=False)

    columns = ', '.join(COPIED)
    op.execute(
        f"INSERT INTO pengaduan_attachment ({columns}, pengaduan_id) "
        f"SELECT {columns}, case_id FROM attachment WHERE case_kind = 'pengaduan'"
    )
    _restart_id_sequence('pengaduan_attachment')

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_case_kind_case_id')

    op.drop_table('attachment')


def _restart_id_sequence(table):
    """Rows came with their ids: on PostgreSQL the id sequence must continue after the largest."""
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite's INTEGER PRIMARY KEY continues after the largest id by itself
    op.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
    )
