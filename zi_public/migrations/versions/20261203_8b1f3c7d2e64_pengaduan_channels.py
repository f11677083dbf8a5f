"""Pengaduan channels (issue 11): complaints the Tim Pengaduan records from the box, telephone, WhatsApp, a
letter, a walk-in, e-mail, social media or SP4N-LAPOR! (with LAPOR!'s tracking number, unique), who recorded
them, an index on the channel for the reports' breakdowns, and English names for the bidang.

Downgrade refuses while a recorded complaint exists (its channel would not fit the old constraint); otherwise
it drops what upgrade added.

Revision ID: 8b1f3c7d2e64
Revises: 70625d255fe5
Create Date: 2026-11-30 05:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '8b1f3c7d2e64'
down_revision = '70625d255fe5'
branch_labels = None
depends_on = None

OLD_CHANNELS = ('web', 'kiosk', 'api')
NEW_CHANNELS = OLD_CHANNELS + ('kotak', 'telepon', 'whatsapp', 'surat', 'langsung', 'email', 'medsos', 'lapor')

BIDANG_EN = {
    'sekretariat': 'Secretariat',
    'penanaman-modal': 'Investment Promotion and Development Division',
    'perizinan-a': 'Licensing and Non-Licensing Services Division A',
    'perizinan-b': 'Licensing and Non-Licensing Services Division B',
    'pengaduan-pelaporan': 'Complaints, Policy and Service Reporting Division',
    'data-informasi': 'Data and Information Systems Division',
}


def _channel(values):
    return sa.Enum(*values, name='channel', native_enum=False, create_constraint=True, length=8)


def upgrade():
    with op.batch_alter_table('pengaduan', schema=None) as batch_op:
        batch_op.drop_constraint('channel', type_='check')
        batch_op.alter_column('channel', existing_type=sa.String(8), type_=_channel(NEW_CHANNELS), existing_nullable=False)
        batch_op.add_column(sa.Column('lapor_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_pengaduan_lapor_number'), ['lapor_number'])
        batch_op.create_foreign_key(batch_op.f('fk_pengaduan_recorded_by_id_user_account'), 'user_account', ['recorded_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_pengaduan_channel'), ['channel'], unique=False)

    with op.batch_alter_table('bidang', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=160), nullable=False, server_default=''))
    bidang = sa.table('bidang', sa.column('code', sa.String), sa.column('name_en', sa.String))
    for code, name_en in BIDANG_EN.items():
        op.execute(bidang.update().where(bidang.c.code == code, bidang.c.name_en == '').values(name_en=name_en))


def downgrade():
    pengaduan = sa.table('pengaduan', sa.column('channel', sa.String))
    recorded = op.get_bind().execute(
        sa.select(sa.func.count()).select_from(pengaduan).where(pengaduan.c.channel.not_in(OLD_CHANNELS))
    ).scalar()
    if recorded:
        raise RuntimeError(
            f'{recorded} complaint(s) were recorded from channels the previous schema does not know; '
            'downgrading would lose how they arrived'
        )
    with op.batch_alter_table('bidang', schema=None) as batch_op:
        batch_op.drop_column('name_en')

    with op.batch_alter_table('pengaduan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pengaduan_channel'))
        batch_op.drop_constraint(batch_op.f('fk_pengaduan_recorded_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_pengaduan_lapor_number'), type_='unique')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('lapor_number')
        batch_op.drop_constraint('channel', type_='check')
        batch_op.alter_column('channel', existing_type=sa.String(8), type_=_channel(OLD_CHANNELS), existing_nullable=False)
