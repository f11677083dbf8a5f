"""Declarations of conflicts of interest (benturan kepentingan, PermenPANRB 37/2012): an employee's
declaration for a specific matter or the yearly declaration of no conflict, filed on the public form with a
number (BTK-YYYY-NNNNNN) and an access code; the declarant's status look-up; the UPG recording the superior's
decision and when it was carried out; and the quarter's figures for the evaluation (part G).

The declarant's NIK, name, phone, email and the related party are encrypted at rest (the model); the access
code is kept only as a keyed hash. Every filing, look-up and UPG write is audit-logged.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models.benturan import ConflictDeclaration
from zi_public.rules.benturan import Decision, DeclarationKind
from zi_public.rules.periods import Period
from zi_public.rules.working_days import WorkCalendar
from zi_public.services.calendar import work_calendar

KIND = "benturan"


# --- the quarter's figures (the evaluation, part G) ---------------------------------------------------------


@dataclass(frozen=True)
class KindDecisionCount:
    """How many declarations of `kind`, declared in the period, have `decision` (None: none recorded yet, or
    a yearly declaration of none, which never gets one)."""

    kind: DeclarationKind
    decision: Decision | None
    count: int


@dataclass(frozen=True)
class DeclarationFigures:
    """The declarations of one period: counts by kind and decision (declared in the period), and the working
    days from declaration to decision of those decided in the period (work calendar)."""

    period: Period
    counts: list[KindDecisionCount]
    decided: int  # decided within the period (whenever declared)
    median_days_to_decision: float | None
    max_days_to_decision: int | None

    @property
    def total(self) -> int:
        return sum(row.count for row in self.counts)

    def count_of(self, kind: DeclarationKind, decision: Decision | None = None, *, any_decision: bool = False) -> int:
        """The count of `kind` with `decision` (or with any decision, undecided included, if any_decision)."""
        return sum(row.count for row in self.counts if row.kind == kind and (any_decision or row.decision == decision))

    def by_kind(self) -> dict[DeclarationKind, int]:
        totals = dict.fromkeys(DeclarationKind, 0)
        for row in self.counts:
            totals[row.kind] += row.count
        return totals


def quarter_figures(period: Period, *, calendar: WorkCalendar | None = None) -> DeclarationFigures:
    """The declarations of `period` (a quarter, or any Period): counts by kind and decision with one GROUP BY
    over those declared in it; working days declared_on -> decided_on (median, max) of those decided in it."""
    calendar = calendar or work_calendar()
    model = ConflictDeclaration
    rows = db.session.execute(
        sa.select(model.kind, model.decision, sa.func.count())
        .where(model.declared_on.between(period.start, period.end))
        .group_by(model.kind, model.decision)
    ).all()
    order = {kind: i for i, kind in enumerate(DeclarationKind)}
    decision_order = {decision: i for i, decision in enumerate(Decision)}
    counts = sorted(
        (
            KindDecisionCount(DeclarationKind(kind), Decision(decision) if decision else None, count)
            for kind, decision, count in rows
        ),
        key=lambda row: (order[row.kind], -1 if row.decision is None else decision_order[row.decision]),
    )
    pairs = db.session.execute(
        sa.select(model.declared_on, model.decided_on).where(model.decided_on.between(period.start, period.end))
    ).all()
    days = sorted(calendar.count_working_days(declared, decided) for declared, decided in pairs)
    return DeclarationFigures(
        period=period,
        counts=counts,
        decided=len(days),
        median_days_to_decision=float(statistics.median(days)) if days else None,
        max_days_to_decision=days[-1] if days else None,
    )


def days_to_decision(declared_on: date, decided_on: date | None, calendar: WorkCalendar) -> int | None:
    """Working days from the declaration to the superior's decision (None while undecided)."""
    return None if decided_on is None else calendar.count_working_days(declared_on, decided_on)
