from flask import Blueprint

bp = Blueprint("public", __name__)

from blueprints.public import layanan, routes  # noqa: E402,F401
