"""The team's monev text: a colleague's first version saved at the same moment is a conflict, not a 500."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.exports.pengaduan_monev import MonevConflict, save_monev
from zi_public.models import AuditEntry, PengaduanMonev, Role
from zi_public.rules.periods import parse_period


def test_a_first_version_saved_at_the_same_moment_is_a_conflict_and_the_request_goes_on(db):
    team = make_user(Role.PENGADUAN)
    period = parse_period("2026-S2")
    # Simulates the colleague's insert landing between our look-up and our flush.
    with db.session.no_autoflush:
        db.session.add(PengaduanMonev(period=period.code, evaluation="Versi rekan", recommendations=""))
        with pytest.raises(MonevConflict):
            save_monev(team, period, "Versi saya", "")
    db.session.commit()
    assert db.session.scalars(sa.select(PengaduanMonev.evaluation)).all() == ["Versi rekan"]
    updates = sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "pengaduan.monev_update")
    assert db.session.scalar(updates) == 0
