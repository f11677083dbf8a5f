"""Final and versions of a period evaluation (services/evaluations.py keeps the text and the items): marking
the current version final locks its text and the wording, owner and due date of the items its period set
(evaluations refuses those changes with EvaluationLocked), while the follow-up fields (status, done day,
evidence) stay open. A later change starts a new version: the final one is archived as it was (text and items)
and a draft opens with the next number; the archived versions are read back for their page and the reports.
Marking final and opening a version are audit-logged without the text. Services flush and never commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.models import FollowUpItem, PeriodEvaluation, PeriodEvaluationVersion, User
from zi_public.models.base import utcnow
from zi_public.rules.periods import Period
from zi_public.rules.text import has_visible_content
from zi_public.services import audit
from zi_public.services.evaluations import (
    EvaluationConflict,
    EvaluationRefused,
    current_for_write,
    evaluation_version,
    items_set_by,
    refuse_stale,
    require_draft,
    scope_of,
    writer_scope,
)
from zi_public.unit_of_work import add_unique


def mark_final(actor: User, scope: str, period: Period, *, version: str | None = None) -> PeriodEvaluation:
    """Mark the current version of `period`'s evaluation final: from now on its text and its items' wording,
    owner and due date are locked (flushed, audit-logged). EvaluationRefused while no text is written,
    EvaluationLocked when it is final already, EvaluationConflict when `version` (evaluation_version() when
    the page was opened) is not the text's current one."""
    scope_ = writer_scope(actor, scope, period)
    evaluation = require_draft(scope_, period.code, "text")
    if evaluation is None or not has_visible_content(evaluation.text):
        raise EvaluationRefused({"text": _l("Tulis evaluasi lebih dulu, lalu tetapkan sebagai final.")})
    refuse_stale(version, evaluation_version(evaluation), f"{scope}/{period.code}")
    evaluation.finalized_at = utcnow()
    evaluation.finalized_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        f"{scope_.audit_prefix}.evaluation_finalize",
        target_type="period_evaluation",
        target_id=f"{scope_.code}/{period.code}",
        data={"version": evaluation.version_no, "items": len(items_set_by(scope, period))},
    )
    return evaluation


def _item_record(item: FollowUpItem) -> dict[str, object]:
    return {
        "id": item.id,
        "item": item.item,
        "owner": item.owner,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "status": item.status,
        "done_on": item.done_on.isoformat() if item.done_on else None,
        "evidence": item.evidence,
    }


def new_version(actor: User, scope: str, period: Period, *, version: str | None = None) -> PeriodEvaluation:
    """Open the next version of `period`'s final evaluation as a draft (flushed, audit-logged): the final one is
    archived as it is (text, and the items the period set with their status then). EvaluationRefused when the
    current version is not final, EvaluationConflict when a colleague opened it first or `version` is stale."""
    scope_ = writer_scope(actor, scope, period)
    evaluation = current_for_write(scope_, period.code)
    if evaluation is None or not evaluation.is_final:
        raise EvaluationRefused({"version": _l("Versi ini belum final; ubah saja langsung.")})
    refuse_stale(version, evaluation_version(evaluation), f"{scope}/{period.code}")
    archived = PeriodEvaluationVersion(
        scope=scope_.code,
        period=period.code,
        version_no=evaluation.version_no,
        text=evaluation.text,
        items=json.dumps([_item_record(i) for i in items_set_by(scope, period)], ensure_ascii=False),
        finalized_at=evaluation.finalized_at,
        finalized_by_id=evaluation.finalized_by_id,
        archived_by_id=actor.id,
    )
    add_unique(archived, EvaluationConflict(f"{scope}/{period.code}/{evaluation.version_no}"))
    evaluation.version_no += 1
    evaluation.finalized_at = None
    evaluation.finalized_by_id = None
    evaluation.updated_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        f"{scope_.audit_prefix}.evaluation_new_version",
        target_type="period_evaluation",
        target_id=f"{scope_.code}/{period.code}",
        data={"archived": archived.version_no, "version": evaluation.version_no},
    )
    return evaluation


def archived_versions(scope: str, period: Period) -> list[PeriodEvaluationVersion]:
    """The earlier final versions of `period`'s evaluation, oldest first."""
    return list(
        db.session.scalars(
            sa.select(PeriodEvaluationVersion)
            .where(PeriodEvaluationVersion.scope == scope_of(scope).code, PeriodEvaluationVersion.period == period.code)
            .order_by(PeriodEvaluationVersion.version_no)
        )
    )


def get_archived_version(scope: str, period: Period, number: int) -> PeriodEvaluationVersion | None:
    return db.session.get(PeriodEvaluationVersion, (scope_of(scope).code, period.code, number))


@dataclass(frozen=True)
class ArchivedItem:
    """An item as a final version had it."""

    id: int
    item: str
    owner: str
    due_on: date | None
    status: str
    done_on: date | None
    evidence: str


def archived_items(version: PeriodEvaluationVersion) -> list[ArchivedItem]:
    def day(value: object) -> date | None:
        return date.fromisoformat(value) if isinstance(value, str) else None

    return [
        ArchivedItem(
            id=int(record["id"]),
            item=str(record["item"]),
            owner=str(record["owner"]),
            due_on=day(record.get("due_on")),
            status=str(record["status"]),
            done_on=day(record.get("done_on")),
            evidence=str(record.get("evidence") or ""),
        )
        for record in json.loads(version.items or "[]")
    ]
