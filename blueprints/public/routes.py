"""The public shell: home page, transparency page and language choice."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from blueprints.public import bp
from zi_public.exports import pengaduan_publik
from zi_public.i18n import LANG_COOKIE
from zi_public.localtime import today_jakarta
from zi_public.security.redirects import safe_next
from zi_public.services.gratifikasi import campaign
from zi_public.services.skm import perception

#: The services on the home page, in the order citizens look for them; each card links to `<name>.index`
#: once that service's blueprint exists. Gratifikasi and benturan kepentingan are for the office's employees.
SERVICES = ("pengaduan", "wbs", "gratifikasi", "benturan", "skm")


@bp.route("/")
def home():
    """Explain the services and link to those that are open; the UPG's campaign text when one is set."""
    available = {name: f"{name}.index" in current_app.view_functions for name in SERVICES}
    # The perception surveys (issue 9 point 11) beside the SKM while one is open or has published results.
    perception_surveys = any(q.is_active or q.is_published for q in perception.all_questionnaires())
    return render_template(
        "public/home.html",
        available=available,
        perception_surveys=perception_surveys,
        campaign_text=campaign.campaign_text("home"),
    )


@bp.route("/transparansi")
def transparansi():
    """Every published figure in one place: complaint statistics and downloads, WBS figures, SKM results,
    the standar pelayanan and the maklumat."""
    return render_template(
        "public/transparansi.html",
        downloads=pengaduan_publik.featured_downloads(today_jakarta()),
        perception_surveys=any(q.is_published for q in perception.all_questionnaires()),
    )


@bp.route("/bahasa/<code>")
def set_language(code: str):
    """Remember the visitor's language in a cookie and go back where they were."""
    response = redirect(safe_next(request.args.get("next"), url_for("public.home")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response
