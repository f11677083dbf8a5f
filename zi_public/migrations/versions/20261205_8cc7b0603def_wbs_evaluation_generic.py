"""The Tim WBS's quarterly evaluation moves onto the period evaluations (services/evaluations.py, scope wbs), as
the UPG's benturan evaluation and the pengaduan monev did: the rows of wbs_evaluation become period_evaluation
rows (version 1, a draft), those of wbs_follow_up_item follow_up_item rows of scope wbs (no evidence yet; created
when the quarter's evaluation was last saved, else now). Both WBS tables go.

The items get new ids: audit entries written before keep naming the old one, with their old target type
(wbs_follow_up_item), so they stay unambiguous.

Downgrade brings the WBS tables back with the scope's text and items. What they cannot hold is lost: each item's
evidence, who created it, the archived versions and whether a version was final. An owner longer than the old
column's 120 characters is cut there.

Revision ID: 8cc7b0603def
Revises: a41c7e9b3d52
Create Date: 2026-12-05 09:00:00.000000

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '8cc7b0603def'
down_revision = 'a41c7e9b3d52'
branch_labels = None
depends_on = None

SCOPE = 'wbs'
OLD_OWNER_MAX = 120

wbs_evaluation = sa.table(
    'wbs_evaluation', *(sa.column(name) for name in ('period', 'text', 'updated_at', 'updated_by_id')),
)
wbs_item = sa.table(
    'wbs_follow_up_item',
    *(sa.column(name) for name in ('id', 'period', 'item', 'owner', 'due_on', 'status', 'done_on')),
)
evaluation = sa.table(
    'period_evaluation',
    *(sa.column(name) for name in ('scope', 'period', 'text', 'updated_at', 'updated_by_id', 'version_no')),
)
version = sa.table('period_evaluation_version', sa.column('scope'))
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


def _create_wbs_tables():
    op.create_table('wbs_follow_up_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('item', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wbs_follow_up_item'))
    )
    with op.batch_alter_table('wbs_follow_up_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wbs_follow_up_item_period'), ['period'], unique=False)

    op.create_table('wbs_evaluation',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_wbs_evaluation_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_wbs_evaluation'))
    )


def _drop_wbs_tables():
    op.drop_table('wbs_evaluation')
    with op.batch_alter_table('wbs_follow_up_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_follow_up_item_period'))
    op.drop_table('wbs_follow_up_item')


def upgrade():
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    saved = {}
    for row in bind.execute(sa.select(wbs_evaluation).order_by(wbs_evaluation.c.period)).all():
        saved[row.period] = row
        bind.execute(
            evaluation.insert().values(
                scope=SCOPE, period=row.period, text=row.text or '', updated_at=row.updated_at,
                updated_by_id=row.updated_by_id, version_no=1,
            )
        )
    for row in bind.execute(sa.select(wbs_item).order_by(wbs_item.c.id)).all():
        written = saved.get(row.period)
        created = written.updated_at if written is not None else now
        bind.execute(
            item.insert().values(
                scope=SCOPE, period=row.period, item=row.item, owner=row.owner, due_on=row.due_on, status=row.status,
                done_on=row.done_on, evidence='', created_at=created, created_by_id=None, updated_at=created,
            )
        )
    _drop_wbs_tables()


def downgrade():
    _create_wbs_tables()
    bind = op.get_bind()
    for row in bind.execute(sa.select(evaluation).where(evaluation.c.scope == SCOPE)).all():
        bind.execute(
            wbs_evaluation.insert().values(
                period=row.period, text=row.text or '', updated_at=row.updated_at, updated_by_id=row.updated_by_id,
            )
        )
    for row in bind.execute(sa.select(item).where(item.c.scope == SCOPE).order_by(item.c.id)).all():
        bind.execute(
            wbs_item.insert().values(
                period=row.period, item=row.item, owner=row.owner[:OLD_OWNER_MAX], due_on=row.due_on,
                status=row.status, done_on=row.done_on,
            )
        )
    bind.execute(version.delete().where(version.c.scope == SCOPE))
    bind.execute(item.delete().where(item.c.scope == SCOPE))
    bind.execute(evaluation.delete().where(evaluation.c.scope == SCOPE))
