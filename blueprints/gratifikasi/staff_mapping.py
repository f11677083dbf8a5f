"""The UPG's mapping of potential conflicts of interest (issue 10, point 8; the pimpinan reads it): a year's
rows as a table with a year selector, the forms to add, change and retire a row (retiring asks for a
confirmation on its own page), the January copy of last year's mapping, and the link to the daftar pemetaan.

Every POST checks its form itself (CSRF included: `token_valid`) and answers 400 with the messages beside
the fields and everything typed still there; nothing is stored then.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.gratifikasi import staff_bp
from blueprints.gratifikasi.mapping_forms import INCOMPLETE, CopyForm, MappingForm, RetireForm
from zi_public.exports import REPORT_ROLES, REPORTS
from zi_public.extensions import csrf
from zi_public.forms import token_valid
from zi_public.localtime import today_jakarta
from zi_public.models import Bidang, Layanan, Role
from zi_public.models.benturan import ConflictMapping
from zi_public.rules.periods import MAX_YEAR, MIN_YEAR
from zi_public.security.input_guard import checks_every_field
from zi_public.services import reference
from zi_public.services.gratifikasi import benturan_mapping as mapping
from zi_public.services.gratifikasi.benturan_labels import (
    CONFLICT_TYPE_LABELS,
    MAPPING_CHANGE_LABELS,
    MAPPING_FIELD_LABELS,
    RISK_BADGES,
    RISK_LABELS,
)
from zi_public.services.gratifikasi.benturan_mapping import (
    MappingConflict,
    MappingRefused,
    MappingRetired,
    YearAlreadyMapped,
)

EXPORT = "benturan-pemetaan"
BAD_YEAR = _l("Tahun tidak valid. Pilih tahun dari daftar.")
RETIRED_MESSAGE = _l("Baris ini sudah dihentikan: isinya disimpan seperti adanya dan tidak diubah lagi.")
CONFLICT_MESSAGE = _l("Petugas lain baru saja menyimpan baris ini. Periksa isiannya lalu simpan lagi.")


def _can_write() -> bool:
    return current_user.role == Role.UPG


def _row_or_404(row_id: int) -> ConflictMapping:
    row = mapping.get_row(row_id)
    if row is None:
        abort(404)
    return row


def _writable_or_404(year: int) -> None:
    if year not in mapping.writable_years(today_jakarta()):
        abort(404)


def _chosen_year(raw: str | None) -> tuple[int, bool]:
    """The ?year= asked for, or this year; and whether what was asked was refused."""
    this_year = today_jakarta().year
    if not raw:
        return this_year, False
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR):
        return this_year, True
    return int(text), False


def _mapping_form(row: ConflictMapping | None = None, *, from_request: bool = True) -> MappingForm:
    if row is not None and not from_request:
        form = MappingForm.of(row)
    else:
        form = MappingForm() if from_request else MappingForm(formdata=None)
    return form.offer(reference.active(Layanan), reference.active(Bidang), row)


@staff_bp.route("/benturan/pemetaan", endpoint="mapping")
def mapping_list():
    """A year's mapping: the active rows (a page at a time), the retired ones, and for the UPG the add form."""
    year, bad = _chosen_year(request.args.get("year"))
    return _render_list(year, _mapping_form(from_request=False), status=400 if bad else 200, bad_year=bad)


@staff_bp.route("/benturan/pemetaan/<int:year>/tambah", methods=["POST"], endpoint="mapping_add")
@csrf.exempt
@checks_every_field
def mapping_add(year: int):
    """Add a row to the year's mapping."""
    _writable_or_404(year)
    form = _mapping_form()
    if not token_valid(form):
        return _render_list(year, form, status=400)
    try:
        row = mapping.add_row(current_user, year, form.to_input(), today=today_jakarta())
    except MappingRefused as exc:
        form.show_errors(exc.errors)
        return _render_list(year, form, status=400)
    flash(_("Baris pemetaan ditambahkan."), "success")
    return redirect(url_for("internal.gratifikasi.mapping", year=row.year, _anchor=f"baris-{row.id}"))


@staff_bp.route("/benturan/pemetaan/<int:year>/salin", methods=["POST"], endpoint="mapping_copy")
@csrf.exempt
@checks_every_field
def mapping_copy(year: int):
    """The January mapping: copy last year's active rows into an empty year."""
    _writable_or_404(year)
    copy_form = CopyForm()
    form = _mapping_form(from_request=False)
    if not token_valid(copy_form) or not copy_form.names(year):
        return _render_list(year, form, copy_form=copy_form, status=400)
    try:
        copied = mapping.copy_previous_year(current_user, year, today=today_jakarta())
    except YearAlreadyMapped:
        copy_form.year.errors = [_("Tahun %(year)d sudah memiliki pemetaan; salinan tidak dibuat.", year=year)]
        return _render_list(year, form, copy_form=copy_form, status=409)
    except MappingRefused as exc:
        copy_form.year.errors = [str(message) for message in exc.errors.values()]
        return _render_list(year, form, copy_form=copy_form, status=400)
    flash(
        _(
            "%(count)d baris pemetaan %(from_year)d disalin ke %(year)d. Tinjau dan perbarui bila perlu.",
            count=len(copied.rows),
            from_year=copied.from_year,
            year=copied.year,
        ),
        "success",
    )
    return redirect(url_for("internal.gratifikasi.mapping", year=year))


@staff_bp.route("/benturan/pemetaan/baris/<int:row_id>", endpoint="mapping_row")
def mapping_row(row_id: int):
    """One row: what it maps, its changes, and for the UPG the edit form."""
    row = _row_or_404(row_id)
    return _render_row(row, _mapping_form(row, from_request=False))


@staff_bp.route("/benturan/pemetaan/baris/<int:row_id>/simpan", methods=["POST"], endpoint="mapping_update")
@csrf.exempt
@checks_every_field
def mapping_update(row_id: int):
    """Save a changed row, refusing a save over a colleague's and any change of a retired row."""
    row = _row_or_404(row_id)
    form = _mapping_form(row)
    if not token_valid(form):
        return _render_row(row, form, status=400)
    version = form.version.data if isinstance(form.version.data, str) else ""
    if not version or len(version) > 40:
        form.version.errors = [str(INCOMPLETE)]
        return _render_row(row, form, status=400)
    try:
        changed = mapping.update_row(current_user, row, form.to_input(), version=version, today=today_jakarta())
    except MappingRefused as exc:
        form.show_errors(exc.errors)
        return _render_row(row, form, status=400)
    except MappingRetired:
        flash(str(RETIRED_MESSAGE), "error")
        return _render_row(row, form, status=409)
    except MappingConflict:
        form.version.data = mapping.row_version(row)
        flash(str(CONFLICT_MESSAGE), "error")
        return _render_row(row, form, status=409)
    flash(_("Baris pemetaan disimpan.") if changed else _("Tidak ada yang berubah."), "success")
    return redirect(url_for("internal.gratifikasi.mapping_row", row_id=row.id))


@staff_bp.route("/benturan/pemetaan/baris/<int:row_id>/hentikan", methods=["GET", "POST"], endpoint="mapping_retire")
@csrf.exempt
@checks_every_field
def mapping_retire(row_id: int):
    """GET: the confirmation page; POST: retire the row (kept, no longer mapped)."""
    row = _row_or_404(row_id)
    if request.method == "GET":
        form = RetireForm(formdata=None, data={"version": mapping.row_version(row)})
        return _render_retire(row, form)
    form = RetireForm()
    if not token_valid(form):
        return _render_retire(row, form, status=400)
    version = form.opened_version()
    if version is None:
        return _render_retire(row, form, status=400)
    try:
        mapping.retire_row(current_user, row, version=version, today=today_jakarta())
    except MappingRetired:
        flash(str(RETIRED_MESSAGE), "error")
        return _render_retire(row, form, status=409)
    except MappingConflict:
        form.version.data = mapping.row_version(row)
        flash(str(CONFLICT_MESSAGE), "error")
        return _render_retire(row, form, status=409)
    flash(_("Baris pemetaan dihentikan."), "success")
    return redirect(url_for("internal.gratifikasi.mapping", year=row.year))


# --- rendering ----------------------------------------------------------------------------------------


def _export_url(year: int) -> str | None:
    """The daftar pemetaan of `year` through the reports page, when the role may take it (and the year has
    begun: a report is as of a day of its period)."""
    if EXPORT not in REPORTS or current_user.role not in REPORT_ROLES.get(EXPORT, ()):
        return None
    if year > today_jakarta().year:
        return None
    return url_for("internal.report_download", name=EXPORT, period=f"{year:04d}")


def _year_choices(year: int) -> list[int]:
    this_year = today_jakarta().year
    return sorted({*mapping.years(), this_year, this_year + 1, year}, reverse=True)


def _labels() -> dict[str, object]:
    return {
        "type_labels": CONFLICT_TYPE_LABELS,
        "risk_labels": RISK_LABELS,
        "risk_badges": RISK_BADGES,
        "change_labels": MAPPING_CHANGE_LABELS,
        "field_labels": MAPPING_FIELD_LABELS,
    }


def _render_list(
    year: int, form: MappingForm, *, copy_form: CopyForm | None = None, status: int = 200, bad_year: bool = False
):  # noqa: ANN202
    page = mapping.active_page(year, args=request.args)
    retired = mapping.retired_rows(year)
    last = mapping.last_changes([row.id for row in [*page.items, *retired]])
    has_rows = bool(page.items or retired) or mapping.count_of(year) > 0
    can_copy = _can_write() and not has_rows and mapping.count_of(year - 1) > 0
    if copy_form is None:
        copy_form = CopyForm(formdata=None, data={"year": str(year)})
    html = render_template(
        "gratifikasi/staff/mapping.html",
        year=year,
        page=page,
        retired=retired,
        last=last,
        form=form,
        copy_form=copy_form,
        can_write=_can_write(),
        can_copy=can_copy or bool(copy_form.errors),
        has_rows=has_rows,
        years=_year_choices(year),
        export_url=_export_url(year),
        bad_year=BAD_YEAR if bad_year else None,
        **_labels(),
    )
    return html, status


def _render_row(row: ConflictMapping, form: MappingForm, *, status: int = 200):  # noqa: ANN202
    html = render_template(
        "gratifikasi/staff/mapping_row.html",
        row=row,
        form=form,
        changes=mapping.changes_of([row.id])[row.id],
        changed_fields=mapping.changed_fields,
        can_write=_can_write() and row.retired_on is None,
        **_labels(),
    )
    return html, status


def _render_retire(row: ConflictMapping, form: RetireForm, *, status: int = 200):  # noqa: ANN202
    html = render_template(
        "gratifikasi/staff/mapping_retire.html",
        row=row,
        form=form,
        can_write=_can_write() and row.retired_on is None,
        **_labels(),
    )
    return html, status
