"""Account links and pending roles: an admin's reset and a new account get a one-time set-password link;
a case-reading (or admin) role waits for a second person's approval (issue 7, point 6).

user_account.role becomes nullable: NULL while a new account's first role waits for approval.
Downgrade: such an account gets its requested role back but is disabled, so the older code grants
nothing that nobody approved.

Revision ID: 640ccb344d17
Revises: b7e2c41d9a05
Create Date: 2026-11-29 20:46:00.740399

"""
from alembic import op
import sqlalchemy as sa


revision = '640ccb344d17'
down_revision = 'b7e2c41d9a05'
branch_labels = None
depends_on = None

ROLES = ('admin', 'pengaduan', 'wbs', 'upg', 'skm', 'pimpinan')
ROLE = sa.Enum(*ROLES, name='role', native_enum=False, create_constraint=True, length=16)


def upgrade():
    op.create_table('account_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('invite', 'reset', name='linkpurpose', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.Column('failed_codes', sa.Integer(), nullable=False),
    sa.CheckConstraint('approved_by_id IS NULL OR approved_by_id <> requested_by_id', name=op.f('ck_account_link_approver_not_requester')),
    sa.CheckConstraint('approved_by_id IS NULL OR approved_by_id <> user_id', name=op.f('ck_account_link_approver_not_member')),
    sa.CheckConstraint('code_hash IS NOT NULL OR approved_by_id IS NULL', name=op.f('ck_account_link_approved_links_are_split')),
    sa.CheckConstraint('failed_codes >= 0', name=op.f('ck_account_link_failed_codes_not_negative')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_account_link_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_account_link_requested_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_account_link_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_link_token_hash'))
    )
    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_link_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_role', sa.Enum(*ROLES, name='pending_role', native_enum=False, create_constraint=True, length=16), nullable=True))
        batch_op.add_column(sa.Column('pending_role_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pending_role_at', sa.DateTime(), nullable=True))
        batch_op.alter_column('role', existing_type=ROLE, nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_pending_role_by_id_user_account'), 'user_account', ['pending_role_by_id'], ['id'])



def downgrade():
    user_account = sa.table(
        'user_account',
        sa.column('role', sa.String),
        sa.column('pending_role', sa.String),
        sa.column('is_active', sa.Boolean),
    )
    op.execute(
        user_account.update()
        .where(user_account.c.role.is_(None))
        .values(role=sa.func.coalesce(user_account.c.pending_role, 'skm'), is_active=False)
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_account_pending_role_by_id_user_account'), type_='foreignkey')
        batch_op.alter_column('role', existing_type=ROLE, nullable=False)
        batch_op.drop_column('pending_role_at')
        batch_op.drop_column('pending_role_by_id')
        batch_op.drop_constraint(batch_op.f('ck_user_account_pending_role'), type_='check')
        batch_op.drop_column('pending_role')

    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_link_user_id'))

    op.drop_table('account_link')
