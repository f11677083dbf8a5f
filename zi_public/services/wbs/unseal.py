"""The sealed identity of a WBS report: opened only by four eyes, and every step is audit-logged.

1. A member asks to open it, with a reason (`request_unseal`, audit wbs.unseal_request).
2. A *different* member approves or refuses (`decide`, audit wbs.unseal_approve / wbs.unseal_refuse); the
   database refuses the requester as decider too (CHECK second_person), and the decision is a conditional
   UPDATE, so two decisions at once cannot both count.
3. Only the requester may then read it, for WBS_UNSEAL_VALID_HOURS after the approval (`reveal`, audit
   wbs.identity_view, every time).

Why the approver does not see it: the second member checks the *reason* — whether opening is needed — and
that judgement needs no name. Showing it to both would double who knows, for no need; if the approver needs
it too, they ask in turn and a member other than themselves decides. Why the approval expires: a forgotten
approval must not stay a standing key to the reporter's name. The reason is encrypted at rest like the
report; the audit data carries ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from zi_public.extensions import db
from zi_public.localtime import naive_utc, now_utc
from zi_public.models import Role, User, WbsReport, WbsUnsealRequest
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.services import audit
from zi_public.unit_of_work import savepoint

REASON_MAX = 2_000


class UnsealRefused(ValueError):
    """The step cannot be done; `code` names why (the view words it for the member)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _require_team(actor: User) -> None:
    if not isinstance(actor, User) or actor.role != Role.WBS or not actor.is_active:
        raise UnsealRefused("not_team")


def valid_for() -> timedelta:
    """How long an approval lets its requester read the identity."""
    return timedelta(hours=int(current_app.config["WBS_UNSEAL_VALID_HOURS"]))


def requests_of(report: WbsReport) -> list[WbsUnsealRequest]:
    """Every request on `report`, newest first."""
    return list(
        db.session.scalars(
            sa.select(WbsUnsealRequest)
            .where(WbsUnsealRequest.report_id == report.id)
            .order_by(WbsUnsealRequest.id.desc())
        )
    )


def is_valid_approval(request: WbsUnsealRequest, now: datetime | None = None) -> bool:
    """Approved, and still within its validity (decided_at is naive UTC)."""
    if not request.approved or request.decided_at is None:
        return False
    return naive_utc(now or now_utc()) < request.decided_at + valid_for()


def open_approval(actor: User, report: WbsReport, now: datetime | None = None) -> WbsUnsealRequest | None:
    """`actor`'s own approved, unexpired request on `report` (what lets them read the identity), if any."""
    for request in requests_of(report):
        if request.requested_by_id == actor.id and is_valid_approval(request, now):
            return request
    return None


def request_unseal(actor: User, report: WbsReport, reason: str, *, now: datetime | None = None) -> WbsUnsealRequest:
    """Ask to open the identity of `report`; a different member decides."""
    _require_team(actor)
    if not report.has_identity:
        raise UnsealRefused("no_identity")
    reason = (reason or "").strip()
    if not has_visible_content(reason):
        raise UnsealRefused("reason_required")
    if len(reason) > REASON_MAX:
        raise UnsealRefused("reason_too_long")
    if not is_readable(reason, multiline=True):
        raise UnsealRefused("reason_unreadable")
    mine = [r for r in requests_of(report) if r.requested_by_id == actor.id]
    if any(r.decided_by_id is None for r in mine):
        raise UnsealRefused("already_pending")
    if any(is_valid_approval(r, now) for r in mine):
        raise UnsealRefused("already_open")
    request = WbsUnsealRequest(
        report_id=report.id, requested_by_id=actor.id, reason=reason, requested_at=naive_utc(now or now_utc())
    )
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "wbs.unseal_request", report, data={"request": request.id})
    return request


def decide(
    actor: User, report: WbsReport, request_id: int, *, approve: bool, now: datetime | None = None
) -> WbsUnsealRequest:
    """Approve or refuse a pending request on `report`, as a member other than its requester."""
    _require_team(actor)
    request = db.session.get(WbsUnsealRequest, request_id)
    if request is None or request.report_id != report.id:
        raise UnsealRefused("not_found")
    if request.requested_by_id == actor.id:
        raise UnsealRefused("own_request")
    if request.decided_by_id is not None:
        raise UnsealRefused("decided")
    decided_at = naive_utc(now or now_utc())
    with savepoint():
        # The second of two decisions at once finds it decided (and the CHECK backs the rule above).
        result = db.session.execute(
            sa.update(WbsUnsealRequest)
            .where(
                WbsUnsealRequest.id == request.id,
                WbsUnsealRequest.decided_by_id.is_(None),
                WbsUnsealRequest.requested_by_id != actor.id,
            )
            .values(decided_by_id=actor.id, decided_at=decided_at, approved=approve)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise UnsealRefused("decided")
        for column, value in (("decided_by_id", actor.id), ("decided_at", decided_at), ("approved", approve)):
            set_committed_value(request, column, value)
        audit.record(
            actor,
            "wbs.unseal_approve" if approve else "wbs.unseal_refuse",
            report,
            data={"request": request.id, "requested_by": request.requested_by_id},
        )
    return request


@dataclass(frozen=True)
class Revealed:
    identity: str
    request: WbsUnsealRequest
    valid_until: datetime  # naive UTC


def reveal(actor: User, report: WbsReport, *, now: datetime | None = None) -> Revealed:
    """The identity, for the member whose request was approved (each view audit-logged)."""
    _require_team(actor)
    if not report.has_identity:
        raise UnsealRefused("no_identity")
    request = open_approval(actor, report, now)
    if request is None:
        raise UnsealRefused("not_approved")
    audit.record(actor, "wbs.identity_view", report, data={"request": request.id})
    return Revealed(report.identity or "", request, request.decided_at + valid_for())


def pending_for(actor: User) -> list[WbsUnsealRequest]:
    """Requests waiting for a decision that `actor` may take (everyone's but their own), oldest first."""
    return list(
        db.session.scalars(
            sa.select(WbsUnsealRequest)
            .where(WbsUnsealRequest.decided_by_id.is_(None), WbsUnsealRequest.requested_by_id != actor.id)
            .order_by(WbsUnsealRequest.id)
        )
    )
