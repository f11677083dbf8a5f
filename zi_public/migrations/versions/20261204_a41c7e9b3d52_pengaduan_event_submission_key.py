"""Pengaduan: a staff action's one-time submission key on its history event, unique per case and action, so the
same form sent twice (a double click, a resend) records one event and mails the reporter once.

Revision ID: a41c7e9b3d52
Revises: 19d1ab382ef9
Create Date: 2026-12-04 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = 'a41c7e9b3d52'
down_revision = '19d1ab382ef9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pengaduan_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            'uq_pengaduan_event_submission_key', ['pengaduan_id', 'action', 'submission_key']
        )


def downgrade():
    with op.batch_alter_table('pengaduan_event', schema=None) as batch_op:
        batch_op.drop_constraint('uq_pengaduan_event_submission_key', type_='unique')
        batch_op.drop_column('submission_key')
