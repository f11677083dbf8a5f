"""SKM over HTTP: the respondent's survey and the published results (`bp`, at /skm), the Tim SKM's pages
(`staff_bp`, nested under the internal area's guard at /internal/skm) and the JSON API (`api_bp`, nested
under /api/v1/skm) with its part of the OpenAPI document (`openapi.fragment()`). The kiosk's survey lives
in blueprints/kiosk; the public standar pelayanan pages in blueprints/public.

`blueprints.register_all` does the nesting, so this package never imports another blueprint package.
"""

from flask import Blueprint

bp = Blueprint("skm", __name__)
staff_bp = Blueprint("skm", __name__)
api_bp = Blueprint("skm", __name__)

from blueprints.skm import (  # noqa: E402,F401
    api,
    api_hasil,
    api_perception,
    hasil,
    openapi,
    perception,
    routes,
    staff,
    staff_import,
    staff_perception,
    staff_standards,
)
