"""The Tim SKM's follow-up pages (issue 9, point 8; the pimpinan reads them): the items a period shows — its
own and those carried from earlier quarters until done — a form for a new item with the weakest unsur
suggested, each item's page with its edit form and evidence files.

The item forms carry long texts: their POST views check the CSRF token themselves (see staff.py), so a stale
page comes back with everything typed.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.case_files import send_case_file
from blueprints.skm import staff_bp as bp
from blueprints.skm.staff import BAD_PERIOD, READERS, chosen_period, quarter_or_404, recent_periods
from blueprints.skm.staff_forms import FollowUpForm
from zi_public.extensions import csrf
from zi_public.forms import token_valid
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan, Role, SkmFollowUpItem
from zi_public.paging import keyset_page
from zi_public.rules.ikm import round_half_up
from zi_public.rules.periods import QUARTER, SEMESTER, YEAR, Period
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import get_case_or_404, roles_required
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments, reference
from zi_public.services.skm import follow_up
from zi_public.services.skm.follow_up import FollowUpConflict, FollowUpRefused
from zi_public.services.skm.labels import UNSUR_NAMES


def _form(*, from_request: bool = True, item: SkmFollowUpItem | None = None) -> FollowUpForm:
    form = (
        FollowUpForm.of(item) if item is not None else (FollowUpForm() if from_request else FollowUpForm(formdata=None))
    )
    return form.offer(reference.active(Layanan))


@bp.route("/tindak-lanjut", endpoint="follow_up")
@roles_required(*READERS)
def follow_up_list():
    """The items a period shows (newest first, a page at a time), and for the Tim SKM a form for a new one."""
    period, bad = chosen_period(request.args.get("period"), (QUARTER, SEMESTER, YEAR))
    form = _form(from_request=False)
    weakest = follow_up.weakest_unsur(period, as_of=today_jakarta())
    if weakest is not None:
        form.unsur.data = weakest.unsur
    return _render_list(period, form, weakest, bad_period=bad)


@bp.route("/tindak-lanjut/<period>", methods=["POST"], endpoint="follow_up_create")
@csrf.exempt
@roles_required(Role.SKM)
@checks_every_field
def follow_up_create(period: str):
    """Record an item set by a quarter's results, with its evidence files."""
    quarter = quarter_or_404(period)
    form = _form()
    weakest = follow_up.weakest_unsur(quarter, as_of=today_jakarta())
    if not token_valid(form):
        return _render_list(quarter, form, weakest, status=400)
    data = form.to_input()
    if data is None:
        return _render_list(quarter, form, weakest, status=400)
    try:
        item = follow_up.create_item(current_user, quarter, data, form.chosen_files(), today=today_jakarta())
    except FollowUpRefused as exc:
        form.show_errors(exc.errors)
        return _render_list(quarter, form, weakest, status=400)
    except UploadRejected as exc:
        form.files.errors = [str(exc)]
        return _render_list(quarter, form, weakest, status=400)
    flash(_("Tindak lanjut %(unsur)s disimpan.", unsur=item.unsur), "success")
    return redirect(url_for("internal.skm.follow_up", period=quarter.code))


@bp.route("/tindak-lanjut/butir/<int:item_id>", endpoint="follow_up_item")
@roles_required(*READERS)
def follow_up_item(item_id: int):
    """One item: what was planned and done, its evidence files, and for the Tim SKM the edit form."""
    item = get_case_or_404(follow_up.KIND, item_id)
    return _render_item(item, _form(item=item))


@bp.route("/tindak-lanjut/butir/<int:item_id>/simpan", methods=["POST"], endpoint="follow_up_update")
@csrf.exempt
@roles_required(Role.SKM)
@checks_every_field
def follow_up_update(item_id: int):
    """Save an item's progress, evidence and done date (its quarter stays), refusing a save over a colleague's."""
    item = get_case_or_404(follow_up.KIND, item_id, for_write=True)
    form = _form()
    if not token_valid(form):
        return _render_item(item, form, status=400)
    data = form.to_input()
    if data is None:
        return _render_item(item, form, status=400)
    try:
        follow_up.update_item(
            current_user, item, data, form.chosen_files(), today=today_jakarta(), version=form.version.data or ""
        )
    except FollowUpConflict:
        form.version.data = follow_up.item_version(item)
        flash(_("Petugas lain baru saja menyimpan butir ini. Periksa isiannya lalu simpan lagi."), "error")
        return _render_item(item, form, status=409)
    except FollowUpRefused as exc:
        form.show_errors(exc.errors)
        return _render_item(item, form, status=400)
    except UploadRejected as exc:
        form.files.errors = [str(exc)]
        return _render_item(item, form, status=400)
    flash(_("Tindak lanjut disimpan."), "success")
    return redirect(url_for("internal.skm.follow_up_item", item_id=item.id))


@bp.route("/tindak-lanjut/butir/<int:item_id>/bukti/<int:attachment_id>", endpoint="follow_up_file")
@roles_required(*READERS)
def follow_up_file(item_id: int, attachment_id: int):
    """One evidence file, as a download (an image or document without its metadata), audit-logged."""
    item = get_case_or_404(follow_up.KIND, item_id)
    back = url_for("internal.skm.follow_up_item", item_id=item.id)
    return send_case_file(lambda: attachments.download(current_user, item, attachment_id), back)


@bp.route("/tindak-lanjut/butir/<int:item_id>/bukti/<int:attachment_id>/asli", endpoint="follow_up_file_original")
@roles_required(Role.SKM)
def follow_up_file_original(item_id: int, attachment_id: int):
    """One evidence file as it was uploaded (metadata included), audit-logged as such."""
    item = get_case_or_404(follow_up.KIND, item_id, for_write=True)
    back = url_for("internal.skm.follow_up_item", item_id=item.id)
    return send_case_file(lambda: attachments.download(current_user, item, attachment_id, original=True), back)


def _render_list(period: Period, form: FollowUpForm, weakest, *, bad_period: bool = False, status: int | None = None):  # noqa: ANN001,ANN202
    page = keyset_page(follow_up.shown_query(period), SkmFollowUpItem.id, args=request.args, size=follow_up.PAGE_SIZE)
    html = render_template(
        "skm/staff/follow_up.html",
        period=period,
        page=page,
        form=form,
        weakest=weakest,
        weakest_nrr=format_decimal(round_half_up(weakest.nrr, 3), format="0.000") if weakest else None,
        unsur_names=UNSUR_NAMES,
        choices=recent_periods(today_jakarta()),
        can_write=current_user.role == Role.SKM,
        bad_period=BAD_PERIOD if bad_period else None,
        today=today_jakarta(),
    )
    return html, status or (400 if bad_period else 200)


def _render_item(item: SkmFollowUpItem, form: FollowUpForm, *, status: int = 200):  # noqa: ANN202
    html = render_template(
        "skm/staff/follow_up_item.html",
        item=item,
        form=form,
        files=attachments.originals(item),
        unsur_names=UNSUR_NAMES,
        can_write=current_user.role == Role.SKM,
        today=today_jakarta(),
    )
    return html, status
