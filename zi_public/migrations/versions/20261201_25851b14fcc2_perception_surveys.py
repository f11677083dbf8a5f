"""Perception surveys (issue 9, point 11): questionnaires defined as data with one row per item,
responses from every channel (web, kiosk, paper, API), their answers (one row per item), paper imports.

Downgrade drops the five new tables; nothing older depends on them.

Revision ID: 25851b14fcc2
Revises: 17c4d5ce4096
Create Date: 2026-11-29 23:40:01.221477

"""
from alembic import op
import sqlalchemy as sa


revision = '25851b14fcc2'
down_revision = '17c4d5ce4096'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('perception_questionnaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('definition_json', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_perception_questionnaire_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perception_questionnaire')),
    sa.UniqueConstraint('code', name=op.f('uq_perception_questionnaire_code'))
    )
    op.create_table('perception_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user_account.id'], name=op.f('fk_perception_import_imported_by_id_user_account')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['perception_questionnaire.id'], name=op.f('fk_perception_import_questionnaire_id_perception_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perception_import')),
    sa.UniqueConstraint('sha256', name=op.f('uq_perception_import_sha256'))
    )
    op.create_table('perception_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['perception_questionnaire.id'], name=op.f('fk_perception_item_questionnaire_id_perception_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perception_item')),
    sa.UniqueConstraint('questionnaire_id', 'code', name='uq_perception_item_code'),
    sa.UniqueConstraint('questionnaire_id', 'position', name='uq_perception_item_position')
    )
    op.create_table('perception_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('layanan_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('web', 'kiosk', 'paper', 'api', name='perception_channel', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('import_row', sa.Integer(), nullable=True),
    sa.Column('kiosk_device_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_perception_response_quarter_range')),
    sa.ForeignKeyConstraint(['import_id'], ['perception_import.id'], name=op.f('fk_perception_response_import_id_perception_import')),
    sa.ForeignKeyConstraint(['kiosk_device_id'], ['kiosk_device.id'], name=op.f('fk_perception_response_kiosk_device_id_kiosk_device')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_perception_response_layanan_id_layanan')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['perception_questionnaire.id'], name=op.f('fk_perception_response_questionnaire_id_perception_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perception_response')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_perception_response_submission_key'))
    )
    with op.batch_alter_table('perception_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_perception_response_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_perception_response_period', ['questionnaire_id', 'submitted_on'], unique=False)

    op.create_table('perception_answer',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('value BETWEEN 0 AND 10', name=op.f('ck_perception_answer_value_range')),
    sa.ForeignKeyConstraint(['item_id'], ['perception_item.id'], name=op.f('fk_perception_answer_item_id_perception_item')),
    sa.ForeignKeyConstraint(['response_id'], ['perception_response.id'], name=op.f('fk_perception_answer_response_id_perception_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'item_id', name=op.f('pk_perception_answer'))
    )


def downgrade():
    op.drop_table('perception_answer')
    with op.batch_alter_table('perception_response', schema=None) as batch_op:
        batch_op.drop_index('ix_perception_response_period')
        batch_op.drop_index(batch_op.f('ix_perception_response_import_id'))

    op.drop_table('perception_response')
    op.drop_table('perception_item')
    op.drop_table('perception_import')
    op.drop_table('perception_questionnaire')
