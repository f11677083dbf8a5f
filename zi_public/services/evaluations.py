"""A team's written evaluation of a period and its follow-up items, for every evaluation that has them
(models/evaluation.py: PeriodEvaluation, FollowUpItem), kept apart by `scope`.

SCOPES says, for each scope, which role writes it, what kind of period it evaluates and how its audit entries
are named: "benturan" is the UPG's quarterly evaluation of conflict-of-interest handling (issue 10, point 10);
"pengaduan_monev" the Tim Pengaduan's semester monev, whose recommendations are its follow-up items (issue 11,
point 5); "wbs" the Tim WBS's quarterly evaluation (issue 8, point 13), which only the Tim WBS reads on its
pages (the pimpinan takes the download: aggregates and the team's words, no report).

What it keeps:
- the text: one per scope and period, saved whole; a save made on a page opened before a colleague's save is
  refused (`version`, EvaluationConflict), and so is the second of two first saves at the same moment;
- the follow-up items: set by a period's evaluation, with owner, due date, status (terbuka / selesai, the day
  it was done) and the evidence of what was done. An item still open when a period begins is *carried
  forward*: it appears in that period's evaluation, and every later one, until it is done.
- status_at(item, day): the status at the end of a past day, for a report as of that day;
- the lock: while the current version is final (services/evaluation_versions.py marks it final and opens the
  next), its text and the wording, owner and due date of the items its period set can no longer change
  (EvaluationLocked); the follow-up fields (status, done day, evidence) stay open, since they are tracked in
  the periods that follow.

Every write is audit-logged without the text it saved (its length only). Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.models import FollowUpItem, PeriodEvaluation, Role, User
from zi_public.models.base import utcnow
from zi_public.rules.periods import QUARTER, SEMESTER, Period, period_of
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.services import audit
from zi_public.unit_of_work import add_unique, begin_writing

TEXT_MAX = 20_000
ITEM_MAX, OWNER_MAX, EVIDENCE_MAX = 2_000, 160, 4_000
OPEN, DONE = "terbuka", "selesai"
STATUS_LABELS = {OPEN: _l("Terbuka"), DONE: _l("Selesai")}


@dataclass(frozen=True)
class Scope:
    """Whose evaluation: the role that writes it, the kind of period it evaluates, the audit names' prefix."""

    code: str
    role: Role
    period_kind: str
    audit_prefix: str


#: Every scope kept here. A later one is one line more.
SCOPES: dict[str, Scope] = {
    "benturan": Scope("benturan", Role.UPG, QUARTER, "benturan"),
    "pengaduan_monev": Scope("pengaduan_monev", Role.PENGADUAN, SEMESTER, "pengaduan_monev"),
    "wbs": Scope("wbs", Role.WBS, QUARTER, "wbs"),  # services.wbs.EVALUATION_SCOPE
}


class EvaluationRefused(ValueError):
    """The input (or the actor) cannot be saved: `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


class EvaluationLocked(EvaluationRefused):
    """The evaluation's current version is final: what it locks cannot change (`errors` says so by field)."""


class EvaluationConflict(Exception):
    """A colleague saved the same text or item since the page was opened."""


LOCKED = _l("Versi ini sudah final dan tidak dapat diubah. Buat versi baru untuk mengubahnya.")


def scope_of(code: str) -> Scope:
    try:
        return SCOPES[code]
    except KeyError:
        raise ValueError(f"no evaluation scope {code!r}") from None


def can_write(scope: str, actor: User) -> bool:
    """Whether `actor` writes `scope`'s evaluation (the others who see it only read)."""
    return bool(getattr(actor, "is_active", False)) and getattr(actor, "role", None) == scope_of(scope).role


def writer_scope(actor: User, scope: str, period: Period | None = None) -> Scope:
    """The scope a write of `actor` is about: EvaluationRefused when `actor` does not write it; a ValueError for
    a `period` (when given) of another kind than the scope evaluates."""
    scope_ = scope_of(scope)
    if not can_write(scope_.code, actor):
        raise EvaluationRefused({"actor": "not_team"})
    if period is not None and period.kind != scope_.period_kind:
        raise ValueError(f"the {scope_.code} evaluation belongs to a {scope_.period_kind}, not a {period.kind}")
    return scope_


def periods_of(scope: str, period: Period) -> list[Period]:
    """The scope's periods `period` is made of: itself, or for a longer period (a year of a quarterly scope) each
    of the scope's own kind in turn."""
    kind = scope_of(scope).period_kind
    if period.kind == kind:
        return [period]
    parts: list[Period] = []
    for month in period.months():
        part = period_of(kind, month.start)
        if part not in parts:
            parts.append(part)
    return parts


def period_codes(scope: str, period: Period) -> list[str]:
    """Like periods_of, as the codes the rows are kept under."""
    return [part.code for part in periods_of(scope, period)]


def _check_text(value: str, limit: int, *, multiline: bool, required: bool) -> object | None:
    if required and not has_visible_content(value):
        return _l("Wajib diisi.")
    if len(value) > limit:
        return _l("Paling banyak %(max)d karakter.", max=limit)
    if not is_readable(value, multiline=multiline):
        return _l("Teks berisi karakter yang tidak dapat dibaca.")
    return None


def _version(updated_at: object) -> str:
    return updated_at.isoformat(timespec="microseconds") if updated_at else ""  # type: ignore[attr-defined]


def refuse_stale(version: str | None, current: str, what: str) -> None:
    """EvaluationConflict (naming `what`) when `version`, what the page was opened with, is not `current` any more
    (a colleague saved since); None checks nothing."""
    if version is not None and version != current:
        raise EvaluationConflict(what)


def current_for_write(scope: Scope, period_code: str) -> PeriodEvaluation | None:
    """The evaluation's current version, read for a write: on PostgreSQL its row stays locked until the request
    ends, on SQLite the request holds the write lock from here, so that marking it final and a change it
    would lock never both succeed."""
    begin_writing()
    return db.session.get(PeriodEvaluation, (scope.code, period_code), with_for_update=True, populate_existing=True)


def require_draft(scope: Scope, period_code: str, field: str) -> PeriodEvaluation | None:
    """The current version read for a write (current_for_write), EvaluationLocked (on `field`) when it is final."""
    evaluation = current_for_write(scope, period_code)
    if evaluation is not None and evaluation.is_final:
        raise EvaluationLocked({field: LOCKED})
    return evaluation


# --- the written evaluation ------------------------------------------------------------------------------


def get_evaluation(scope: str, period: Period) -> PeriodEvaluation | None:
    return db.session.get(PeriodEvaluation, (scope_of(scope).code, period.code))


def evaluation_version(evaluation: PeriodEvaluation | None) -> str:
    """What a form carries to refuse a save over a colleague's: '' before the first save."""
    return _version(evaluation.updated_at) if evaluation is not None else ""


def save_evaluation(
    actor: User, scope: str, period: Period, text: str, *, version: str | None = None
) -> PeriodEvaluation:
    """Write the team's evaluation of `period` (flushed, audit-logged with its length, not its text).

    `version` (evaluation_version() when the page was opened) refuses a save over a colleague's later one:
    EvaluationConflict. EvaluationRefused for a text too long or unreadable, or an actor who may not write;
    EvaluationLocked when the current version is final."""
    scope_ = writer_scope(actor, scope, period)
    text = (text or "").strip()
    problem = _check_text(text, TEXT_MAX, multiline=True, required=False)
    if problem is not None:
        raise EvaluationRefused({"text": problem})
    evaluation = require_draft(scope_, period.code, "text")
    refuse_stale(version, evaluation_version(evaluation), f"{scope}/{period.code}")
    if evaluation is None:
        evaluation = PeriodEvaluation(scope=scope_.code, period=period.code, text=text, updated_by_id=actor.id)
        add_unique(evaluation, EvaluationConflict(f"{scope}/{period.code}"))
    else:
        evaluation.text = text
        evaluation.updated_by_id = actor.id
        evaluation.updated_at = utcnow()
        db.session.flush()
    audit.record(
        actor,
        f"{scope_.audit_prefix}.evaluation_update",
        target_type="period_evaluation",
        target_id=f"{scope_.code}/{period.code}",
        data={"chars": len(text)},
    )
    return evaluation


# --- follow-up items ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    item: str
    owner: str
    due_on: date | None = None


def _checked_item(data: ItemInput) -> tuple[str, str]:
    item, owner = (data.item or "").strip(), (data.owner or "").strip()
    errors: dict[str, object] = {}
    for field, value, limit, multiline in (("item", item, ITEM_MAX, True), ("owner", owner, OWNER_MAX, False)):
        problem = _check_text(value, limit, multiline=multiline, required=True)
        if problem is not None:
            errors[field] = problem
    if errors:
        raise EvaluationRefused(errors)
    return item, owner


def add_item(actor: User, scope: str, period: Period, data: ItemInput) -> FollowUpItem:
    """A follow-up item set by the evaluation of `period`, open (flushed, audit-logged without its text).
    EvaluationLocked when the period's current version is final."""
    scope_ = writer_scope(actor, scope, period)
    item, owner = _checked_item(data)
    require_draft(scope_, period.code, "item")
    row = FollowUpItem(
        scope=scope_.code,
        period=period.code,
        item=item,
        owner=owner,
        due_on=data.due_on,
        status=OPEN,
        evidence="",
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        f"{scope_.audit_prefix}.follow_up_item_add",
        target_type="follow_up_item",
        target_id=row.id,
        data={"scope": scope_.code, "period": period.code},
    )
    return row


def get_item(scope: str, item_id: int) -> FollowUpItem | None:
    """The item `item_id` of `scope` (None for another scope's item, or none at all)."""
    item = db.session.get(FollowUpItem, item_id)
    return item if item is not None and item.scope == scope_of(scope).code else None


def item_version(item: FollowUpItem) -> str:
    return _version(item.updated_at)


def edit_item(actor: User, item: FollowUpItem, data: ItemInput, *, version: str | None = None) -> FollowUpItem:
    """Change what an item says, who owns it and its due date (flushed, audit-logged without the text), while
    the evaluation that set it is a draft: EvaluationLocked once it is final. `version` as for update_item."""
    scope_ = writer_scope(actor, item.scope)
    text, owner = _checked_item(data)
    require_draft(scope_, item.period, "item")
    refuse_stale(version, item_version(item), str(item.id))
    changed = [
        name
        for name, value in (("item", text), ("owner", owner), ("due_on", data.due_on))
        if getattr(item, name) != value
    ]
    item.item, item.owner, item.due_on = text, owner, data.due_on
    item.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        f"{scope_.audit_prefix}.follow_up_item_edit",
        target_type="follow_up_item",
        target_id=item.id,
        data={"scope": scope_.code, "period": item.period, "fields": changed},
    )
    return item


def update_item(
    actor: User, item: FollowUpItem, *, status: str, evidence: str, today: date, version: str | None = None
) -> FollowUpItem:
    """Set an item's status and the evidence of what was done (flushed, audit-logged without the evidence).

    Marking it done records `today` as the day it was done (a day already recorded stays); opening it again
    clears the day. `version` (item_version() when the page was opened) refuses a save over a colleague's."""
    scope_ = writer_scope(actor, item.scope)
    evidence = (evidence or "").strip()
    errors: dict[str, object] = {}
    if status not in STATUS_LABELS:
        errors["status"] = _l("Status tidak dikenal.")
    problem = _check_text(evidence, EVIDENCE_MAX, multiline=True, required=False)
    if problem is not None:
        errors["evidence"] = problem
    if errors:
        raise EvaluationRefused(errors)
    refuse_stale(version, item_version(item), str(item.id))
    before = item.status
    item.status = status
    item.done_on = (item.done_on or today) if status == DONE else None
    item.evidence = evidence
    item.updated_at = utcnow()  # a save that changes no column is a save all the same (its version moves)
    db.session.flush()
    audit.record(
        actor,
        f"{scope_.audit_prefix}.follow_up_item_update",
        target_type="follow_up_item",
        target_id=item.id,
        data={"scope": scope_.code, "from": before, "status": status, "evidence_chars": len(evidence)},
    )
    return item


def items_for(scope: str, period: Period) -> list[FollowUpItem]:
    """The items `period`'s evaluation shows (one of the scope's periods, or a longer one: its periods
    together): those it set, and those set earlier still open when it began (carried forward). An item done
    during the period is shown done; status_at gives the status as of a day."""
    scope_ = scope_of(scope)
    codes = period_codes(scope, period)
    carried = sa.and_(
        FollowUpItem.period < min(codes),
        sa.or_(FollowUpItem.done_on.is_(None), FollowUpItem.done_on >= period.start),
    )
    return list(
        db.session.scalars(
            sa.select(FollowUpItem)
            .where(FollowUpItem.scope == scope_.code, sa.or_(FollowUpItem.period.in_(codes), carried))
            .order_by(FollowUpItem.period, FollowUpItem.id)
        )
    )


def is_carried(scope: str, item: FollowUpItem, period: Period) -> bool:
    """Whether `item` came into `period`'s evaluation from an earlier one (set before the period, still open)."""
    return item.period < min(period_codes(scope, period))


def status_at(item: FollowUpItem, day: date) -> str:
    """The item's status at the end of `day` (a report as of a past day shows it as it was then)."""
    return DONE if item.done_on is not None and item.done_on <= day else OPEN


def items_set_by(scope: str, period: Period) -> list[FollowUpItem]:
    """The items `period`'s own evaluation set (not those carried into it), in the order they were added."""
    return list(
        db.session.scalars(
            sa.select(FollowUpItem)
            .where(FollowUpItem.scope == scope_of(scope).code, FollowUpItem.period == period.code)
            .order_by(FollowUpItem.id)
        )
    )
