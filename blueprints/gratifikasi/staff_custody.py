"""The UPG's pages: the custody register of entrusted gifts (part D) of issue 10."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import staff_bp


@staff_bp.route("/titipan")
def custody():
    return render_template("gratifikasi/staff/custody.html")
