"""Public complaint pages: the form, the receipt, the status page and the transparency page."""

from flask import Blueprint

bp = Blueprint("pengaduan", __name__)

from blueprints.pengaduan import routes, statistik  # noqa: E402,F401
