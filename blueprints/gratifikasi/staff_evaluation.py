"""The UPG's pages: the quarterly evaluation of conflict handling (part G) of issue 10."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import staff_bp


@staff_bp.route("/benturan/evaluasi")
def evaluation():
    return render_template("gratifikasi/staff/evaluation.html")
