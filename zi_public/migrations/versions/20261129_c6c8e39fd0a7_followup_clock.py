"""Follow-up clock: recompute pengaduan.followed_up_on under the SP4N-LAPOR! rule.

The follow-up clock (5 working days from verification) stops when the reporter is first informed:
the first tanggapan (answer), or a rejection or forwarding made after verification. An internal
disposisi no longer stops it. Each verified complaint's date is recomputed from its history
(pengaduan_event.created_at is naive UTC; clock dates are Asia/Jakarta dates, UTC+7 without daylight
saving time). A complaint never verified has no follow-up clock and keeps followed_up_on NULL.

triaged_on needs no change: it was always stamped by the first verification, rejection or forwarding,
which is the verify clock's stop.

Downgrade recomputes the old rule (the first disposisi or answer) from the same history, so the
previous code reads the dates it used to write.

Revision ID: c6c8e39fd0a7
Revises: 18aa4f500f5a
Create Date: 2026-11-29 12:00:00.000000

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa


revision = 'c6c8e39fd0a7'
down_revision = '18aa4f500f5a'
branch_labels = None
depends_on = None

JAKARTA_OFFSET = timedelta(hours=7)

pengaduan = sa.table(
    'pengaduan',
    sa.column('id', sa.Integer),
    sa.column('followup_by', sa.Date),
    sa.column('followed_up_on', sa.Date),
)
event = sa.table(
    'pengaduan_event',
    sa.column('pengaduan_id', sa.Integer),
    sa.column('action', sa.String),
    sa.column('from_status', sa.String),
    sa.column('created_at', sa.DateTime),
)


def _recompute(stops):
    """Set followed_up_on of every verified complaint to the Jakarta date of its first `stops` event."""
    connection = op.get_bind()
    first = (
        sa.select(event.c.pengaduan_id, sa.func.min(event.c.created_at))
        .where(stops)
        .group_by(event.c.pengaduan_id)
    )
    stopped_on = {case_id: (created_at + JAKARTA_OFFSET).date() for case_id, created_at in connection.execute(first)}
    current = connection.execute(
        sa.select(pengaduan.c.id, pengaduan.c.followup_by, pengaduan.c.followed_up_on).where(
            sa.or_(pengaduan.c.followup_by.is_not(None), pengaduan.c.followed_up_on.is_not(None))
        )
    )
    changes = []
    for case_id, followup_by, followed_up_on in current:
        wanted = stopped_on.get(case_id) if followup_by is not None else None
        if wanted != followed_up_on:
            changes.append({'case_id': case_id, 'value': wanted})
    if changes:
        connection.execute(
            pengaduan.update()
            .where(pengaduan.c.id == sa.bindparam('case_id'))
            .values(followed_up_on=sa.bindparam('value')),
            changes,
        )


def upgrade():
    _recompute(
        sa.or_(
            event.c.action == 'answer',
            sa.and_(event.c.action.in_(('reject', 'forward')), event.c.from_status == 'terverifikasi'),
        )
    )


def downgrade():
    _recompute(event.c.action.in_(('dispose', 'answer')))
