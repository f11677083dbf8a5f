"""The Tim WBS's quarterly evaluation (issue 8, point 13): the written evaluation of a quarter and its
follow-up items (owner, due date, status). An item still open at a quarter's end is carried into the next
quarter: it appears in every later quarter's evaluation until it is done. Aggregates and the team's own
words only: nothing here names a report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.models import Role, User, WbsEvaluation, WbsFollowUpItem
from zi_public.rules.periods import QUARTER, Period
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.services import audit
from zi_public.unit_of_work import add_unique

TEXT_MAX = 20_000
ITEM_MAX, OWNER_MAX = 2_000, 120
OPEN, DONE = "terbuka", "selesai"
STATUS_LABELS = {OPEN: _l("Terbuka"), DONE: _l("Selesai")}


class EvaluationRefused(ValueError):
    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


class EvaluationConflict(Exception):
    """A colleague saved the first version of the same quarter's text at the same moment."""


def _require_team(actor: User) -> None:
    if actor.role != Role.WBS or not actor.is_active:
        raise EvaluationRefused({"actor": "not_team"})


def _require_quarter(period: Period) -> None:
    if period.kind != QUARTER:
        raise ValueError("the WBS evaluation belongs to a quarter")


def get_evaluation(period: Period) -> WbsEvaluation | None:
    return db.session.get(WbsEvaluation, period.code)


def save_evaluation(actor: User, period: Period, text: str) -> WbsEvaluation:
    """Write the team's evaluation of a quarter (flushed, audit-logged without the text)."""
    _require_team(actor)
    _require_quarter(period)
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise EvaluationRefused({"text": _l("Paling banyak %(max)d karakter.", max=TEXT_MAX)})
    if not is_readable(text, multiline=True):
        raise EvaluationRefused({"text": _l("Teks berisi karakter yang tidak dapat dibaca.")})
    evaluation = get_evaluation(period)
    if evaluation is None:
        evaluation = WbsEvaluation(period=period.code)
        add_unique(evaluation, EvaluationConflict(period.code))
    evaluation.text = text
    evaluation.updated_by_id = actor.id
    db.session.flush()
    audit.record(
        actor, "wbs.evaluation_update", target_type="wbs_evaluation", target_id=period.code, data={"chars": len(text)}
    )
    return evaluation


@dataclass(frozen=True)
class ItemInput:
    item: str
    owner: str
    due_on: date | None = None


def add_item(actor: User, period: Period, data: ItemInput) -> WbsFollowUpItem:
    """A follow-up item set by the evaluation of `period` (flushed, audit-logged)."""
    _require_team(actor)
    _require_quarter(period)
    item, owner = data.item.strip(), data.owner.strip()
    errors: dict[str, object] = {}
    for field, value, limit, multiline in (("item", item, ITEM_MAX, True), ("owner", owner, OWNER_MAX, False)):
        if not has_visible_content(value):
            errors[field] = _l("Wajib diisi.")
        elif len(value) > limit:
            errors[field] = _l("Paling banyak %(max)d karakter.", max=limit)
        elif not is_readable(value, multiline=multiline):
            errors[field] = _l("Teks berisi karakter yang tidak dapat dibaca.")
    if errors:
        raise EvaluationRefused(errors)
    row = WbsFollowUpItem(period=period.code, item=item, owner=owner, due_on=data.due_on, status=OPEN)
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        "wbs.follow_up_item_add",
        target_type="wbs_follow_up_item",
        target_id=row.id,
        data={"period": period.code},
    )
    return row


def get_item(item_id: int) -> WbsFollowUpItem | None:
    return db.session.get(WbsFollowUpItem, item_id)


def set_item_status(actor: User, item: WbsFollowUpItem, status: str, *, today: date) -> None:
    """Mark an item done (with today's date) or open again (flushed, audit-logged)."""
    _require_team(actor)
    if status not in STATUS_LABELS:
        raise EvaluationRefused({"status": _l("Status tidak dikenal.")})
    item.status = status
    item.done_on = today if status == DONE else None
    db.session.flush()
    audit.record(
        actor, "wbs.follow_up_item_status", target_type="wbs_follow_up_item", target_id=item.id, data={"status": status}
    )


def items_for(period: Period) -> list[WbsFollowUpItem]:
    """The items of `period`'s evaluation (a quarter, or a year's four): its own, and those of earlier quarters
    still open when it began
    (one done during the quarter is shown done; see status_at for the status as of a day)."""
    codes = [period.code] if period.kind == QUARTER else [f"{period.year:04d}-Q{i}" for i in range(1, 5)]
    carried = sa.and_(
        WbsFollowUpItem.period < min(codes),
        sa.or_(WbsFollowUpItem.done_on.is_(None), WbsFollowUpItem.done_on >= period.start),
    )
    return list(
        db.session.scalars(
            sa.select(WbsFollowUpItem)
            .where(sa.or_(WbsFollowUpItem.period.in_(codes), carried))
            .order_by(WbsFollowUpItem.period, WbsFollowUpItem.id)
        )
    )


def status_at(item: WbsFollowUpItem, day: date) -> str:
    """The item's status at the end of `day` (a report as of a past day shows it as it was then)."""
    return DONE if item.done_on is not None and item.done_on <= day else OPEN
