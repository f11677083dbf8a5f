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

from flask import abort, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from blueprints.evaluation_pages import (
    QUARTER_WORDS,
    EvaluationWrites,
    QuarterFinalForm,
    QuarterItemForm,
    QuarterTextForm,
    quarter_page,
    render_archived,
)
from blueprints.gratifikasi import staff_bp
from zi_public.forms.evaluation import ItemUpdateForm, NewVersionForm
from zi_public.localtime import today_jakarta
from zi_public.rules.periods import QUARTER, Period, latest, parse_period, period_of
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
    quarters = latest(QUARTER, today_jakarta(), QUARTERS_SHOWN)
    if quarter not in quarters:
        quarters.append(quarter)
        quarters.sort(key=lambda q: q.start, reverse=True)
    return quarters


def _page(quarter: Period, anchor: str | None = None) -> str:
    return url_for("internal.gratifikasi.evaluation", period=quarter.code, _anchor=anchor)


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
    return _bad_period(quarter, text_form=QuarterTextForm()) if bad else WRITES.save_text(quarter)


@staff_bp.route("/benturan/evaluasi/tindak-lanjut", methods=["POST"], endpoint="evaluation_item_add")
@checks_every_field
def evaluation_item_add():
    """Add a follow-up item to the evaluation of ?period=."""
    quarter, bad = _chosen_quarter(required=True)
    return _bad_period(quarter, item_form=QuarterItemForm()) if bad else WRITES.add_item(quarter)


@staff_bp.route("/benturan/evaluasi/tindak-lanjut/<int:item_id>", methods=["POST"], endpoint="evaluation_item_update")
@checks_every_field
def evaluation_item_update(item_id: int):
    """Set a follow-up item's status and evidence; back to ?period= (default: the quarter that set it)."""
    item = evaluations.get_item(SCOPE, item_id) or abort(404)
    quarter, bad = _chosen_quarter()
    if not request.args.get("period"):
        quarter = parse_period(item.period, (QUARTER,))
    return _bad_period(quarter, update=(item, ItemUpdateForm())) if bad else WRITES.update_item(quarter, item)


@staff_bp.route("/benturan/evaluasi/final", methods=["POST"], endpoint="evaluation_final")
def evaluation_final():
    """Mark the current version of ?period= final (after the confirmation): its text and items are locked."""
    quarter, bad = _chosen_quarter(required=True)
    return _bad_period(quarter, final_form=QuarterFinalForm()) if bad else WRITES.mark_final(quarter)


@staff_bp.route("/benturan/evaluasi/versi-baru", methods=["POST"], endpoint="evaluation_new_version")
def evaluation_new_version():
    """Keep the final version of ?period= as it is and open the next one as a draft."""
    quarter, bad = _chosen_quarter(required=True)
    return _bad_period(quarter, version_form=NewVersionForm()) if bad else WRITES.new_version(quarter)


@staff_bp.route("/benturan/evaluasi/versi/<int:number>", endpoint="evaluation_version")
def evaluation_version(number: int):
    """An earlier final version of ?period=, as it was when the next one was opened (read-only)."""
    quarter, bad = _chosen_quarter(required=True)
    if bad:
        abort(404)
    return render_archived("gratifikasi/staff/evaluation_version.html", SCOPE, quarter, number, quarter=quarter)


def _bad_period(quarter: Period, **posted: object) -> tuple[str, int]:
    """The page of the current quarter, saying the POST named no quarter (400), with the posted form."""
    return _render(quarter, bad_period=True, **posted)


def _render(quarter: Period, *, bad_period: bool = False, status: int = 200, **posted: object) -> tuple[str, int]:
    """The quarter's page; `posted` is the refused form (blueprints.evaluation_pages.quarter_page's keywords)."""
    today = today_jakarta()
    as_of = min(quarter.end, today)
    html = render_template(
        "gratifikasi/staff/evaluation.html",
        page=quarter_page(SCOPE, quarter, **posted),
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


WRITES = EvaluationWrites(SCOPE, QUARTER_WORDS, _render, _page)
