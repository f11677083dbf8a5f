"""The kiosk's standar pelayanan and maklumat pages: what the public site shows, in the hall's touch layout.

Read-only pages: the kiosk's guard (a registered device) and its no-store header apply as on every kiosk
page; there is nothing to forget between people but the search typed, which lives in the URL only.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale

from blueprints.kiosk import bp
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan
from zi_public.services import reference
from zi_public.services.skm import standards
from zi_public.services.skm.layanan_search import MAX_QUERY, search_layanan
from zi_public.services.skm.standards import COMPONENT_LABELS, COMPONENTS

#: Big buttons: fewer to a screen than on the website.
KIOSK_PAGE_SIZE = 8


@bp.route("/layanan")
def layanan_list():
    """The catalogue as big buttons, with a search, each leading to its standard."""
    result = search_layanan(request.args.get("q"), page=request.args.get("page"), size=KIOSK_PAGE_SIZE)
    return render_template(
        "kiosk/layanan_list.html",
        result=result,
        max_query=MAX_QUERY,
        in_force=standards.standards_in_force(today_jakarta()),
        name_of=_name_of,
    )


@bp.route("/layanan/<code>")
def layanan_detail(code: str):
    """One layanan's standard in force today, component by component."""
    layanan = standards.published_layanan(code)
    if layanan is None:  # in the kiosk's layout, with a way back: not the website's error page
        return render_template("kiosk/layanan_missing.html"), 404
    today = today_jakarta()
    return render_template(
        "kiosk/layanan_detail.html",
        layanan=layanan,
        name=_name_of(layanan),
        standard=standards.current_standard(layanan, today),
        upcoming=standards.next_standard(layanan, today),
        components=COMPONENTS,
        component_labels=COMPONENT_LABELS,
    )


@bp.route("/maklumat")
def maklumat():
    """The office's maklumat pelayanan in force today."""
    today = today_jakarta()
    return render_template(
        "kiosk/maklumat.html",
        maklumat=standards.current_maklumat(today),
        upcoming=standards.next_maklumat(today),
    )


def _name_of(layanan: Layanan) -> str:
    return reference.localized_name(layanan, str(get_locale()))
