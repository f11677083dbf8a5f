"""The Tim SKM's paper-form import: the template download, the upload, the list of past imports and the list
of wrong cells by row and column. The Tim SKM imports; the pimpinan sees what was imported."""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.skm import staff_bp as bp
from blueprints.skm.staff_forms import ImportForm
from zi_public.exports import XLSX_MIMETYPE
from zi_public.i18n import format_size
from zi_public.models import Role
from zi_public.security.permissions import roles_required
from zi_public.services import reference
from zi_public.services.skm import paper
from zi_public.services.skm.paper_columns import FIELD_NAMES
from zi_public.services.skm.paper_template import build_template


def _limits() -> tuple[int, int]:
    config = current_app.config
    return (
        int(config.get("SKM_IMPORT_MAX_BYTES", paper.DEFAULT_MAX_BYTES)),
        int(config.get("SKM_IMPORT_MAX_ROWS", paper.DEFAULT_MAX_ROWS)),
    )


@bp.route("/impor", endpoint="imports")
@roles_required(Role.SKM, Role.PIMPINAN)
def imports():
    """The template, the upload form (Tim SKM) and the past imports, newest first."""
    return _render_imports(ImportForm(formdata=None))


@bp.route("/impor/templat.xlsx", endpoint="import_template")
@roles_required(Role.SKM)
def import_template():
    """The xlsx template with today's catalogue of layanan."""
    max_bytes, max_rows = _limits()
    content = build_template(reference.active_layanan(), max_rows=max_rows, max_size=format_size(max_bytes))
    response = send_file(
        io.BytesIO(content), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name="templat-skm-kertas.xlsx"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/impor", methods=["POST"], endpoint="import_upload")
@roles_required(Role.SKM)
def import_upload():
    """Check an uploaded file and import all its rows, or none; the wrong cells are listed by row and column."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_imports(form), 400
    upload = form.file.data
    max_bytes, max_rows = _limits()
    try:
        imported = paper.import_file(
            current_user, upload.stream, upload.filename or "", max_bytes=max_bytes, max_rows=max_rows
        )
    except paper.ImportRefused as refused:
        form.file.errors = [str(problem) for problem in refused.problems]
        return _render_imports(form), 422
    except paper.AlreadyImported as already:
        return _render_imports(form, already=already), 409
    except paper.RowsRefused as refused:
        filename = upload.filename or ""
        page = render_template(
            "skm/staff/import_errors.html",
            refused=refused,
            filename=filename,
            field_names=FIELD_NAMES,
            **_form_context(form),
        )
        return page, 422
    _flash_imported(imported)
    return redirect(url_for("internal.skm.import_detail", import_id=imported.skm_import.id), code=303)


@bp.route("/impor/<int:import_id>", endpoint="import_detail")
@roles_required(Role.SKM, Role.PIMPINAN)
def import_detail(import_id: int):
    """One import: who brought which file in, and the responses it added per layanan and quarter."""
    skm_import = paper.get_import(import_id)
    if skm_import is None:
        abort(404)
    return render_template(
        "skm/staff/import_detail.html",
        skm_import=skm_import,
        importer=paper.importer(skm_import),
        summary=paper.import_summary(skm_import),
    )


def _flash_imported(imported: paper.Imported) -> None:
    flash(_("%(rows)d tanggapan dari formulir kertas diimpor.", rows=imported.skm_import.rows), "success")
    for column in imported.columns.renumbered:
        flash(
            _(
                "Kolom “%(header)s” dibaca sebagai %(name)s, menurut nama unsurnya.",
                header=column.header,
                name=FIELD_NAMES[column.field],
            ),
            "info",
        )
    if imported.columns.ignored:
        flash(_("Kolom yang tidak dipakai: %(headers)s.", headers=", ".join(imported.columns.ignored)), "info")


def _render_imports(form: ImportForm, *, already: paper.AlreadyImported | None = None) -> str:
    page = paper.recent_imports(request.args, size=current_app.config["PAGE_SIZE"])
    return render_template(
        "skm/staff/import.html",
        page=page,
        names=paper.importer_names(page.items),
        already=already,
        can_import=current_user.role == Role.SKM,
        **_form_context(form),
    )


def _form_context(form: ImportForm) -> dict[str, object]:
    max_bytes, max_rows = _limits()
    return {"form": form, "max_rows": max_rows, "max_size": format_size(max_bytes)}
