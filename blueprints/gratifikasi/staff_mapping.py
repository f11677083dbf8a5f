"""The UPG's pages: the mapping of potential conflicts of interest (part F) of issue 10."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import staff_bp


@staff_bp.route("/benturan/pemetaan")
def mapping():
    return render_template("gratifikasi/staff/mapping.html")
