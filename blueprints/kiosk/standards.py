"""The kiosk's standar pelayanan and maklumat pages: what the public site shows, in the hall's touch layout.

Read-only pages: the kiosk's guard (a registered device) and its no-store header apply as on every kiosk
page; there is nothing to forget between people but the search typed, which lives in the URL only.
"""

from __future__ import annotations

from flask import render_template, request

from blueprints.kiosk import bp
from zi_public.localtime import today_jakarta
from zi_public.services.skm import published, standards

#: Big buttons: fewer to a screen than on the website.
KIOSK_PAGE_SIZE = 8


@bp.route("/layanan")
def layanan_list():
    """The catalogue as big buttons, with a search, each leading to its standard."""
    shown = published.catalogue_page(request.args.get("q"), request.args.get("page"), KIOSK_PAGE_SIZE, today_jakarta())
    return render_template("kiosk/layanan_list.html", **shown)


@bp.route("/layanan/<code>")
def layanan_detail(code: str):
    """One layanan's standard in force today, component by component."""
    layanan = standards.published_layanan(code)
    if layanan is None:  # in the kiosk's layout, with a way back: not the website's error page
        return render_template("kiosk/layanan_missing.html"), 404
    return render_template("kiosk/layanan_detail.html", **published.standard_page(layanan, today_jakarta()))


@bp.route("/maklumat")
def maklumat():
    """The office's maklumat pelayanan in force today."""
    return render_template("kiosk/maklumat.html", **published.maklumat_page(today_jakarta()))
