from flask import Blueprint

bp = Blueprint("auth", __name__)

from blueprints.auth import password_link, routes  # noqa: E402,F401
