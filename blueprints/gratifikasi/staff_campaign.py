"""The UPG's pages: the campaign texts and activities (part D) of issue 10."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import staff_bp


@staff_bp.route("/kampanye")
def campaign():
    return render_template("gratifikasi/staff/campaign.html")
