"""SKM (issue 9): survey responses, paper imports, the population served per quarter and layanan,
follow-up items; the versioned standar pelayanan per layanan and the maklumat pelayanan.

Downgrade drops the six new tables; nothing older depends on them.

Revision ID: 17c4d5ce4096
Revises: e4a7c2b9d5f1
Create Date: 2026-11-29 23:30:58.207775

"""
from alembic import op
import sqlalchemy as sa


revision = '17c4d5ce4096'
down_revision = 'e4a7c2b9d5f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('maklumat_pelayanan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('signer_name', sa.String(length=160), nullable=False),
    sa.Column('signer_position', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_maklumat_pelayanan_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maklumat_pelayanan')),
    sa.UniqueConstraint('effective_on', name=op.f('uq_maklumat_pelayanan_effective_on'))
    )
    op.create_table('skm_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user_account.id'], name=op.f('fk_skm_import_imported_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skm_import')),
    sa.UniqueConstraint('sha256', name=op.f('uq_skm_import_sha256'))
    )
    op.create_table('skm_follow_up_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('unsur', sa.String(length=3), nullable=False),
    sa.Column('layanan_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=160), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_skm_follow_up_item_quarter_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_skm_follow_up_item_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_skm_follow_up_item_layanan_id_layanan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skm_follow_up_item'))
    )
    with op.batch_alter_table('skm_follow_up_item', schema=None) as batch_op:
        batch_op.create_index('ix_skm_follow_up_item_period', ['year', 'quarter'], unique=False)

    op.create_table('skm_population',
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('layanan_id', sa.Integer(), nullable=False),
    sa.Column('served', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('served >= 0', name=op.f('ck_skm_population_served_not_negative')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_skm_population_layanan_id_layanan')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_skm_population_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('year', 'quarter', 'layanan_id', name=op.f('pk_skm_population'))
    )
    op.create_table('skm_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('layanan_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('web', 'kiosk', 'paper', 'api', name='skm_channel', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('gender', sa.String(length=16), nullable=False),
    sa.Column('age', sa.SmallInteger(), nullable=False),
    sa.Column('education', sa.String(length=24), nullable=False),
    sa.Column('occupation', sa.String(length=24), nullable=False),
    sa.Column('vulnerable_group', sa.String(length=24), nullable=True),
    sa.Column('u1', sa.SmallInteger(), nullable=False),
    sa.Column('u2', sa.SmallInteger(), nullable=False),
    sa.Column('u3', sa.SmallInteger(), nullable=False),
    sa.Column('u4', sa.SmallInteger(), nullable=False),
    sa.Column('u5', sa.SmallInteger(), nullable=False),
    sa.Column('u6', sa.SmallInteger(), nullable=False),
    sa.Column('u7', sa.SmallInteger(), nullable=False),
    sa.Column('u8', sa.SmallInteger(), nullable=False),
    sa.Column('u9', sa.SmallInteger(), nullable=False),
    sa.Column('permit_number', sa.String(length=60), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('import_row', sa.Integer(), nullable=True),
    sa.Column('kiosk_device_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('age BETWEEN 10 AND 110', name=op.f('ck_skm_response_age_range')),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_skm_response_quarter_range')),
    sa.CheckConstraint('u1 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u1_range')),
    sa.CheckConstraint('u2 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u2_range')),
    sa.CheckConstraint('u3 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u3_range')),
    sa.CheckConstraint('u4 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u4_range')),
    sa.CheckConstraint('u5 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u5_range')),
    sa.CheckConstraint('u6 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u6_range')),
    sa.CheckConstraint('u7 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u7_range')),
    sa.CheckConstraint('u8 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u8_range')),
    sa.CheckConstraint('u9 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u9_range')),
    sa.ForeignKeyConstraint(['import_id'], ['skm_import.id'], name=op.f('fk_skm_response_import_id_skm_import')),
    sa.ForeignKeyConstraint(['kiosk_device_id'], ['kiosk_device.id'], name=op.f('fk_skm_response_kiosk_device_id_kiosk_device')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_skm_response_layanan_id_layanan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skm_response')),
    sa.UniqueConstraint('permit_number', 'year', 'quarter', name='uq_skm_response_permit_quarter'),
    sa.UniqueConstraint('submission_key', name=op.f('uq_skm_response_submission_key'))
    )
    with op.batch_alter_table('skm_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skm_response_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_skm_response_layanan_period', ['layanan_id', 'submitted_on'], unique=False)
        batch_op.create_index('ix_skm_response_period', ['submitted_on', 'layanan_id'], unique=False)

    op.create_table('standar_pelayanan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('layanan_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('persyaratan', sa.Text(), nullable=False),
    sa.Column('prosedur', sa.Text(), nullable=False),
    sa.Column('jangka_waktu', sa.Text(), nullable=False),
    sa.Column('biaya', sa.Text(), nullable=False),
    sa.Column('produk', sa.Text(), nullable=False),
    sa.Column('pengaduan', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_standar_pelayanan_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_standar_pelayanan_layanan_id_layanan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standar_pelayanan')),
    sa.UniqueConstraint('layanan_id', 'effective_on', name='uq_standar_pelayanan_version')
    )
    with op.batch_alter_table('standar_pelayanan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standar_pelayanan_layanan_id'), ['layanan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('standar_pelayanan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standar_pelayanan_layanan_id'))

    op.drop_table('standar_pelayanan')
    with op.batch_alter_table('skm_response', schema=None) as batch_op:
        batch_op.drop_index('ix_skm_response_period')
        batch_op.drop_index('ix_skm_response_layanan_period')
        batch_op.drop_index(batch_op.f('ix_skm_response_import_id'))

    op.drop_table('skm_response')
    op.drop_table('skm_population')
    with op.batch_alter_table('skm_follow_up_item', schema=None) as batch_op:
        batch_op.drop_index('ix_skm_follow_up_item_period')

    op.drop_table('skm_follow_up_item')
    op.drop_table('skm_import')
    op.drop_table('maklumat_pelayanan')
