"""Admin page to browse the audit log."""

from __future__ import annotations

from flask import current_app, render_template, request

from blueprints.internal import bp
from blueprints.internal.audit_forms import AuditFilterForm
from zi_public.models import AuditEntry, Role
from zi_public.paging import Page, keyset_page, parse_cursor
from zi_public.security.permissions import roles_required
from zi_public.services import audit_labels, audit_query

_FILTER_KEYS = ("actor", "action", "date_from", "date_to")


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    """Browse the audit log, newest first, each entry as a sentence in the page's language with its code
    (filters: actor, action code or group, date range in local days)."""
    actions = audit_query.distinct_actions()
    form = AuditFilterForm(formdata=request.args, actions=actions, prefixes=audit_query.action_prefixes(actions))
    if not form.validate():
        # A broken filter shows nothing rather than everything, so no one mistakes the list
        # for a filtered one; the form says what to fix.
        return render_template("internal/audit_log.html", form=form, page=Page(items=[]), described={})
    stmt = audit_query.audit_entries(form.to_filter(), timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
    page = keyset_page(stmt, AuditEntry.id, args=_paging_args(form), size=current_app.config["PAGE_SIZE"])
    filtered = any(form[key].data for key in _FILTER_KEYS)
    described = audit_labels.describe(page.items)
    return render_template("internal/audit_log.html", form=form, page=page, filtered=filtered, described=described)


def _paging_args(form: AuditFilterForm) -> dict[str, str]:
    """The validated filters plus a well-formed cursor: pager links carry nothing else."""
    args = {key: form[key].data for key in _FILTER_KEYS if form[key].data}
    for key in ("before", "after"):
        value = request.args.get(key, "")
        if parse_cursor(value) is not None:
            args[key] = value
    return args
