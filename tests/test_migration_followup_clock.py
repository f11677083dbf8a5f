"""The follow-up clock migration recomputes followed_up_on from each complaint's history, and back."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import legacy_pengaduan_row
from zi_public.extensions import db

REVISION = "c6c8e39fd0a7"
BEFORE = "18aa4f500f5a"

category = sa.table(
    "category",
    *(sa.column(name) for name in ("id", "code", "name", "name_en", "sort_order", "is_active")),
)
pengaduan = sa.table(
    "pengaduan",
    *(
        sa.column(name)
        for name in (
            "id number access_code_hash channel identity category_id title description requested_resolution location "
            "status rejection_reason forwarded_to received_at received_on verify_by settle_by triaged_on followup_by "
            "followed_up_on finished_on reopen_count"
        ).split()
    ),
)
event = sa.table(
    "pengaduan_event",
    *(sa.column(name) for name in "pengaduan_id created_at action from_status to_status is_public body".split()),
)


def _case(case_id: int, status: str, events: list[tuple[datetime, str, str, str]], **dates: object) -> None:
    """One complaint received 2 November 2026 with its history; the stored clock dates as the old code wrote them."""
    extra = {"rejection_reason": "bukan kewenangan" if status == "ditolak" else None}
    extra["forwarded_to"] = "Ombudsman" if status == "dialihkan" else None
    db.session.execute(pengaduan.insert().values(**legacy_pengaduan_row(case_id, status=status, **extra, **dates)))
    rows = [
        {"pengaduan_id": case_id, "created_at": at, "action": action, "from_status": src, "to_status": dst}
        for at, action, src, dst in events
    ]
    db.session.execute(event.insert().values(is_public=True, body=""), rows)


def _followed_up_on() -> dict[int, date | None]:
    rows = db.session.execute(sa.select(pengaduan.c.id, pengaduan.c.followed_up_on)).all()
    return {case_id: value if isinstance(value, date | None) else date.fromisoformat(value) for case_id, value in rows}


VERIFIED = (datetime(2026, 11, 2, 3), "verify", "baru", "terverifikasi")
NOV = date(2026, 11, 1).replace


def test_followup_dates_follow_the_new_rule_and_back(fresh_app):
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(
            category.insert().values(id=1, code="lain", name="Lain", name_en="Other", sort_order=1, is_active=True)
        )
        verified = {"triaged_on": NOV(day=2), "followup_by": NOV(day=9)}
        # 1. disposisi on the 3rd, answer on the 20th: the disposisi no longer stops the clock.
        _case(
            1,
            "ditindaklanjuti",
            [
                VERIFIED,
                (datetime(2026, 11, 3, 2), "dispose", "terverifikasi", "ditindaklanjuti"),
                (datetime(2026, 11, 20, 2), "answer", "ditindaklanjuti", "ditindaklanjuti"),
                (datetime(2026, 11, 21, 2), "answer", "ditindaklanjuti", "ditindaklanjuti"),
            ],
            followed_up_on=NOV(day=3),
            **verified,
        )
        # 2. verified, then rejected on the 4th: the rejection informs the reporter.
        _case(
            2,
            "ditolak",
            [VERIFIED, (datetime(2026, 11, 4, 2), "reject", "terverifikasi", "ditolak")],
            finished_on=NOV(day=4),
            **verified,
        )
        # 3. rejected without verification: no follow-up clock at all.
        _case(
            3,
            "ditolak",
            [(datetime(2026, 11, 2, 4), "reject", "baru", "ditolak")],
            triaged_on=NOV(day=2),
            finished_on=NOV(day=2),
        )
        # 4. verified, then forwarded at 18:30 UTC on the 5th, which is the 6th in Jakarta.
        _case(
            4,
            "dialihkan",
            [VERIFIED, (datetime(2026, 11, 5, 18, 30), "forward", "terverifikasi", "dialihkan")],
            finished_on=NOV(day=6),
            **verified,
        )
        # 5. verified and routed, no answer yet: the clock still runs.
        _case(
            5,
            "ditindaklanjuti",
            [VERIFIED, (datetime(2026, 11, 3, 2), "dispose", "terverifikasi", "ditindaklanjuti")],
            followed_up_on=NOV(day=3),
            **verified,
        )
        # 6. answered straight from terverifikasi at 16:59 UTC (23:59 in Jakarta) and 17:00 (the next day).
        _case(
            6,
            "terverifikasi",
            [VERIFIED, (datetime(2026, 11, 10, 16, 59), "answer", "terverifikasi", "terverifikasi")],
            followed_up_on=NOV(day=10),
            **verified,
        )
        _case(
            7,
            "terverifikasi",
            [VERIFIED, (datetime(2026, 11, 10, 17, 0), "answer", "terverifikasi", "terverifikasi")],
            followed_up_on=NOV(day=11),
            **verified,
        )
        db.session.commit()

        upgrade(revision=REVISION)
        assert _followed_up_on() == {
            1: NOV(day=20),
            2: NOV(day=4),
            3: None,
            4: NOV(day=6),
            5: None,
            6: NOV(day=10),
            7: NOV(day=11),
        }

        downgrade(revision=BEFORE)
        assert _followed_up_on() == {
            1: NOV(day=3),
            2: None,
            3: None,
            4: None,
            5: NOV(day=3),
            6: NOV(day=10),
            7: NOV(day=11),
        }
        db.session.remove()
