"""WBS figures per quarter that survive the retention purge (issue 8, point 11).

wbs_stat_quarter holds the reports received per quarter and category by result and the quarter they
closed in; wbs_stat_days the histograms of working days from receipt to the first answer and to closing.
`is_purged` separates the share of reports deleted by retention (kept as it is) from the stored ones'
(recounted by zi_public.services.wbs.stats.rebuild, which fills both tables here from existing reports).

Downgrade drops the two tables; nothing else depends on them.

Revision ID: e4a7c2b9d5f1
Revises: 3b8e2f6d4c51
Create Date: 2026-11-30 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'e4a7c2b9d5f1'
down_revision = '3b8e2f6d4c51'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wbs_stat_quarter',
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('closed_quarter', sa.String(length=7), nullable=False),
    sa.Column('is_purged', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['wbs_category.id'], name=op.f('fk_wbs_stat_quarter_category_id_wbs_category')),
    sa.PrimaryKeyConstraint('quarter', 'category_id', 'result', 'closed_quarter', 'is_purged', name=op.f('pk_wbs_stat_quarter'))
    )
    op.create_table('wbs_stat_days',
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=12), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('is_purged', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['wbs_category.id'], name=op.f('fk_wbs_stat_days_category_id_wbs_category')),
    sa.PrimaryKeyConstraint('quarter', 'category_id', 'measure', 'days', 'is_purged', name=op.f('pk_wbs_stat_days'))
    )
    connection = op.get_bind()
    if connection.execute(sa.text('SELECT 1 FROM wbs_report LIMIT 1')).first() is not None:
        from zi_public.services.wbs.stats import rebuild

        rebuild(connection)


def downgrade():
    op.drop_table('wbs_stat_days')
    op.drop_table('wbs_stat_quarter')
