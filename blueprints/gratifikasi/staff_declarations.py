"""The UPG's pages: conflict-of-interest declarations (part F) of issue 10."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import staff_bp


@staff_bp.route("/benturan/deklarasi")
def declarations():
    return render_template("gratifikasi/staff/declarations.html")
