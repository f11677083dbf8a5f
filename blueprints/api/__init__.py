from flask import Blueprint

from zi_public.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # no cookies are used by the API, so there is nothing to forge

from blueprints.api import routes  # noqa: E402,F401
