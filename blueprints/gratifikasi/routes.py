"""The reporter's pages at /gratifikasi: guide, form, receipt, status (part A of issue 10)."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import bp


@bp.route("/")
def index():
    """The guide: what counts as gratifikasi, what need not be reported on a given date, how to report."""
    return render_template("gratifikasi/index.html")
