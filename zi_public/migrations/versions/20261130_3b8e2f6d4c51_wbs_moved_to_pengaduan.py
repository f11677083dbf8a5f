"""WBS: wbs_report.moved_to_pengaduan_id, the complaint a rejected report became with its reporter's consent.

Revision ID: 3b8e2f6d4c51
Revises: 9d3f6a1c2e80
Create Date: 2026-11-29 21:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '3b8e2f6d4c51'
down_revision = '9d3f6a1c2e80'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wbs_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moved_to_pengaduan_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_wbs_report_moved_to_pengaduan_id'), ['moved_to_pengaduan_id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_wbs_report_moved_to_pengaduan_id_pengaduan'), 'pengaduan', ['moved_to_pengaduan_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('wbs_report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_wbs_report_moved_to_pengaduan_id_pengaduan'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_wbs_report_moved_to_pengaduan_id'), type_='unique')
        batch_op.drop_column('moved_to_pengaduan_id')
