"""The UPG's inbox and case pages at /internal/gratifikasi (part C of issue 10)."""

from __future__ import annotations

from flask import render_template

from blueprints.gratifikasi import staff_bp


@staff_bp.route("/")
def inbox():
    return render_template("gratifikasi/staff/inbox.html")
