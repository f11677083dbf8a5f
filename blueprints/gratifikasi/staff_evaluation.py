"""The UPG's quarterly evaluation of conflict-of-interest handling (issue 10, point 10): a quarter's figures
(declarations, the mapping's changes, WBS counts in the category benturan kepentingan, campaign activities),
the team's written evaluation and its follow-up items, marking a version final and opening a new one (as the
semester monev does: services/evaluation_versions.py), the earlier final versions, and the `benturan-evaluasi`
download.

The UPG writes; the pimpinan reads (the blueprint's guard refuses the pimpinan every POST). The quarter is
?period=2026-Q4 (default: the current one). Every POST names its quarter the same way; a POST with a missing
or broken field answers 400 with the page and the messages, and saves nothing; a save over a colleague's newer
one 409; a change a final version locks 409 with the page saying so (blueprints/evaluation_pages.py).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.evaluation_pages import (
    QuarterFinalForm,
    QuarterItemForm,
    QuarterTextForm,
    quarter_page,
    refused_item_add,
    refused_item_update,
    refused_mark_final,
    refused_new_version,
    refused_text_save,
    render_archived,
)
from blueprints.gratifikasi import staff_bp
from zi_public.forms.evaluation import ItemUpdateForm, NewVersionForm
from zi_public.i18n import period_name
from zi_public.localtime import today_jakarta
from zi_public.models import FollowUpItem
from zi_public.rules.periods import QUARTER, Period, parse_period, period_of, previous
from zi_public.security.input_guard import checks_every_field
from zi_public.services import evaluations
from zi_public.services.gratifikasi import benturan_evaluation
from zi_public.services.gratifikasi.benturan_labels import (
    DECISION_LABELS,
    DECLARATION_KIND_LABELS,
    MAPPING_CHANGE_LABELS,
    MAPPING_FIELD_LABELS,
)
from zi_public.services.gratifikasi.campaign import topic_label

SCOPE = benturan_evaluation.SCOPE
REPORT = "benturan-evaluasi"
QUARTERS_SHOWN = 8

TextForm, ItemForm, FinalForm = QuarterTextForm, QuarterItemForm, QuarterFinalForm


BAD_PERIOD = _l("Periode tidak valid: pilih triwulan, misalnya 2026-Q4.")


def _chosen_quarter(required: bool = False) -> tuple[Period, bool]:
    """The quarter ?period= names and whether it was missing (when required) or not a quarter; the current
    quarter then."""
    raw = request.args.get("period")
    current = period_of(QUARTER, today_jakarta())
    if not raw:
        return current, required
    try:
        return parse_period(raw, (QUARTER,)), False
    except ValueError:
        return current, True


def _quarters(quarter: Period) -> list[Period]:
    """The current quarter and the ones before it (the chosen one too, when it is older or later)."""
    quarters = [period_of(QUARTER, today_jakarta())]
    while len(quarters) < QUARTERS_SHOWN:
        quarters.append(previous(quarters[-1]))
    if quarter not in quarters:
        quarters.append(quarter)
        quarters.sort(key=lambda q: q.start, reverse=True)
    return quarters


def _page(quarter: Period) -> str:
    return url_for("internal.gratifikasi.evaluation", period=quarter.code)


@staff_bp.route("/benturan/evaluasi", endpoint="evaluation")
def evaluation():
    """A quarter's evaluation: the figures, the team's text, the follow-up items (forms for the UPG)."""
    quarter, bad = _chosen_quarter()
    return _render(quarter, bad_period=bad)


@staff_bp.route("/benturan/evaluasi/teks", methods=["POST"], endpoint="evaluation_text")
@checks_every_field
def evaluation_text():
    """Save the team's written evaluation of ?period=, refusing a save over a colleague's."""
    quarter, bad = _chosen_quarter(required=True)
    form = TextForm()
    if bad:
        return _render(quarter, text_form=form, bad_period=True)
    if not form.validate_on_submit():
        return _render(quarter, text_form=form, status=400)
    status = refused_text_save(form, SCOPE, quarter)
    if status:
        return _render(quarter, text_form=form, status=status)
    flash(_("Evaluasi %(period)s disimpan.", period=period_name(quarter)), "success")
    return redirect(_page(quarter))


@staff_bp.route("/benturan/evaluasi/tindak-lanjut", methods=["POST"], endpoint="evaluation_item_add")
@checks_every_field
def evaluation_item_add():
    """Add a follow-up item to the evaluation of ?period=."""
    quarter, bad = _chosen_quarter(required=True)
    form = ItemForm()
    if bad:
        return _render(quarter, item_form=form, bad_period=True)
    if not form.validate_on_submit():
        return _render(quarter, item_form=form, status=400)
    status = refused_item_add(form, SCOPE, quarter)
    if status:
        return _render(quarter, item_form=form, status=status)
    flash(_("Tindak lanjut ditambahkan."), "success")
    return redirect(_page(quarter))


@staff_bp.route("/benturan/evaluasi/tindak-lanjut/<int:item_id>", methods=["POST"], endpoint="evaluation_item_update")
@checks_every_field
def evaluation_item_update(item_id: int):
    """Set a follow-up item's status and evidence; back to ?period= (default: the quarter that set it)."""
    item = evaluations.get_item(SCOPE, item_id) or abort(404)
    quarter, bad = _chosen_quarter()
    if not request.args.get("period"):
        quarter = parse_period(item.period, (QUARTER,))
    form = ItemUpdateForm()
    if bad:
        return _render(quarter, edit=(item, form), bad_period=True)
    if not form.validate_on_submit():
        return _render(quarter, edit=(item, form), status=400)
    status = refused_item_update(form, item)
    if status:
        return _render(quarter, edit=(item, form), status=status)
    flash(_("Tindak lanjut disimpan."), "success")
    return redirect(_page(quarter))


@staff_bp.route("/benturan/evaluasi/final", methods=["POST"], endpoint="evaluation_final")
def evaluation_final():
    """Mark the current version of ?period= final (after the confirmation): its text and items are locked."""
    quarter, bad = _chosen_quarter(required=True)
    form = FinalForm()
    if bad:
        return _render(quarter, final_form=form, bad_period=True)
    if not form.validate_on_submit():
        return _render(quarter, final_form=form, status=400)
    status = refused_mark_final(form, SCOPE, quarter)
    if status:
        return _render(quarter, final_form=form, status=status)
    flash(_("Evaluasi %(period)s ditetapkan final.", period=period_name(quarter)), "success")
    return redirect(_page(quarter))


@staff_bp.route("/benturan/evaluasi/versi-baru", methods=["POST"], endpoint="evaluation_new_version")
def evaluation_new_version():
    """Keep the final version of ?period= as it is and open the next one as a draft."""
    quarter, bad = _chosen_quarter(required=True)
    form = NewVersionForm()
    if bad:
        return _render(quarter, version_form=form, bad_period=True)
    if not form.validate_on_submit():
        return _render(quarter, version_form=form, status=400)
    status = refused_new_version(
        form,
        SCOPE,
        quarter,
        stale=_("Petugas lain baru saja mengubah evaluasi ini. Periksa halamannya lalu coba lagi."),
    )
    if status:
        return _render(quarter, version_form=form, status=status)
    opened = evaluations.get_evaluation(SCOPE, quarter)
    flash(_("Versi %(n)d dibuka sebagai draf; versi final sebelumnya tetap tersimpan.", n=opened.version_no), "success")
    return redirect(_page(quarter))


@staff_bp.route("/benturan/evaluasi/versi/<int:number>", endpoint="evaluation_version")
def evaluation_version(number: int):
    """An earlier final version of ?period=, as it was when the next one was opened (read-only)."""
    quarter, bad = _chosen_quarter(required=True)
    if bad:
        abort(404)
    return render_archived("gratifikasi/staff/evaluation_version.html", SCOPE, quarter, number, quarter=quarter)


def _render(
    quarter: Period,
    *,
    text_form: TextForm | None = None,
    item_form: ItemForm | None = None,
    edit: tuple[FollowUpItem, ItemUpdateForm] | None = None,
    final_form: FinalForm | None = None,
    version_form: NewVersionForm | None = None,
    bad_period: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    today = today_jakarta()
    as_of = min(quarter.end, today)
    html = render_template(
        "gratifikasi/staff/evaluation.html",
        page=quarter_page(
            SCOPE,
            quarter,
            text_form=text_form,
            item_form=item_form,
            edit=edit,
            final_form=final_form,
            version_form=version_form,
        ),
        quarter=quarter,
        quarters=_quarters(quarter),
        due_month=benturan_evaluation.evaluation_month(quarter),
        started=quarter.start <= today,
        as_of=as_of,
        figures=benturan_evaluation.figures(quarter, as_of=as_of) if quarter.start <= today else None,
        bad_period=BAD_PERIOD if bad_period else None,
        report=REPORT,
        kind_labels=DECLARATION_KIND_LABELS,
        decision_labels=DECISION_LABELS,
        change_labels=MAPPING_CHANGE_LABELS,
        field_labels=MAPPING_FIELD_LABELS,
        topic_label=topic_label,
        wbs_columns=benturan_evaluation.WBS_COLUMN_LABELS,
        decimal=lambda value: format_decimal(value, format="0.#"),
    )
    return html, 400 if bad_period else status
