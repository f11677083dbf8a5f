"""WBS: the keyed hash of the web form's one-time submission key, unique, so a resend files nothing.

Revision ID: 9c3e5d1a7b20
Revises: 47b5aba806de
Create Date: 2026-11-29 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '9c3e5d1a7b20'
down_revision = '47b5aba806de'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wbs_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_wbs_report_submission_key_hash'), ['submission_key_hash'], unique=True)


def downgrade():
    with op.batch_alter_table('wbs_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_report_submission_key_hash'))
        batch_op.drop_column('submission_key_hash')
