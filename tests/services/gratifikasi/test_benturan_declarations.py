"""Declarations of conflicts of interest: filing, the declarant's look-up, the UPG's decision and carrying
out, and the quarter's figures for the evaluation."""

from __future__ import annotations

from datetime import date

from zi_public.extensions import db
from zi_public.models.benturan import ConflictDeclaration
from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus
from zi_public.rules.gratifikasi import Channel
from zi_public.rules.periods import QUARTER, make_period
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.gratifikasi import benturan_declarations as service


def _row(number: str, kind: DeclarationKind, declared_on: date, decision: Decision | None = None, decided_on=None):
    row = ConflictDeclaration(
        number=number,
        access_code_hash="x" * 64,
        channel=Channel.WEB,
        kind=kind,
        status=DeclarationStatus.DIPUTUSKAN if decision else DeclarationStatus.DITERIMA,
        year=declared_on.year,
        declarant_position="Analis",
        declarant_unit="Bidang Perizinan",
        conflict_type=ConflictType.KELUARGA if kind == DeclarationKind.KHUSUS else None,
        declared_on=declared_on,
        decision=decision,
        decided_on=decided_on,
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_quarter_figures_counts_by_kind_and_decision_and_working_days(db):
    # 2026-04-01 is a Wednesday; the calendar here has no holidays.
    calendar = WorkCalendar(holidays=_NoHolidays())  # plain Mon-Fri
    _row("BTK-2026-000001", DeclarationKind.KHUSUS, date(2026, 4, 1), Decision.TUGAS_DIALIHKAN, date(2026, 4, 8))
    _row("BTK-2026-000002", DeclarationKind.KHUSUS, date(2026, 4, 6), Decision.TUGAS_DIALIHKAN, date(2026, 4, 7))
    _row("BTK-2026-000003", DeclarationKind.KHUSUS, date(2026, 5, 4))
    _row("BTK-2026-000004", DeclarationKind.TAHUNAN_NIHIL, date(2026, 6, 30))
    _row("BTK-2026-000005", DeclarationKind.KHUSUS, date(2026, 7, 1), Decision.LANJUT_DIAWASI, date(2026, 7, 2))
    # Declared in Q1, decided in Q2: counted in Q1's counts, in Q2's working days.
    _row("BTK-2026-000006", DeclarationKind.KHUSUS, date(2026, 3, 31), Decision.LANJUT_DIAWASI, date(2026, 4, 2))

    figures = service.quarter_figures(make_period(QUARTER, 2026, 2), calendar=calendar)

    assert figures.total == 4
    assert figures.count_of(DeclarationKind.KHUSUS, Decision.TUGAS_DIALIHKAN) == 2
    assert figures.count_of(DeclarationKind.KHUSUS, None) == 1
    assert figures.count_of(DeclarationKind.TAHUNAN_NIHIL, None) == 1
    assert figures.by_kind() == {DeclarationKind.KHUSUS: 3, DeclarationKind.TAHUNAN_NIHIL: 1}
    assert figures.decided == 3
    # 1 -> 8 April: 5 working days; 6 -> 7: 1; 31 March -> 2 April: 2.
    assert figures.median_days_to_decision == 2.0
    assert figures.max_days_to_decision == 5


def test_quarter_figures_of_an_empty_quarter(db):
    figures = service.quarter_figures(make_period(QUARTER, 2026, 1), calendar=WorkCalendar(holidays=_NoHolidays()))
    assert figures.counts == [] and figures.decided == 0
    assert figures.median_days_to_decision is None and figures.max_days_to_decision is None


class _NoHolidays:
    def get(self, day: date, /) -> str | None:
        return None
