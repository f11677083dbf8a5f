"""Outbox: mail written with the change that causes it, delivered by `flask mail send`.

Revision ID: 18aa4f500f5a
Revises: 05c08bc05729
Create Date: 2026-11-29 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '18aa4f500f5a'
down_revision = '05c08bc05729'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('case_number', sa.String(length=20), nullable=True),
    sa.Column('recipients', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='mailstatus', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_mail_attempts_not_negative')),
    sa.CheckConstraint("status = 'sent' OR (recipients IS NOT NULL AND subject IS NOT NULL AND body IS NOT NULL)", name=op.f('ck_outbox_mail_undelivered_keeps_content')),
    sa.CheckConstraint("status <> 'sent' OR (recipients IS NULL AND subject IS NULL AND body IS NULL AND sent_at IS NOT NULL)", name=op.f('ck_outbox_mail_sent_drops_content')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_mail'))
    )
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_mail_case_number'), ['case_number'], unique=False)
        batch_op.create_index('ix_outbox_mail_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_mail_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_outbox_mail_case_number'))

    op.drop_table('outbox_mail')
