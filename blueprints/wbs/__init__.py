"""WBS over HTTP: the whistle-blower's pages (`bp`, at /wbs — web only, never the kiosk), the Tim WBS's
pages (`staff_bp`, nested under the internal area's guard at /internal/wbs) and the JSON API (`api_bp`,
nested under /api/v1/wbs) with its part of the OpenAPI document (`openapi.fragment()`).

`blueprints.register_all` does the nesting, so this package never imports another blueprint package.
Every answer of `bp` and `api_bp` is no-store and no-referrer (zi_public/security/headers.py).
"""

from flask import Blueprint

bp = Blueprint("wbs", __name__)
staff_bp = Blueprint("wbs", __name__)
api_bp = Blueprint("wbs", __name__)

from blueprints.wbs import api, openapi, routes, staff, staff_evaluation  # noqa: E402,F401
