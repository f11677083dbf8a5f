"""Gratifikasi and benturan kepentingan (issue 10): gratifikasi reports and their history, the custody register
of entrusted gifts, the UPG's campaign activities, the conflict-of-interest mapping and its change log,
declarations and their history, and the generic period evaluation with its follow-up items.

Downgrade drops the new tables; nothing older depends on them.

Revision ID: 70625d255fe5
Revises: 25851b14fcc2
Create Date: 2026-11-30 02:11:51.874119

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '70625d255fe5'
down_revision = '25851b14fcc2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('gratifikasi_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('access_code_hash', sa.String(length=64), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.Enum('web', 'api', name='gratifikasi_channel', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('kind', sa.Enum('diterima', 'ditolak', name='gratifikasi_kind', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('status', sa.Enum('baru', 'perlu_kelengkapan', 'diverifikasi', 'diteruskan', 'ditetapkan', 'selesai', 'tidak_lengkap', name='gratifikasi_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reporter_nik', sa.Text(), nullable=True),
    sa.Column('reporter_name', sa.Text(), nullable=True),
    sa.Column('reporter_phone', sa.Text(), nullable=True),
    sa.Column('reporter_email', sa.Text(), nullable=True),
    sa.Column('reporter_address', sa.Text(), nullable=True),
    sa.Column('reporter_position', sa.String(length=200), nullable=False),
    sa.Column('reporter_unit', sa.String(length=200), nullable=False),
    sa.Column('giver_name', sa.Text(), nullable=True),
    sa.Column('giver_institution', sa.String(length=200), nullable=False),
    sa.Column('giver_relationship', sa.String(length=200), nullable=False),
    sa.Column('gift_type', sa.Enum('uang', 'barang', 'rabat', 'komisi', 'pinjaman', 'tiket', 'penginapan', 'wisata', 'pengobatan', 'fasilitas', 'lainnya', name='gratifikasi_gift_type', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('gift_description', sa.String(length=500), nullable=False),
    sa.Column('value_idr', sa.BigInteger(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('occasion', sa.String(length=200), nullable=False),
    sa.Column('chronology', sa.Text(), nullable=True),
    sa.Column('gift_location', sa.Enum('pelapor', 'upg', 'tidak_ada', name='gratifikasi_gift_location', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('exemption_code', sa.String(length=40), nullable=True),
    sa.Column('regulation_code', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('report_due', sa.Date(), nullable=True),
    sa.Column('office_due', sa.Date(), nullable=True),
    sa.Column('working_days_since_received', sa.Integer(), nullable=False),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('completion_requested_on', sa.Date(), nullable=True),
    sa.Column('completion_by', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('forward_by', sa.Date(), nullable=False),
    sa.Column('forwarded_on', sa.Date(), nullable=True),
    sa.Column('kpk_reference', sa.String(length=120), nullable=True),
    sa.Column('decision', sa.Enum('milik_negara', 'milik_penerima', name='gratifikasi_decision', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('decision_number', sa.String(length=120), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('disposition', sa.Enum('diserahkan_kpk', 'dikembalikan', 'dimanfaatkan', 'ditolak_pelapor', 'lainnya', name='gratifikasi_disposition', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('disposition_note', sa.Text(), nullable=False),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.CheckConstraint("kind <> 'ditolak' OR NOT is_late", name=op.f('ck_gratifikasi_report_refused_never_late')),
    sa.CheckConstraint("status <> 'diteruskan' OR forwarded_on IS NOT NULL", name=op.f('ck_gratifikasi_report_forwarded_has_date')),
    sa.CheckConstraint("status <> 'ditetapkan' OR (decision IS NOT NULL AND decision_date IS NOT NULL)", name=op.f('ck_gratifikasi_report_decided_has_decision')),
    sa.CheckConstraint('value_idr >= 0', name=op.f('ck_gratifikasi_report_value_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gratifikasi_report')),
    sa.UniqueConstraint('number', name=op.f('uq_gratifikasi_report_number')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_gratifikasi_report_submission_key'))
    )
    with op.batch_alter_table('gratifikasi_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gratifikasi_report_is_late'), ['is_late'], unique=False)
        batch_op.create_index(batch_op.f('ix_gratifikasi_report_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_gratifikasi_report_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_gratifikasi_report_reported_on'), ['reported_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_gratifikasi_report_status'), ['status'], unique=False)
        batch_op.create_index('ix_gratifikasi_report_status_id', ['status', 'id'], unique=False)

    op.create_table('follow_up_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('item', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=160), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_follow_up_item_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_item'))
    )
    with op.batch_alter_table('follow_up_item', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_item_scope_period', ['scope', 'period'], unique=False)

    op.create_table('gratifikasi_custody',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('received_from', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('condition', sa.String(length=200), nullable=False),
    sa.Column('storage_location', sa.String(length=200), nullable=False),
    sa.Column('value_idr', sa.BigInteger(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('left_how', sa.Enum('diserahkan_kpk', 'dikembalikan', 'dimanfaatkan', 'lainnya', name='custody_exit', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('left_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(left_on IS NULL) = (left_how IS NULL)', name=op.f('ck_gratifikasi_custody_left_has_how')),
    sa.CheckConstraint('value_idr IS NULL OR value_idr >= 0', name=op.f('ck_gratifikasi_custody_custody_value_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_gratifikasi_custody_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['report_id'], ['gratifikasi_report.id'], name=op.f('fk_gratifikasi_custody_report_id_gratifikasi_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gratifikasi_custody'))
    )
    with op.batch_alter_table('gratifikasi_custody', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gratifikasi_custody_left_on'), ['left_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_gratifikasi_custody_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_gratifikasi_custody_report_id'), ['report_id'], unique=False)

    op.create_table('gratifikasi_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.Enum('submit', 'request_completion', 'complete', 'verify', 'forward', 'decide', 'finish', 'close_incomplete', 'note', name='gratifikasi_action', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('from_status', sa.Enum('baru', 'perlu_kelengkapan', 'diverifikasi', 'diteruskan', 'ditetapkan', 'selesai', 'tidak_lengkap', name='gratifikasi_from_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('to_status', sa.Enum('baru', 'perlu_kelengkapan', 'diverifikasi', 'diteruskan', 'ditetapkan', 'selesai', 'tidak_lengkap', name='gratifikasi_to_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_gratifikasi_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['report_id'], ['gratifikasi_report.id'], name=op.f('fk_gratifikasi_event_report_id_gratifikasi_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gratifikasi_event'))
    )
    with op.batch_alter_table('gratifikasi_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gratifikasi_event_report_id'), ['report_id'], unique=False)

    op.create_table('period_evaluation',
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_period_evaluation_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('scope', 'period', name=op.f('pk_period_evaluation'))
    )
    op.create_table('upg_campaign_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('medium', sa.String(length=120), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_upg_campaign_activity_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upg_campaign_activity'))
    )
    with op.batch_alter_table('upg_campaign_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upg_campaign_activity_held_on'), ['held_on'], unique=False)

    op.create_table('conflict_declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('access_code_hash', sa.String(length=64), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.Enum('web', 'api', name='declaration_channel', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('kind', sa.Enum('khusus', 'tahunan_nihil', name='declaration_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('status', sa.Enum('diterima', 'diputuskan', 'dilaksanakan', 'dicatat', name='declaration_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('declarant_nik', sa.Text(), nullable=True),
    sa.Column('declarant_name', sa.Text(), nullable=True),
    sa.Column('declarant_phone', sa.Text(), nullable=True),
    sa.Column('declarant_email', sa.Text(), nullable=True),
    sa.Column('declarant_position', sa.String(length=200), nullable=False),
    sa.Column('declarant_unit', sa.String(length=200), nullable=False),
    sa.Column('conflict_type', sa.Enum('keluarga', 'bisnis', 'pekerjaan_sampingan', 'gratifikasi', 'rangkap_jabatan', 'hubungan_afiliasi', 'kewenangan', 'lainnya', name='declaration_conflict_type', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('layanan_id', sa.Integer(), nullable=True),
    sa.Column('matter', sa.String(length=300), nullable=False),
    sa.Column('related_party', sa.Text(), nullable=True),
    sa.Column('relationship_text', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('declared_on', sa.Date(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('superior', sa.String(length=200), nullable=False),
    sa.Column('decision', sa.Enum('tugas_dialihkan', 'lanjut_diawasi', 'mundur_dari_keputusan', 'tidak_ada_benturan', 'lainnya', name='declaration_decision', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('carried_out_on', sa.Date(), nullable=True),
    sa.Column('carried_out_note', sa.Text(), nullable=False),
    sa.CheckConstraint("kind <> 'khusus' OR conflict_type IS NOT NULL", name=op.f('ck_conflict_declaration_specific_has_type')),
    sa.CheckConstraint('decided_on IS NULL OR decision IS NOT NULL', name=op.f('ck_conflict_declaration_decided_has_decision')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_conflict_declaration_layanan_id_layanan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declaration')),
    sa.UniqueConstraint('number', name=op.f('uq_conflict_declaration_number')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_conflict_declaration_submission_key'))
    )
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_declaration_declared_on'), ['declared_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflict_declaration_status'), ['status'], unique=False)
        batch_op.create_index('ix_conflict_declaration_status_id', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflict_declaration_year'), ['year'], unique=False)

    op.create_table('conflict_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('task', sa.String(length=300), nullable=False),
    sa.Column('layanan_id', sa.Integer(), nullable=True),
    sa.Column('bidang_id', sa.Integer(), nullable=True),
    sa.Column('conflict_type', sa.Enum('keluarga', 'bisnis', 'pekerjaan_sampingan', 'gratifikasi', 'rangkap_jabatan', 'hubungan_afiliasi', 'kewenangan', 'lainnya', name='conflict_type', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('risk', sa.Enum('rendah', 'sedang', 'tinggi', name='conflict_risk', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('control', sa.Text(), nullable=False),
    sa.Column('retired_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bidang_id'], ['bidang.id'], name=op.f('fk_conflict_mapping_bidang_id_bidang')),
    sa.ForeignKeyConstraint(['layanan_id'], ['layanan.id'], name=op.f('fk_conflict_mapping_layanan_id_layanan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_mapping'))
    )
    with op.batch_alter_table('conflict_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_mapping_year'), ['year'], unique=False)

    op.create_table('conflict_declaration_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.Enum('diterima', 'diputuskan', 'dilaksanakan', 'dicatat', name='declaration_event_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_conflict_declaration_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['declaration_id'], ['conflict_declaration.id'], name=op.f('fk_conflict_declaration_event_declaration_id_conflict_declaration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declaration_event'))
    )
    with op.batch_alter_table('conflict_declaration_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_declaration_event_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('conflict_mapping_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mapping_id', sa.Integer(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('change', sa.String(length=10), nullable=False),
    sa.Column('fields', sa.String(length=300), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_conflict_mapping_change_actor_id_user_account')),
    sa.ForeignKeyConstraint(['mapping_id'], ['conflict_mapping.id'], name=op.f('fk_conflict_mapping_change_mapping_id_conflict_mapping')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_mapping_change'))
    )
    with op.batch_alter_table('conflict_mapping_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_mapping_change_changed_on'), ['changed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflict_mapping_change_mapping_id'), ['mapping_id'], unique=False)



def downgrade():
    with op.batch_alter_table('conflict_mapping_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflict_mapping_change_mapping_id'))
        batch_op.drop_index(batch_op.f('ix_conflict_mapping_change_changed_on'))

    op.drop_table('conflict_mapping_change')
    with op.batch_alter_table('conflict_declaration_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflict_declaration_event_declaration_id'))

    op.drop_table('conflict_declaration_event')
    with op.batch_alter_table('conflict_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflict_mapping_year'))

    op.drop_table('conflict_mapping')
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflict_declaration_year'))
        batch_op.drop_index('ix_conflict_declaration_status_id')
        batch_op.drop_index(batch_op.f('ix_conflict_declaration_status'))
        batch_op.drop_index(batch_op.f('ix_conflict_declaration_declared_on'))

    op.drop_table('conflict_declaration')
    with op.batch_alter_table('upg_campaign_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upg_campaign_activity_held_on'))

    op.drop_table('upg_campaign_activity')
    op.drop_table('period_evaluation')
    with op.batch_alter_table('gratifikasi_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gratifikasi_event_report_id'))

    op.drop_table('gratifikasi_event')
    with op.batch_alter_table('gratifikasi_custody', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gratifikasi_custody_report_id'))
        batch_op.drop_index(batch_op.f('ix_gratifikasi_custody_received_on'))
        batch_op.drop_index(batch_op.f('ix_gratifikasi_custody_left_on'))

    op.drop_table('gratifikasi_custody')
    with op.batch_alter_table('follow_up_item', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_item_scope_period')

    op.drop_table('follow_up_item')
    with op.batch_alter_table('gratifikasi_report', schema=None) as batch_op:
        batch_op.drop_index('ix_gratifikasi_report_status_id')
        batch_op.drop_index(batch_op.f('ix_gratifikasi_report_status'))
        batch_op.drop_index(batch_op.f('ix_gratifikasi_report_reported_on'))
        batch_op.drop_index(batch_op.f('ix_gratifikasi_report_received_on'))
        batch_op.drop_index(batch_op.f('ix_gratifikasi_report_kind'))
        batch_op.drop_index(batch_op.f('ix_gratifikasi_report_is_late'))

    op.drop_table('gratifikasi_report')
