"""Pengaduan: complaints, their history and attachments, semester monev text, kiosk devices, case counters.

Revision ID: 05c08bc05729
Revises: 47f1f1d95570
Create Date: 2026-11-27 19:00:11.617703

"""
from alembic import op
import sqlalchemy as sa


revision = '05c08bc05729'
down_revision = '47f1f1d95570'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_counter',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_case_counter'))
    )
    op.create_table('kiosk_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('device_key', sa.String(length=64), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_kiosk_device_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_device')),
    sa.UniqueConstraint('device_key', name=op.f('uq_kiosk_device_device_key'))
    )
    op.create_table('pengaduan_monev',
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('evaluation', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_pengaduan_monev_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_pengaduan_monev'))
    )
    op.create_table('pengaduan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('access_code_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('web', 'kiosk', 'api', name='channel', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('identity', sa.Enum('terbuka', 'rahasia', 'anonim', name='identity', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('reporter_name', sa.Text(), nullable=True),
    sa.Column('reporter_email', sa.Text(), nullable=True),
    sa.Column('reporter_phone', sa.Text(), nullable=True),
    sa.Column('reporter_nik', sa.Text(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('layanan_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('requested_resolution', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('incident_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('baru', 'terverifikasi', 'ditindaklanjuti', 'selesai', 'ditolak', 'dialihkan', name='status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('bidang_id', sa.Integer(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('forwarded_to', sa.String(length=200), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('verify_by', sa.Date(), nullable=False),
    sa.Column('settle_by', sa.Date(), nullable=False),
    sa.Column('triaged_on', sa.Date(), nullable=True),
    sa.Column('followup_by', sa.Date(), nullable=True),
    sa.Column('followed_up_on', sa.Date(), nullable=True),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.Column('reply_until', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.Text(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("identity <> 'anonim' OR (reporter_name IS NULL AND reporter_email IS NULL AND reporter_phone IS NULL AND reporter_nik IS NULL)", name=op.f('ck_pengaduan_anonim_keeps_no_identity')),
    sa.CheckConstraint("status <> 'dialihkan' OR forwarded_to IS NOT NULL", name=op.f('ck_pengaduan_forward_has_target')),
    sa.CheckConstraint("status <> 'ditolak' OR rejection_reason IS NOT NULL", name=op.f('ck_pengaduan_rejection_has_reason')),
    sa.CheckConstraint('rating IS NULL OR (rating BETWEEN 1 AND 4)', name=op.f('ck_pengaduan_rating_1_to_4')),
    sa.ForeignKeyConstraint(['bidang_id'], ['bidang.id'], name=op.f('fk_pengaduan_bidang_id_bidang')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_pengaduan_category_id_category')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk_device.id'], name=op.f('fk_pengaduan_kiosk_id_kiosk_device')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_pengaduan_layanan_id_layanan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pengaduan')),
    sa.UniqueConstraint('number', name=op.f('uq_pengaduan_number')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_pengaduan_submission_key'))
    )
    with op.batch_alter_table('pengaduan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pengaduan_bidang_id'), ['bidang_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pengaduan_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pengaduan_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_pengaduan_status'), ['status'], unique=False)
        batch_op.create_index('ix_pengaduan_status_id', ['status', 'id'], unique=False)

    op.create_table('pengaduan_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pengaduan_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('is_encrypted', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pengaduan_id'], ['pengaduan.id'], name=op.f('fk_pengaduan_attachment_pengaduan_id_pengaduan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pengaduan_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_pengaduan_attachment_stored_name'))
    )
    with op.batch_alter_table('pengaduan_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pengaduan_attachment_pengaduan_id'), ['pengaduan_id'], unique=False)

    op.create_table('pengaduan_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pengaduan_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.Enum('submit', 'verify', 'reject', 'forward', 'dispose', 'follow_up', 'answer', 'finish', 'reopen', 'close', 'reporter_reply', 'rate', name='action', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('from_status', sa.Enum('baru', 'terverifikasi', 'ditindaklanjuti', 'selesai', 'ditolak', 'dialihkan', name='from_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('to_status', sa.Enum('baru', 'terverifikasi', 'ditindaklanjuti', 'selesai', 'ditolak', 'dialihkan', name='to_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('bidang_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_pengaduan_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['bidang_id'], ['bidang.id'], name=op.f('fk_pengaduan_event_bidang_id_bidang')),
    sa.ForeignKeyConstraint(['pengaduan_id'], ['pengaduan.id'], name=op.f('fk_pengaduan_event_pengaduan_id_pengaduan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pengaduan_event'))
    )
    with op.batch_alter_table('pengaduan_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pengaduan_event_pengaduan_id'), ['pengaduan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('pengaduan_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pengaduan_event_pengaduan_id'))

    op.drop_table('pengaduan_event')
    with op.batch_alter_table('pengaduan_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pengaduan_attachment_pengaduan_id'))

    op.drop_table('pengaduan_attachment')
    with op.batch_alter_table('pengaduan', schema=None) as batch_op:
        batch_op.drop_index('ix_pengaduan_status_id')
        batch_op.drop_index(batch_op.f('ix_pengaduan_status'))
        batch_op.drop_index(batch_op.f('ix_pengaduan_received_on'))
        batch_op.drop_index(batch_op.f('ix_pengaduan_category_id'))
        batch_op.drop_index(batch_op.f('ix_pengaduan_bidang_id'))

    op.drop_table('pengaduan')
    op.drop_table('pengaduan_monev')
    op.drop_table('kiosk_device')
    op.drop_table('case_counter')
