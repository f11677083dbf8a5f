"""WBS: reports (4W1H, encrypted, sealed identity), their conversation, the reporter's short-lived sessions,
unseal requests, socialisation activities and the quarterly evaluation; the WBS categories catalogue.

New tables only: the downgrade drops them (and with them every WBS report: export a backup first).

Revision ID: 47b5aba806de
Revises: 5e1f0c2d7a93
Create Date: 2026-11-29 21:25:44.164485

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '47b5aba806de'
down_revision = '5e1f0c2d7a93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wbs_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wbs_category')),
    sa.UniqueConstraint('code', name=op.f('uq_wbs_category_code'))
    )
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
    op.create_table('wbs_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_hash', sa.String(length=64), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('diterima', 'ditelaah', 'ditindaklanjuti', 'selesai', 'ditolak', name='wbs_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('what', sa.Text(), nullable=True),
    sa.Column('who_name', sa.Text(), nullable=True),
    sa.Column('who_position', sa.Text(), nullable=True),
    sa.Column('who_unit', sa.Text(), nullable=True),
    sa.Column('when_text', sa.Text(), nullable=True),
    sa.Column('where_text', sa.Text(), nullable=True),
    sa.Column('how', sa.Text(), nullable=True),
    sa.Column('how_known', sa.Text(), nullable=True),
    sa.Column('has_identity', sa.Boolean(), nullable=False),
    sa.Column('identity', sa.Text(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('answer_by', sa.Date(), nullable=False),
    sa.Column('telaah_by', sa.Date(), nullable=False),
    sa.Column('first_answer_on', sa.Date(), nullable=True),
    sa.Column('telaah_on', sa.Date(), nullable=True),
    sa.Column('names_party', sa.Boolean(), nullable=True),
    sa.Column('describes_deviation', sa.Boolean(), nullable=True),
    sa.Column('has_evidence', sa.Boolean(), nullable=True),
    sa.Column('handling', sa.Enum('tim', 'apip', 'aph', name='wbs_handling', native_enum=False, create_constraint=True, length=8), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=True),
    sa.Column('referral_reference', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Enum('terbukti', 'tidak_terbukti', name='wbs_outcome', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('purge_warned_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status <> 'selesai' OR outcome IS NOT NULL", name=op.f('ck_wbs_report_finished_has_outcome')),
    sa.CheckConstraint('has_identity OR identity IS NULL', name=op.f('ck_wbs_report_identity_only_when_given')),
    sa.ForeignKeyConstraint(['category_id'], ['wbs_category.id'], name=op.f('fk_wbs_report_category_id_wbs_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wbs_report')),
    sa.UniqueConstraint('receipt_hash', name=op.f('uq_wbs_report_receipt_hash'))
    )
    with op.batch_alter_table('wbs_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wbs_report_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wbs_report_closed_on'), ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_wbs_report_received_on'), ['received_on'], unique=False)
        batch_op.create_index('ix_wbs_report_status_id', ['status', 'id'], unique=False)

    op.create_table('wbs_socialisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('medium', sa.String(length=120), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_wbs_socialisation_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wbs_socialisation'))
    )
    with op.batch_alter_table('wbs_socialisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wbs_socialisation_held_on'), ['held_on'], unique=False)

    op.create_table('wbs_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.Enum('reporter', 'team', 'note', name='wbs_sender', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_wbs_message_author_id_user_account')),
    sa.ForeignKeyConstraint(['report_id'], ['wbs_report.id'], name=op.f('fk_wbs_message_report_id_wbs_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wbs_message'))
    )
    with op.batch_alter_table('wbs_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wbs_message_report_id'), ['report_id'], unique=False)

    op.create_table('wbs_reporter_session',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['wbs_report.id'], name=op.f('fk_wbs_reporter_session_report_id_wbs_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_wbs_reporter_session'))
    )
    with op.batch_alter_table('wbs_reporter_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wbs_reporter_session_created_on'), ['created_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_wbs_reporter_session_report_id'), ['report_id'], unique=False)

    op.create_table('wbs_unseal_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('approved', sa.Boolean(), nullable=True),
    sa.CheckConstraint('decided_by_id IS NULL OR decided_by_id <> requested_by_id', name=op.f('ck_wbs_unseal_request_second_person')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_wbs_unseal_request_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['report_id'], ['wbs_report.id'], name=op.f('fk_wbs_unseal_request_report_id_wbs_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_wbs_unseal_request_requested_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wbs_unseal_request'))
    )
    with op.batch_alter_table('wbs_unseal_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wbs_unseal_request_report_id'), ['report_id'], unique=False)



def downgrade():
    with op.batch_alter_table('wbs_unseal_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_unseal_request_report_id'))

    op.drop_table('wbs_unseal_request')
    with op.batch_alter_table('wbs_reporter_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_reporter_session_report_id'))
        batch_op.drop_index(batch_op.f('ix_wbs_reporter_session_created_on'))

    op.drop_table('wbs_reporter_session')
    with op.batch_alter_table('wbs_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_message_report_id'))

    op.drop_table('wbs_message')
    with op.batch_alter_table('wbs_socialisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_socialisation_held_on'))

    op.drop_table('wbs_socialisation')
    with op.batch_alter_table('wbs_report', schema=None) as batch_op:
        batch_op.drop_index('ix_wbs_report_status_id')
        batch_op.drop_index(batch_op.f('ix_wbs_report_received_on'))
        batch_op.drop_index(batch_op.f('ix_wbs_report_closed_on'))
        batch_op.drop_index(batch_op.f('ix_wbs_report_category_id'))

    op.drop_table('wbs_report')
    op.drop_table('wbs_evaluation')
    with op.batch_alter_table('wbs_follow_up_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wbs_follow_up_item_period'))

    op.drop_table('wbs_follow_up_item')
    op.drop_table('wbs_category')
