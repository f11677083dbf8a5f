"""Pengaduan statistics kept per month and category: the public page reads these instead of every complaint.

pengaduan_stat_month holds received / finished / finished on time per month received and category;
pengaduan_stat_days the histograms of working days from receipt to the verify and settle clocks' stops.
Both are filled from the existing complaints by the service that keeps them
(zi_public.services.pengaduan.stats_aggregates.rebuild: the one definition of the figures, on-time rule
from the clocks module); an empty database skips that step.

Downgrade drops the two tables; nothing else depends on them.

Revision ID: 8328d9644aae
Revises: 3457a6a852bb
Create Date: 2026-11-29 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '8328d9644aae'
down_revision = '3457a6a852bb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pengaduan_stat_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('finished', sa.Integer(), nullable=False),
    sa.Column('finished_on_time', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_pengaduan_stat_month_category_id_category')),
    sa.PrimaryKeyConstraint('month', 'category_id', name=op.f('pk_pengaduan_stat_month'))
    )
    op.create_table('pengaduan_stat_days',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('clock', sa.String(length=12), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_pengaduan_stat_days_category_id_category')),
    sa.PrimaryKeyConstraint('month', 'category_id', 'clock', 'days', name=op.f('pk_pengaduan_stat_days'))
    )
    connection = op.get_bind()
    if connection.execute(sa.text('SELECT 1 FROM pengaduan LIMIT 1')).first() is not None:
        from zi_public.services.pengaduan.stats_aggregates import rebuild

        rebuild(connection)


def downgrade():
    op.drop_table('pengaduan_stat_days')
    op.drop_table('pengaduan_stat_month')
