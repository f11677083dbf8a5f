"""The declarant's pages at /benturan-kepentingan: what a conflict of interest is, the declaration form,
its receipt and status page (part F of issue 10)."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import benturan_bp


@benturan_bp.route("/")
def index():
    return render_template("gratifikasi/benturan/index.html")
