"""The UPG's pages for conflict-of-interest declarations (part F of issue 10): the list with its filters, a
declaration's page (the declarant's data decrypted: every view is an audited read), and the two steps the
UPG records: the superior's decision and when it was carried out.

Only the UPG and the pimpinan get in, and the pimpinan only reads (restrict_area): its page has no forms. A refused
step answers 400 and so rolls the request back, audit entries included: its page shows the forms with their
messages and the declaration's facts, but none of the encrypted personal data (no read happened that could be
recorded); a link opens the full page.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.gratifikasi import staff_bp as bp
from blueprints.gratifikasi.benturan_forms import CarryOutForm, DecisionForm, DeclarationFilterForm
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.models.benturan import ConflictDeclaration
from zi_public.paging import Page, keyset_page, parse_cursor
from zi_public.rules import benturan as rules
from zi_public.security.permissions import get_case_or_404
from zi_public.services.calendar import work_calendar
from zi_public.services.gratifikasi import benturan_declarations as declarations
from zi_public.services.gratifikasi import benturan_labels as labels
from zi_public.services.reference import localized_name

KIND = "benturan"


@bp.route("/benturan/deklarasi", endpoint="declarations")
def declarations_page():
    """Every declaration, newest first, filtered by kind, status, year and number."""
    form = DeclarationFilterForm(formdata=request.args, years=declarations.years_with_declarations())
    if not form.validate():
        # A broken filter shows nothing rather than everything: no one mistakes it for a filtered list.
        return render_template(
            "gratifikasi/staff/declarations.html", form=form, page=Page(items=[]), days={}, labels=labels
        )
    args = form.paging_args()
    for key in ("before", "after"):
        if parse_cursor(request.args.get(key)) is not None:
            args[key] = request.args[key]
    stmt = declarations.list_query(form.to_filters())
    page = keyset_page(stmt, ConflictDeclaration.id, args=args, size=current_app.config["PAGE_SIZE"])
    calendar = work_calendar()
    days = {row.id: declarations.days_to_decision(row.declared_on, row.decided_on, calendar) for row in page.items}
    return render_template(
        "gratifikasi/staff/declarations.html",
        form=form,
        page=page,
        days=days,
        filtered=bool(form.paging_args()),
        labels=labels,
    )


@bp.route("/benturan/deklarasi/<int:declaration_id>", endpoint="declaration")
def declaration(declaration_id: int):
    """Everything about one declaration (an audited read); the UPG also gets the step the rules allow now."""
    return _render(get_case_or_404(KIND, declaration_id))


@bp.route("/benturan/deklarasi/<int:declaration_id>/keputusan", methods=["POST"], endpoint="declaration_decide")
def decide(declaration_id: int):
    """Record the superior's decision; refused: 400 with the form and its messages."""
    item = get_case_or_404(KIND, declaration_id, for_write=True)
    form = DecisionForm()
    if not rules.can_decide(item.kind, item.status):
        flash(_("Keputusan tidak dapat dicatat pada status pernyataan saat ini. Muat ulang halaman."), "error")
        return _render(item, redacted=True, status=400)
    if not form.validate_on_submit():
        flash(_("Periksa kembali isian formulir keputusan."), "error")
        return _render(item, decision_form=form, redacted=True, status=400)
    try:
        declarations.decide(current_user, item, form.to_input())
    except declarations.InvalidDeclaration as refused:
        _show(form, refused)
        return _render(item, decision_form=form, redacted=True, status=400)
    except PermissionError:
        abort(403)
    flash(_("Keputusan atasan dicatat dan ditampilkan kepada pegawai yang menyatakan."), "success")
    return redirect(url_for("internal.gratifikasi.declaration", declaration_id=item.id))


@bp.route("/benturan/deklarasi/<int:declaration_id>/dilaksanakan", methods=["POST"], endpoint="declaration_carry_out")
def carry_out(declaration_id: int):
    """Record when the decision was carried out; refused: 400 with the form and its messages."""
    item = get_case_or_404(KIND, declaration_id, for_write=True)
    form = CarryOutForm()
    if not rules.can_carry_out(item.status, item.decision):
        flash(_("Pelaksanaan tidak dapat dicatat pada status pernyataan saat ini. Muat ulang halaman."), "error")
        return _render(item, redacted=True, status=400)
    if not form.validate_on_submit():
        flash(_("Periksa kembali isian formulir pelaksanaan."), "error")
        return _render(item, carry_out_form=form, redacted=True, status=400)
    try:
        declarations.carry_out(current_user, item, form.to_input())
    except declarations.InvalidDeclaration as refused:
        _show(form, refused)
        return _render(item, carry_out_form=form, redacted=True, status=400)
    except PermissionError:
        abort(403)
    flash(_("Pelaksanaan keputusan dicatat."), "success")
    return redirect(url_for("internal.gratifikasi.declaration", declaration_id=item.id))


def _show(form: DecisionForm | CarryOutForm, refused: declarations.InvalidDeclaration) -> None:
    for field, message in refused.errors.items():
        if field != declarations.FORM and field in form:
            form[field].errors = [*form[field].errors, str(message)]
    general = refused.errors.get(declarations.FORM)
    flash(str(general) if general else _("Periksa kembali isian formulir."), "error")


def _render(
    item: ConflictDeclaration,
    *,
    decision_form: DecisionForm | None = None,
    carry_out_form: CarryOutForm | None = None,
    redacted: bool = False,
    status: int = 200,
):  # noqa: ANN202
    """The declaration's page. Unless `redacted` (an error page, rolled back), it shows the personal data and
    is an audited read."""
    if not redacted:
        declarations.read_for_staff(current_user, item)
    writer = current_user.role == Role.UPG
    seen = {"seen_status": item.status.value, "seen_event": declarations.last_event_id(item) or ""}
    can_decide = writer and rules.can_decide(item.kind, item.status)
    can_carry_out = writer and rules.can_carry_out(item.status, item.decision)
    if can_decide and decision_form is None:
        decision_form = DecisionForm(formdata=None, data={**seen, "decided_on": today_jakarta()})
    if can_carry_out and carry_out_form is None:
        carry_out_form = CarryOutForm(formdata=None, data={**seen, "carried_out_on": today_jakarta()})
    html = render_template(
        "gratifikasi/staff/declaration.html",
        item=item,
        redacted=redacted,
        decision_form=decision_form if can_decide else None,
        carry_out_form=carry_out_form if can_carry_out else None,
        days=declarations.days_to_decision(item.declared_on, item.decided_on, work_calendar()),
        layanan_name=localized_name(item.layanan, str(get_locale())) if item.layanan else "",
        actor_names=declarations.actor_names(item.events),
        labels=labels,
    )
    return html, status
