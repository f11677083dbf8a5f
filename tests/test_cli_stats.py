"""`stats rebuild` recounts the public statistics from the complaints (after an upgrade of `holidays`)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.factories import advance, make_pengaduan
from tests.services.pengaduan.test_stats_aggregates import at, direct_figures, page_figures, stored_tables
from zi_public.extensions import db
from zi_public.models import PengaduanStatDays, PengaduanStatMonth
from zi_public.rules.pengaduan import Action


def test_stats_rebuild_recounts_figures_that_went_wrong(seeded):
    with seeded.app_context():
        case = make_pengaduan(now=at(date(2025, 1, 6)))
        advance("test", case, Action.VERIFY, now=at(date(2025, 1, 8)))
        advance("test", case, Action.REJECT, now=at(date(2025, 1, 9)))
        make_pengaduan(now=at(date(2025, 2, 3)))
        db.session.commit()
        kept = stored_tables(db)
        # As after bulk SQL past the ORM, or a calendar that moved under past months.
        db.session.execute(sa.delete(PengaduanStatDays))
        db.session.execute(sa.update(PengaduanStatMonth).values(finished=7))
        db.session.commit()
        assert page_figures(db) != direct_figures(db)
    result = seeded.test_cli_runner().invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "recounted" in result.output
    with seeded.app_context():
        assert stored_tables(db) == kept
        assert page_figures(db) == direct_figures(db)
