"""Complaint form, receipt and status page (being built)."""

from flask import render_template

from blueprints.pengaduan import bp


@bp.route("/")
def index():
    """The complaint form."""
    return render_template("pengaduan/form.html")
