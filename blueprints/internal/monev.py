"""The semester monev of the Tim Pengaduan (issue 11 point 5): the team's evaluation text, its recommendations
(each with owner, due date, status and evidence), those of earlier semesters still open, marking a version
final and opening a new one; the `pengaduan-monev` download carries all of it.

Built on services/evaluations.py and evaluation_versions.py (scope "pengaduan_monev"). The team writes; the
pimpinan reads (GETs only: every POST is the team's). A POST with a missing or broken field answers 400 with the
page, what was typed and the messages, and saves nothing; a save over a colleague's newer one 409; a change a
final version locks 409 with the page saying so (blueprints/evaluation_pages.py).
"""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from blueprints.evaluation_pages import EvaluationWrites, PageWords, refused_item_edit, render_archived
from blueprints.internal import bp
from blueprints.internal.monev_forms import (
    FinalForm,
    ItemEditForm,
    ItemForm,
    ItemUpdateForm,
    NewVersionForm,
    TextForm,
)
from zi_public.forms.evaluation import with_version
from zi_public.models import FollowUpItem, Role
from zi_public.rules.periods import SEMESTER, Period, parse_period
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import roles_required
from zi_public.services import evaluation_versions, evaluations

SCOPE = "pengaduan_monev"
REPORT = "pengaduan-monev"
READERS = (Role.PENGADUAN, Role.PIMPINAN)
WORDS = PageWords(
    TextForm,
    ItemForm,
    FinalForm,
    item_added=_l("Rekomendasi ditambahkan."),
    marked_final=_l("Monev %(period)s ditetapkan final."),
    stale_version=_l("Petugas lain baru saja mengubah monev ini. Periksa halamannya lalu coba lagi."),
)


def _semester_or_404(text: str) -> Period:
    try:
        return parse_period(text, (SEMESTER,))
    except ValueError:
        abort(404)


def _item_or_404(item_id: int) -> FollowUpItem:
    return evaluations.get_item(SCOPE, item_id) or abort(404)


def _page(semester: Period, anchor: str | None = None) -> str:
    return url_for("internal.monev_edit", period=semester.code, _anchor=anchor)


@bp.route("/laporan/monev/<period>")
@roles_required(*READERS)
def monev_edit(period: str):
    """A semester's monev: the team's text and recommendations, earlier ones still open, versions."""
    return _render(_semester_or_404(period))


@bp.route("/laporan/monev/<period>/teks", methods=["POST"])
@roles_required(Role.PENGADUAN)
@checks_every_field
def monev_text(period: str):
    """Save the evaluation text, refusing a save over a colleague's and a change to a final version."""
    return WRITES.save_text(_semester_or_404(period), anchor="evaluasi")


@bp.route("/laporan/monev/<period>/rekomendasi", methods=["POST"])
@roles_required(Role.PENGADUAN)
@checks_every_field
def monev_item_add(period: str):
    """Add a recommendation (owner, due date) to the semester's draft monev."""
    return WRITES.add_item(_semester_or_404(period), anchor="rekomendasi")


@bp.route("/laporan/monev/<period>/rekomendasi/<int:item_id>/ubah", methods=["POST"])
@roles_required(Role.PENGADUAN)
@checks_every_field
def monev_item_edit(period: str, item_id: int):
    """Change a recommendation's wording, owner or due date while its monev is a draft."""
    semester, item = _semester_or_404(period), _item_or_404(item_id)
    form = ItemEditForm(prefix=f"r{item.id}")
    stale = _("Petugas lain baru saja menyimpan rekomendasi ini. Periksa isiannya lalu simpan lagi.")
    return WRITES.write(
        semester,
        form,
        {"edit": (item, form)},
        lambda: refused_item_edit(form, item, stale=stale),
        lambda saved: _("Rekomendasi disimpan."),
        anchor=f"rekomendasi-{item.id}",
    )


@bp.route("/laporan/monev/<period>/rekomendasi/<int:item_id>/tindak-lanjut", methods=["POST"])
@roles_required(Role.PENGADUAN)
@checks_every_field
def monev_item_update(period: str, item_id: int):
    """Record where a recommendation stands (status, evidence): open even once its monev is final."""
    semester, item = _semester_or_404(period), _item_or_404(item_id)
    return WRITES.update_item(semester, item, prefix=f"t{item.id}", anchor=f"rekomendasi-{item.id}")


@bp.route("/laporan/monev/<period>/final", methods=["POST"])
@roles_required(Role.PENGADUAN)
def monev_final(period: str):
    """Mark the current version final (after the confirmation): its text and recommendations are locked."""
    return WRITES.mark_final(_semester_or_404(period))


@bp.route("/laporan/monev/<period>/versi-baru", methods=["POST"])
@roles_required(Role.PENGADUAN)
def monev_new_version(period: str):
    """Keep the final version as it is and open the next one as a draft."""
    return WRITES.new_version(_semester_or_404(period))


@bp.route("/laporan/monev/<period>/versi/<int:number>")
@roles_required(*READERS)
def monev_version(period: str, number: int):
    """An earlier final version, as it was when the next one was opened."""
    semester = _semester_or_404(period)
    return render_archived("internal/monev_version.html", SCOPE, semester, number, period=semester)


def _render(
    semester: Period,
    *,
    text_form: TextForm | None = None,
    item_form: ItemForm | None = None,
    edit: tuple[FollowUpItem, ItemEditForm] | None = None,
    update: tuple[FollowUpItem, ItemUpdateForm] | None = None,
    final_form: FinalForm | None = None,
    version_form: NewVersionForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    written = evaluations.get_evaluation(SCOPE, semester)
    page_version = evaluations.evaluation_version(written)
    if text_form is None:
        text_form = with_version(TextForm(formdata=None, obj=written), page_version)
    items = evaluations.items_for(SCOPE, semester)
    own = [item for item in items if not evaluations.is_carried(SCOPE, item, semester)]
    edit_forms, update_forms = {}, {}
    for item in items:
        update_forms[item.id] = _item_form(ItemUpdateForm, f"t{item.id}", item, update)
        if item in own:
            edit_forms[item.id] = _item_form(ItemEditForm, f"r{item.id}", item, edit)
    html = render_template(
        "internal/monev_form.html",
        period=semester,
        written=written,
        is_final=bool(written and written.is_final),
        archived=evaluation_versions.archived_versions(SCOPE, semester),
        text_form=text_form,
        item_form=item_form or ItemForm(formdata=None),
        final_form=final_form or with_version(FinalForm(formdata=None), page_version),
        version_form=version_form or with_version(NewVersionForm(formdata=None), page_version),
        carried=[item for item in items if item not in own],
        own=own,
        item_periods={item.id: parse_period(item.period) for item in items},
        edit_forms=edit_forms,
        update_forms=update_forms,
        status_labels=evaluations.STATUS_LABELS,
        can_write=evaluations.can_write(SCOPE, current_user),
        report=REPORT,
    )
    return html, status


def _item_form(
    cls: type[FlaskForm], prefix: str, item: FollowUpItem, posted: tuple[FollowUpItem, FlaskForm] | None
) -> FlaskForm:
    """The form posted for this item (with what was typed and its messages), or a fresh one filled from it."""
    if posted is not None and posted[0].id == item.id:
        return posted[1]
    return with_version(cls(formdata=None, obj=item, prefix=prefix), evaluations.item_version(item))


WRITES = EvaluationWrites(SCOPE, WORDS, _render, _page)
