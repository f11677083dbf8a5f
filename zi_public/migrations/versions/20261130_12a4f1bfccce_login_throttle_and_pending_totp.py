"""Sign-in back-off per (username, address), and the TOTP secret being enrolled kept server-side.

login_throttle counts failed sign-ins (password or TOTP code) per name tried and client address, so an
attacker elsewhere cannot lock an officer out; rows start empty. user_account.totp_pending_secret holds
the secret shown during enrolment (encrypted like totp_secret) instead of the session cookie; a secret
pending in a cookie at upgrade time is simply not found, and the setup page makes a new one.

Downgrade drops both; a pending enrolment is lost (the page starts again), nothing else depends on them.

Revision ID: 12a4f1bfccce
Revises: 640ccb344d17
Create Date: 2026-11-30 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '12a4f1bfccce'
down_revision = '640ccb344d17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('last_success_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('failures >= 0', name=op.f('ck_login_throttle_failures_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttle')),
    sa.UniqueConstraint('username', 'address', name=op.f('uq_login_throttle_username'))
    )
    op.create_index(op.f('ix_login_throttle_last_failure_at'), 'login_throttle', ['last_failure_at'], unique=False)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_pending_secret', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('totp_pending_secret')
    op.drop_index(op.f('ix_login_throttle_last_failure_at'), table_name='login_throttle')
    op.drop_table('login_throttle')
