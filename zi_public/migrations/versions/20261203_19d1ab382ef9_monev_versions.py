"""Monev on the period evaluations (issue 11 point 5): an evaluation's version number and whether it is final
(who marked it, when), the archive of earlier final versions, and the pengaduan monev moved into
period_evaluation (scope pengaduan_monev): its evaluation becomes the text, a non-empty recommendations text one
follow-up item owned by the Tim Pengaduan, open. The pengaduan_monev table goes.

Downgrade brings pengaduan_monev back: the text as the evaluation, the semester's items' text joined (blank line
between) as the recommendations. What the old table cannot hold is lost: the items' owner, due date, status and
evidence, the archived versions and whether a version was final.

Revision ID: 19d1ab382ef9
Revises: 8b1f3c7d2e64
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '19d1ab382ef9'
down_revision = '8b1f3c7d2e64'
branch_labels = None
depends_on = None

SCOPE = 'pengaduan_monev'
OWNER = 'Tim Pengaduan'

monev = sa.table(
    'pengaduan_monev',
    *(sa.column(name) for name in ('period', 'evaluation', 'recommendations', 'updated_by_id', 'updated_at')),
)
evaluation = sa.table(
    'period_evaluation',
    *(sa.column(name) for name in ('scope', 'period', 'text', 'updated_at', 'updated_by_id')),
)
item = sa.table(
    'follow_up_item',
    *(
        sa.column(name)
        for name in (
            'id', 'scope', 'period', 'item', 'owner', 'due_on', 'status', 'done_on', 'evidence', 'created_at',
            'created_by_id', 'updated_at',
        )
    ),
)


def _create_monev_table():
    op.create_table('pengaduan_monev',
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('evaluation', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_pengaduan_monev_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_pengaduan_monev'))
    )


def upgrade():
    with op.batch_alter_table('period_evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_no', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('finalized_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('finalized_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_period_evaluation_finalized_by_id_user_account'), 'user_account', ['finalized_by_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_period_evaluation_version_no_positive'), 'version_no >= 1')

    op.create_table('period_evaluation_version',
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('finalized_at', sa.DateTime(), nullable=False),
    sa.Column('finalized_by_id', sa.Integer(), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=False),
    sa.Column('archived_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('version_no >= 1', name=op.f('ck_period_evaluation_version_version_no_positive')),
    sa.ForeignKeyConstraint(['archived_by_id'], ['user_account.id'], name=op.f('fk_period_evaluation_version_archived_by_id_user_account')),
    sa.ForeignKeyConstraint(['finalized_by_id'], ['user_account.id'], name=op.f('fk_period_evaluation_version_finalized_by_id_user_account')),
    sa.ForeignKeyConstraint(['scope', 'period'], ['period_evaluation.scope', 'period_evaluation.period'], name=op.f('fk_period_evaluation_version_scope_period_evaluation')),
    sa.PrimaryKeyConstraint('scope', 'period', 'version_no', name=op.f('pk_period_evaluation_version'))
    )

    bind = op.get_bind()
    for row in bind.execute(sa.select(monev).order_by(monev.c.period)).all():
        bind.execute(
            evaluation.insert().values(
                scope=SCOPE, period=row.period, text=row.evaluation or '', updated_at=row.updated_at,
                updated_by_id=row.updated_by_id,
            )
        )
        recommendations = (row.recommendations or '').strip()
        if recommendations:
            bind.execute(
                item.insert().values(
                    scope=SCOPE, period=row.period, item=recommendations, owner=OWNER, due_on=None, status='terbuka',
                    done_on=None, evidence='', created_at=row.updated_at, created_by_id=row.updated_by_id,
                    updated_at=row.updated_at,
                )
            )
    op.drop_table('pengaduan_monev')


def downgrade():
    _create_monev_table()
    bind = op.get_bind()
    texts = {
        row.period: row
        for row in bind.execute(sa.select(evaluation).where(evaluation.c.scope == SCOPE)).all()
    }
    items = {}
    for row in bind.execute(sa.select(item).where(item.c.scope == SCOPE).order_by(item.c.period, item.c.id)).all():
        items.setdefault(row.period, []).append(row)
    for period in sorted(set(texts) | set(items)):
        text, rows = texts.get(period), items.get(period, [])
        changed = [text.updated_at] if text is not None else []
        bind.execute(
            monev.insert().values(
                period=period,
                evaluation=text.text if text is not None else '',
                recommendations='\n\n'.join(row.item for row in rows),
                updated_by_id=text.updated_by_id if text is not None else rows[-1].created_by_id,
                updated_at=max(changed + [row.updated_at for row in rows]),
            )
        )
    bind.execute(item.delete().where(item.c.scope == SCOPE))
    op.drop_table('period_evaluation_version')
    bind.execute(evaluation.delete().where(evaluation.c.scope == SCOPE))

    with op.batch_alter_table('period_evaluation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_period_evaluation_version_no_positive'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_period_evaluation_finalized_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('finalized_by_id')
        batch_op.drop_column('finalized_at')
        batch_op.drop_column('version_no')
