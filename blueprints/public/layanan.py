"""The public standar pelayanan pages (/layanan, /layanan/<code>) and the maklumat (/maklumat).

What is shown is what is in force today (Asia/Jakarta); a version scheduled for a later day is announced with
its date, never shown early. Texts are the Tim SKM's, escaped on output with their line breaks kept.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from blueprints.public import bp
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan
from zi_public.services.skm import published, standards


@bp.route("/layanan")
def layanan_list():
    """The service catalogue with a search over names and codes, each with whether its standard is published."""
    size = current_app.config["PAGE_SIZE"]
    shown = published.catalogue_page(request.args.get("q"), request.args.get("page"), size, today_jakarta())
    return render_template("public/layanan_list.html", **shown)


@bp.route("/layanan/<code>")
def layanan_detail(code: str):
    """One layanan's standard in force today, component by component, with its effective date."""
    return render_template(
        "public/layanan_detail.html",
        **published.standard_page(active_layanan_or_404(code), today_jakarta()),
        survey_open="skm.index" in current_app.view_functions,
    )


@bp.route("/maklumat")
def maklumat():
    """The office's maklumat pelayanan in force today, with the signing officer."""
    return render_template("public/maklumat.html", **published.maklumat_page(today_jakarta()))


def active_layanan_or_404(code: str) -> Layanan:
    """The active layanan with this code; anything else (unknown, retired, absurdly long) is not found."""
    layanan = standards.published_layanan(code)
    if layanan is None:
        abort(404)
    return layanan
