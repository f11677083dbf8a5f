"""The public standar pelayanan pages (/layanan, /layanan/<code>) and the maklumat (/maklumat).

What is shown is what is in force today (Asia/Jakarta); a version scheduled for a later day is announced with
its date, never shown early. Texts are the Tim SKM's, escaped on output with their line breaks kept.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import get_locale

from blueprints.public import bp
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan
from zi_public.services import reference
from zi_public.services.skm import standards
from zi_public.services.skm.layanan_search import MAX_QUERY, search_layanan
from zi_public.services.skm.standards import COMPONENT_LABELS, COMPONENTS


@bp.route("/layanan")
def layanan_list():
    """The service catalogue with a search over names and codes, each with whether its standard is published."""
    result = search_layanan(request.args.get("q"), page=request.args.get("page"), size=current_app.config["PAGE_SIZE"])
    return render_template(
        "public/layanan_list.html",
        result=result,
        max_query=MAX_QUERY,
        in_force=standards.standards_in_force(today_jakarta()),
        name_of=_name_of,
    )


@bp.route("/layanan/<code>")
def layanan_detail(code: str):
    """One layanan's standard in force today, component by component, with its effective date."""
    layanan = active_layanan_or_404(code)
    today = today_jakarta()
    return render_template(
        "public/layanan_detail.html",
        layanan=layanan,
        name=_name_of(layanan),
        standard=standards.current_standard(layanan, today),
        upcoming=standards.next_standard(layanan, today),
        components=COMPONENTS,
        component_labels=COMPONENT_LABELS,
        survey_open="skm.index" in current_app.view_functions,
    )


@bp.route("/maklumat")
def maklumat():
    """The office's maklumat pelayanan in force today, with the signing officer."""
    today = today_jakarta()
    return render_template(
        "public/maklumat.html",
        maklumat=standards.current_maklumat(today),
        upcoming=standards.next_maklumat(today),
    )


def active_layanan_or_404(code: str) -> Layanan:
    """The active layanan with this code; anything else (unknown, retired, absurdly long) is not found."""
    layanan = standards.published_layanan(code)
    if layanan is None:
        abort(404)
    return layanan


def _name_of(layanan: Layanan) -> str:
    return reference.localized_name(layanan, str(get_locale()))
