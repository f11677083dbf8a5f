"""The migration that adds the statistics tables fills them from the complaints already there, and goes back."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.factories import advance, make_pengaduan, make_user
from tests.services.pengaduan.test_stats_aggregates import at, direct_figures, page_figures, stored_tables
from zi_public.extensions import db as _db
from zi_public.models import Role
from zi_public.rules.pengaduan import Action
from zi_public.services.reference import seed_reference_data

BEFORE = "3457a6a852bb"  # the revision before the figure tables


def test_the_migration_fills_the_figures_from_existing_complaints(fresh_app):
    with fresh_app.app_context():
        upgrade()
        seed_reference_data()
        team = make_user(role=Role.PENGADUAN)
        for day, verified, rejected in ((6, 8, 9), (6, 15, 20), (7, None, None), (20, 21, None)):
            case = make_pengaduan(now=at(date(2025, 1, day)), identity="anonim", layanan=None)
            if verified:
                advance(team, case, Action.VERIFY, at(date(2025, 1, verified)))
            if rejected:
                advance(team, case, Action.REJECT, at(date(2025, 1, rejected)))
        _db.session.commit()
        kept = stored_tables(_db)
        _db.session.remove()  # PostgreSQL: an open read would block the migration's DROP TABLE
        downgrade(revision=BEFORE)
        assert not {"pengaduan_stat_month", "pengaduan_stat_days"} & set(sa.inspect(_db.engine).get_table_names())
        upgrade()
        assert stored_tables(_db) == kept
        assert page_figures(_db) == direct_figures(_db)
        _db.session.remove()
