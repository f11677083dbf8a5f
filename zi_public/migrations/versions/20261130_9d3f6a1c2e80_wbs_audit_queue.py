"""WBS: the queue of reporter-side events that a daily job appends to the audit chain with the day only.

A new table only; the downgrade drops it (events still queued are lost: run `wbs audit-flush` first).

Revision ID: 9d3f6a1c2e80
Revises: 9c3e5d1a7b20
Create Date: 2026-11-30 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d3f6a1c2e80'
down_revision = '9c3e5d1a7b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wbs_audit_queue',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.CheckConstraint('times > 0', name=op.f('ck_wbs_audit_queue_times_positive')),
    sa.ForeignKeyConstraint(['report_id'], ['wbs_report.id'], name=op.f('fk_wbs_audit_queue_report_id_wbs_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', 'report_id', 'action', name=op.f('pk_wbs_audit_queue'))
    )
    with op.batch_alter_table('wbs_audit_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wbs_audit_queue_report_id'), ['report_id'], unique=False)


def downgrade():
    with op.batch_alter_table('wbs_audit_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_audit_queue_report_id'))

    op.drop_table('wbs_audit_queue')
